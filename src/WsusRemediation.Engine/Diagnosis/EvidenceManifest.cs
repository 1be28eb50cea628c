using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>One file in a bundle: what, from where, when, and its SHA-256.</summary>
    public sealed class ManifestFile
    {
        /// <summary>Its place in the bundle (forward slashes).</summary>
        public string Path { get; init; } = string.Empty;

        /// <summary>What it is.</summary>
        public EvidenceFileKind What { get; init; }

        /// <summary>Where it was collected from (a path on the server, an event channel, "SCM", "IIS").</summary>
        public string From { get; init; } = string.Empty;

        /// <summary>When it was collected, UTC.</summary>
        public DateTime CollectedAtUtc { get; init; }

        /// <summary>The SHA-256 of the bytes in the bundle, lower-case hex.</summary>
        public string Sha256 { get; init; } = string.Empty;

        /// <summary>Its size in bytes.</summary>
        public long Bytes { get; init; }

        /// <inheritdoc />
        public override string ToString() => $"{Path} ({What})";
    }

    /// <summary>One secret taken out: where (file, line, what kind of value), never the value.</summary>
    public sealed class ManifestRedaction
    {
        /// <summary>The file in the bundle.</summary>
        public string Path { get; init; } = string.Empty;

        /// <summary>The 1-based line.</summary>
        public int Line { get; init; }

        /// <summary>What was removed: <c>attribute password</c>, <c>[enc:...:enc] value</c>, <c>connection-string Password</c>...</summary>
        public string What { get; init; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{Path}({Line}): {What}";
    }

    /// <summary>A file that was not put in the bundle, and why.</summary>
    public sealed class ManifestExclusion
    {
        /// <summary>Where it is.</summary>
        public string From { get; init; } = string.Empty;

        /// <summary>Why it was left out.</summary>
        public string Reason { get; init; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{From}: {Reason}";
    }

    /// <summary>The manifest of an Export-WsusSyncEvidence bundle (<c>manifest.json</c>).</summary>
    public sealed class EvidenceManifest
    {
        /// <summary>The format name and version written in every manifest.</summary>
        public const string Format = "WsusRemediation.EvidenceBundle/1";

        /// <summary>The computer.</summary>
        public string? ComputerName { get; init; }

        /// <summary>When the bundle was made, UTC: offline diagnosis measures its time windows back from here.</summary>
        public DateTime? CollectedAtUtc { get; init; }

        /// <summary>The -Since the bundle was made with.</summary>
        public DateTime? SinceUtc { get; init; }

        /// <summary>The files.</summary>
        public IReadOnlyList<ManifestFile> Files { get; init; } = Array.Empty<ManifestFile>();

        /// <summary>The secrets removed, by place.</summary>
        public IReadOnlyList<ManifestRedaction> Redactions { get; init; } = Array.Empty<ManifestRedaction>();

        /// <summary>What was left out.</summary>
        public IReadOnlyList<ManifestExclusion> Excluded { get; init; } = Array.Empty<ManifestExclusion>();

        /// <summary>The manifest as JSON.</summary>
        public string ToJson()
        {
            var json = new StringBuilder("{\r\n");
            json.Append("  \"format\": ").Append(Quote(Format)).Append(",\r\n");
            json.Append("  \"computerName\": ").Append(Quote(ComputerName)).Append(",\r\n");
            json.Append("  \"collectedAtUtc\": ").Append(Quote(Time(CollectedAtUtc))).Append(",\r\n");
            json.Append("  \"sinceUtc\": ").Append(Quote(Time(SinceUtc))).Append(",\r\n");
            json.Append("  \"files\": [");
            json.Append(string.Join(",", Files.Select(f =>
                $"\r\n    {{ \"path\": {Quote(f.Path)}, \"what\": {Quote(f.What.ToString())}, \"from\": {Quote(f.From)}, \"collectedAtUtc\": {Quote(Time(f.CollectedAtUtc))}, \"sha256\": {Quote(f.Sha256)}, \"bytes\": {f.Bytes.ToString(CultureInfo.InvariantCulture)} }}")));
            json.Append(Files.Count > 0 ? "\r\n  ],\r\n" : "],\r\n");
            json.Append("  \"redactions\": [");
            json.Append(string.Join(",", Redactions.Select(r =>
                $"\r\n    {{ \"path\": {Quote(r.Path)}, \"line\": {r.Line.ToString(CultureInfo.InvariantCulture)}, \"what\": {Quote(r.What)} }}")));
            json.Append(Redactions.Count > 0 ? "\r\n  ],\r\n" : "],\r\n");
            json.Append("  \"excluded\": [");
            json.Append(string.Join(",", Excluded.Select(e => $"\r\n    {{ \"from\": {Quote(e.From)}, \"reason\": {Quote(e.Reason)} }}")));
            json.Append(Excluded.Count > 0 ? "\r\n  ]\r\n" : "]\r\n");
            return json.Append("}\r\n").ToString();
        }

        /// <summary>Reads a manifest. Throws <c>EvidenceBundleInvalid</c> when it is not one.</summary>
        public static EvidenceManifest Read(string json, string where)
        {
            Dictionary<string, object?> root;
            try
            {
                root = BridgeJson.Parse(json) as Dictionary<string, object?> ?? throw new FormatException("not a JSON object");
            }
            catch (FormatException ex)
            {
                throw new WsusRemediationException("EvidenceBundleInvalid", EngineErrorKind.InvalidData, $"{where} is not a readable manifest: {ex.Message}", where, ex);
            }

            if (!(Text(root, "format") ?? string.Empty).StartsWith("WsusRemediation.EvidenceBundle/", StringComparison.Ordinal))
            {
                throw new WsusRemediationException("EvidenceBundleInvalid", EngineErrorKind.InvalidData, $"{where} is not an Export-WsusSyncEvidence manifest.", where);
            }

            IEnumerable<Dictionary<string, object?>> Items(string name) =>
                (root.TryGetValue(name, out var list) && list is List<object?> items ? items : new List<object?>()).OfType<Dictionary<string, object?>>();

            return new EvidenceManifest
            {
                ComputerName = Text(root, "computerName"),
                CollectedAtUtc = ParseTime(Text(root, "collectedAtUtc")),
                SinceUtc = ParseTime(Text(root, "sinceUtc")),
                Files = Items("files").Select(f => new ManifestFile
                {
                    Path = Text(f, "path") ?? string.Empty,
                    What = Enum.TryParse(Text(f, "what"), out EvidenceFileKind kind) ? kind : EvidenceFileKind.Unknown,
                    From = Text(f, "from") ?? string.Empty,
                    CollectedAtUtc = ParseTime(Text(f, "collectedAtUtc")) ?? default,
                    Sha256 = Text(f, "sha256") ?? string.Empty,
                    Bytes = f.TryGetValue("bytes", out var bytes) && bytes is double d ? (long)d : 0,
                }).ToList(),
                Redactions = Items("redactions").Select(r => new ManifestRedaction
                {
                    Path = Text(r, "path") ?? string.Empty,
                    Line = r.TryGetValue("line", out var line) && line is double l ? (int)l : 0,
                    What = Text(r, "what") ?? string.Empty,
                }).ToList(),
                Excluded = Items("excluded").Select(e => new ManifestExclusion { From = Text(e, "from") ?? string.Empty, Reason = Text(e, "reason") ?? string.Empty }).ToList(),
            };
        }

        private static string? Text(Dictionary<string, object?> values, string key) => values.TryGetValue(key, out var value) ? value as string : null;

        private static string? Time(DateTime? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        private static DateTime? ParseTime(string? text) =>
            DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value) ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : null;

        private static string Quote(string? text)
        {
            if (text is null)
            {
                return "null";
            }

            var json = new StringBuilder("\"");
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"': json.Append("\\\""); break;
                    case '\\': json.Append("\\\\"); break;
                    case '\n': json.Append("\\n"); break;
                    case '\r': json.Append("\\r"); break;
                    case '\t': json.Append("\\t"); break;
                    default:
                        if (c < ' ')
                        {
                            json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            json.Append(c);
                        }

                        break;
                }
            }

            return json.Append('"').ToString();
        }
    }
}
