using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Evidence;

/// <summary>
/// What an administrator sees when the cmdlets read a whole collected evidence folder
/// (Fixtures/Evidence/README.md tells the story): the same engine calls Get-WsusSyncStatus -LogPath,
/// Get-WsusSyncLog -Path and Get-WsusPoolTuning -ConfigurationPath make.
/// </summary>
public sealed class EvidenceFolderTests
{
    private const string GuideCase = "GuideCase";
    private const string HealthyAfterFix = "HealthyAfterFix";

    // The evidence was collected half an hour after the last line of the guide's case.
    private static readonly DateTimeOffset CollectedAt = new(2026, 11, 13, 14, 45, 0, TimeSpan.Zero);

    private static string Folder(string scenario) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evidence", scenario);

    private static DateTime Utc(int month, int day, int hour, int minute, int second, int millisecond) =>
        new(2026, month, day, hour, minute, second, millisecond, DateTimeKind.Utc);

    // Get-WsusSyncStatus -LogPath <folder>: EndProcessing.
    private static WsusSyncStatus SyncStatus(string scenario, DateTimeOffset? now = null) =>
        SyncSources.Offline(new[] { Folder(scenario) }, new VirtualClock(now ?? CollectedAt)).Read(SyncSource.Log, null, CancellationToken.None);

    // Get-WsusSyncLog -Path <folder>: the engine's reading plan, as the cmdlet calls it (one timeline by default).
    private static List<LogEntry> SyncLog(string scenario, LogFilter? filter = null, int tail = 0, LogOrder order = LogOrder.Time)
    {
        var plan = LogReadPlan.ForPaths(new[] { Folder(scenario) }, new LogReadOptions { Filter = filter, Tail = tail, Order = order }, problem => Assert.Fail(problem.Message));
        var summary = new LogReadSummary();
        var entries = plan.Read(summary, problem => Assert.Fail(problem.Message)).ToList();
        Assert.Equal(0, summary.SkippedCount);
        return entries;
    }

    private static string Name(LogEntry entry) => Path.GetFileName(entry.File);

    [Fact]
    public void GuideCase_status_is_the_failed_streak_with_utc_times()
    {
        var status = SyncStatus(GuideCase);

        Assert.Equal(new[] { "SoftwareDistribution.log", "wsyncmgr.lo_", "wsyncmgr.log" }, status.LogFiles.Select(Path.GetFileName));
        Assert.Equal(SyncSource.Log, status.Source);
        Assert.Equal("CM01.CONTOSO.COM", status.ComputerName);
        Assert.Equal(SyncState.Idle, status.State);
        Assert.Equal(SyncResult.Failed, status.LastResult);

        // 11-13 09:10 local at bias +300 is 14:10 UTC.
        Assert.Equal(Utc(11, 13, 14, 10, 29, 659), status.LastStartTime);
        Assert.Equal(Utc(11, 13, 14, 10, 31, 759), status.LastEndTime);
        Assert.Equal(DateTimeKind.Utc, status.LastEndTime!.Value.Kind);
        Assert.Equal("UssCommunicationError", status.LastError);
        Assert.StartsWith("Sync failed: UssCommunicationError: WebException: The request failed with HTTP status 503: Service Unavailable.", status.ErrorText);

        // The last success (11-12 01:00 local) is older than the 20 entries kept, and still known.
        Assert.Equal(Utc(11, 12, 6, 5, 0, 15), status.LastSuccessTime);

        Assert.Equal(SyncReasoning.DefaultHistoryCount, status.History.Count);
        Assert.All(status.History, e => Assert.Equal(SyncResult.Failed, e.Result));
        Assert.Equal(status.History.OrderByDescending(e => e.EndTime).ToList(), status.History);
        Assert.Equal(status.LastStartTime, status.History[0].StartTime);

        // Three runs WSUS started and cancelled, then 22 hourly retries against the disabled pool.
        Assert.Equal(25, status.CancelledOrFailedStreak);
        Assert.Equal(SyncHealth.Unhealthy, status.Health);
        // The reason is the error's first line: the wsyncmgr "~~" stack frames and "Sync failed:" (the verdict again) stay out.
        Assert.Equal("25 synchronizations in a row ended Cancelled or Failed: UssCommunicationError: WebException: The request failed with HTTP status 503: Service Unavailable.", status.HealthReason);
        Assert.Contains("\nat System.Web.Services.Protocols.SoapHttpClientProtocol", status.ErrorText);
    }

