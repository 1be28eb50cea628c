using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// A log with no text yet: zero bytes (a log started after its rollover, or copied while empty) or only the NUL
/// bytes an unflushed file holds after a power loss. It has no records; that is not "not a MECM log".
/// </summary>
public sealed class BlankLogTests
{
    private static string Evidence(params string[] parts) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evidence", Path.Combine(parts));

    // The site server's logs as collected right after wsyncmgr.log rolled over: the history in wsyncmgr.lo_, a new empty wsyncmgr.log.
    private static LogFixtures.TempFolder RolledOver(byte[] newLog)
    {
        var temp = LogFixtures.Temp();
        File.Copy(Evidence("LocalizedCase", "wsyncmgr.log"), temp.File("wsyncmgr.lo_"));
        File.WriteAllBytes(temp.File("wsyncmgr.log"), newLog);
        return temp;
    }

    public static IEnumerable<object[]> BlankContents() => new[]
    {
        new object[] { "zero bytes", Array.Empty<byte>() },
        new object[] { "a UTF-8 BOM", new byte[] { 0xEF, 0xBB, 0xBF } },
        new object[] { "NUL bytes", new byte[4096] },
    };

    [Theory]
    [MemberData(nameof(BlankContents))]
    public void The_sync_status_of_a_log_just_rolled_over_comes_from_its_lo_(string what, byte[] content)
    {
        using var temp = RolledOver(content);

        // Before: LogFormatNotRecognized for the new wsyncmgr.log, and no status at all.
        var events = new SyncLogFiles(new[] { temp.File("wsyncmgr.log") }).ReadEvents(CancellationToken.None);

        Assert.True(events.Count > 0, what);
        Assert.Equal(SyncLogEventKind.Failed, events.Last(e => e.Kind is SyncLogEventKind.Failed or SyncLogEventKind.Succeeded).Kind);
    }

    [Theory]
    [MemberData(nameof(BlankContents))]
    public void A_blank_log_is_read_as_no_records_and_no_problem(string what, byte[] content)
    {
        using var temp = RolledOver(content);
        File.WriteAllText(temp.File("notes.log"), "collected from CM03 on Monday\r\n");
        var problems = new List<WsusRemediationException>();

        var plan = LogReadPlan.ForPaths(new[] { temp.Folder }, null, problems.Add);

        Assert.Empty(EvidenceReader.ReadFile(temp.File("wsyncmgr.log")));
        Assert.Equal(new[] { "wsyncmgr.lo_" }, plan.Groups.SelectMany(g => g.Files).Select(f => Path.GetFileName(f.Path)));
        var problem = Assert.Single(problems);
        Assert.Equal(temp.File("notes.log"), problem.Target);
        Assert.Equal("LogFormatNotRecognized", problem.ErrorId);
        Assert.NotNull(what);
    }

    [Fact]
    public void A_blank_log_followed_with_Wait_is_read_once_its_first_lines_arrive()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("wsyncmgr.log");
        File.WriteAllBytes(path, Array.Empty<byte>());
        var clock = new VirtualClock();
        var line = File.ReadLines(Evidence("LocalizedCase", "wsyncmgr.log")).First();
        clock.Schedule(TimeSpan.FromSeconds(1.5), () => File.AppendAllText(path, line + "\r\n"));
        var problems = new List<WsusRemediationException>();

        var plan = LogReadPlan.ForPaths(new[] { path }, new LogReadOptions { Follow = true, PollInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(3) }, problems.Add);
        var entries = plan.Read(new LogReadSummary(), problems.Add, clock: clock).ToList();

        Assert.Empty(problems);
        Assert.Equal("Wakeup for scheduled regular sync", Assert.Single(entries).Message);
    }
}
