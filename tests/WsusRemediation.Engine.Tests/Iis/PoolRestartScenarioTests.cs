using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;
using Xunit;

namespace WsusRemediation.Engine.Tests.Iis;

/// <summary>Restart-WsusPool's engine path on the simulated site server's IIS.</summary>
public class PoolRestartScenarioTests
{
    private readonly VirtualClock _clock = new();
    private readonly SimulatedSiteServer _server;
    private readonly AppPoolRestarter _restarter;

    public PoolRestartScenarioTests()
    {
        _server = SimulatedSiteServer.Typical(_clock);
        _restarter = new AppPoolRestarter(_server, _clock) { StopTimeout = TimeSpan.FromSeconds(30), StartTimeout = TimeSpan.FromSeconds(30) };
    }

    private WsusPoolState Restart(string pool = "WsusPool", Func<string, string, bool>? shouldProcess = null, Action<WaitProgress>? progress = null) =>
        _restarter.Restart(null, pool, shouldProcess, null, progress, CancellationToken.None);

    [Fact]
    public void A_started_pool_is_stopped_waited_for_started_and_waited_for()
    {
        var result = Restart();

        Assert.Equal(new[] { "stop pool WsusPool", "start pool WsusPool" }, _server.ControlLog);
        Assert.Equal(PoolAction.Restarted, result.Action);
        Assert.Equal(AppPoolState.Started, result.StateBefore);
        Assert.Equal(AppPoolState.Started, result.State);
        Assert.False(result.WasStopped);
        Assert.Equal("WsusPool", result.PoolName);
        Assert.Equal(Environment.MachineName, result.ComputerName);
        Assert.InRange(result.Duration.TotalSeconds, 14, 15); // 3 s to stop, 1 s to start, 10 s watched, polled every 0.5 s
    }

