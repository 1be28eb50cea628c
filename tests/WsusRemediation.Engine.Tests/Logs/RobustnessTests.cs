using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// Damaged input, the same for every reader: truncation, random bytes, very long lines, mixed line
/// endings and a file that grows while read. The seed is fixed so a failure can be replayed.
/// </summary>
public class RobustnessTests
{
    private const int Seed = 20261110;
    private const int Records = 60;

    public static IEnumerable<object[]> Formats() => Enum.GetValues<LogFormat>().Where(f => f != LogFormat.Unknown).Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Formats))]
    public void Clean_generated_file_reads_every_record(LogFormat format)
    {
        var (text, _) = Generate(format, "\n");
        var (entries, summary) = Read(format, Encoding.ASCII.GetBytes(text));
        Assert.Equal(Records, entries.Count);
        Assert.Equal(0, summary.SkippedCount);
        AssertAllPresent(entries, Enumerable.Range(0, Records));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Random_truncation_keeps_every_complete_record(LogFormat format)
    {
        var random = new Random(Seed);
        var (text, ranges) = Generate(format, "\n");
        var bytes = Encoding.ASCII.GetBytes(text);
        for (var round = 0; round < 15; round++)
        {
            var cut = random.Next(1, bytes.Length);
            var (entries, _) = Read(format, bytes.Take(cut).ToArray());
            var complete = Enumerable.Range(0, Records).Where(k => ranges[k].End < cut);
            AssertAllPresent(entries, complete);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Random_bytes_in_one_record_lose_no_other_record(LogFormat format)
    {
        var random = new Random(Seed + (int)format);
        var (text, ranges) = Generate(format, "\n");
        for (var round = 0; round < 15; round++)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            var victim = random.Next(1, Records - 1);
            var (start, end) = ranges[victim];
            for (var n = 0; n < 12; n++)
            {
                bytes[random.Next(start, end)] = (byte)random.Next(0, 256);
            }

            var (entries, summary) = Read(format, bytes);
            AssertAllPresent(entries, Enumerable.Range(0, Records).Where(k => k != victim));
            Assert.True(entries.Count <= Records + 2, $"round {round}: {entries.Count} entries from {Records} records");
            Assert.True(summary.SkippedCount < 20);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Binary_junk_between_records_is_skipped(LogFormat format)
    {
        var random = new Random(Seed);
        var (text, ranges) = Generate(format, "\n");
        var bytes = Encoding.ASCII.GetBytes(text).ToList();
        var junk = new byte[4000];
        random.NextBytes(junk);
        for (var i = 0; i < junk.Length; i++)
        {
            // '<' could open a fake XML element that swallows the next record's start; keep the junk binary.
            if (junk[i] == (byte)'<')
            {
                junk[i] = 0;
            }
        }

        bytes.InsertRange(ranges[30].Start, junk.Concat(new[] { (byte)'\n' }));
        var (entries, _) = Read(format, bytes.ToArray());
        AssertAllPresent(entries, Enumerable.Range(0, Records));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Very_long_line_is_skipped_and_the_rest_read(LogFormat format)
    {
        var (text, ranges) = Generate(format, "\n");
        var longLine = new string('x', EvidenceReader.DefaultMaxLineLength + 1000) + "\n";
        var withLong = text.Insert(ranges[20].Start, longLine);
        var (entries, summary) = Read(format, Encoding.ASCII.GetBytes(withLong));
        AssertAllPresent(entries, Enumerable.Range(0, Records));
        Assert.Equal(Records, entries.Count);
        if (format != LogFormat.EventXml)
        {
            Assert.True(summary.SkippedCount >= 1);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mixed_line_endings_read_every_record(LogFormat format)
    {
        var random = new Random(Seed);
        var (text, _) = Generate(format, "\n");
        var endings = new[] { "\r\n", "\n", "\r" };
        var mixed = new StringBuilder();
        foreach (var c in text)
        {
            mixed.Append(c == '\n' ? endings[random.Next(endings.Length)] : c.ToString());
        }

        var (entries, summary) = Read(format, Encoding.ASCII.GetBytes(mixed.ToString()));
        Assert.Equal(Records, entries.Count);
        Assert.Equal(0, summary.SkippedCount);
        AssertAllPresent(entries, Enumerable.Range(0, Records));
        if (format is LogFormat.SoftwareDistribution)
        {
            Assert.Contains(entries, e => e.Message.Contains("\n   at Microsoft.UpdateServices", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void File_appended_while_read_does_not_break_the_reader(LogFormat format)
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("growing" + Extension(format));
        var (text, ranges) = Generate(format, "\r\n");
        File.WriteAllText(path, text);
        var extra = text.Substring(ranges[0].Start, ranges[9].End - ranges[0].Start + 1);

        var entries = new List<LogEntry>();
        using (var enumerator = EvidenceReader.ReadFile(path).GetEnumerator())
        {
            for (var i = 0; i < 5 && enumerator.MoveNext(); i++)
            {
                entries.Add(enumerator.Current);
            }

            using (var writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
                var more = Encoding.ASCII.GetBytes(extra + "\r\n");
                for (var i = 0; i < 200; i++)
                {
                    writer.Write(more, 0, more.Length);
                }
            }

            while (enumerator.MoveNext())
            {
                entries.Add(enumerator.Current);
            }
        }

        Assert.True(entries.Count >= Records);
        AssertAllPresent(entries, Enumerable.Range(0, Records));
    }

    private static string Extension(LogFormat format) => format == LogFormat.EventXml ? ".xml" : ".log";

    private static (List<LogEntry> Entries, LogReadSummary Summary) Read(LogFormat format, byte[] bytes)
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("damaged" + Extension(format));
        File.WriteAllBytes(path, bytes);
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(path, summary, format).ToList();
        return (entries, summary);
    }

    private static void AssertAllPresent(List<LogEntry> entries, IEnumerable<int> records)
    {
        var text = new HashSet<string>();
        foreach (var entry in entries)
        {
            foreach (var marker in Markers(entry.Message).Concat(entry.Fields.Values.SelectMany(Markers)))
            {
                text.Add(marker);
            }
        }

        var missing = records.Where(k => !text.Contains($"rec-{k:000}")).ToList();
        Assert.True(missing.Count == 0, "missing records: " + string.Join(", ", missing));
    }

    private static IEnumerable<string> Markers(string text)
    {
        for (var at = text.IndexOf("rec-", StringComparison.Ordinal); at >= 0 && at + 7 <= text.Length; at = text.IndexOf("rec-", at + 1, StringComparison.Ordinal))
        {
            yield return text.Substring(at, 7);
        }
    }

    /// <summary>Builds a clean file and remembers where each record's text lies.</summary>
    internal static (string Text, List<(int Start, int End)> Ranges) Generate(LogFormat format, string newline)
    {
        var text = new StringBuilder();
        var ranges = new List<(int, int)>();
        if (format == LogFormat.HttpErr)
        {
            text.Append("#Software: Microsoft HTTP API 2.0").Append(newline)
                .Append("#Version: 1.0").Append(newline)
                .Append("#Date: 2026-11-10 12:58:00").Append(newline)
                .Append("#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename").Append(newline);
        }

        if (format == LogFormat.EventXml)
        {
            text.Append("<Events>").Append(newline);
        }

        for (var k = 0; k < Records; k++)
        {
            var start = text.Length;
            var second = k % 60;
            switch (format)
            {
                case LogFormat.CMTrace:
                    var body = k % 5 == 0 ? $"Sync failed: rec-{k:000} WebException{newline}   at A.B(){newline}   at C.D()" : $"sync: WSUS synchronizing updates rec-{k:000}";
                    text.Append($"<![LOG[{body}]LOG]!><time=\"8:00:{second:00}.000+300\" date=\"11-10-2026\" component=\"SMS_WSUS_SYNC_MANAGER\" context=\"\" type=\"1\" thread=\"4840\" file=\"\">");
                    break;
                case LogFormat.SmsSimple:
                    text.Append($"sync: WSUS synchronizing updates, rec-{k:000} processed 1 out of 2 items~~second part  $$<SMS_WSUS_SYNC_MANAGER><11-10-2026 08:00:{second:00}.000+300><thread=4840 (0x12E8)>");
                    break;
                case LogFormat.SoftwareDistribution:
                    text.Append($"2026-11-10 13:00:{second:00}.123 UTC\tInfo\tWsusService.15\tEventLogEventReporter.ReportEvent\tEventId=382,Type=Information,Category=Synchronization,Message=rec-{k:000} A manual synchronization was started.");
                    if (k % 4 == 0)
                    {
                        text.Append(newline).Append("   at Microsoft.UpdateServices.X.Y()").Append(newline).Append("   at Microsoft.UpdateServices.X.Z()");
                    }

                    break;
                case LogFormat.HttpErr:
                    text.Append($"2026-11-10 12:58:{second:00} 10.0.0.{k % 250} 50123 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx?rec-{k:000} 503 1 QueueFull WsusPool");
                    break;
                case LogFormat.EventXml:
                    text.Append("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider Name=\"Microsoft-Windows-WAS\" EventSourceName=\"WAS\" />")
                        .Append("<EventID Qualifiers=\"49152\">5002</EventID><Level>2</Level>").Append(newline)
                        .Append($"<TimeCreated SystemTime=\"2026-11-10T12:57:{second:00}.500000000Z\" /><EventRecordID>{k}</EventRecordID><Channel>System</Channel></System>")
                        .Append($"<EventData><Data Name=\"AppPoolID\">WsusPool</Data><Data Name=\"Marker\">rec-{k:000}</Data></EventData></Event>");
                    break;
            }

            ranges.Add((start, text.Length));
            text.Append(newline);
        }

        if (format == LogFormat.EventXml)
        {
            text.Append("</Events>").Append(newline);
        }

        return (text.ToString(), ranges);
    }
}
