using System;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;
using Xunit;

namespace WsusRemediation.Engine.Tests.Services;

/// <summary>Restart-IisService's engine path: iisreset as service operations with per-service results.</summary>
public class IisResetScenarioTests
{
    private readonly VirtualClock _clock = new();
    private readonly SimulatedSiteServer _server;

    public IisResetScenarioTests() => _server = SimulatedSiteServer.Typical(_clock);

    private ServiceRestartOutcome Reset()
    {
        var plan = new ServiceRestartPlanner(_server).Plan(null, SiteServices.IisReset());
        return new ServiceRestartRunner(_server, _clock) { StopTimeout = TimeSpan.FromSeconds(60), StartTimeout = TimeSpan.FromSeconds(60) }.Run(plan, null, CancellationToken.None);
    }

    [Fact]
    public void Stops_W3SVC_before_WAS_and_starts_them_in_reverse_with_a_duration_each()
    {
        var outcome = Reset();

        Assert.True(outcome.Succeeded);
        Assert.Equal(new[] { "stop W3SVC", "stop WAS", "start WAS", "start W3SVC" }, _server.ControlLog);
        Assert.Equal(new[] { "W3SVC", "WAS", "IISADMIN" }, outcome.Results.Select(r => r.Name));
        Assert.All(outcome.Results.Take(2), r => Assert.Equal(ServiceAction.Restarted, r.Action));
        Assert.InRange(outcome.Results[0].Duration.TotalSeconds, 5, 6); // 3 s stop + 2 s start
        Assert.InRange(outcome.Results[1].Duration.TotalSeconds, 3, 4); // 2 s stop + 1 s start
        Assert.Equal(ServiceAction.NotPresent, outcome.Results[2].Action);
    }

