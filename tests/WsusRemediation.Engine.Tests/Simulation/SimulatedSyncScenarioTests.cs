using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Simulation;

public class SimulatedSyncScenarioTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(15);
    private readonly VirtualClock _clock = new();
    private readonly SimulatedSyncServer _server;
    private readonly SyncStatusService _service;

    public SimulatedSyncScenarioTests()
    {
        _server = new SimulatedSyncServer(_clock);
        var start = _clock.UtcNow.UtcDateTime;
        // The symptom from the guide: two cancelled syncs after the last success, and MECM shows 0 updates.
        _server.AddHistory(SyncResult.Succeeded, start.AddDays(-3), TimeSpan.FromMinutes(4));
        _server.AddHistory(SyncResult.Cancelled, start.AddHours(-2), TimeSpan.FromMinutes(7));
        _server.AddHistory(SyncResult.Cancelled, start.AddHours(-1), TimeSpan.FromMinutes(7));
        _server.UpdateCount = 0;
        _service = new SyncStatusService(_clock, _server, _server, null, _server);
    }

    private WsusSyncStatus Read() => _service.Read(SyncSource.Auto, "CM01", CancellationToken.None);

    private SyncWatchResult Watch(SyncTriggerResult trigger, TimeSpan timeout, List<(WaitProgress Progress, WsusSyncStatus? Status)>? reports = null, CancellationToken token = default) =>
        new SyncWatcher((final, t) => _service.Read(SyncSource.Auto, "CM01", final, t), _clock).WaitForCompletion(trigger, timeout, Poll, token, (p, s) => reports?.Add((p, s)));

    [Fact]
    public void Before_any_repair_the_status_is_unhealthy_with_2_cancelled_and_0_updates()
    {
        var status = Read();
        Assert.Equal(SyncHealth.Unhealthy, status.Health);
        Assert.Equal(2, status.CancelledOrFailedStreak);
        Assert.Equal(0, status.ConfigMgrUpdateCount);
        Assert.Equal("MECM shows 0 software updates and the last synchronization ended Cancelled: UserCanceled.", status.HealthReason);
    }

    [Fact]
    public void A_sync_cancelled_while_WsusPool_is_down_ends_the_wait_and_makes_three_in_a_row()
    {
        var trigger = _service.Start(SyncSource.ConfigMgr, false, "CM01", CancellationToken.None);
        Assert.Equal(SyncTriggerMethod.SyncNow, trigger.Method);
        _server.StopPoolAfter(TimeSpan.FromMinutes(3));

        var result = Watch(trigger, TimeSpan.FromMinutes(30));

        Assert.True(result.Completed);
        Assert.True(result.Started);
        // While the pool is down only MECM answers: it says Failed.
        Assert.Equal(SyncResult.Failed, result.Status.LastResult);
        Assert.Equal("0x80131500", result.Status.LastError);
        Assert.Equal(new[] { SyncSource.ConfigMgr }, result.Status.Sources);
        Assert.True(_clock.TotalDelayed < TimeSpan.FromMinutes(5));

        // Once the pool is back, WSUS's history says what really happened: the third cancel in a row.
        _server.StartPool();
        var after = Read();
        Assert.Equal(SyncResult.Cancelled, after.LastResult);
        Assert.Equal(3, after.CancelledOrFailedStreak);
        Assert.Equal(SyncHealth.Unhealthy, after.Health);
        Assert.StartsWith("3 synchronizations in a row ended Cancelled and MECM shows 0 software updates", after.HealthReason);
    }

    [Fact]
    public void A_sync_that_succeeds_is_followed_through_its_phases_and_MECM_gets_its_updates()
    {
        var reports = new List<(WaitProgress Progress, WsusSyncStatus? Status)>();
        var trigger = _service.Start(SyncSource.Auto, false, "CM01", CancellationToken.None);

        var result = Watch(trigger, TimeSpan.FromMinutes(30), reports);

        Assert.True(result.Completed);
        Assert.Equal(SyncResult.Succeeded, result.Status.LastResult);
        Assert.Equal(SyncState.Idle, result.Status.State);
        Assert.Equal(9873, result.Status.ConfigMgrUpdateCount);
        Assert.Equal(SyncHealth.Healthy, result.Status.Health);
        Assert.Equal(0, result.Status.CancelledOrFailedStreak);
        Assert.Equal(1, _server.UpdateCounts); // polls skip the expensive count; only the final read does it

        var states = reports.Select(r => r.Progress.Status).Distinct().ToList();
        Assert.Contains("Waiting for the synchronization to start", states);
        Assert.Contains(states, s => s.StartsWith("Synchronizing WSUS server: Updates: 2000 of 9873 items (20%)", StringComparison.Ordinal));
        Assert.Contains("Synchronizing site database", states);
        Assert.True(reports[^1].Progress.Completed);
        Assert.Equal(1, reports.Count(r => r.Progress.Completed));
    }

    [Fact]
    public void A_sync_that_never_finishes_times_out_and_keeps_running()
    {
        _server.Stalls = true;
        var trigger = _service.Start(SyncSource.ConfigMgr, false, "CM01", CancellationToken.None);

        var result = Watch(trigger, TimeSpan.FromMinutes(20));

        Assert.False(result.Completed);
        Assert.True(result.Started);
        Assert.Equal(SyncState.Running, result.Status.State);
        Assert.Equal(TimeSpan.FromMinutes(20), _clock.TotalDelayed);
        Assert.True(_server.WsusRunning); // the watch stopped, the sync did not
    }

    [Fact]
    public void Ctrl_C_stops_the_waiting_promptly_and_not_the_sync()
    {
        using var stop = new CancellationTokenSource();
        var trigger = _service.Start(SyncSource.ConfigMgr, false, "CM01", CancellationToken.None);
        _clock.OnDelay = c =>
        {
            if (c.TotalDelayed >= TimeSpan.FromMinutes(2))
            {
                stop.Cancel();
            }
        };

        Assert.ThrowsAny<OperationCanceledException>(() => Watch(trigger, TimeSpan.FromHours(1), token: stop.Token));
        Assert.True(_clock.TotalDelayed < TimeSpan.FromMinutes(3));
        Assert.True(_server.WsusRunning);
    }

    [Fact]
    public void A_second_sync_is_refused_while_one_runs()
    {
        _service.Start(SyncSource.ConfigMgr, false, "CM01", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));

        var ex = Assert.Throws<WsusRemediationException>(() => _service.Start(SyncSource.ConfigMgr, false, "CM01", CancellationToken.None));
        Assert.Equal("SyncAlreadyRunning", ex.ErrorId);
        Assert.Equal(EngineErrorKind.ResourceBusy, ex.Kind);
        Assert.Contains("Synchronizing WSUS server", ex.Message);
        Assert.Equal(1, _server.SyncNowCalls);
        Assert.Equal("SyncAlreadyRunning", Assert.Throws<WsusRemediationException>(() => _service.Start(SyncSource.Wsus, false, "CM01", CancellationToken.None)).ErrorId);
    }

    [Fact]
    public void A_sync_that_starts_between_the_check_and_StartSynchronization_is_followed_as_the_requested_one()
    {
        // WSUS's own schedule starts a sync after the service found it idle; StartSynchronization then does nothing.
        _server.BeforeStartSynchronization = () => { if (!_server.WsusRunning) { _server.StartScheduledSync(); } };

        var trigger = _service.Start(SyncSource.Wsus, false, "CM01", CancellationToken.None);
        var result = Watch(trigger, TimeSpan.FromMinutes(30));

        Assert.Equal(SyncTriggerMethod.StartSynchronization, trigger.Method);
        Assert.True(result.Completed);
        Assert.True(result.Started);
        Assert.Equal(SyncResult.Succeeded, result.Status.LastResult);
        Assert.Equal(1, _server.Runs);
    }

    [Fact]
    public void A_sync_that_started_in_the_race_is_joined_even_when_WSUS_throws_because_it_runs()
    {
        // The documentation says StartSynchronization does nothing while a sync runs; were it to throw
        // InvalidOperationException instead, the sync that just started is still the one to follow.
        _server.RefusesWhileRunning = true;
        _server.BeforeStartSynchronization = () => { if (!_server.WsusRunning) { _server.StartScheduledSync(); } };
        var verbose = new List<string>();

        var trigger = _service.Start(SyncSource.Wsus, false, "CM01", CancellationToken.None, verbose.Add);
        var result = Watch(trigger, TimeSpan.FromMinutes(30));

        Assert.True(trigger.JoinedRunning);
        Assert.Contains(verbose, v => v.Contains("started meanwhile", StringComparison.Ordinal));
        Assert.True(result.Completed);
        Assert.Equal(SyncResult.Succeeded, result.Status.LastResult);
        Assert.Equal(1, _server.Runs);
    }

    [Fact]
    public void WSUS_saving_its_configuration_refuses_the_start_and_that_is_not_SyncAlreadyRunning()
    {
        _server.SavingConfiguration = true;

        var ex = Assert.Throws<WsusRemediationException>(() => _service.Start(SyncSource.Wsus, false, "CM01", CancellationToken.None));

        Assert.Equal("WsusSyncStartRefused", ex.ErrorId);
        Assert.Equal(EngineErrorKind.ResourceBusy, ex.Kind);
        Assert.Equal(1, _server.WsusStarts);
        Assert.Equal(0, _server.Runs);
        Assert.False(_server.WsusRunning);
    }

    [Fact]
    public void MECM_shows_0_updates_and_then_the_updates_after_a_good_sync()
    {
        Assert.Equal(0, Read().ConfigMgrUpdateCount);
        var trigger = _service.Start(SyncSource.ConfigMgr, true, "CM01", CancellationToken.None);
        var final = Watch(trigger, TimeSpan.FromMinutes(30)).Status;
        Assert.Equal(9873, final.ConfigMgrUpdateCount);
        Assert.Equal(SyncHealth.Healthy, final.Health);
        Assert.Contains("MECM has 9873 software updates", final.HealthReason);
    }

    [Fact]
    public void Without_the_SMS_Provider_the_inbox_file_starts_the_sync()
    {
        _server.ProviderReachable = false;
        var messages = new List<string>();
        var trigger = _service.Start(SyncSource.ConfigMgr, true, "CM01", CancellationToken.None, messages.Add);

        Assert.Equal(SyncTriggerMethod.InboxFile, trigger.Method);
        Assert.EndsWith("FULL.SYN", trigger.InboxFile);
        Assert.Equal(new[] { "FULL.SYN" }, _server.InboxFiles);
        Assert.Contains(messages, m => m.Contains("SMS Provider cannot be reached", StringComparison.Ordinal));

        // Auto then reads WSUS only, and still follows the sync to its end.
        var result = Watch(trigger, TimeSpan.FromMinutes(30));
        Assert.True(result.Completed);
        Assert.Equal(SyncResult.Succeeded, result.Status.LastResult);
        Assert.Equal(SyncSource.Wsus, result.Status.Source);
    }

    [Fact]
    public void A_full_sync_through_WSUS_alone_is_refused()
    {
        var ex = Assert.Throws<WsusRemediationException>(() => _service.Start(SyncSource.Wsus, true, "CM01", CancellationToken.None));
        Assert.Equal("FullSyncRequiresConfigMgr", ex.ErrorId);
    }

    [Fact]
    public void When_nothing_answers_Auto_says_which_sources_failed()
    {
        _server.ProviderReachable = false;
        _server.StopPool();
        var ex = Assert.Throws<WsusRemediationException>(Read);
        Assert.Equal("SyncStatusUnavailable", ex.ErrorId);
        Assert.Contains("RPC server is unavailable", ex.Message);
        Assert.Contains("HTTP status 503", ex.Message);
    }

    [Fact]
    public void Auto_uses_WSUS_only_when_there_is_no_MECM_here()
    {
        var wsusOnly = new SyncStatusService(_clock, _server, new NoSite(), null, new NoInbox());
        var trigger = wsusOnly.Start(SyncSource.Auto, false, "WSUS01", CancellationToken.None);
        Assert.Equal(SyncTriggerMethod.StartSynchronization, trigger.Method);
        Assert.Equal(SyncSource.Wsus, trigger.Source);
    }

    private sealed class NoSite : IConfigMgrSyncProvider
    {
        public ConfigMgrSyncSnapshot Read(bool countUpdates, CancellationToken cancellationToken) =>
            throw new WsusRemediationException("ConfigMgrProviderUnavailable", EngineErrorKind.ConnectionError, "Invalid namespace");

        public void SyncNow(bool fullSync, CancellationToken cancellationToken) => Read(false, cancellationToken);
    }

    private sealed class NoInbox : ISyncInboxTrigger
    {
        public string Drop(bool fullSync, CancellationToken cancellationToken) =>
            throw new WsusRemediationException("ConfigMgrInboxNotFound", EngineErrorKind.ObjectNotFound, "not a site server");
    }
}
