using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Tests.Shared;

/// <summary>
/// Prints one fingerprint (entry count, skip count, SHA-256 of every entry's and skip's content) per input:
/// the test fixtures, the generated benchmark files, and deterministic damaged variants of each fixture.
/// Run it before and after a parser change and diff the two outputs: any change in what is read shows up.
///   dotnet WsusRemediation.Engine.Benchmarks.dll --fingerprint tests/WsusRemediation.Engine.Tests/Fixtures/Logs [--sizes 10]
/// </summary>
internal static class Fingerprint
{
    // Damage that exercises the XML fast path's refusals as well as the line parsers' skips.
    private static readonly string[] Noise =
    {
        "<", ">", "\"", "'", "=", "]", "!", "[", "$", "~", "\0", "\r", "\n", "\r\n", "\t", " ", "-", "+", ":", ".", "0", "7", "/", "&", ";", "#",
        "&amp;", "&lt;", "&apos;", "&quot;", "&gt;", "&#x41;", "&#65;", "&#0;", "&#x1;", "&#xD800;", "&#13;", "&#x9;", "&#32;", "&bogus;", "&#x110000;",
        "<![CDATA[x]]>", "<!-- c -->", "<?pi x?>", "]]>", "xmlns:a='urn:a'", " xml:space='preserve'", "a:", "\u00e9", "\uFFFD", "\uD83D\uDE00", "\u0085", "\u2028",
        "<Data>", "</Data>", "<Data Name='x'/>", "<EventData>", "</EventData>", "<Event>", "</Event>", "<UserData>", "<Message>", "</Message>", " Name='Name'",
    };

    public static void Run(string fixtures, IEnumerable<string> generated)
    {
        foreach (var file in Directory.EnumerateFiles(fixtures, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = Path.GetRelativePath(fixtures, file);
            var format = EvidenceReader.DetectFormat(file);
            if (format == LogFormat.Unknown)
            {
                continue;
            }

            Print(name, summary => EvidenceReader.ReadFile(file, summary, format));
            var original = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            var utf8 = Encoding.UTF8.GetString(File.ReadAllBytes(file));
            var random = new Random(20261122);
            for (var round = 0; round < 300; round++)
            {
                var damaged = TextMutator.Mutate(round % 2 == 0 ? original : utf8, random, Noise, maxEdits: 4, maxRun: 39);
                Print($"{name}#{round}", summary => EvidenceReader.ReadText(new StringReader(damaged), name, format, summary));
            }
        }

        foreach (var path in generated)
        {
            Print(Path.GetFileName(path), summary => EvidenceReader.ReadFile(path, summary));
        }

        // Partial reads (-Tail from the end, -Since from a seek) against the same taken from a full read.
        var differences = 0;
        foreach (var path in generated)
        {
            differences += ComparePartialReads(path);
        }

        Console.WriteLine(differences == 0 ? "partial reads: all identical to the full read" : $"partial reads: {differences} DIFFERENT");
    }

    /// <summary>Prints, per tail length and time bound, the hash of the partial read and whether it equals the full read's.</summary>
    private static int ComparePartialReads(string path)
    {
        var name = Path.GetFileName(path);
        var full = LogReadPlan.Create(new[] { path }, new LogReadOptions { WholeFiles = true }).Read(new LogReadSummary()).ToList();
        var differences = 0;
        void Report(string what, List<LogEntry> expected, List<LogEntry> actual)
        {
            var expectedHash = Hash(expected);
            var actualHash = Hash(actual);
            var same = expectedHash == actualHash;
            differences += same ? 0 : 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {what}	{actual.Count}	{actualHash}	{(same ? "same" : "DIFFERENT from " + expectedHash)}"));
        }

        foreach (var tail in new[] { 1, 100, 10000 })
        {
            Report($"-Tail {tail}", full.Skip(Math.Max(0, full.Count - tail)).ToList(), LogReadPlan.Create(new[] { path }, new LogReadOptions { Tail = tail }).Read(new LogReadSummary()).ToList());
        }

        var timed = full.Where(e => e.TimeUtc.HasValue).ToList();
        foreach (var quantile in new[] { 0.01, 0.5, 0.99 })
        {
            var since = timed[(int)(quantile * (timed.Count - 1))].TimeUtc!.Value;
            var filter = new LogFilter { Since = since };
            Report($"-Since {since:yyyy-MM-dd HH:mm:ss.fff}", full.Where(filter.Matches).ToList(), LogReadPlan.Create(new[] { path }, new LogReadOptions { Filter = filter }).Read(new LogReadSummary()).ToList());
        }

        return differences;
    }

    private static string Hash(IEnumerable<LogEntry> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        foreach (var entry in entries)
        {
            line.Clear();
            Describe(entry, line);
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static void Describe(LogEntry entry, StringBuilder line)
    {
        line.Append(entry.TimeUtc?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-").Append('|').Append(entry.TimeUtc?.Offset.Ticks.ToString(CultureInfo.InvariantCulture) ?? "-")
            .Append('|').Append(entry.Severity).Append('|').Append(entry.Component).Append('|').Append(entry.Thread).Append('|').Append(entry.Message)
            .Append('|').Append(entry.File).Append('|').Append(entry.Line).Append('|').Append(entry.Format).Append('|').Append(entry.Kind).Append('|').Append(entry.Cause);
        foreach (var field in entry.Fields)
        {
            line.Append('|').Append(field.Key).Append('=').Append(field.Value);
        }

        line.Append('|').Append(entry.Fields.Count).Append('\n');
    }

    private static void Print(string name, Func<LogReadSummary, IEnumerable<LogEntry>> read)
    {
        var summary = new LogReadSummary();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        long count = 0;
        string outcome;
        try
        {
            foreach (var entry in read(summary))
            {
                count++;
                line.Clear();
                Describe(entry, line);
                hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
            }

            outcome = "ok";
        }
        catch (Exception ex)
        {
            outcome = ex.GetType().Name + ": " + ex.Message;
        }

        foreach (var skip in summary.Skipped)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"skip|{skip.File}|{skip.Line}|{skip.Reason}\n"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{count}\t{summary.SkippedCount}\t{summary.EntriesRead}\t{outcome}\t{Convert.ToHexString(hash.GetHashAndReset())}"));
    }
}
