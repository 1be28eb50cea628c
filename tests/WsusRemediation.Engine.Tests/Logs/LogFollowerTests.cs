using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

public class LogFollowerTests
{
    private static string Line(int n, int second) =>
        $"line {n}  $$<SMS_WSUS_SYNC_MANAGER><11-10-2026 08:00:{second:00}.000+300><thread=4840 (0x12E8)>";

    [Fact]
    public void Follows_appended_lines_waits_for_partial_ones_and_ends_on_timeout()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("wsyncmgr.log");
        File.WriteAllText(path, Line(1, 1) + "\r\n" + Line(2, 2) + "\r\n");
        var clock = new VirtualClock();
        var start = clock.UtcNow;
        clock.Schedule(TimeSpan.FromSeconds(2.5), () => File.AppendAllText(path, Line(3, 3) + "\r\n"));
        clock.Schedule(TimeSpan.FromSeconds(4.5), () => File.AppendAllText(path, "line 4  $$<SMS_WSUS_SYNC_MAN"));
        clock.Schedule(TimeSpan.FromSeconds(6.5), () => File.AppendAllText(path, "AGER><11-10-2026 08:00:04.000+300><thread=4840 (0x12E8)>\r\n"));

        var seen = LogFollower.Follow(new[] { path }, null, 0, clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), CancellationToken.None)
            .Select(e => (e.Message, e.Line, At: clock.UtcNow - start))
            .ToList();

        Assert.Equal(new[] { "line 1", "line 2", "line 3", "line 4" }, seen.Select(s => s.Message));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, seen.Select(s => s.Line));
        Assert.Equal(TimeSpan.FromSeconds(3), seen[2].At);
        Assert.Equal(TimeSpan.FromSeconds(7), seen[3].At);
        Assert.Equal(TimeSpan.FromSeconds(10), clock.UtcNow - start);
    }

    [Fact]
    public void Tail_then_follow_and_a_rolled_file_is_read_from_the_start()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("WCM.log");
        File.WriteAllLines(path, Enumerable.Range(1, 5).Select(i => Line(i, i)));
        var clock = new VirtualClock();
        clock.Schedule(TimeSpan.FromSeconds(1.5), () =>
        {
            File.Move(path, temp.File("WCM.lo_"));
            File.WriteAllText(path, Line(6, 6) + "\n");
        });

        var messages = LogFollower.Follow(new[] { path }, null, 2, clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), CancellationToken.None)
            .Select(e => e.Message).ToList();

        Assert.Equal(new[] { "line 4", "line 5", "line 6" }, messages);
    }

    [Fact]
    public void Tail_counts_a_log_and_its_rollover_as_one_log_when_following()
    {
        // Get-WsusSyncLog -Path wsyncmgr.log -Tail N -Wait: before, the .lo_ gave its own last N entries on top of the .log's.
        using var temp = LogFixtures.Temp();
        File.WriteAllLines(temp.File("wsyncmgr.lo_"), Enumerable.Range(1, 4).Select(i => Line(i, i)));
        var log = temp.File("wsyncmgr.log");
        File.WriteAllLines(log, Enumerable.Range(5, 2).Select(i => Line(i, i)));
        var files = new[] { temp.File("wsyncmgr.lo_"), log };

        string[] Follow(int tail) => LogFollower.Follow(files, null, tail, new VirtualClock(), TimeSpan.FromSeconds(1), TimeSpan.Zero, CancellationToken.None)
            .Select(e => e.Message).ToArray();

        Assert.Equal(new[] { "line 6" }, Follow(1));
        Assert.Equal(new[] { "line 3", "line 4", "line 5", "line 6" }, Follow(4));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"line {i}"), Follow(10));
    }

    [Fact]
    public void A_log_locked_or_missing_for_a_moment_is_tried_again_at_the_next_poll()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("wsyncmgr.log");
        File.WriteAllText(path, Line(1, 1) + "\r\n");
        var clock = new VirtualClock();
        FileStream? held = null;
        clock.Schedule(TimeSpan.FromSeconds(1.5), () => held = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None));
        clock.Schedule(TimeSpan.FromSeconds(2.5), () =>
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(Line(2, 2) + "\r\n");
            held!.Write(bytes, 0, bytes.Length);
            held.Dispose();
            File.Move(path, temp.File("wsyncmgr.lo_"));
        });
        clock.Schedule(TimeSpan.FromSeconds(4.5), () => File.WriteAllText(path, Line(3, 3) + "\r\n"));

        var messages = LogFollower.Follow(new[] { path }, null, 0, clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6), CancellationToken.None)
            .Select(e => e.Message).ToList();

        // Line 2 went into the rolled-over file while the log was locked and then missing; the follow goes on.
        Assert.Equal(new[] { "line 1", "line 3" }, messages);
    }

    [Fact]
    public void Multiline_record_is_completed_on_a_quiet_poll()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("SoftwareDistribution.log");
        File.WriteAllText(path, "2026-11-10 13:00:00.000 UTC\tInfo\tWsusService.15\tA.B\tfirst\n");
        var clock = new VirtualClock();
        var start = clock.UtcNow;
        clock.Schedule(TimeSpan.FromSeconds(0.5), () => File.AppendAllText(path, "2026-11-10 13:00:01.000 UTC\tError\tWsusService.15\tA.B\tboom\n   at X.Y()\n"));

        var entries = LogFollower.Follow(new[] { path }, new LogFilter { Severity = new[] { LogSeverity.Error } }, 0, clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), CancellationToken.None)
            .Select(e => (e.Message, At: clock.UtcNow - start)).ToList();

        var error = Assert.Single(entries);
        Assert.Equal("boom\n   at X.Y()", error.Message);
        // Read at the poll after the append (1 s), handed on at the next, quiet poll (2 s).
        Assert.Equal(TimeSpan.FromSeconds(2), error.At);
    }

    [Fact]
    public void Cancellation_stops_the_follow_promptly()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("wsyncmgr.log");
        File.WriteAllText(path, Line(1, 1) + "\n");
        var clock = new VirtualClock();
        using var cts = new CancellationTokenSource();
        var delays = 0;
        clock.OnDelay = _ =>
        {
            if (++delays == 3)
            {
                cts.Cancel();
            }
        };

        var read = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var unused in LogFollower.Follow(new[] { path }, null, 0, clock, TimeSpan.FromSeconds(2), TimeSpan.FromHours(2), cts.Token))
            {
                read++;
            }
        });
        Assert.Equal(1, read);
        Assert.True(clock.TotalDelayed <= TimeSpan.FromSeconds(4));
    }

    [Theory]
    [InlineData("cmtrace.log", "utf-8")]
    [InlineData("simple.log", "utf-8")]
    [InlineData("SoftwareDistribution.log", "utf-8")]
    [InlineData("httperr1.log", "utf-8")]
    [InlineData("cmtrace-utf16.log", "utf-16")]
    public void Wait_with_Tail_reads_a_large_log_from_its_end_then_follows_it(string name, string encodingName)
    {
        // Damaged lines near the top: a read of the whole file would skip them and say so; a read from the end never sees them.
        var lines = PartialReadTests.Generate(name, 6001).Split("\r\n").ToList();
        for (var i = 10; i < 20; i++)
        {
            lines[i] = "2026-11-99 99:99:99.999 UTC Error damaged line " + i;
        }

        var body = string.Join("\r\n", lines);
        var appended = PartialReadTests.Generate(name, 6003).Substring(PartialReadTests.Generate(name, 6001).Length);
        var half = appended.Length / 4;
        var encoding = Encoding.GetEncoding(encodingName);

        using var temp = LogFixtures.Temp();
        var path = temp.File(name);

        // What a whole read gives, for the expected entries: the file as it is at the first poll (its last line not yet
        // complete, so left out) and as it is once both appended records are complete.
        File.WriteAllText(path, body, encoding);
        var fullSummary = new LogReadSummary();
        var before = EvidenceReader.ReadFile(path, fullSummary).ToList();
        Assert.True(fullSummary.SkippedCount > 0);
        File.WriteAllText(path, body + appended, encoding);
        var after = EvidenceReader.ReadFile(path).ToList();

        File.WriteAllText(path, body + appended.Substring(0, half), encoding);
        Assert.True(new FileInfo(path).Length > 2 * PartialLogReader.DefaultWholeFileBelow);
        var clock = new VirtualClock();
        clock.Schedule(TimeSpan.FromSeconds(1.5), () =>
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            var rest = encoding.GetBytes(appended.Substring(half));
            stream.Write(rest, 0, rest.Length);
        });

        var summary = new LogReadSummary();
        var seen = LogFollower.Follow(new[] { path }, null, 5, clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), CancellationToken.None, summary).ToList();

        var expected = before.Skip(before.Count - 5).Concat(after.Skip(after.Count - 2)).Select(Describe).ToList();
        Assert.Equal(expected, seen.Select(Describe).ToList());
        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(7, summary.EntriesReturned);
        Assert.Equal(path, Assert.Single(summary.Files));
    }

    private static string Describe(LogEntry e) => $"{e.Line} {e.TimeUtc:O} {e.Severity} {e.Component} {e.Kind} {e.Message}";
}