    [Fact]
    public void A_pool_that_rapid_fail_protection_disables_right_after_the_start_fails_fast_not_after_the_timeout()
    {
        _server.Pool("WsusPool").CrashLoopAfterStart = true; // five worker crashes, one a second, then 5002

        var error = Assert.Throws<WsusRemediationException>(() => Restart());

        Assert.Equal("PoolStoppedAfterStart", error.ErrorId);
        Assert.Equal(EngineErrorKind.ResourceUnavailable, error.Kind);
        Assert.Contains("fell back to Stopped 6 s after it was started", error.Message, StringComparison.Ordinal);
        Assert.Contains("rapid-fail protection, event 5002", error.Message, StringComparison.Ordinal);
        Assert.Contains("Get-WsusSyncDiagnosis", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("5009", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("5002 WsusPool", _server.WasEvents);
        // 3 s to stop, 1 s to start, 5 s of crashes (the fifth seen by the poll at that second): well inside the 30 s timeout.
        Assert.Equal(TimeSpan.FromSeconds(9), _clock.TotalDelayed);
        Assert.Equal(new[] { "stop pool WsusPool", "start pool WsusPool" }, _server.ControlLog);
    }

    [Fact]
    public void A_pool_whose_identity_WAS_refuses_goes_Starting_then_Stopped_and_fails_at_once()
    {
        _server.Pool("WsusPool").IdentityRefused = true;

        var error = Assert.Throws<WsusRemediationException>(() => Restart());

        Assert.Equal("PoolStoppedAfterStart", error.ErrorId);
        Assert.Contains("5057", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(4), _clock.TotalDelayed); // Stopped seen at the first poll after the 1 s start
    }

    [Fact]
    public void A_start_that_IIS_accepts_but_never_acts_on_fails_after_the_settle_time_not_the_timeout()
    {
        var ignoringStarts = new StartIgnoringPools(_server);
        var restarter = new AppPoolRestarter(ignoringStarts, _clock) { StopTimeout = TimeSpan.FromSeconds(30), StartTimeout = TimeSpan.FromSeconds(30) };

        var error = Assert.Throws<WsusRemediationException>(() => restarter.Restart(null, "WsusPool", null, null, null, CancellationToken.None));

        Assert.Equal("PoolStoppedAfterStart", error.ErrorId);
        Assert.Contains("is still Stopped 10 s after IIS accepted the start", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(13), _clock.TotalDelayed);
    }

    [Fact]
    public void A_pool_found_Starting_that_falls_to_Stopped_is_started_without_waiting_out_the_timeout()
    {
        var pool = _server.Pool("WsusPool");
        _server.StopPool(null, "WsusPool");
        _clock.Advance(TimeSpan.FromSeconds(5));
        pool.IdentityRefused = true;
        _server.StartPool(null, "WsusPool");
        _server.ControlLog.Clear();
        Assert.Equal(AppPoolState.Starting, pool.State);
        var before = _clock.TotalDelayed;

        var error = Assert.Throws<WsusRemediationException>(() => Restart());

        Assert.Equal("PoolStoppedAfterStart", error.ErrorId);
        Assert.Equal(new[] { "start pool WsusPool" }, _server.ControlLog);
        Assert.Equal(TimeSpan.FromSeconds(2), _clock.TotalDelayed - before); // 1 s to fall back, 1 s for the second try
    }

    [Fact]
    public void A_short_timeout_shortens_the_watch_to_a_third_of_it_so_a_healthy_pool_still_starts()
    {
        var restarter = new AppPoolRestarter(_server, _clock) { StopTimeout = TimeSpan.FromSeconds(6), StartTimeout = TimeSpan.FromSeconds(6) };

        var result = restarter.Restart(null, "WsusPool", null, null, null, CancellationToken.None);

        Assert.Equal(PoolAction.Restarted, result.Action);
        Assert.Equal(TimeSpan.FromSeconds(6), _clock.TotalDelayed); // 3 s stop, 1 s start, 2 s watched
    }

    [Fact]
    public void The_watch_after_the_start_is_in_the_progress_and_the_verbose_story()
    {
        var reports = new List<WaitProgress>();
        var verbose = new List<string>();

        _restarter.Restart(null, "WsusPool", null, verbose.Add, reports.Add, CancellationToken.None);

        Assert.Contains(reports, r => r.Status == "WsusPool is Started; watching that it stays Started (10 s)");
        Assert.Contains(verbose, v => v.StartsWith("WsusPool is Started and stayed Started for 10 s", StringComparison.Ordinal));
    }

    /// <summary>IIS that takes the start request and does nothing with it.</summary>
    private sealed class StartIgnoringPools : IAppPoolControl
    {
        private readonly SimulatedSiteServer _server;

        public StartIgnoringPools(SimulatedSiteServer server) => _server = server;

        public AppPoolInfo? GetPool(string? computerName, string poolName) => _server.GetPool(computerName, poolName);

        public void StartPool(string? computerName, string poolName) => _server.ControlLog.Add($"start pool {poolName} (ignored)");

        public void StopPool(string? computerName, string poolName) => _server.StopPool(computerName, poolName);
    }

    [Fact]
    public void A_pool_disabled_by_rapid_fail_protection_is_started_and_the_result_says_it_had_been_stopped()
    {
        _server.ScheduleCrashes("WsusPool", 5, TimeSpan.FromSeconds(40));
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True(_server.Pool("WsusPool").DisabledByRapidFail);

        var result = Restart();

        Assert.Equal(PoolAction.Started, result.Action);
        Assert.True(result.WasStopped);
        Assert.Equal(AppPoolState.Stopped, result.StateBefore);
        Assert.Equal(AppPoolState.Started, result.State);
        Assert.Contains("rapid-fail protection", result.Message, StringComparison.Ordinal);
        Assert.Contains("5002", result.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "start pool WsusPool" }, _server.ControlLog);
        Assert.True(result.RapidFailProtection);
    }

    [Fact]
    public void Crashes_below_the_limit_or_spread_over_more_than_the_interval_leave_the_pool_started()
    {
        _server.ScheduleCrashes("WsusPool", 4, TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(AppPoolState.Started, _server.Pool("WsusPool").State);

        _server.ScheduleCrashes("DefaultAppPool", 10, TimeSpan.FromMinutes(2));
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(AppPoolState.Started, _server.Pool("DefaultAppPool").State);
    }

    [Fact]
    public void A_pool_that_will_not_stop_is_a_timeout_error()
    {
        _server.Pool("WsusPool").HangsOnStop = true;

        var error = Assert.Throws<WsusRemediationException>(() => Restart());

        Assert.Equal("PoolStopTimeout", error.ErrorId);
        Assert.Equal(EngineErrorKind.OperationTimeout, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), _clock.TotalDelayed);
    }

    [Fact]
    public void A_missing_pool_is_not_found()
    {
        var error = Assert.Throws<WsusRemediationException>(() => Restart("WsusPol"));

        Assert.Equal("PoolNotFound", error.ErrorId);
        Assert.Equal(EngineErrorKind.ObjectNotFound, error.Kind);
        Assert.Empty(_server.ControlLog);
    }

    [Fact]
    public void Declined_changes_nothing_and_says_so()
    {
        var asked = new List<string>();

        var result = Restart(shouldProcess: (target, action) => { asked.Add($"{action} | {target}"); return false; });

        Assert.Equal(PoolAction.Declined, result.Action);
        Assert.Empty(_server.ControlLog);
        Assert.Equal($"Restart application pool (stop, then start) | WsusPool on {Environment.MachineName}", Assert.Single(asked));
    }

    [Fact]
    public void Waits_report_progress_and_complete()
    {
        var reports = new List<WaitProgress>();

        Restart(progress: reports.Add);

        Assert.Contains(reports, r => r.Activity == "Stopping WsusPool" && r.Status.Contains("Stopping", StringComparison.Ordinal));
        Assert.Equal(2, reports.FindAll(r => r.Completed).Count);
    }

    [Fact]
    public void Ctrl_C_stops_the_wait_at_once()
    {
        // Cancelled during the watch after the start: nothing is left to put back, so nothing more is waited.
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = c => { if (c.TotalDelayed >= TimeSpan.FromSeconds(6)) { cts.Cancel(); } };

        var stopped = Assert.Throws<PoolRestartCancelledException>(() => _restarter.Restart(null, "WsusPool", null, null, null, cts.Token));
        Assert.Equal(TimeSpan.FromSeconds(6), _clock.TotalDelayed);
        Assert.Equal(AppPoolState.Started, stopped.StateAfter);
        Assert.IsAssignableFrom<OperationCanceledException>(stopped);
        Assert.Equal(new[] { "stop pool WsusPool", "start pool WsusPool" }, _server.ControlLog);
        // Nothing was done after Ctrl+C: the summary must not claim a start it did not make.
        Assert.Equal($"Stopped by the user on {Environment.MachineName} after WsusPool had been asked to stop: it had been started again already (the watch that it stays Started was cut short), now Started.", stopped.Summary);
    }

    [Fact]
    public void Ctrl_C_while_the_pool_is_starting_waits_for_it_and_reports_it_Started()
    {
        _server.Pool("WsusPool").StartLatency = TimeSpan.FromSeconds(8);
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = _ => { if (_server.Pool("WsusPool").State == AppPoolState.Starting) { cts.Cancel(); } };

        var stopped = Assert.Throws<PoolRestartCancelledException>(() => _restarter.Restart(null, "WsusPool", null, null, null, cts.Token));

        Assert.Equal(new[] { "stop pool WsusPool", "start pool WsusPool" }, _server.ControlLog); // waited for, not started twice
        Assert.Equal(AppPoolState.Started, stopped.StateAfter);
        Assert.Equal($"Stopped by the user on {Environment.MachineName} after WsusPool had been asked to stop: its start was under way and it came up, now Started.", stopped.Summary);
    }

    [Fact]
    public void Ctrl_C_while_the_pool_is_starting_and_WAS_refuses_it_says_so_instead_of_starting_it_again()
    {
        _server.Pool("WsusPool").StartLatency = TimeSpan.FromSeconds(4);
        _server.Pool("WsusPool").IdentityRefused = true;
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = _ => { if (_server.Pool("WsusPool").State == AppPoolState.Starting) { cts.Cancel(); } };

        var stopped = Assert.Throws<PoolRestartCancelledException>(() => _restarter.Restart(null, "WsusPool", null, null, null, cts.Token));

        Assert.Equal(new[] { "stop pool WsusPool", "start pool WsusPool" }, _server.ControlLog);
        Assert.Equal(AppPoolState.Stopped, stopped.StateAfter);
        Assert.True(stopped.FellBack);
        Assert.Contains("it was started again but fell back to Stopped, now Stopped.", stopped.Summary, StringComparison.Ordinal);
        Assert.Contains("PoolDisabledRapidFail", stopped.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctrl_C_while_the_pool_is_stopping_starts_it_again_and_says_how_it_was_left()
    {
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = c => { if (c.TotalDelayed >= TimeSpan.FromSeconds(1)) { cts.Cancel(); } };

        var stopped = Assert.Throws<PoolRestartCancelledException>(() => _restarter.Restart(null, "WsusPool", null, null, null, cts.Token));

        Assert.Equal(new[] { "stop pool WsusPool", "start pool WsusPool" }, _server.ControlLog);
        Assert.Equal(AppPoolState.Started, _server.Pool("WsusPool").State);
        Assert.Equal(AppPoolState.Started, stopped.StateAfter);
        Assert.Equal($"Stopped by the user on {Environment.MachineName} after WsusPool had been asked to stop: it was started again, now Started.", stopped.Summary);
    }

    [Fact]
    public void Ctrl_C_on_a_pool_that_will_not_stop_gives_up_after_the_clean_up_limit_and_says_what_to_run()
    {
        _server.Pool("WsusPool").HangsOnStop = true;
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = c => { if (c.TotalDelayed >= TimeSpan.FromSeconds(1)) { cts.Cancel(); } };

        var stopped = Assert.Throws<PoolRestartCancelledException>(() => _restarter.Restart(null, "WsusPool", null, null, null, cts.Token));

        Assert.Equal(TimeSpan.FromSeconds(31), _clock.TotalDelayed);
        Assert.Equal(AppPoolState.Stopping, stopped.StateAfter);
        Assert.Contains("it was still Stopping after 30 s, now Stopping.", stopped.Summary, StringComparison.Ordinal);
        Assert.Contains("Restart-WsusPool -PoolName WsusPool", stopped.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_WAS_the_pool_state_is_unknown_and_nothing_is_tried()
    {
        _server.SetServiceState("WAS", Engine.Services.ServiceState.Stopped);

        var error = Assert.Throws<WsusRemediationException>(() => Restart());

        Assert.Equal("PoolStateUnknown", error.ErrorId);
        Assert.Contains("Windows Process Activation Service", error.Message, StringComparison.Ordinal);
        Assert.Contains("Restart-IisService", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(_server.ControlLog);
    }

    [Fact]
    public void An_unreachable_server_is_a_connection_error()
    {
        _server.Reachable = false;

        var error = Assert.Throws<WsusRemediationException>(() => _restarter.Restart("SITE01", "WsusPool", null, null, null, CancellationToken.None));

        Assert.Equal("ComputerUnreachable", error.ErrorId);
    }
}
