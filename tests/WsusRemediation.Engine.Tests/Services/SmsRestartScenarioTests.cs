using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;
using Xunit;

namespace WsusRemediation.Engine.Tests.Services;

/// <summary>Restart-SmsService's engine path (planner + runner) on the simulated site server, in virtual time.</summary>
public class SmsRestartScenarioTests
{
    private readonly VirtualClock _clock = new();
    private readonly SimulatedSiteServer _server;

    public SmsRestartScenarioTests() => _server = SimulatedSiteServer.Typical(_clock);

    private ServiceRestartOutcome Run(bool includeWsus = false, bool includeBits = false, ServiceRunHooks? hooks = null, TimeSpan? timeout = null, CancellationToken token = default)
    {
        var plan = new ServiceRestartPlanner(_server).Plan(null, SiteServices.SmsRestart(includeWsus, includeBits));
        var runner = new ServiceRestartRunner(_server, _clock)
        {
            StopTimeout = timeout ?? TimeSpan.FromSeconds(120),
            StartTimeout = timeout ?? TimeSpan.FromSeconds(120),
        };
        return runner.Run(plan, hooks, token);
    }

    private static ServiceRestartResult Result(ServiceRestartOutcome outcome, string name) => outcome.Results.Single(r => r.Name == name);

    [Fact]
    public void A_healthy_site_is_restarted_in_the_guides_order()
    {
        var outcome = Run();

        Assert.True(outcome.Succeeded);
        Assert.Equal(
            new[] { "stop SMS_EXECUTIVE", "stop SMS_SITE_COMPONENT_MANAGER", "start SMS_SITE_COMPONENT_MANAGER", "start SMS_EXECUTIVE", "start SMS_NOTIFICATION_SERVER" },
            _server.ControlLog);
        Assert.Equal(ServiceAction.Restarted, Result(outcome, "SMS_EXECUTIVE").Action);
        Assert.Equal(ServiceAction.Restarted, Result(outcome, "SMS_SITE_COMPONENT_MANAGER").Action);
        Assert.Equal(ServiceAction.Started, Result(outcome, "SMS_NOTIFICATION_SERVER").Action);
        Assert.Equal(ServiceAction.AlreadyRunning, Result(outcome, "CcmExec").Action);
        Assert.All(outcome.Results, r => Assert.Equal(ServiceState.Running, r.StatusAfter));
        Assert.Equal(ServiceState.Stopped, Result(outcome, "SMS_NOTIFICATION_SERVER").StatusBefore);
        Assert.Equal("SMS Agent Host", Result(outcome, "CcmExec").DisplayName);
    }

    [Fact]
    public void Durations_are_the_services_own_stop_and_start_times_not_fixed_sleeps()
    {
        var outcome = Run();

        // SMS_EXECUTIVE: 25 s to stop, 10 s to start; polled every 0.5 s.
        var executive = Result(outcome, "SMS_EXECUTIVE").Duration;
        Assert.InRange(executive.TotalSeconds, 35, 36);
        var componentManager = Result(outcome, "SMS_SITE_COMPONENT_MANAGER").Duration;
        Assert.InRange(componentManager.TotalSeconds, 13, 14);
        Assert.InRange(_clock.TotalDelayed.TotalSeconds, 51, 53);
        Assert.Equal(TimeSpan.Zero, Result(outcome, "CcmExec").Duration);
    }

    [Fact]
    public void The_older_guides_wsus_service_and_bits_are_restarted_between_the_sms_services()
    {
        _server.Service("BITS").StartType = ServiceStartType.Manual;
        _server.SetServiceState("BITS", ServiceState.Running);

        var outcome = Run(includeWsus: true, includeBits: true);

        Assert.True(outcome.Succeeded);
        Assert.Equal(
            new[]
            {
                "stop SMS_EXECUTIVE", "stop SMS_SITE_COMPONENT_MANAGER", "stop WsusService", "stop BITS",
                "start BITS", "start WsusService", "start SMS_SITE_COMPONENT_MANAGER", "start SMS_EXECUTIVE", "start SMS_NOTIFICATION_SERVER",
            },
            _server.ControlLog);
        Assert.Equal(ServiceAction.Restarted, Result(outcome, "WsusService").Action);
        Assert.Equal(ServiceAction.Restarted, Result(outcome, "BITS").Action);
    }