    [Fact]
    public void Declining_W3SVC_leaves_WAS_running_too_instead_of_failing_on_it()
    {
        var plan = new ServiceRestartPlanner(_server).Plan(null, SiteServices.IisReset());
        var hooks = new ServiceRunHooks { ShouldProcess = (target, action) => !target.Contains("W3SVC", StringComparison.Ordinal) };

        var outcome = new ServiceRestartRunner(_server, _clock) { StopTimeout = TimeSpan.FromSeconds(60), StartTimeout = TimeSpan.FromSeconds(60) }.Run(plan, hooks, CancellationToken.None);

        Assert.Empty(outcome.Errors);
        Assert.Empty(_server.ControlLog);
        Assert.Equal(ServiceAction.Declined, outcome.Results.Single(r => r.Name == "W3SVC").Action);
        var was = outcome.Results.Single(r => r.Name == "WAS");
        Assert.Equal(ServiceAction.Skipped, was.Action);
        Assert.Contains("W3SVC, which depends on it, was kept running", was.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_services_that_depend_on_WAS_are_stopped_first_and_started_last()
    {
        _server.AddService("NetPipeActivator", "Net.Pipe Listener Adapter", ServiceStartType.Automatic, ServiceState.Running, dependsOn: "WAS");
        _server.AddService("WMSVC", "Web Management Service", ServiceStartType.Manual, ServiceState.Stopped, dependsOn: "WAS");

        var outcome = Reset();

        Assert.True(outcome.Succeeded);
        Assert.Equal(new[] { "stop W3SVC", "stop NetPipeActivator", "stop WAS", "start WAS", "start NetPipeActivator", "start W3SVC" }, _server.ControlLog);
        var adapter = outcome.Results.Single(r => r.Name == "NetPipeActivator");
        Assert.Equal(ServiceAction.Restarted, adapter.Action);
        Assert.Contains("depends on WAS", adapter.Note, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Results, r => r.Name == "WMSVC");
    }

    [Fact]
    public void Iisadmin_is_restarted_when_it_runs_and_left_alone_when_it_is_stopped()
    {
        _server.AddService("IISADMIN", "IIS Admin Service", ServiceStartType.Automatic, ServiceState.Running);
        var outcome = Reset();
        Assert.Equal(ServiceAction.Restarted, outcome.Results.Single(r => r.Name == "IISADMIN").Action);

        var clock = new VirtualClock();
        var server = SimulatedSiteServer.Typical(clock);
        server.AddService("IISADMIN", "IIS Admin Service", ServiceStartType.Disabled, ServiceState.Stopped);
        var plan = new ServiceRestartPlanner(server).Plan(null, SiteServices.IisReset());
        var second = new ServiceRestartRunner(server, clock).Run(plan, null, CancellationToken.None);
        Assert.True(second.Succeeded);
        Assert.Equal(ServiceAction.NoChange, second.Results.Single(r => r.Name == "IISADMIN").Action);
    }

    [Fact]
    public void A_stopped_W3SVC_is_started_as_iisreset_would()
    {
        _server.SetServiceState("W3SVC", ServiceState.Stopped);

        var outcome = Reset();

        Assert.Equal(ServiceAction.Started, outcome.Results.Single(r => r.Name == "W3SVC").Action);
        Assert.Equal(ServiceAction.Restarted, outcome.Results.Single(r => r.Name == "WAS").Action);
        Assert.Equal(new[] { "stop WAS", "start WAS", "start W3SVC" }, _server.ControlLog);
    }

    [Fact]
    public void The_reset_starts_again_a_pool_that_rapid_fail_protection_disabled()
    {
        _server.ScheduleCrashes("WsusPool", 5, TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(AppPoolState.Stopped, _server.GetPool(null, "WsusPool")!.State);
        Assert.Contains("5002 WsusPool", _server.WasEvents);

        Reset();

        Assert.Equal(AppPoolState.Started, _server.GetPool(null, "WsusPool")!.State);
    }

    [Fact]
    public void WAS_that_will_not_stop_is_reported_and_W3SVC_which_needs_it_is_reported_as_left_stopped()
    {
        _server.Service("WAS").HangsOnStop = true;

        var outcome = Reset();

        Assert.Equal("ServiceStopTimeout", outcome.Results.Single(r => r.Name == "WAS").ErrorId);
        var w3svc = outcome.Results.Single(r => r.Name == "W3SVC");
        // W3SVC depends on WAS, which is stuck stopping: it cannot be started again, and the result says so.
        Assert.Equal(ServiceAction.Skipped, w3svc.Action);
        Assert.Contains("depends on WAS", w3svc.Note, StringComparison.Ordinal);
        Assert.Equal(ServiceState.Stopped, w3svc.StatusAfter);
    }

    private ServiceRestartOutcome ResetStoppedBy(CancellationToken token)
    {
        var plan = new ServiceRestartPlanner(_server).Plan(null, SiteServices.IisReset());
        return new ServiceRestartRunner(_server, _clock) { StopTimeout = TimeSpan.FromSeconds(60), StartTimeout = TimeSpan.FromSeconds(60) }.Run(plan, null, token);
    }

    [Fact]
    public void Ctrl_C_while_WAS_is_stopping_starts_WAS_first_and_W3SVC_once_WAS_runs()
    {
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = _ => { if (_server.Service("WAS").State == ServiceState.StopPending) { cts.Cancel(); } };

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => ResetStoppedBy(cts.Token));

        // W3SVC was Stopped at once, but it depends on WAS: starting it while WAS is still stopping fails (1068).
        Assert.Equal(new[] { "stop W3SVC", "stop WAS", "start WAS", "start W3SVC" }, _server.ControlLog);
        Assert.All(stopped.Recovery, r => Assert.Equal(ServiceAction.Restored, r.Action));
        Assert.True(stopped.AllRunning);
    }

    [Fact]
    public void Ctrl_C_while_WAS_will_not_stop_leaves_W3SVC_unstarted_and_says_it_waits_for_WAS()
    {
        _server.Service("WAS").HangsOnStop = true;
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = _ => { if (_server.Service("WAS").State == ServiceState.StopPending) { cts.Cancel(); } };

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => ResetStoppedBy(cts.Token));

        Assert.DoesNotContain("start W3SVC", _server.ControlLog);
        var w3svc = stopped.Recovery.Single(r => r.Name == "W3SVC");
        Assert.Equal(ServiceAction.Failed, w3svc.Action);
        Assert.Null(w3svc.ErrorId);
        Assert.Equal(ServiceState.Stopped, w3svc.StatusAfter);
        Assert.Contains("because WAS, which it depends on, was StopPending", w3svc.Note, StringComparison.Ordinal);
        Assert.Contains("W3SVC: not started again, now Stopped.", stopped.Summary, StringComparison.Ordinal);
        Assert.Contains("WAS: not started again (still stopping), now StopPending.", stopped.Summary, StringComparison.Ordinal);
    }
}
