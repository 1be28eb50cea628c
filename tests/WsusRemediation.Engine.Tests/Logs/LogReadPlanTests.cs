using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>The reading plan (which files, groups, order, tail) and the timeline merge, without PowerShell.</summary>
public sealed class LogReadPlanTests
{
    private static string Evidence(string scenario) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evidence", scenario);

    private static long Key(LogEntry entry) => entry.TimeUtc?.UtcTicks ?? long.MinValue;

    private static LogEntry Entry(string file, long line, DateTimeOffset? time) =>
        new(time, LogSeverity.Information, "C", "1", $"{file}:{line}", file, line, LogFormat.SmsSimple);

    private static DateTimeOffset At(int minute) => new(2026, 11, 13, 10, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Plan_groups_each_log_with_its_rollover_first_and_reports_files_it_cannot_read()
    {
        using var temp = LogFixtures.Temp();
        File.Copy(Path.Combine(Evidence("GuideCase"), "wsyncmgr.lo_"), temp.File("wsyncmgr.lo_"));
        File.Copy(Path.Combine(Evidence("GuideCase"), "wsyncmgr.log"), temp.File("wsyncmgr.log"));
        File.Copy(Path.Combine(Evidence("GuideCase"), "httperr1.log"), temp.File("httperr1.log"));
        File.WriteAllText(temp.File("notes.log"), "collected from CM01 on Friday\r\n");
        var problems = new List<WsusRemediationException>();

        // Naming only wsyncmgr.log brings its rollover; the folder finds the others.
        var plan = LogReadPlan.ForPaths(new[] { temp.File("wsyncmgr.log"), temp.Folder }, null, problems.Add);

        Assert.Equal(new[] { "httperr1", "wsyncmgr" }, plan.Groups.Select(g => Path.GetFileName(g.Name)));
        Assert.Equal(new[] { "wsyncmgr.lo_", "wsyncmgr.log" }, plan.Groups[1].Files.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(new[] { LogFormat.SmsSimple, LogFormat.SmsSimple }, plan.Groups[1].Files.Select(f => f.Format));
        Assert.Equal(LogFormat.HttpErr, plan.Groups[0].Files[0].Format);
        var problem = Assert.Single(problems);
        Assert.Equal("LogFormatNotRecognized", problem.ErrorId);
        Assert.Equal(temp.File("notes.log"), problem.Target);
    }

    [Fact]
    public void Plan_without_a_problem_handler_throws_the_first_problem()
    {
        var ex = Assert.Throws<WsusRemediationException>(() => LogReadPlan.ForPaths(new[] { Path.Combine(Evidence("GuideCase"), "no-such.log") }));
        Assert.Equal("LogFileNotFound", ex.ErrorId);
    }

    [Fact]
    public void Time_order_is_one_timeline_with_every_entry_of_file_order()
    {
        var timeline = LogReadPlan.ForPaths(new[] { Evidence("GuideCase") }, new LogReadOptions { Order = LogOrder.File }).Read(new LogReadSummary()).ToList();
        var merged = LogReadPlan.ForPaths(new[] { Evidence("GuideCase") }, new LogReadOptions { Order = LogOrder.Time }).Read(new LogReadSummary()).ToList();

        Assert.Equal(timeline.Count, merged.Count);
        Assert.Equal(timeline.Select(e => (e.File, e.Line)).OrderBy(k => k), merged.Select(e => (e.File, e.Line)).OrderBy(k => k));

        // The fixture's logs interleave: file order is not time order, the timeline is.
        Assert.Contains(Enumerable.Range(1, timeline.Count - 1), i => Key(timeline[i]) < Key(timeline[i - 1]));
        Assert.All(Enumerable.Range(1, merged.Count - 1), i => Assert.True(Key(merged[i]) >= Key(merged[i - 1]), $"{merged[i].File}:{merged[i].Line}"));

        // Each log keeps its own order inside the timeline.
        foreach (var file in merged.Select(e => e.File).Distinct())
        {
            Assert.Equal(timeline.Where(e => e.File == file).Select(e => e.Line), merged.Where(e => e.File == file).Select(e => e.Line));
        }

        Assert.Equal(7, merged.Select(e => e.File).Distinct().Count(f => !f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void File_order_reads_log_after_log()
    {
        var entries = LogReadPlan.ForPaths(new[] { Evidence("GuideCase") }, new LogReadOptions { Order = LogOrder.File }).Read(new LogReadSummary()).ToList();
        var files = new List<string>();
        foreach (var entry in entries)
        {
            if (files.Count == 0 || files[files.Count - 1] != entry.File)
            {
                files.Add(entry.File);
            }
        }

        Assert.Equal(files.Distinct().Count(), files.Count);
        Assert.Equal(
            new[] { "Application.xml", "events.xml", "httperr1.log", "httperr2.log", "SoftwareDistribution.log", "WCM.log", "WSUSCtrl.log", "wsyncmgr.lo_", "wsyncmgr.log" },
            files.Select(Path.GetFileName));
    }

    [Fact]
    public void Tail_is_per_log_in_both_orders()
    {
        var all = LogReadPlan.ForPaths(new[] { Evidence("GuideCase") }, new LogReadOptions { Order = LogOrder.File }).Read(new LogReadSummary()).ToList();
        var expected = all.GroupBy(e => EvidenceReader.RolloverGroup(e.File)).SelectMany(g => g.Skip(g.Count() - 2)).Select(e => (e.File, e.Line)).ToList();
        Assert.Equal(15, expected.Count);

        foreach (var order in new[] { LogOrder.Time, LogOrder.File })
        {
            var entries = LogReadPlan.ForPaths(new[] { Evidence("GuideCase") }, new LogReadOptions { Tail = 2, Order = order }).Read(new LogReadSummary()).ToList();
            Assert.Equal(expected.OrderBy(k => k), entries.Select(e => (e.File, e.Line)).OrderBy(k => k));
        }
    }

    [Fact]
    public void Merge_holds_one_entry_per_stream()
    {
        var pulled = new int[3];
        IEnumerable<LogEntry> Stream(int index, int offset)
        {
            for (var minute = offset; minute < 60; minute += 3)
            {
                pulled[index]++;
                yield return Entry("s" + index, minute, At(minute));
            }
        }

        var merged = LogTimeline.Merge(new[] { Stream(0, 0), Stream(1, 1), Stream(2, 2) });
        var taken = 0;
        foreach (var entry in merged)
        {
            Assert.Equal(taken, (int)entry.Line);
            taken++;

            // Only the next entry of each stream is read ahead.
            Assert.True(pulled.Sum() <= taken + 3, $"{pulled.Sum()} read for {taken} returned");
            if (taken == 30)
            {
                break;
            }
        }

        Assert.Equal(30, taken);
    }

    [Fact]
    public void Entries_without_a_time_follow_the_entry_before_them_in_their_own_log()
    {
        var a = new[] { Entry("a", 1, null), Entry("a", 2, At(5)), Entry("a", 3, null), Entry("a", 4, At(20)) };
        var b = new[] { Entry("b", 1, At(1)), Entry("b", 2, At(5)), Entry("b", 3, At(10)), Entry("b", 4, null) };

        var merged = LogTimeline.Merge(new IEnumerable<LogEntry>[] { a, b }).Select(e => e.Message).ToList();

        // a:1 has nothing before it (start of time); a:3 stays after a:2; equal times keep stream order (a before b); b:4 stays after b:3.
        Assert.Equal(new[] { "a:1", "b:1", "a:2", "a:3", "b:2", "b:3", "b:4", "a:4" }, merged);
    }

    [Fact]
    public void A_log_that_fails_while_read_is_reported_and_the_others_go_on()
    {
        using var temp = LogFixtures.Temp();
        File.Copy(Path.Combine(Evidence("GuideCase"), "WCM.log"), temp.File("WCM.log"));
        File.Copy(Path.Combine(Evidence("GuideCase"), "wsyncmgr.log"), temp.File("wsyncmgr.log"));
        var plan = LogReadPlan.ForPaths(new[] { temp.Folder });

        // The log disappears between planning and reading (rolled over and cleaned up on a live server).
        File.Delete(temp.File("WCM.log"));
        var problems = new List<WsusRemediationException>();
        var entries = plan.Read(new LogReadSummary(), problems.Add).ToList();

        var problem = Assert.Single(problems);
        Assert.Equal("LogFileUnreadable", problem.ErrorId);
        Assert.Contains("WCM.log", problem.Message);
        Assert.Equal(File.ReadAllLines(temp.File("wsyncmgr.log")).Length, entries.Count);
    }

    [Fact]
    public void Events_from_each_channel_join_the_timeline()
    {
        var source = new FakeEventLog();
        var since = new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero);
        var plan = LogReadPlan.ForPaths(new[] { Path.Combine(Evidence("GuideCase"), "wsyncmgr.log") }, new LogReadOptions { Filter = new LogFilter { Since = since } });

        var entries = plan.Read(new LogReadSummary(), null, source).ToList();

        Assert.Equal(new[] { "Application", "System" }, source.Channels.OrderBy(c => c, StringComparer.Ordinal));
        Assert.Contains(entries, e => e.File == "EventLog:System");
        Assert.Contains(entries, e => e.File == "EventLog:Application");
        Assert.All(Enumerable.Range(1, entries.Count - 1), i => Assert.True(Key(entries[i]) >= Key(entries[i - 1])));
        Assert.All(entries, e => Assert.True(e.TimeUtc >= since));
    }

    /// <summary>Serves the GuideCase's exported events by channel, as the live event log would (oldest first).</summary>
    private sealed class FakeEventLog : IEventLogSource
    {
        public List<string> Channels { get; } = new();

        public IEnumerable<string> Query(string channel, string xpath, System.Threading.CancellationToken cancellationToken)
        {
            Channels.Add(channel);
            var file = channel == "System" ? "events.xml" : "Application.xml";
            var text = File.ReadAllText(Path.Combine(Evidence("GuideCase"), file), Encoding.UTF8);
            for (var at = text.IndexOf("<Event ", StringComparison.Ordinal); at >= 0; at = text.IndexOf("<Event ", at + 1, StringComparison.Ordinal))
            {
                var end = text.IndexOf("</Event>", at, StringComparison.Ordinal) + "</Event>".Length;
                yield return text.Substring(at, end - at);
            }
        }
    }
}