    [Fact]
    public void A_stopped_SMS_EXECUTIVE_as_in_the_guides_symptoms_is_started_not_restarted()
    {
        _server.SetServiceState("SMS_EXECUTIVE", ServiceState.Stopped);

        var outcome = Run();

        Assert.True(outcome.Succeeded);
        Assert.Equal(ServiceAction.Started, Result(outcome, "SMS_EXECUTIVE").Action);
        Assert.Equal(ServiceState.Stopped, Result(outcome, "SMS_EXECUTIVE").StatusBefore);
        Assert.Equal(ServiceState.Running, Result(outcome, "SMS_EXECUTIVE").StatusAfter);
        Assert.DoesNotContain("stop SMS_EXECUTIVE", _server.ControlLog);
    }

    [Fact]
    public void Bits_found_stopped_with_start_type_manual_is_started()
    {
        var outcome = Run(includeBits: true);

        Assert.Equal(ServiceAction.Started, Result(outcome, "BITS").Action);
        Assert.Equal(ServiceState.Running, _server.Service("BITS").State);
    }

    [Fact]
    public void Services_that_are_not_installed_are_reported_and_are_not_errors()
    {
        var clock = new VirtualClock();
        var wsusOnly = new SimulatedSiteServer(clock, "WSUS01");
        wsusOnly.AddService("WsusService", "WSUS Service", ServiceStartType.Automatic, ServiceState.Running, startSeconds: 8, stopSeconds: 5);

        var plan = new ServiceRestartPlanner(wsusOnly).Plan(null, SiteServices.SmsRestart(includeWsus: true, includeBits: true));
        var outcome = new ServiceRestartRunner(wsusOnly, clock).Run(plan, null, CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal(ServiceAction.Restarted, outcome.Results.Single(r => r.Name == "WsusService").Action);
        var missing = outcome.Results.Where(r => r.Name != "WsusService").ToList();
        Assert.Equal(5, missing.Count);
        Assert.All(missing, r =>
        {
            Assert.Equal(ServiceAction.NotPresent, r.Action);
            Assert.False(r.Present);
            Assert.Null(r.StatusBefore);
            Assert.Null(r.Error);
        });
    }

    [Fact]
    public void Disabled_bits_blocks_the_run_before_anything_is_stopped()
    {
        _server.Service("BITS").StartType = ServiceStartType.Disabled;

        var outcome = Run(includeWsus: true, includeBits: true);

        Assert.Empty(_server.ControlLog);
        var bits = Result(outcome, "BITS");
        Assert.Equal(ServiceAction.Failed, bits.Action);
        Assert.Equal("ServiceDisabled", bits.ErrorId);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal(EngineErrorKind.InvalidOperation, error.Kind);
        Assert.Contains("Set-Service BITS -StartupType Manual", error.RecommendedAction, StringComparison.Ordinal);
        Assert.All(outcome.Results.Where(r => r.Name != "BITS"), r => Assert.Equal(ServiceAction.Skipped, r.Action));
        Assert.All(outcome.Results.Where(r => r.Name != "BITS"), r => Assert.Equal(r.StatusBefore, r.StatusAfter));
    }

    [Fact]
    public void A_stop_that_hangs_times_out_skips_the_rest_and_starts_again_what_was_stopped()
    {
        _server.Service("SMS_SITE_COMPONENT_MANAGER").HangsOnStop = true;

        var outcome = Run(includeWsus: true, timeout: TimeSpan.FromSeconds(60));

        var hung = Result(outcome, "SMS_SITE_COMPONENT_MANAGER");
        Assert.Equal(ServiceAction.Failed, hung.Action);
        Assert.Equal("ServiceStopTimeout", hung.ErrorId);
        Assert.Contains("did not stop within 60 seconds", hung.Error, StringComparison.Ordinal);
        Assert.Equal(ServiceState.StopPending, hung.StatusAfter);

        var executive = Result(outcome, "SMS_EXECUTIVE");
        Assert.Equal(ServiceAction.Restored, executive.Action);
        Assert.Equal(ServiceState.Running, executive.StatusAfter);
        Assert.Contains("SMS_SITE_COMPONENT_MANAGER failed", executive.Note, StringComparison.Ordinal);

        Assert.Equal(ServiceAction.Skipped, Result(outcome, "WsusService").Action);
        Assert.Equal(ServiceAction.Skipped, Result(outcome, "SMS_NOTIFICATION_SERVER").Action);
        Assert.DoesNotContain("stop WsusService", _server.ControlLog);
        Assert.Equal(ServiceState.Running, _server.Service("WsusService").State);
        Assert.Single(outcome.Errors);
    }

    [Fact]
    public void A_service_that_will_not_start_1053_is_reported_and_the_others_are_not_left_stopped()
    {
        _server.Service("SMS_SITE_COMPONENT_MANAGER").StartTimesOut = true;

        var outcome = Run();

        var failed = Result(outcome, "SMS_SITE_COMPONENT_MANAGER");
        Assert.Equal(ServiceAction.Failed, failed.Action);
        Assert.Equal("ServiceStartFailed", failed.ErrorId);
        Assert.Contains("1053", failed.Error, StringComparison.Ordinal);
        Assert.Equal(ServiceState.Stopped, failed.StatusAfter);

        // SMS_EXECUTIVE does not depend on the component manager: it is started again.
        Assert.Equal(ServiceAction.Restored, Result(outcome, "SMS_EXECUTIVE").Action);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_EXECUTIVE").State);
        Assert.Equal(ServiceAction.Skipped, Result(outcome, "SMS_NOTIFICATION_SERVER").Action);
        Assert.Equal(ServiceAction.AlreadyRunning, Result(outcome, "CcmExec").Action);
    }

    [Fact]
    public void A_service_that_stops_again_while_starting_is_a_start_failure()
    {
        _server.Service("SMS_EXECUTIVE").StopsWhileStarting = true;

        var outcome = Run();

        var executive = Result(outcome, "SMS_EXECUTIVE");
        Assert.Equal(ServiceAction.Failed, executive.Action);
        Assert.Equal("ServiceStartFailed", executive.ErrorId);
        Assert.Equal(ServiceAction.Restarted, Result(outcome, "SMS_SITE_COMPONENT_MANAGER").Action);
    }

    [Fact]
    public void Access_denied_stops_the_run_before_anything_is_left_stopped()
    {
        _server.Service("SMS_EXECUTIVE").DenyControl = true;

        var outcome = Run();

        var executive = Result(outcome, "SMS_EXECUTIVE");
        Assert.Equal(ServiceAction.Failed, executive.Action);
        Assert.Equal("ServiceAccessDenied", executive.ErrorId);
        Assert.Equal(EngineErrorKind.PermissionDenied, outcome.Errors.Single().Kind);
        Assert.Contains("Administrator", outcome.Errors.Single().RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(ServiceAction.Skipped, Result(outcome, "SMS_SITE_COMPONENT_MANAGER").Action);
        Assert.Equal(new[] { "stop SMS_EXECUTIVE" }, _server.ControlLog);
        Assert.All(_server.Services.Where(s => s.Name != "SMS_NOTIFICATION_SERVER" && s.Name != "BITS"), s => Assert.Equal(ServiceState.Running, s.State));
    }

    [Fact]
    public void An_unreachable_computer_is_a_connection_error_before_anything_is_done()
    {
        _server.Reachable = false;

        var error = Assert.Throws<WsusRemediationException>(() => new ServiceRestartPlanner(_server).Plan("SITE01", SiteServices.SmsRestart(true, true)));

        Assert.Equal("ComputerUnreachable", error.ErrorId);
        Assert.Equal(EngineErrorKind.ConnectionError, error.Kind);
        Assert.Contains("1722", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.ControlLog);
    }

    [Fact]
    public void A_remote_computer_is_reported_by_its_name()
    {
        var plan = new ServiceRestartPlanner(_server).Plan("SITE01", SiteServices.SmsRestart(false, false));
        var outcome = new ServiceRestartRunner(_server, _clock).Run(plan, null, CancellationToken.None);

        Assert.False(plan.IsLocal);
        Assert.All(outcome.Results, r => Assert.Equal("SITE01", r.ComputerName));
    }

    [Fact]
    public void WhatIf_asks_once_per_service_that_would_change_and_changes_nothing()
    {
        var asked = new List<(string Target, string Action)>();
        var hooks = new ServiceRunHooks { ShouldProcess = (target, action) => { asked.Add((target, action)); return false; } };

        var outcome = Run(includeWsus: true, includeBits: true, hooks: hooks);

        Assert.Empty(_server.ControlLog);
        Assert.Equal(
            new[] { "SMS_EXECUTIVE", "SMS_SITE_COMPONENT_MANAGER", "WsusService", "BITS", "SMS_NOTIFICATION_SERVER" },
            asked.Select(a => a.Target.Split(' ')[0]));
        Assert.Contains(asked, a => a.Target.StartsWith("BITS (Background Intelligent Transfer Service) on ", StringComparison.Ordinal) && a.Action == "Start service");
        Assert.Equal("Restart service (stop, then start)", asked[0].Action);
        Assert.Equal(ServiceAction.AlreadyRunning, Result(outcome, "CcmExec").Action);
        Assert.All(outcome.Results.Where(r => r.Name != "CcmExec"), r => Assert.Equal(ServiceAction.Declined, r.Action));
    }

    [Fact]
    public void Declining_one_service_still_restarts_the_others()
    {
        var hooks = new ServiceRunHooks { ShouldProcess = (target, _) => !target.StartsWith("SMS_EXECUTIVE", StringComparison.Ordinal) };

        var outcome = Run(hooks: hooks);

        Assert.Equal(ServiceAction.Declined, Result(outcome, "SMS_EXECUTIVE").Action);
        Assert.Equal(ServiceAction.Restarted, Result(outcome, "SMS_SITE_COMPONENT_MANAGER").Action);
        Assert.DoesNotContain("stop SMS_EXECUTIVE", _server.ControlLog);
    }

    [Fact]
    public void Ctrl_C_during_a_wait_stops_promptly_and_asks_for_the_stopped_services_to_start()
    {
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = c =>
        {
            if (_server.ControlLog.Contains("stop SMS_SITE_COMPONENT_MANAGER"))
            {
                cts.Cancel();
            }
        };

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => Run(token: cts.Token));

        // SMS_EXECUTIVE stopped in 25 s; SMS_SITE_COMPONENT_MANAGER was still stopping (8 s) when Ctrl+C came.
        Assert.Contains("start SMS_EXECUTIVE", _server.ControlLog);
        Assert.Contains("start SMS_SITE_COMPONENT_MANAGER", _server.ControlLog);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_EXECUTIVE").State);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_SITE_COMPONENT_MANAGER").State);
        Assert.Equal(new[] { "SMS_SITE_COMPONENT_MANAGER", "SMS_EXECUTIVE" }, stopped.Recovery.Select(r => r.Name));
        Assert.All(stopped.Recovery, r => Assert.Equal(ServiceAction.Restored, r.Action));
        Assert.All(stopped.Recovery, r => Assert.Equal(ServiceState.Running, r.StatusAfter));
        Assert.True(stopped.AllRunning);
        Assert.Equal(
            $"Stopped by the user on {Environment.MachineName}. SMS_SITE_COMPONENT_MANAGER: started again, now Running. SMS_EXECUTIVE: started again, now Running.",
            stopped.Summary);
        Assert.True(_clock.TotalDelayed < TimeSpan.FromSeconds(25 + 30), "the clean-up stays inside its 30 s");
    }

    [Fact]
    public void Ctrl_C_when_the_host_refuses_output_once_stopped_still_starts_again_what_was_stopped()
    {
        // PowerShell throws PipelineStoppedException from every Write* once it is stopping the command,
        // also from the progress record that closes the wait; that must not cut the clean-up short.
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = _ =>
        {
            if (_server.Service("SMS_SITE_COMPONENT_MANAGER").State == ServiceState.StopPending)
            {
                cts.Cancel();
            }
        };
        var hooks = new ServiceRunHooks
        {
            Progress = _ => { if (cts.IsCancellationRequested) { throw new HostStoppingException(); } },
            Verbose = _ => { if (cts.IsCancellationRequested) { throw new HostStoppingException(); } },
        };

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => Run(hooks: hooks, token: cts.Token));

        Assert.IsType<HostStoppingException>(stopped.InnerException);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_EXECUTIVE").State);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_SITE_COMPONENT_MANAGER").State);
    }

    [Fact]
    public void Ctrl_C_on_a_service_that_never_finishes_stopping_gives_up_after_the_clean_up_limit_and_says_so()
    {
        _server.Service("SMS_SITE_COMPONENT_MANAGER").HangsOnStop = true;
        using var cts = new CancellationTokenSource();
        var cancelledAt = TimeSpan.Zero;
        _clock.OnDelay = c =>
        {
            if (!cts.IsCancellationRequested && _server.Service("SMS_SITE_COMPONENT_MANAGER").State == ServiceState.StopPending)
            {
                cancelledAt = c.TotalDelayed;
                cts.Cancel();
            }
        };

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => Run(token: cts.Token));

        Assert.Equal(TimeSpan.FromSeconds(30), _clock.TotalDelayed - cancelledAt); // the clean-up's own limit, not the 120 s stop timeout
        var hung = stopped.Recovery.Single(r => r.Name == "SMS_SITE_COMPONENT_MANAGER");
        Assert.Equal(ServiceAction.Failed, hung.Action);
        Assert.Equal(ServiceState.StopPending, hung.StatusAfter);
        Assert.Contains("Start-Service SMS_SITE_COMPONENT_MANAGER", hung.Note, StringComparison.Ordinal);
        Assert.False(stopped.AllRunning);
        Assert.Contains("SMS_SITE_COMPONENT_MANAGER: not started again (still stopping), now StopPending.", stopped.Summary, StringComparison.Ordinal);
        Assert.Contains("Get-WsusServiceStatus", stopped.Summary, StringComparison.Ordinal);
        // SMS_EXECUTIVE was already Stopped and depends on nothing that is stuck: the hung one must not cost it its start.
        var executive = stopped.Recovery.Single(r => r.Name == "SMS_EXECUTIVE");
        Assert.Equal(ServiceAction.Restored, executive.Action);
        Assert.Equal(ServiceState.Running, executive.StatusAfter);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_EXECUTIVE").State);
        Assert.Contains("SMS_EXECUTIVE: started again, now Running.", stopped.Summary, StringComparison.Ordinal);
        Assert.InRange(executive.Duration.TotalSeconds, 10, 11); // its own 10 s start, not after the hung one's 30 s
    }

    [Fact]
    public void Ctrl_C_while_a_service_is_starting_again_waits_for_it_and_starts_the_rest_instead_of_calling_it_failed()
    {
        // SMS_SITE_COMPONENT_MANAGER is StartPending (5 s) when the user presses Ctrl+C; SMS_EXECUTIVE is still Stopped.
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = _ =>
        {
            if (_server.Service("SMS_SITE_COMPONENT_MANAGER").State == ServiceState.StartPending)
            {
                cts.Cancel();
            }
        };

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => Run(token: cts.Token));

        Assert.Equal(ServiceState.Running, _server.Service("SMS_SITE_COMPONENT_MANAGER").State);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_EXECUTIVE").State);
        Assert.Equal(1, _server.Service("SMS_SITE_COMPONENT_MANAGER").Starts); // waited for, not started twice
        var starting = stopped.Recovery.Single(r => r.Name == "SMS_SITE_COMPONENT_MANAGER");
        Assert.Equal(ServiceAction.Restored, starting.Action);
        Assert.Null(starting.ErrorId);
        Assert.DoesNotContain("when it has stopped", starting.Note, StringComparison.Ordinal);
        Assert.True(stopped.AllRunning);
        Assert.Equal(
            $"Stopped by the user on {Environment.MachineName}. SMS_SITE_COMPONENT_MANAGER: started again, now Running. SMS_EXECUTIVE: started again, now Running.",
            stopped.Summary);
    }

    [Fact]
    public void Ctrl_C_while_a_service_is_slow_to_start_again_says_it_is_still_starting_not_stopping()
    {
        _server.Service("SMS_SITE_COMPONENT_MANAGER").StartLatency = TimeSpan.FromSeconds(300);
        using var cts = new CancellationTokenSource();
        var cancelledAt = TimeSpan.Zero;
        _clock.OnDelay = c =>
        {
            if (!cts.IsCancellationRequested && _server.Service("SMS_SITE_COMPONENT_MANAGER").State == ServiceState.StartPending)
            {
                cancelledAt = c.TotalDelayed;
                cts.Cancel();
            }
        };

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => Run(token: cts.Token));

        Assert.Equal(TimeSpan.FromSeconds(30), _clock.TotalDelayed - cancelledAt); // it was waited for, within the clean-up's limit
        var slow = stopped.Recovery.Single(r => r.Name == "SMS_SITE_COMPONENT_MANAGER");
        Assert.Equal(ServiceAction.Failed, slow.Action);
        Assert.Equal(ServiceState.StartPending, slow.StatusAfter);
        Assert.DoesNotContain("when it has stopped", slow.Note, StringComparison.Ordinal);
        Assert.Contains("still StartPending after 30 s", slow.Note, StringComparison.Ordinal);
        Assert.Contains("SMS_SITE_COMPONENT_MANAGER: started again but not yet Running, now StartPending.", stopped.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("still stopping", stopped.Summary, StringComparison.Ordinal);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_EXECUTIVE").State);
    }

    [Fact]
    public void Ctrl_C_while_a_service_is_starting_again_and_it_crashes_reports_the_crash_without_starting_it_again()
    {
        _server.Service("SMS_SITE_COMPONENT_MANAGER").StopsWhileStarting = true;
        using var cts = new CancellationTokenSource();
        _clock.OnDelay = _ =>
        {
            if (_server.Service("SMS_SITE_COMPONENT_MANAGER").State == ServiceState.StartPending)
            {
                cts.Cancel();
            }
        };

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => Run(token: cts.Token));

        Assert.Equal(1, _server.Service("SMS_SITE_COMPONENT_MANAGER").Starts);
        var crashed = stopped.Recovery.Single(r => r.Name == "SMS_SITE_COMPONENT_MANAGER");
        Assert.Equal(ServiceAction.Failed, crashed.Action);
        Assert.Equal("ServiceStartFailed", crashed.ErrorId);
        Assert.Equal(ServiceState.Stopped, crashed.StatusAfter);
        Assert.Equal(ServiceState.Running, _server.Service("SMS_EXECUTIVE").State);
    }

    [Fact]
    public void Ctrl_C_before_any_service_was_stopped_says_nothing_was_left_stopped()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var stopped = Assert.Throws<ServiceRunCancelledException>(() => Run(token: cts.Token));

        Assert.Empty(stopped.Recovery);
        Assert.Empty(_server.ControlLog);
        Assert.Contains("before any service was stopped", stopped.Summary, StringComparison.Ordinal);
    }

    private sealed class HostStoppingException : Exception
    {
    }

    [Fact]
    public void Every_wait_reports_progress_and_ends_with_a_completed_record()
    {
        var reports = new List<WaitProgress>();
        var verbose = new List<string>();

        Run(hooks: new ServiceRunHooks { Progress = reports.Add, Verbose = verbose.Add });

        Assert.Contains(reports, r => r.Activity == "Stopping SMS_EXECUTIVE" && !r.Completed);
        Assert.Equal(5, reports.Count(r => r.Completed));
        Assert.True(reports[^1].Completed);
        Assert.Contains(verbose, v => v.StartsWith("Stopping SMS_EXECUTIVE on ", StringComparison.Ordinal));
    }
}