    [Fact]
    public void GuideCase_whole_history_merges_wsus_and_mecm_runs_across_the_rollover_and_dst()
    {
        var service = new SyncStatusService(new VirtualClock(CollectedAt), evidence: new SyncLogFiles(new[] { Folder(GuideCase) })) { HistoryCount = 1000 };
        var history = service.Read(SyncSource.Log, null, CancellationToken.None).History;

        // 63 "Starting Sync" lines (20 in wsyncmgr.lo_, 43 in wsyncmgr.log), one run cut by the rollover.
        Assert.Equal(63, history.Count);
        Assert.Equal(36, history.Count(e => e.Result == SyncResult.Succeeded));
        Assert.Equal(4, history.Count(e => e.Result == SyncResult.Cancelled));
        Assert.Equal(23, history.Count(e => e.Result == SyncResult.Failed));
        Assert.All(history, e => Assert.True(e.StartTime is not null && e.EndTime is not null && e.EndTime > e.StartTime, e.ToString()));

        // US daylight saving time ends on 11-01: 01:00 local is +240, 09:00 local is +300.
        Assert.Contains(history, e => e.StartTime == Utc(11, 1, 5, 0, 1, 31));
        Assert.Contains(history, e => e.StartTime == Utc(11, 1, 14, 0, 1, 31));

        // The 11-06 09:00 run that the rollover cut in two (wsyncmgr.lo_ ends in its updates phase) is one successful run.
        var split = Assert.Single(history, e => e.StartTime > Utc(11, 6, 14, 0, 0, 0) && e.StartTime < Utc(11, 6, 15, 0, 0, 0));
        Assert.Equal(SyncResult.Succeeded, split.Result);
        Assert.InRange(split.Duration!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));

        // WSUS logs every start MECM asks for as manual (382); wsyncmgr.log knows it was the schedule.
        var scheduled = history.Single(e => e.StartTime == Utc(11, 1, 14, 0, 1, 31));
        Assert.Equal(false, scheduled.StartedManually);

