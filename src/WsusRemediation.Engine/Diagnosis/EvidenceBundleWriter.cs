using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>What Export-WsusSyncEvidence wrote: the zip, and its manifest's contents.</summary>
    public sealed class WsusEvidenceBundle
    {
        /// <summary>The zip; binds to Get-WsusSyncDiagnosis -EvidencePath (alias Path).</summary>
        public string Path { get; init; } = string.Empty;

        /// <summary>The computer the evidence is from.</summary>
        public string SourceComputer { get; init; } = string.Empty;

        /// <summary>When it was collected, UTC.</summary>
        public DateTime CollectedAtUtc { get; init; }

        /// <summary>How many files it holds (besides the manifest).</summary>
        public int FileCount => Files.Count;

        /// <summary>How many secrets were taken out.</summary>
        public int RedactionCount => Redactions.Count;

        /// <summary>The zip's size in bytes.</summary>
        public long Bytes { get; init; }

        /// <summary>The files (what, from where, when, SHA-256).</summary>
        public IReadOnlyList<ManifestFile> Files { get; init; } = Array.Empty<ManifestFile>();

        /// <summary>The secrets taken out, by place.</summary>
        public IReadOnlyList<ManifestRedaction> Redactions { get; init; } = Array.Empty<ManifestRedaction>();

        /// <summary>What was left out, and why.</summary>
        public IReadOnlyList<ManifestExclusion> Excluded { get; init; } = Array.Empty<ManifestExclusion>();
    }

    /// <summary>One file to put in a bundle.</summary>
    public sealed class BundleSource
    {
        /// <summary>Creates an item.</summary>
        public BundleSource(string path, string bundlePath, string from, EvidenceFileKind kind, DateTime collectedAtUtc)
        {
            Path = path;
            BundlePath = bundlePath;
            From = from;
            Kind = kind;
            CollectedAtUtc = collectedAtUtc;
        }

        /// <summary>Where the file is now.</summary>
        public string Path { get; }

        /// <summary>Its place in the bundle.</summary>
        public string BundlePath { get; }

        /// <summary>Where it came from.</summary>
        public string From { get; }

        /// <summary>What it is.</summary>
        public EvidenceFileKind Kind { get; }

        /// <summary>When it was collected.</summary>
        public DateTime CollectedAtUtc { get; }
    }

    /// <summary>
    /// Writes an evidence bundle: one zip with the files (every text file through
    /// <see cref="SecretRedactor"/>) and <c>manifest.json</c> (what, from where, when, SHA-256 of the bytes
    /// in the zip, each redaction by place, what was left out). Files that cannot be checked for secrets
    /// (binary ones) are left out, never copied blind. The zip is written beside the target and moved into place.
    /// </summary>
    public static class EvidenceBundleWriter
    {
        /// <summary>The files of a folder collected by hand, each in the bundle under its place in the folder.</summary>
        public static IReadOnlyList<BundleSource> FromFolder(string folder, DateTime collectedAtUtc)
        {
            if (!Directory.Exists(folder))
            {
                throw new WsusRemediationException("EvidencePathNotFound", EngineErrorKind.ObjectNotFound, $"The folder '{folder}' does not exist.", folder);
            }

            var root = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
            return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .OrderBy(f => f, StringComparer.OrdinalIgnoreCase)
                .Select(f => new BundleSource(f, "collected/" + f.Substring(root.Length).Replace('\\', '/'), f, EvidenceRecognizer.Recognize(f), collectedAtUtc))
                .ToList();
        }

        /// <summary>The items of a live collection.</summary>
        public static IReadOnlyList<BundleSource> FromLive(LiveCollection collection) =>
            (collection ?? throw new ArgumentNullException(nameof(collection))).Items
                .Select(i => new BundleSource(i.File.Path, i.BundlePath, i.File.Origin, i.File.Kind, i.CollectedAtUtc)).ToList();

        /// <summary>
        /// Writes the zip. With <paramref name="sinceUtc"/>, logs and event files whose newest record is older
        /// are left out (and listed). Throws <c>EvidenceBundleWriteFailed</c> when the zip cannot be written.
        /// </summary>
        public static WsusEvidenceBundle Write(
            string zipPath,
            string computerName,
            DateTime collectedAtUtc,
            DateTime? sinceUtc,
            IEnumerable<BundleSource> sources,
            IEnumerable<ManifestExclusion>? notCollected,
            CancellationToken cancellationToken,
            Action<string>? verbose = null)
        {
            if (string.IsNullOrEmpty(zipPath) || sources is null)
            {
                throw new ArgumentNullException(string.IsNullOrEmpty(zipPath) ? nameof(zipPath) : nameof(sources));
            }

            var files = new List<ManifestFile>();
            var redactions = new List<ManifestRedaction>();
            var excluded = new List<ManifestExclusion>(notCollected ?? Array.Empty<ManifestExclusion>());
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(zipPath)) ?? ".";
            var temporary = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(zipPath) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite))
                using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
                {
                    var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var source in sources)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (sinceUtc is { } since && OlderThan(source, since))
                        {
                            excluded.Add(new ManifestExclusion { From = source.From, Reason = $"nothing in it is newer than -Since ({since.ToString("u", CultureInfo.InvariantCulture)})" });
                            continue;
                        }

                        var content = ReadRedacted(source, redactions, out var reason);
                        if (content is null)
                        {
                            excluded.Add(new ManifestExclusion { From = source.From, Reason = reason! });
                            verbose?.Invoke($"Left out {source.From}: {reason}");
                            continue;
                        }

                        var name = Unique(source.BundlePath, used);
                        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                        entry.LastWriteTime = new DateTimeOffset(DateTime.SpecifyKind(source.CollectedAtUtc, DateTimeKind.Utc));
                        using (var output = entry.Open())
                        {
                            output.Write(content, 0, content.Length);
                        }

                        files.Add(new ManifestFile { Path = name, What = source.Kind, From = source.From, CollectedAtUtc = source.CollectedAtUtc, Sha256 = Sha256(content), Bytes = content.Length });
                        verbose?.Invoke($"Added {name} ({source.Kind}) from {source.From}.");
                    }

                    // Redactions name their file by its place in the bundle.
                    var manifest = new EvidenceManifest
                    {
                        ComputerName = computerName,
                        CollectedAtUtc = collectedAtUtc,
                        SinceUtc = sinceUtc,
                        Files = files,
                        Redactions = redactions,
                        Excluded = excluded,
                    };
                    var json = Encoding.UTF8.GetBytes(manifest.ToJson());
                    using var manifestStream = zip.CreateEntry(EvidenceRecognizer.ManifestName, CompressionLevel.Optimal).Open();
                    manifestStream.Write(json, 0, json.Length);
                }

                if (File.Exists(zipPath))
                {
                    File.Delete(zipPath);
                }

                File.Move(temporary, zipPath);
                return new WsusEvidenceBundle
                {
                    Path = System.IO.Path.GetFullPath(zipPath),
                    SourceComputer = computerName,
                    CollectedAtUtc = collectedAtUtc,
                    Bytes = new FileInfo(zipPath).Length,
                    Files = files,
                    Redactions = redactions,
                    Excluded = excluded,
                };
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new WsusRemediationException("EvidenceBundleWriteFailed", ex is IOException ? EngineErrorKind.WriteError : EngineErrorKind.PermissionDenied, $"The bundle '{zipPath}' could not be written: {ex.Message}", zipPath, ex);
            }
            finally
            {
                try
                {
                    if (File.Exists(temporary))
                    {
                        File.Delete(temporary);
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    verbose?.Invoke($"Could not remove {temporary}: {ex.Message}");
                }
            }
        }

        private static byte[]? ReadRedacted(BundleSource source, List<ManifestRedaction> redactions, out string? reason)
        {
            reason = null;
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(source.Path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                reason = "unreadable: " + ex.Message;
                return null;
            }

            var head = new byte[Math.Min(4, bytes.Length)];
            Array.Copy(bytes, head, head.Length);
            var encoding = LogFileOpener.DetectEncoding(head, head.Length, out var bomLength);
            var text = encoding.GetString(bytes, bomLength, bytes.Length - bomLength);

            // A NUL in the decoded text means a binary file (an .evtx, a dump): it cannot be checked for secrets. A log
            // recognised by its records may hold NUL padding where a crash or power loss cut it, with logging resumed after
            // it: long runs of NUL between text lines, which the readers skip and which hide nothing. Such a log is kept
            // (and checked like any other); the short NUL runs of binary data, or of UTF-16 text inside it, are not that.
            if (text.IndexOf('\0') >= 0 && !(IsLog(source.Kind) && OnlyPaddingRuns(text)))
            {
                reason = "binary file: it cannot be checked for secrets, so it is not put in the bundle (export event logs as XML: wevtutil qe <log> /f:xml)";
                return null;
            }

            var found = new List<ManifestRedaction>();
            var redacted = SecretRedactor.Redact(text, source.BundlePath, found);
            if (found.Count == 0)
            {
                return bytes;
            }

            redactions.AddRange(found);
            // The same encoding and byte-order mark as the original, so readers see the same file, less the secrets.
            var body = encoding.GetBytes(redacted);
            var result = new byte[bomLength + body.Length];
            Array.Copy(bytes, result, bomLength);
            Array.Copy(body, 0, result, bomLength, body.Length);
            return result;
        }

        private static bool IsLog(EvidenceFileKind kind) =>
            kind is EvidenceFileKind.MecmLog or EvidenceFileKind.SoftwareDistributionLog or EvidenceFileKind.HttpErrLog or EvidenceFileKind.EventXml;

        private const int ShortestPaddingRun = 16;

        private static bool OnlyPaddingRuns(string text)
        {
            for (var at = text.IndexOf('\0'); at >= 0; at = text.IndexOf('\0', at))
            {
                var end = at;
                while (end < text.Length && text[end] == '\0')
                {
                    end++;
                }

                if (end - at < ShortestPaddingRun)
                {
                    return false;
                }

                at = end;
                if (at >= text.Length)
                {
                    break;
                }
            }

            return true;
        }

        private static bool OlderThan(BundleSource source, DateTime since)
        {
            if (source.Kind is EvidenceFileKind.MecmLog or EvidenceFileKind.SoftwareDistributionLog or EvidenceFileKind.HttpErrLog or EvidenceFileKind.EventXml)
            {
                try
                {
                    DateTimeOffset? newest = null;
                    foreach (var entry in EvidenceReader.ReadFile(source.Path))
                    {
                        if (entry.TimeUtc is { } time && (newest is null || time > newest))
                        {
                            newest = time;
                        }
                    }

                    return newest is { } n && n.UtcDateTime < since;
                }
                catch (WsusRemediationException)
                {
                    return false;
                }
            }

            return false;
        }

        private static string Unique(string name, HashSet<string> used)
        {
            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++)
            {
                var extension = System.IO.Path.GetExtension(name);
                candidate = name.Substring(0, name.Length - extension.Length) + "-" + n.ToString(CultureInfo.InvariantCulture) + extension;
            }

            return candidate;
        }

        private static string Sha256(byte[] content)
        {
            using var sha = SHA256.Create();
            return string.Concat(sha.ComputeHash(content).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }
    }
}
