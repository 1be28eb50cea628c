using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Tests.Shared;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// -Tail read from the end and -Since started near the bound return exactly what a full read returns:
/// every entry field, the line numbers, and no skip that a full read does not report. Every fixture of
/// every format (UTF-8, ANSI, UTF-16), damaged copies of each (text edits and raw byte edits that break
/// UTF-16 alignment and UTF-8 sequences), and generated multi-megabyte files that cross the readers' blocks.
/// </summary>
public sealed class PartialReadTests
{
    private static readonly string[] Noise = TextMutator.Tokens("<>\"=]![$~\0\r\n\t-+:.0123456789#");

    private static readonly int[] Tails = { 1, 3, 17, 200 };

    public static IEnumerable<object[]> Fixtures()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "Logs"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "Evidence"), "*", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".config", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal))
        {
            if (EvidenceReader.DetectFormat(file) != LogFormat.Unknown)
            {
                yield return new object[] { Path.GetRelativePath(root, file) };
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_and_its_damaged_copies_read_partially_as_in_full(string relative)
    {
        var original = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", relative));
        using var temp = LogFixtures.Temp();
        var random = new Random(20261124 + relative.Length);
        var compared = 0;
        for (var round = 0; round < 16; round++)
        {
            var bytes = round == 0 ? original : round % 2 == 0 ? DamageText(original, random) : DamageBytes(original, random);
            // Same name (an HTTPERR excerpt is recognised by it), one folder per copy.
            Directory.CreateDirectory(temp.File(round.ToString(CultureInfo.InvariantCulture)));
            var path = Path.Combine(temp.File(round.ToString(CultureInfo.InvariantCulture)), Path.GetFileName(relative));
            File.WriteAllBytes(path, bytes);
            compared += CompareWithFullRead(path, $"{relative}#{round}");
        }

        // A file with no entry at all (an applicationHost.config copy named .xml) has nothing to compare.
        Assert.True(compared > 0 || !EvidenceReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", relative)).Any(), "nothing was compared");
    }

    [Theory]
    [InlineData("cmtrace.log", "utf-8")]
    [InlineData("simple.log", "utf-8")]
    [InlineData("SoftwareDistribution.log", "utf-8")]
    [InlineData("httperr1.log", "utf-8")]
    [InlineData("events.xml", "utf-8")]
    [InlineData("cmtrace-utf16.log", "utf-16")]
    [InlineData("SoftwareDistribution-utf16.log", "utf-16")]
    public void Multi_megabyte_generated_logs_read_partially_as_in_full(string name, string encoding)
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File(name);
        File.WriteAllText(path, Generate(name, 30000), Encoding.GetEncoding(encoding));
        Assert.True(new FileInfo(path).Length > 2 * 1024 * 1024);

        Assert.True(CompareWithFullRead(path, name, production: true) > 0);
        Assert.True(CompareWithFullRead(path, name) > 0);
    }

    [Fact]
    public void Since_skips_a_rolled_over_file_only_when_its_write_time_and_its_last_entry_are_older()
    {
        using var temp = LogFixtures.Temp();
        File.WriteAllText(temp.File("wsyncmgr.lo_"), Generate("simple.log", 3000));
        File.WriteAllText(temp.File("wsyncmgr.log"), Generate("simple.log", 3000, startMinute: 6000));
        var lastOld = LogReadPlan.ForPaths(new[] { temp.File("wsyncmgr.lo_") }).Read(new LogReadSummary()).Last().TimeUtc!.Value;
        var since = lastOld + LogReadPlan.TimeDisorderAllowance + TimeSpan.FromMinutes(1);

        // Written after the bound (copied without its times): read, though nothing in it passes.
        var options = new LogReadOptions { Filter = new LogFilter { Since = since } };
        var plan = LogReadPlan.ForPaths(new[] { temp.File("wsyncmgr.log") }, options);
        Assert.Empty(plan.SkippedFiles);

        // Written before the bound, and its last entry says so too: left out.
        File.SetLastWriteTimeUtc(temp.File("wsyncmgr.lo_"), lastOld.UtcDateTime);
        plan = LogReadPlan.ForPaths(new[] { temp.File("wsyncmgr.log") }, options);
        var skipped = Assert.Single(plan.SkippedFiles);
        Assert.Equal("wsyncmgr.lo_", Path.GetFileName(skipped.Path));
        Assert.Contains("before -Since", skipped.SkipReason);

        // A write time before the bound is not enough when the last entry is recent (a zip extracted in another time zone).
        var tooEarly = LogReadPlan.ForPaths(new[] { temp.File("wsyncmgr.log") }, new LogReadOptions { Filter = new LogFilter { Since = lastOld } });
        Assert.Empty(tooEarly.SkippedFiles);

        var full = LogReadPlan.ForPaths(new[] { temp.File("wsyncmgr.log") }, new LogReadOptions { Filter = new LogFilter { Since = since }, WholeFiles = true }).Read(new LogReadSummary()).ToList();
        var partial = plan.Read(new LogReadSummary()).ToList();
        Assert.Equal(full.Select(Describe), partial.Select(Describe));
        Assert.NotEmpty(partial);
    }

    [Fact]
    public void Tail_reads_only_the_end_of_a_large_file()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("SoftwareDistribution.log");
        File.WriteAllText(path, Generate("SoftwareDistribution.log", 60000));
        var summary = new LogReadSummary();

        var last = LogReadPlan.ForPaths(new[] { path }, new LogReadOptions { Tail = 10 }).Read(summary).ToList();

        Assert.Equal(10, last.Count);
        Assert.InRange(summary.EntriesRead, 10, 2000);
        var lines = File.ReadAllLines(path).Length;
        Assert.Equal(lines, last[^1].Line);
    }

    /// <summary>Compares tails and bounds read partially with the same taken from a full read; returns how many comparisons had entries.</summary>
    private static int CompareWithFullRead(string path, string name, bool production = false)
    {
        var fullSummary = new LogReadSummary();
        var full = LogReadPlan.Create(new[] { path }, new LogReadOptions { WholeFiles = true, Order = LogOrder.File }).Read(fullSummary).ToList();
        var fullSkips = fullSummary.Skipped.Select(s => (s.Line, s.Reason)).ToList();
        var partialsFrom = production ? PartialLogReader.DefaultWholeFileBelow : 0;
        var compared = 0;

        foreach (var tail in Tails)
        {
            var summary = new LogReadSummary();
            var partial = LogReadPlan.Create(new[] { path }, new LogReadOptions { Tail = tail, PartialReadsFrom = partialsFrom }).Read(summary).ToList();
            var expected = full.Skip(Math.Max(0, full.Count - tail)).ToList();
            Assert.True(expected.Select(Describe).SequenceEqual(partial.Select(Describe)), $"{name} -Tail {tail}: {First(expected, partial)}");
            CheckSkips(name, fullSkips, summary, partial);
            compared += partial.Count > 0 ? 1 : 0;
        }

        // Bounds at entries spread over the file, and one between two entries.
        var timed = full.Where(e => e.TimeUtc.HasValue).Select(e => e.TimeUtc!.Value).ToList();
        var bounds = new[] { 0.02, 0.5, 0.9, 0.999 }.Where(_ => timed.Count > 0).Select(q => timed[(int)(q * (timed.Count - 1))]).ToList();
        if (timed.Count > 0)
        {
            bounds.Add(timed[timed.Count / 3].AddTicks(1));
        }

        // A seek is exact for logs whose times never run back by more than the allowance. Damage that splices a
        // record days away (or edits a date) breaks that; then the read must still be the full result from some
        // point of the file on: nothing invented, nothing reordered, nothing missing after its first entry.
        var ordered = RunsBackAtMost(timed) <= LogReadPlan.TimeDisorderAllowance;
        foreach (var since in bounds)
        {
            var filter = new LogFilter { Since = since };
            var summary = new LogReadSummary();
            var partial = LogReadPlan.Create(new[] { path }, new LogReadOptions { Filter = filter, PartialReadsFrom = partialsFrom }).Read(summary).ToList();
            var expected = full.Where(filter.Matches).ToList();
            if (!ordered && partial.Count > 0)
            {
                expected = expected.SkipWhile(e => e.Line < partial[0].Line).ToList();
            }

            Assert.True(expected.Select(Describe).SequenceEqual(partial.Select(Describe)), $"{name} -Since {since:o}: {First(expected, partial)}");
            CheckSkips(name, fullSkips, summary, partial);

            // -Tail with -Since together: the last entries that pass the bound.
            var both = LogReadPlan.Create(new[] { path }, new LogReadOptions { Filter = filter, Tail = 5, PartialReadsFrom = partialsFrom }).Read(new LogReadSummary()).ToList();
            var expectedBoth = expected.Skip(Math.Max(0, expected.Count - 5)).ToList();
            if (ordered)
            {
                Assert.Equal(expectedBoth.Select(Describe), both.Select(Describe));
            }
            else
            {
                Assert.Equal(full.Where(filter.Matches).Select(Describe).Skip(Math.Max(0, full.Count(filter.Matches) - both.Count)), both.Select(Describe));
            }

            compared += partial.Count > 0 && ordered ? 1 : 0;
        }

        return compared;
    }

    /// <summary>How far the times run back at most (a later record older than an earlier one).</summary>
    private static TimeSpan RunsBackAtMost(List<DateTimeOffset> times)
    {
        var back = TimeSpan.Zero;
        var latest = DateTimeOffset.MinValue;
        foreach (var time in times)
        {
            latest = time > latest ? time : latest;
            back = latest - time > back ? latest - time : back;
        }

        return back;
    }

    /// <summary>A partial read invents no skip, and reports every skip the full read finds after its first entry.</summary>
    private static void CheckSkips(string name, List<(long Line, string Reason)> fullSkips, LogReadSummary summary, List<LogEntry> partial)
    {
        var partialSkips = summary.Skipped.Select(s => (s.Line, s.Reason)).ToList();
        foreach (var skip in partialSkips)
        {
            Assert.True(fullSkips.Contains(skip), $"{name}: skip {skip} not in a full read");
        }

        if (partial.Count > 0)
        {
            foreach (var skip in fullSkips.Where(s => s.Line > partial[0].Line))
            {
                Assert.True(partialSkips.Contains(skip), $"{name}: skip {skip} missing");
            }
        }
    }

    private static string First(List<LogEntry> expected, List<LogEntry> actual)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? Describe(expected[i]) : "(none)";
            var a = i < actual.Count ? Describe(actual[i]) : "(none)";
            if (e != a)
            {
                return $"{expected.Count} expected, {actual.Count} read; first difference at {i}:\n  expected {e}\n  actual   {a}";
            }
        }

        return "same";
    }

    private static string Describe(LogEntry e) =>
        string.Join("|", e.TimeUtc?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-", e.Severity, e.Component, e.Thread, e.Message, e.Line, e.Format, e.Kind, e.Cause)
        + "|" + string.Join(";", e.Fields.Select(f => f.Key + "=" + f.Value));

    private static byte[] DamageText(byte[] original, Random random)
    {
        var encoding = original.Length >= 2 && original[0] == 0xFF && original[1] == 0xFE ? Encoding.Unicode : Encoding.UTF8;
        var text = encoding.GetString(original);
        var damaged = TextMutator.Mutate(text, random, Noise, maxEdits: 4, maxRun: 60);
        return encoding.GetBytes(damaged);
    }

    /// <summary>Raw byte edits: cuts, copies and stray bytes (line breaks, NUL, invalid UTF-8) anywhere, an odd count included.</summary>
    private static byte[] DamageBytes(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (var edits = random.Next(1, 5); edits > 0 && bytes.Count > 8; edits--)
        {
            var at = random.Next(2, bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)));
                    break;
                case 1:
                    var run = bytes.GetRange(at, Math.Min(bytes.Count - at, random.Next(1, 200)));
                    bytes.InsertRange(random.Next(2, bytes.Count), run);
                    break;
                default:
                    var stray = new byte[] { 0x0A, 0x0D, 0x00, 0xC3, 0xE2, 0x82, 0xFF, (byte)'<', (byte)'#' };
                    bytes.Insert(at, stray[random.Next(stray.Length)]);
                    break;
            }
        }

        return bytes.ToArray();
    }

    /// <summary>Generated records with rising times in each format, multi-line where the format allows it.</summary>
    internal static string Generate(string name, int records, int startMinute = 0)
    {
        var text = new StringBuilder();
        var time = new DateTime(2026, 11, 10, 0, 0, 0, DateTimeKind.Utc).AddMinutes(startMinute);
        var ic = CultureInfo.InvariantCulture;
        if (name.StartsWith("events", StringComparison.Ordinal))
        {
            text.Append("<Events>\r\n");
        }

        for (var n = 0; n < records; n++)
        {
            time = time.AddSeconds(7);
            var local = time.AddMinutes(-300);
            if (name.StartsWith("cmtrace", StringComparison.Ordinal))
            {
                var message = n % 5 == 0 ? $"Sync failed: UssCommunicationError: WebException: The request failed with HTTP status 503: Service Unavailable.\r\n   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName) {n}" : $"Synchronizing update {n} of {records}";
                text.Append(ic, $"<![LOG[{message}]LOG]!><time=\"{local:H:mm:ss.fff}+300\" date=\"{local:M-d-yyyy}\" component=\"SMS_WSUS_SYNC_MANAGER\" context=\"\" type=\"{(n % 5 == 0 ? 3 : 1)}\" thread=\"4840\" file=\"wsyncmgr.cpp:{n % 900}\">\r\n");
            }
            else if (name.StartsWith("simple", StringComparison.Ordinal))
            {
                text.Append(ic, $"Synchronizing update {n}, {(n % 7 == 0 ? "Sync failed: WebException 503~~second line" : "ok")}  $$<SMS_WSUS_SYNC_MANAGER><{local:MM-dd-yyyy HH:mm:ss.fff}+300><thread=4840 (0x12E8)>\r\n");
            }
            else if (name.StartsWith("SoftwareDistribution", StringComparison.Ordinal))
            {
                text.Append(ic, $"{time:yyyy-MM-dd HH:mm:ss.fff} UTC\t{(n % 4 == 0 ? "Error" : "Info")}\tWsusService.{n % 40}\tCatalogSyncAgentCore.ExecuteSyncProtocol\t{(n % 4 == 0 ? "System.Net.WebException: The operation has timed out" : $"Processing batch {n}")}\r\n");
                if (n % 4 == 0)
                {
                    text.Append("   at System.Web.Services.Protocols.WebClientProtocol.GetWebResponse(WebRequest request)\r\n   at Microsoft.UpdateServices.ServerSync.ServerSyncLib.InternetGetServerConfigData()\r\n");
                }
            }
            else if (name.StartsWith("httperr", StringComparison.Ordinal))
            {
                if (n % 4000 == 0)
                {
                    text.Append("#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: 2026-11-10 00:00:00\r\n#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\r\n");
                }

                text.Append(ic, $"{time:yyyy-MM-dd HH:mm:ss} 10.0.{n % 200}.{n % 250} {50000 + (n % 15000)} 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx {(n % 3 == 0 ? "503 1 AppOffline WsusPool" : "- 1 Connection_Abandoned_By_AppPool WsusPool")}\r\n");
            }
            else
            {
                text.Append(ic, $"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\r\n  <System><Provider Name=\"Microsoft-Windows-WAS\" /><EventID Qualifiers=\"32768\">{(n % 2 == 0 ? 5117 : 5002)}</EventID><Level>3</Level>\r\n  <TimeCreated SystemTime=\"{time:yyyy-MM-ddTHH:mm:ss.fff}0000Z\" /><EventRecordID>{n}</EventRecordID><Channel>System</Channel><Computer>CM01</Computer></System>\r\n  <EventData><Data Name=\"AppPoolID\">WsusPool</Data><Data Name=\"ProcessID\">{4000 + n}</Data></EventData>\r\n</Event>\r\n");
            }
        }

        if (name.StartsWith("events", StringComparison.Ordinal))
        {
            text.Append("</Events>\r\n");
        }

        return text.ToString();
    }
}
