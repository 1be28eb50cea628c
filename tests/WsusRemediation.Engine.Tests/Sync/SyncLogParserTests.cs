using System;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Sync;

public class SyncLogParserTests
{
    private static DateTime Utc(int day, int hour, int minute, int second, int ms = 0) => new(2026, 11, day, hour, minute, second, ms, DateTimeKind.Utc);

    private static System.Collections.Generic.IReadOnlyList<SyncLogEvent> Events(params string[] fixtures) =>
        new SyncLogFiles(fixtures.Select(f => TempFolder.Fixture("Sync/" + f))).ReadEvents(CancellationToken.None);

    [Fact]
    public void Simple_format_times_are_local_plus_the_bias_in_minutes()
    {
        var first = Events("wsyncmgr.cancelled-streak.log").First();
        Assert.Equal(SyncLogEventKind.Started, first.Kind);
        Assert.Equal(Utc(9, 3, 0, 1, 433), first.Time);
        Assert.Equal(DateTimeKind.Utc, first.Time.Kind);
        Assert.EndsWith("wsyncmgr.cancelled-streak.log:2", first.Location);
    }

    [Fact]
    public void Wsyncmgr_lines_are_classified_and_the_success_line_with_canceled_in_it_is_a_success()
    {
        var events = Events("wsyncmgr.cancelled-streak.log");
        var success = events.Single(e => e.Message.StartsWith("Sync succeeded", StringComparison.Ordinal));
        Assert.Equal(SyncLogEventKind.Succeeded, success.Kind);
        var failures = events.Where(e => e.Kind == SyncLogEventKind.Failed).ToList();
        Assert.Equal(9, failures.Count); // per run: "Sync failed: …", STATMSG 6703, "Sync failed. Will retry…"
        var detailed = failures.First(e => e.Error is not null);
        Assert.Equal("UssCommunicationError", detailed.Error);
        Assert.Contains("HTTP status 503", detailed.Message);
        Assert.Contains("\nat System.Web.Services", detailed.Message); // ~~ is a newline in the simple format
        Assert.Equal("CM01.CONTOSO.COM", events.First(e => e.ComputerName is not null).ComputerName);
    }

    [Fact]
    public void Progress_lines_give_items_and_percentage()
    {
        var progress = Events("wsyncmgr.running.cmtrace.log").Last(e => e.Kind == SyncLogEventKind.Progress);
        Assert.Equal(4936, progress.ProcessedItems);
        Assert.Equal(9873, progress.TotalItems);
        Assert.Equal(49, progress.Percent);
        Assert.Equal("Synchronizing WSUS server (updates)", progress.Phase);
        Assert.Equal(Utc(10, 8, 7, 40, 931), progress.Time);
    }

    [Fact]
    public void CMTrace_records_with_unpadded_dates_and_line_breaks_are_read()
    {
        var events = Events("wsyncmgr.success.cmtrace.log");
        Assert.Equal(Utc(9, 3, 0, 0, 517), events.First(e => e.Kind == SyncLogEventKind.Started).Time);
        Assert.Equal(SyncLogEventKind.Succeeded, events.Single(e => e.Kind == SyncLogEventKind.Succeeded).Kind);
        Assert.Equal(SyncLogEventKind.Finished, events.Last().Kind);
    }

    [Fact]
    public void SoftwareDistribution_events_381_to_387_are_read_and_stack_traces_skipped()
    {
        var events = Events("SoftwareDistribution.log");
        Assert.All(events, e => Assert.Equal(SyncLogKind.SoftwareDistribution, e.Log));
        Assert.Equal(4, events.Count(e => e.Kind == SyncLogEventKind.Started && e.StartedManually == true));
        Assert.Single(events, e => e.Kind == SyncLogEventKind.Succeeded);
        Assert.Equal(3, events.Count(e => e.Kind == SyncLogEventKind.Cancelled));
        Assert.Equal(Utc(9, 8, 6, 45, 18), events.First(e => e.Kind == SyncLogEventKind.Cancelled).Time);
    }