        // WSUS cancelled what MECM calls failed: the streak begins with three Cancelled runs.
        Assert.Equal(
            new[] { SyncResult.Cancelled, SyncResult.Cancelled, SyncResult.Cancelled, SyncResult.Succeeded },
            history.Where(e => e.StartTime <= Utc(11, 12, 16, 10, 0, 0)).Take(4).Select(e => e.Result));
        Assert.Equal(Utc(11, 12, 14, 0, 1, 31), history[24].StartTime);
    }

    [Fact]
    public void Naming_only_wsyncmgr_log_reads_and_lists_its_rollover_too()
    {
        var status = SyncSources.Offline(new[] { Path.Combine(Folder(GuideCase), "wsyncmgr.log") }, new VirtualClock(CollectedAt)).Read(SyncSource.Log, null, CancellationToken.None);

        Assert.Equal(new[] { "wsyncmgr.lo_", "wsyncmgr.log" }, status.LogFiles.Select(Path.GetFileName));
        Assert.Equal(Utc(11, 12, 6, 5, 0, 15), status.LastSuccessTime);

        // Without SoftwareDistribution.log nothing says WSUS cancelled the first three: MECM calls them failed.
        Assert.Equal(25, status.CancelledOrFailedStreak);
        Assert.StartsWith("25 synchronizations in a row ended Failed: ", status.HealthReason);
    }

    [Fact]
    public void HealthyAfterFix_read_a_week_later_keeps_the_verdict_of_the_day_it_was_collected()
    {
        // Collected logs are judged as of their newest entry, as the diagnosis measures its windows: what happened
        // after they were copied is not in them (this test used to expect "no success since 2026-11-13").
        var status = SyncStatus(HealthyAfterFix, now: CollectedAt.AddDays(8));

        Assert.Equal(SyncResult.Succeeded, status.LastResult);
        Assert.Equal(SyncHealth.Healthy, status.Health);
        Assert.Equal("The last synchronization succeeded at 2026-11-13 14:37:30Z.", status.HealthReason);
    }

    [Fact]
    public void HealthyAfterFix_status_is_healthy_with_the_manual_sync_last()
    {
        var status = SyncStatus(HealthyAfterFix);

        Assert.Equal(SyncResult.Succeeded, status.LastResult);
        Assert.Equal(Utc(11, 13, 14, 32, 31, 790), status.LastStartTime);
        Assert.Equal(Utc(11, 13, 14, 37, 30, 759), status.LastEndTime);
        Assert.Equal(status.LastEndTime, status.LastSuccessTime);
        Assert.Null(status.LastError);
        Assert.Null(status.ErrorText);
        Assert.Equal(0, status.CancelledOrFailedStreak);
        Assert.Equal(true, status.History[0].StartedManually);
        Assert.Equal(SyncResult.Failed, status.History[1].Result);
        Assert.Equal(SyncHealth.Healthy, status.Health);
        Assert.Equal("The last synchronization succeeded at 2026-11-13 14:37:30Z.", status.HealthReason);
    }

    [Fact]
    public void Sync_log_reads_the_rollover_first_without_duplicates()
    {
        var entries = SyncLog(GuideCase);
        var wsyncmgr = entries.Where(e => EvidenceReader.RolloverGroup(e.File) == "wsyncmgr").ToList();

        Assert.Equal(File.ReadAllLines(Path.Combine(Folder(GuideCase), "wsyncmgr.lo_")).Length + File.ReadAllLines(Path.Combine(Folder(GuideCase), "wsyncmgr.log")).Length, wsyncmgr.Count);
        Assert.Equal(wsyncmgr.Count, wsyncmgr.Select(e => (e.File, e.Line)).Distinct().Count());
        var firstLog = wsyncmgr.FindIndex(e => Name(e) == "wsyncmgr.log");
        Assert.All(wsyncmgr.Take(firstLog), e => Assert.Equal("wsyncmgr.lo_", Name(e)));
        Assert.All(wsyncmgr.Skip(firstLog), e => Assert.Equal("wsyncmgr.log", Name(e)));

        // Local time runs back an hour on 11-01; UTC never does.
        for (var i = 1; i < wsyncmgr.Count; i++)
        {
            Assert.True(wsyncmgr[i].TimeUtc >= wsyncmgr[i - 1].TimeUtc, $"{Name(wsyncmgr[i])}:{wsyncmgr[i].Line}");
        }

        Assert.Equal(new DateTimeOffset(2026, 10, 31, 13, 0, 1, 15, TimeSpan.Zero), wsyncmgr[0].TimeUtc);

        // WSUSCtrl.log comes from the SUP in UTC+1 (bias -060).
        var control = entries.First(e => Name(e) == "WSUSCtrl.log");
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 12, 56, 15, 620, TimeSpan.Zero), control.TimeUtc);
        Assert.Equal("SMS_WSUS_CONTROL_MANAGER", control.Component);

        // applicationHost.config is not a log; every other file is read.
        Assert.Equal(
            new[] { "Application.xml", "events.xml", "httperr1.log", "httperr2.log", "SoftwareDistribution.log", "WCM.log", "WSUSCtrl.log", "wsyncmgr.lo_", "wsyncmgr.log" }.OrderBy(n => n, StringComparer.OrdinalIgnoreCase),
            entries.Select(Name).Distinct().OrderBy(n => n, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Sync_log_finds_the_guides_evidence_kinds()
    {
        var kinds = SyncLog(GuideCase).SelectMany(e => new[] { e.Kind, e.Cause }).ToHashSet();

        foreach (var expected in new[]
        {
            EvidenceKind.WsusApi503, EvidenceKind.AppOffline, EvidenceKind.QueueFull, EvidenceKind.ConnectionAbandonedByAppPool,
            EvidenceKind.PoolRecycledPrivateMemory, EvidenceKind.PoolDisabledRapidFail, EvidenceKind.WorkerProcessTerminated,
            EvidenceKind.WorkerProcessIdleShutdown, EvidenceKind.SyncStarted, EvidenceKind.SyncSucceeded, EvidenceKind.SyncFailed,
            EvidenceKind.SyncCancelled, EvidenceKind.SyncRetryScheduled, EvidenceKind.SyncTime, EvidenceKind.WcmConfigured,
            EvidenceKind.OperationTimedOut, EvidenceKind.WsusContentNotAccessible,
        })
        {
            Assert.Contains(expected, kinds);
        }
    }

    [Fact]
    public void Evidence_kept_one_subfolder_per_server_is_found_by_the_status_and_named_by_the_log_reader()
    {
        using var temp = new TempFolder();
        foreach (var (server, names) in new[] { ("CM01", new[] { "wsyncmgr.lo_", "wsyncmgr.log", "WCM.log" }), ("WSUS01", new[] { "SoftwareDistribution.log", "httperr2.log", "events.xml" }) })
        {
            Directory.CreateDirectory(Path.Combine(temp.Path, server));
            foreach (var name in names)
            {
                File.Copy(Path.Combine(Folder(GuideCase), name), Path.Combine(temp.Path, server, name));
            }
        }

        // Get-WsusSyncStatus -LogPath searches subfolders.
        var status = SyncSources.Offline(new[] { temp.Path }, new VirtualClock(CollectedAt)).Read(SyncSource.Log, null, CancellationToken.None);
        Assert.Equal(3, status.LogFiles.Count);
        Assert.Equal(25, status.CancelledOrFailedStreak);

        // Get-WsusSyncLog -Path reads the folder named, not its subfolders: it says so instead of returning nothing.
        var ex = Assert.Throws<WsusRemediationException>(() => EvidenceReader.ExpandPath(temp.Path));
        Assert.Equal("LogFileNotFound", ex.ErrorId);
        Assert.Contains("subfolders", ex.RecommendedAction);
        Assert.Equal(3, EvidenceReader.ExpandPath(Path.Combine(temp.Path, "WSUS01")).Count);
    }

    [Fact]
    public void Kind_filter_returns_each_kind_from_its_own_log()
    {
        var appOffline = SyncLog(GuideCase, new LogFilter { Kind = new[] { EvidenceKind.AppOffline } });
        Assert.Equal(23, appOffline.Count);
        Assert.All(appOffline, e => Assert.Equal("WsusPool", e.Component));

        var disabled = Assert.Single(SyncLog(GuideCase, new LogFilter { Kind = new[] { EvidenceKind.PoolDisabledRapidFail } }));
        Assert.Equal("events.xml", Name(disabled));
        Assert.Contains("'WsusPool'", disabled.Message);

        var recycles = SyncLog(GuideCase, new LogFilter { Kind = new[] { EvidenceKind.PoolRecycledPrivateMemory } });
        Assert.True(recycles.Count >= 10);
        Assert.All(recycles, e => Assert.True(e.TimeUtc < disabled.TimeUtc));

        // A failure counts for its cause: wsyncmgr's "Sync failed: ... 503", WCM's and WSUSCtrl's WebExceptions.
        var api503 = SyncLog(GuideCase, new LogFilter { Kind = new[] { EvidenceKind.WsusApi503 } });
        Assert.Equal(new[] { "WCM.log", "WSUSCtrl.log", "wsyncmgr.lo_", "wsyncmgr.log" }, api503.Select(Name).Distinct().OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(26, api503.Count(e => e.Kind == EvidenceKind.SyncFailed && e.Cause == EvidenceKind.WsusApi503));
    }

    [Fact]
    public void Severity_filter_sees_the_simple_format_only_through_its_status_messages()
    {
        // wsyncmgr.log, WCM.log and WSUSCtrl.log on a site server have no type field: -Severity Error
        // returns HTTPERR, the events, SoftwareDistribution.log and the simple logs' status messages that
        // say SEV=E (one 6703 per failed synchronization); -Kind finds MECM's "Sync failed" lines.
        var errors = SyncLog(GuideCase, new LogFilter { Severity = new[] { LogSeverity.Error } });
        var simple = errors.Where(e => e.Format == LogFormat.SmsSimple).ToList();
        Assert.Equal(27, simple.Count);
        Assert.All(simple, e => Assert.StartsWith("STATMSG: ID=6703 SEV=E", e.Message));
        Assert.Contains(errors, e => Name(e) == "events.xml");

        var failed = SyncLog(GuideCase, new LogFilter { Kind = new[] { EvidenceKind.SyncFailed } });
        Assert.All(failed.Where(e => e.Format == LogFormat.SmsSimple), e => Assert.Equal(LogSeverity.None, e.Severity));
        Assert.Equal(27, failed.Count(e => e.Format == LogFormat.SmsSimple));
    }

    [Fact]
    public void Since_and_tail_filters_cut_per_log()
    {
        var since = new DateTimeOffset(2026, 11, 13, 0, 0, 0, TimeSpan.Zero);
        var recent = SyncLog(GuideCase, new LogFilter { Since = since });
        Assert.All(recent, e => Assert.True(e.TimeUtc >= since));
        Assert.DoesNotContain(recent, e => Name(e) == "wsyncmgr.lo_");
        Assert.Contains(recent, e => Name(e) == "wsyncmgr.log");

        var tail = SyncLog(GuideCase, tail: 3);
        var all = SyncLog(GuideCase);
        foreach (var group in all.GroupBy(e => EvidenceReader.RolloverGroup(e.File)))
        {
            Assert.Equal(group.Skip(group.Count() - 3).Select(e => (e.File, e.Line)), tail.Where(e => EvidenceReader.RolloverGroup(e.File) == group.Key).Select(e => (e.File, e.Line)));
        }

        // A .log and its .lo_ are one log: a tail longer than wsyncmgr.log reaches back into wsyncmgr.lo_, in order.
        var logLines = File.ReadAllLines(Path.Combine(Folder(GuideCase), "wsyncmgr.log")).Length;
        var longTail = SyncLog(GuideCase, tail: logLines + 10).Where(e => EvidenceReader.RolloverGroup(e.File) == "wsyncmgr").ToList();
        Assert.Equal(logLines + 10, longTail.Count);
        Assert.Equal(Enumerable.Repeat("wsyncmgr.lo_", 10).Concat(Enumerable.Repeat("wsyncmgr.log", logLines)), longTail.Select(Name));

        // -Kind then -Tail: the last 503 of each log.
        var last503 = SyncLog(GuideCase, new LogFilter { Kind = new[] { EvidenceKind.WsusApi503 } }, tail: 1);
        Assert.Equal(new[] { "WCM.log", "WSUSCtrl.log", "wsyncmgr.log" }, last503.Select(Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new DateTimeOffset(2026, 11, 13, 14, 10, 31, 759, TimeSpan.Zero), last503.Single(e => Name(e) == "wsyncmgr.log").TimeUtc);
    }

    [Fact]
    public void HealthyAfterFix_log_shows_the_recovery()
    {
        var since = new DateTimeOffset(2026, 11, 13, 14, 30, 0, TimeSpan.Zero);
        var after = SyncLog(HealthyAfterFix, new LogFilter { Since = since });
        Assert.DoesNotContain(after, e => e.Kind is EvidenceKind.AppOffline or EvidenceKind.QueueFull or EvidenceKind.WsusApi503 || e.Cause == EvidenceKind.WsusApi503);
        Assert.Contains(after, e => e.Kind == EvidenceKind.SyncSucceeded && Name(e) == "wsyncmgr.log");
        Assert.Contains(after, e => e.Kind == EvidenceKind.SyncSucceeded && Name(e) == "SoftwareDistribution.log");
        Assert.Contains(after, e => e.Kind == EvidenceKind.WcmConfigured);
    }

    [Fact]
    public void GuideCase_pool_has_wsus_defaults_and_is_not_compliant()
    {
        var path = Path.Combine(Folder(GuideCase), "applicationHost.config");
        var document = new PoolTuningService(PhysicalFileStore.Instance, new VirtualClock()).Load(path);
        var name = Assert.Single(PoolTuningService.ExpandPoolNames(document, PoolTuningService.PoolNamesFromInput(null, path)));
        var tuning = PoolTuningService.Read(document, name, PoolTuningProfileName.Recommended, string.Empty, null);

        Assert.Equal("WsusPool", tuning.PoolName);
        Assert.False(tuning.IsCompliant);
        Assert.Equal(1000, tuning.QueueLength);
        Assert.Equal(TimeSpan.FromMinutes(20), tuning.IdleTimeout);
        Assert.True(tuning.PingingEnabled);
        Assert.Equal(1843200, tuning.PrivateMemoryLimitKB);
        Assert.Equal(TimeSpan.FromHours(29), tuning.RegularTimeInterval);
        Assert.False(tuning.Enable32BitAppOnWin64);
        Assert.Equal(
            new[] { "processModel.idleTimeout", "processModel.pingingEnabled", "queueLength", "recycling.periodicRestart.privateMemory", "recycling.periodicRestart.time" },
            tuning.Settings.Where(s => !s.IsCompliant).Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Empty(tuning.Warnings);
    }

    [Fact]
    public void HealthyAfterFix_pool_is_compliant()
    {
        var path = Path.Combine(Folder(HealthyAfterFix), "applicationHost.config");
        var document = new PoolTuningService(PhysicalFileStore.Instance, new VirtualClock()).Load(path);
        var tuning = PoolTuningService.Read(document, PoolTuningService.FindWsusPoolName(document), PoolTuningProfileName.Recommended, string.Empty, null);

        Assert.True(tuning.IsCompliant, string.Join(", ", tuning.Settings.Where(s => !s.IsCompliant)));
        Assert.Equal(2000, tuning.QueueLength);
    }
}