    [Theory]
    [InlineData("Sync failed: WSUS server not configured. Please refer to WCM.log for configuration error details. Source: CWSyncMgr::DoSync", SyncLogEventKind.Failed, null)]
    [InlineData("Sync Failed: USSCommunicationError: WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel", SyncLogEventKind.Failed, "USSCommunicationError")]
    [InlineData("Sync failed: The operation has timed out. Source: Microsoft.UpdateServices.Internal.DatabaseAccess.ApiRemotingCompressionProxy.GetWebResponse", SyncLogEventKind.Failed, null)]
    [InlineData("Sync failed: WSUS synchronization was canceled. Source: CWSyncMgr::DoSync", SyncLogEventKind.Cancelled, null)]
    public void Failure_lines_from_the_field_are_failures(string message, SyncLogEventKind kind, string? error)
    {
        var e = Assert.Single(SyncLogParser.Parse($"{message}  $$<SMS_WSUS_SYNC_MANAGER><11-09-2026 03:06:52.441-060><thread=5012 (0x1394)>", "x"));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(error, e.Error);
        Assert.Equal(Utc(9, 2, 6, 52, 441), e.Time); // negative bias: east of UTC
    }

    [Theory]
    [InlineData("sync: WSUS synchronizing updates, processed 123456789012345678901234 out of 5 items", null, 5L, null)]
    [InlineData("sync: WSUS synchronizing updates, processed 10 out of 20 items (250%)", 10L, 20L, 100)]
    [InlineData("sync: WSUS synchronizing updates, processed 10 out of 20 items (99999999999%)", 10L, 20L, 100)]
    public void Damaged_progress_numbers_neither_throw_nor_exceed_100_percent(string message, long? done, long? total, int? percent)
    {
        var e = Assert.Single(SyncLogParser.Parse($"{message}  $$<SMS_WSUS_SYNC_MANAGER><11-09-2026 03:06:52.441-060><thread=5012 (0x1394)>", "x"));
        Assert.Equal(SyncLogEventKind.Progress, e.Kind);
        Assert.Equal(done, e.ProcessedItems);
        Assert.Equal(total, e.TotalItems);
        Assert.Equal(percent, e.Percent);
    }

    [Fact]
    public void A_folder_is_searched_for_sync_logs_including_rolled_over_ones()
    {
        using var folder = new TempFolder();
        var logs = Directory.CreateDirectory(Path.Combine(folder.Path, "Logs")).FullName;
        File.Copy(TempFolder.Fixture("Sync/wsyncmgr.cancelled-streak.log"), Path.Combine(logs, "wsyncmgr.lo_"));
        File.Copy(TempFolder.Fixture("Sync/SoftwareDistribution.log"), Path.Combine(folder.Path, "SoftwareDistribution.log"));
        File.WriteAllText(Path.Combine(logs, "WCM.log"), "not a sync log");
        var source = new SyncLogFiles(new[] { folder.Path });
        Assert.Equal(2, source.Paths.Count);
        Assert.NotEmpty(source.ReadEvents(CancellationToken.None));
    }

    [Fact]
    public void Missing_paths_and_empty_folders_are_clear_errors()
    {
        var missing = Assert.Throws<WsusRemediationException>(() => new SyncLogFiles(new[] { "/no/such/wsyncmgr.log" }));
        Assert.Equal("LogFileNotFound", missing.ErrorId);
        using var folder = new TempFolder();
        var empty = Assert.Throws<WsusRemediationException>(() => new SyncLogFiles(new[] { folder.Path }));
        Assert.Equal("SyncLogNotFound", empty.ErrorId);
        Assert.Equal(EngineErrorKind.ObjectNotFound, empty.Kind);
    }

    [Fact]
    public void Each_path_can_be_checked_on_its_own_before_the_set_is_read()
    {
        using var folder = new TempFolder();
        File.Copy(TempFolder.Fixture("Sync/SoftwareDistribution.log"), Path.Combine(folder.Path, "SoftwareDistribution.log"));
        File.WriteAllText(Path.Combine(folder.Path, "WCM.log"), "not a sync log");

        Assert.Equal(new[] { Path.Combine(folder.Path, "SoftwareDistribution.log") }, SyncLogFiles.FilesIn(folder.Path));
        Assert.Equal("LogFileNotFound", Assert.Throws<WsusRemediationException>(() => SyncLogFiles.FilesIn(Path.Combine(folder.Path, "nope.log"))).ErrorId);
        using var empty = new TempFolder();
        Assert.Empty(SyncLogFiles.FilesIn(empty.Path));
    }
}
