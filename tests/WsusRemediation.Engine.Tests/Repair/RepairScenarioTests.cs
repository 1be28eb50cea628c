using System;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;
using Xunit;

namespace WsusRemediation.Engine.Tests.Repair;

/// <summary>Repair-WsusSync's engine on the simulated site server, in virtual time.</summary>
public class RepairScenarioTests
{
    private static RepairStepOutcome OutcomeOf(WsusRepairResult result, RepairStepName name) => result.Steps.Single(s => s.Name == name).Outcome;

    [Fact]
    public void The_guides_broken_server_is_repaired_the_sync_succeeds_and_MECM_has_updates()
    {
        using var h = RepairHarness.Guide();
        var findings = h.Diagnose();
        Assert.Contains(findings, f => f.Id == FindingIds.PoolDisabledByRapidFailProtection);

        var outcome = h.Repair();
        var result = outcome.Result;

        Assert.True(result.Succeeded, result.Summary + " " + string.Join(" | ", result.Steps.Select(s => $"{s.Name}:{s.Outcome}:{s.Error}")));
        Assert.Empty(outcome.Errors);
        Assert.Equal(
            new[] { RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates },
            result.Steps.Select(s => s.Name));
        Assert.All(result.Steps, s => Assert.Equal(RepairStepOutcome.Done, s.Outcome));
        Assert.Equal(SyncResult.Succeeded, result.SyncStatus!.LastResult);
        Assert.True(result.UpdateCount > 0);
        Assert.Equal(9873, result.UpdateCount);
        Assert.Equal(AppPoolState.Started, h.Site.Pool("WsusPool").State);
        Assert.Equal(ServiceState.Running, h.Site.Service("SMS_EXECUTIVE").State);
        Assert.Equal(1, h.Site.Sync.SyncNowCalls);

        // Backup first, then only the pool's values changed.
        Assert.NotNull(result.BackupPath);
        Assert.Equal(h.OriginalConfig, File.ReadAllBytes(result.BackupPath!));
        var text = File.ReadAllText(h.ConfigPath);
        Assert.Contains("queueLength=\"2000\"", text, StringComparison.Ordinal);
        Assert.Equal("queueLength=1000; processModel.idleTimeout=00:20:00; processModel.pingingEnabled=True; recycling.periodicRestart.privateMemory=1843200 KB; recycling.periodicRestart.time=1.05:00:00", result.Steps[0].Before);

        // The guide's order on the server itself: pool, IIS, SMS services, then the sync.
        var log = h.Site.ControlLog;
        Assert.True(log.IndexOf("start pool WsusPool") < log.IndexOf("stop W3SVC"));
        Assert.True(log.IndexOf("stop W3SVC") < log.IndexOf("start SMS_SITE_COMPONENT_MANAGER"));

        // Diagnosed again afterwards: nothing left.
        Assert.Empty(result.FindingsAfter);
        Assert.Equal(findings.Select(f => f.Id), result.FindingsBefore.Select(f => f.Id));
        Assert.Null(result.StoppedAt);
        Assert.False(result.RolledBack);
    }

    [Fact]
    public void Without_the_tuning_the_same_sync_is_cancelled_again_which_is_why_the_plan_tunes_first()
    {
        using var h = RepairHarness.Guide();
        var plan = h.Plan(steps: new[] { RepairStepName.RestartPool, RepairStepName.RestartSmsServices, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates });

        var result = h.Repair(plan: plan).Result;

        Assert.False(result.Succeeded);
        Assert.Equal(RepairStepOutcome.Failed, OutcomeOf(result, RepairStepName.WaitForSync));
        Assert.Contains("5002 WsusPool", h.Site.WasEvents.Skip(1));
        Assert.NotEqual(SyncResult.Succeeded, result.SyncStatus!.LastResult);
    }

    [Fact]
    public void A_second_run_on_the_repaired_server_changes_nothing_and_restarts_nothing()
    {
        using var h = RepairHarness.Guide();
        Assert.True(h.Repair().Result.Succeeded);
        var controlsAfterFirst = h.Site.ControlLog.Count;
        var configAfterFirst = File.ReadAllBytes(h.ConfigPath);
        var syncs = h.Site.Sync.SyncNowCalls;

        var second = h.Repair().Result;

        Assert.True(second.Succeeded, second.Summary);
        Assert.Equal(new[] { RepairStepName.VerifyUpdates }, second.Steps.Select(s => s.Name));
        Assert.Equal(controlsAfterFirst, h.Site.ControlLog.Count);
        Assert.Equal(configAfterFirst, File.ReadAllBytes(h.ConfigPath));
        Assert.Equal(syncs, h.Site.Sync.SyncNowCalls);
        Assert.Null(second.BackupPath);
        Assert.Contains("needed no repair", second.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_healthy_server_is_only_verified_nothing_is_changed_or_restarted()
    {
        using var h = RepairHarness.Healthy();

        var result = h.Repair().Result;

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal(RepairStepOutcome.Done, Assert.Single(result.Steps).Outcome);
        Assert.Empty(h.Site.ControlLog);
        Assert.True(h.ConfigUnchanged);
        Assert.False(Directory.Exists(h.BackupFolder));
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);
        Assert.Equal(9873, result.UpdateCount);
    }

    [Fact]
    public void A_pool_that_WAS_disables_again_after_the_change_is_rolled_back_and_restarted_and_the_sync_is_not_started()
    {
        using var h = RepairHarness.Guide();
        h.Site.PoolCrashesWhen = text => text.Contains("queueLength=\"2000\"", StringComparison.Ordinal);

        var outcome = h.Repair();
        var result = outcome.Result;

        Assert.False(result.Succeeded);
        Assert.True(result.RolledBack);
        Assert.Equal(RepairStepOutcome.RolledBack, OutcomeOf(result, RepairStepName.TunePool));
        var detected = Assert.Single(result.Steps, s => s.ErrorId == "PoolDidNotComeBack");
        // Seen before the sync, at the first look after rapid-fail protection stopped it: the restarts of the run are
        // watched until the sync rather than waited out one by one (the pool timeout is 90 s).
        Assert.Contains(detected.Name, new[] { RepairStepName.RestartIis, RepairStepName.RestartSmsServices, RepairStepName.StartSync });
        Assert.Contains("Stopped again", detected.Error, StringComparison.Ordinal);
        Assert.True(detected.Duration < TimeSpan.FromSeconds(90), detected.Duration.ToString());
        Assert.Contains("rolled back", detected.Error, StringComparison.Ordinal);
        Assert.Equal(RepairStepOutcome.Skipped, OutcomeOf(result, RepairStepName.StartSync));
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);

        // The file is back as it was and the pool runs on it.
        Assert.True(h.ConfigUnchanged);
        Assert.Equal(AppPoolState.Started, h.Site.Pool("WsusPool").State);
        Assert.Contains(h.Warnings, w => w.Contains("restoring", StringComparison.Ordinal));
        Assert.Contains(outcome.Errors, e => e.ErrorId == "PoolDidNotComeBack");
        Assert.Contains("rolled back", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_that_does_not_start_with_the_new_values_is_rolled_back_and_started_on_the_old_ones()
    {
        using var h = RepairHarness.Guide();
        h.Site.Pool("WsusPool").StartLatency = TimeSpan.FromSeconds(2);
        h.Site.PoolFailsToStartWhen = text => text.Contains("queueLength=\"2000\"", StringComparison.Ordinal);

        var result = h.Repair().Result;

        Assert.Equal(RepairStepOutcome.RolledBack, OutcomeOf(result, RepairStepName.TunePool));
        var restart = result.Steps.Single(s => s.Name == RepairStepName.RestartPool);
        Assert.Equal(RepairStepOutcome.Failed, restart.Outcome);
        Assert.Equal("PoolDidNotComeBack", restart.ErrorId);
        Assert.Contains("fell back to Stopped after the start", restart.Error, StringComparison.Ordinal);
        // Found at the first poll after it fell back, not after the 90 s pool timeout; the rollback's restart watches 10 s.
        Assert.Equal(TimeSpan.FromSeconds(13), restart.Duration);
        Assert.True(h.ConfigUnchanged);
        Assert.Equal(AppPoolState.Started, h.Site.Pool("WsusPool").State);
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);
        Assert.True(result.RolledBack);
    }

    [Fact]
    public void Web_services_answering_500_after_the_change_roll_it_back_at_once()
    {
        using var h = RepairHarness.Guide();
        h.Site.WebAnswers500When = text => text.Contains("queueLength=\"2000\"", StringComparison.Ordinal);

        var result = h.Repair().Result;

        Assert.Equal(RepairStepOutcome.RolledBack, OutcomeOf(result, RepairStepName.TunePool));
        Assert.Equal(RepairStepOutcome.Failed, OutcomeOf(result, RepairStepName.RestartPool));
        Assert.Contains("HTTP 500", result.Steps[1].Error, StringComparison.Ordinal);
        Assert.Equal(RepairStepOutcome.Skipped, OutcomeOf(result, RepairStepName.RestartIis)); // depends on the pool restart
        Assert.Equal(RepairStepOutcome.Done, OutcomeOf(result, RepairStepName.RestartSmsServices)); // does not
        Assert.True(h.ConfigUnchanged);
        Assert.DoesNotContain("stop W3SVC", h.Site.ControlLog);
    }

    [Fact]
    public void An_SMS_service_that_will_not_start_is_a_clear_error_the_rest_is_reported_and_the_report_is_written()
    {
        using var h = RepairHarness.Guide();
        h.Site.Service("SMS_EXECUTIVE").StopsWhileStarting = true;

        var outcome = h.Repair();
        var result = outcome.Result;

        Assert.False(result.Succeeded);
        var sms = result.Steps.Single(s => s.Name == RepairStepName.RestartSmsServices);
        Assert.Equal(RepairStepOutcome.Failed, sms.Outcome);
        Assert.Contains("SMS_EXECUTIVE", sms.Error, StringComparison.Ordinal);
        Assert.Equal("ServiceStartFailed", sms.ErrorId);
        Assert.Contains("SMS_EXECUTIVE: Failed", sms.Note, StringComparison.Ordinal);
        Assert.Equal(ServiceState.Running, h.Site.Service("SMS_SITE_COMPONENT_MANAGER").State); // the rest of the step still ran
        Assert.Equal(RepairStepOutcome.Done, OutcomeOf(result, RepairStepName.TunePool));
        Assert.Equal(RepairStepOutcome.Done, OutcomeOf(result, RepairStepName.RestartIis));
        Assert.Equal(RepairStepOutcome.Skipped, OutcomeOf(result, RepairStepName.StartSync));
        Assert.Contains("RestartSmsServices failed", result.Steps.Single(s => s.Name == RepairStepName.StartSync).Error, StringComparison.Ordinal);
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);
        Assert.Contains(outcome.Errors, e => e.ErrorId == "ServiceStartFailed");

        Assert.Equal(h.ReportPath, result.ReportPath);
        var report = File.ReadAllText(h.ReportPath);
        Assert.Contains("\"Outcome\": \"Failed\"", report, StringComparison.Ordinal);
        Assert.Contains("\"ErrorId\": \"ServiceStartFailed\"", report, StringComparison.Ordinal);
        Assert.Contains("\"Succeeded\": false", report, StringComparison.Ordinal);
    }

    private static void ProxyFailures(RepairHarness h)
    {
        // The proxy refuses the expired password: the last syncs failed (the TechNet page's first cause).
        h.Site.ProxyRejectsCredentials = true;
        var now = h.Clock.UtcNow.UtcDateTime;
        for (var i = 3; i >= 1; i--)
        {
            h.Site.Sync.AddHistory(SyncResult.Failed, now.AddHours(-i), TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public void A_proxy_blocker_stops_before_the_sync_and_names_the_manual_step()
    {
        using var h = RepairHarness.Healthy();
        ProxyFailures(h);

        var outcome = h.Repair();
        var result = outcome.Result;

        Assert.Equal(new[] { RepairStepName.Manual, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates }, result.Steps.Select(s => s.Name));
        var start = result.Steps.Single(s => s.Name == RepairStepName.StartSync);
        Assert.Equal(RepairStepOutcome.Skipped, start.Outcome);
        Assert.Equal("ManualStepRequired", start.ErrorId);
        Assert.Contains("proxy account", start.Error, StringComparison.Ordinal);
        Assert.Contains(FindingIds.ProxyAuthenticationFailed, start.Error, StringComparison.Ordinal);
        Assert.Equal(RepairStepOutcome.Skipped, OutcomeOf(result, RepairStepName.WaitForSync));
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);
        Assert.Empty(h.Site.Sync.InboxFiles);
        Assert.False(result.Succeeded);
        Assert.Contains(outcome.Errors, e => e.ErrorId == "ManualStepRequired");
        Assert.Contains(h.Warnings, w => w.Contains("proxy account", StringComparison.Ordinal));
        Assert.True(h.Clock.TotalDelayed < TimeSpan.FromSeconds(1)); // no sync waited out
    }

    [Fact]
    public void With_Force_the_admin_says_the_manual_step_is_done_and_the_sync_runs()
    {
        using var h = RepairHarness.Healthy();
        ProxyFailures(h);

        var result = h.Repair(options: h.Options(force: true)).Result;

        Assert.Equal(1, h.Site.Sync.SyncNowCalls);
        Assert.Equal(RepairStepOutcome.Done, OutcomeOf(result, RepairStepName.WaitForSync));
        Assert.True(result.Succeeded, result.Summary);
    }

    [Fact]
    public void Ctrl_C_during_the_sync_wait_stops_the_waiting_and_reports_where_it_stopped()
    {
        using var h = RepairHarness.Guide();
        using var cts = new CancellationTokenSource();
        h.Clock.OnDelay = _ =>
        {
            if (h.Site.Sync.WsusRunning)
            {
                cts.Cancel();
            }
        };

        var result = h.Repair(token: cts.Token).Result;

        Assert.Equal("WaitForSync", result.StoppedAt);
        Assert.False(result.Succeeded);
        Assert.Equal(RepairStepOutcome.Done, OutcomeOf(result, RepairStepName.StartSync));
        Assert.Equal(RepairStepOutcome.Skipped, OutcomeOf(result, RepairStepName.WaitForSync));
        Assert.Equal("RepairStopped", result.Steps.Single(s => s.Name == RepairStepName.VerifyUpdates).ErrorId);
        Assert.Contains("during WaitForSync", result.Summary, StringComparison.Ordinal);
        Assert.True(File.Exists(h.ReportPath));
        Assert.Contains("Stopped by the user", File.ReadAllText(h.LogPath), StringComparison.Ordinal);
    }

    [Fact]
    public void The_service_limit_the_admin_gives_bounds_each_service_wait()
    {
        using var h = RepairHarness.Healthy();
        var plan = h.Plan(steps: new[] { RepairStepName.RestartSmsServices });
        var options = new RepairOptions { ComputerName = "CM01", ConfigurationPath = h.ConfigPath, ServiceTimeout = TimeSpan.FromSeconds(10) };

        var result = h.Repair(options: options, plan: plan).Result;

        // SMS_EXECUTIVE takes 25 s to stop on this server: 10 s is not enough, and the step says so.
        var step = result.Steps.Single(s => s.Name == RepairStepName.RestartSmsServices);
        Assert.Equal(RepairStepOutcome.Failed, step.Outcome);
        Assert.Equal("ServiceStopTimeout", step.ErrorId);
        Assert.Contains("did not stop within 10 seconds", step.Error, StringComparison.Ordinal);
        // Still stopping when the limit ran out: the step fails rather than waiting longer than asked.
        Assert.Contains("(it is StopPending)", step.Error, StringComparison.Ordinal);
        Assert.Contains("SMS_EXECUTIVE: Failed", step.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctrl_C_while_the_pool_restarts_starts_it_again_and_the_step_says_how_it_was_left()
    {
        using var h = RepairHarness.Healthy();
        using var cts = new CancellationTokenSource();
        h.Clock.OnDelay = _ =>
        {
            if (h.Site.Pool("WsusPool").State == AppPoolState.Stopping)
            {
                cts.Cancel();
            }
        };

        var result = h.Repair(plan: h.Plan(steps: new[] { RepairStepName.RestartPool }), token: cts.Token).Result;

        Assert.Equal("RestartPool", result.StoppedAt);
        Assert.Equal(AppPoolState.Started, h.Site.Pool("WsusPool").State); // started and waited for, not only asked
        var step = result.Steps.Single(s => s.Name == RepairStepName.RestartPool);
        Assert.StartsWith("Stopped by the user on CM01 after WsusPool had been asked to stop: it was started again, now Started.", step.Note, StringComparison.Ordinal);
        Assert.Contains(h.Warnings, w => w == step.Note);
    }

    [Fact]
    public void Ctrl_C_while_the_SMS_services_restart_starts_again_what_the_run_stopped()
    {
        using var h = RepairHarness.Guide();
        using var cts = new CancellationTokenSource();
        h.Clock.OnDelay = _ =>
        {
            // SMS_EXECUTIVE has been stopped by the run; SMS_SITE_COMPONENT_MANAGER is stopping.
            if (h.Site.Service("SMS_SITE_COMPONENT_MANAGER").State == ServiceState.StopPending)
            {
                cts.Cancel();
            }
        };
        h.Site.Service("SMS_EXECUTIVE").State = ServiceState.Running;

        var result = h.Repair(token: cts.Token).Result;

        // Both are running when the run returns: the one still stopping was waited for and started again.
        Assert.Equal("RestartSmsServices", result.StoppedAt);
        Assert.Equal(RepairStepOutcome.Skipped, OutcomeOf(result, RepairStepName.StartSync));
        Assert.Equal(ServiceState.Running, h.Site.Service("SMS_EXECUTIVE").State);
        Assert.Equal(ServiceState.Running, h.Site.Service("SMS_SITE_COMPONENT_MANAGER").State);
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);
        var step = result.Steps.Single(s => s.Name == RepairStepName.RestartSmsServices);
        Assert.Equal("SMS_SITE_COMPONENT_MANAGER Running, SMS_EXECUTIVE Running", step.After);
        Assert.Contains("SMS_SITE_COMPONENT_MANAGER: started again, now Running.", step.Note, StringComparison.Ordinal);
        Assert.Contains(h.Warnings, w => w.StartsWith("Stopped by the user on CM01.", StringComparison.Ordinal));
    }

    [Fact]
    public void WhatIf_lists_every_step_and_touches_nothing()
    {
        using var h = RepairHarness.Guide();
        var asked = new System.Collections.Generic.List<string>();

        var result = h.Repair(hooks: new RepairHooks { WhatIf = true, ShouldProcess = (t, a) => { asked.Add(a); return false; } }).Result;

        Assert.All(result.Steps, s => Assert.Equal(RepairStepOutcome.WhatIf, s.Outcome));
        Assert.Equal(7, asked.Count);
        Assert.Contains(asked, a => a.Contains("Set queueLength: 1000 -> 2000", StringComparison.Ordinal));
        Assert.Empty(h.Site.ControlLog);
        Assert.True(h.ConfigUnchanged);
        Assert.False(Directory.Exists(h.BackupFolder));
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);
        Assert.False(File.Exists(h.ReportPath));
        Assert.False(result.Succeeded);
        Assert.StartsWith("What if", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cmdlets_WhatIf_shows_the_plans_changes_per_step_without_calling_any_port()
    {
        using var h = RepairHarness.Guide();
        var asked = new System.Collections.Generic.List<(string Target, string Action)>();
        var warnings = new System.Collections.Generic.List<string>();
        h.Site.Reachable = false; // any port call would throw

        var result = RepairRunner.WhatIf(h.Plan(), Array.Empty<WsusSyncFinding>(), (t, a) => { asked.Add((t, a)); return false; }, warnings.Add, "CM01", h.Clock.UtcNow.UtcDateTime);

        Assert.Equal(7, asked.Count);
        Assert.StartsWith("TunePool: queueLength 1000 → 2000;", asked[0].Action, StringComparison.Ordinal);
        Assert.StartsWith("WsusPool (", asked[0].Target, StringComparison.Ordinal);
        Assert.All(result.Steps, s => Assert.Equal(RepairStepOutcome.WhatIf, s.Outcome));
        Assert.False(result.Succeeded);
        Assert.Empty(h.Site.ControlLog);
        Assert.True(h.ConfigUnchanged);
    }

    [Fact]
    public void WhatIf_with_a_blocking_Manual_step_asks_nothing_from_the_sync_on_as_the_run_stops_there()
    {
        var blocker = new WsusRepairStep { ComputerName = "CM02", Order = 1, Name = RepairStepName.Manual, Target = "The proxy account", Reason = new[] { "ProxyAuthenticationFailed" }, BlocksSync = true };
        var plan = new[]
        {
            blocker,
            new WsusRepairStep { ComputerName = "CM02", Order = 2, Name = RepairStepName.StartSync, Target = "CM02" },
            new WsusRepairStep { ComputerName = "CM02", Order = 3, Name = RepairStepName.WaitForSync, Target = "CM02" },
            new WsusRepairStep { ComputerName = "CM02", Order = 4, Name = RepairStepName.VerifyUpdates, Target = "CM02" },
        };
        var asked = new System.Collections.Generic.List<string>();
        var warnings = new System.Collections.Generic.List<string>();

        var stopped = RepairRunner.WhatIf(plan, null, (t, a) => { asked.Add(a); return false; }, warnings.Add, "CM02", DateTime.UtcNow);
        var forced = RepairRunner.WhatIf(plan, null, (t, a) => { asked.Add(a); return false; }, null, "CM02", DateTime.UtcNow, force: true);

        Assert.Equal("ManualStepRequired", stopped.Steps.Single(s => s.Name == RepairStepName.StartSync).ErrorId);
        Assert.All(stopped.Steps, s => Assert.Equal(RepairStepOutcome.Skipped, s.Outcome));
        Assert.Contains(warnings, w => w.StartsWith("Would stop before the synchronization", StringComparison.Ordinal));
        Assert.Equal(3, asked.Count); // all three from the forced preview
        Assert.Equal(3, forced.Steps.Count(s => s.Outcome == RepairStepOutcome.WhatIf));
    }

    [Fact]
    public void Declining_one_step_under_Confirm_skips_it_and_the_rest_still_asks()
    {
        using var h = RepairHarness.Guide();
        var result = h.Repair(hooks: new RepairHooks { ShouldProcess = (t, a) => !a.StartsWith("RestartIis", StringComparison.Ordinal) }).Result;

        Assert.Equal(RepairStepOutcome.Skipped, OutcomeOf(result, RepairStepName.RestartIis));
        Assert.Equal(RepairStepOutcome.Done, OutcomeOf(result, RepairStepName.RestartSmsServices));
        Assert.DoesNotContain("stop W3SVC", h.Site.ControlLog);
    }

    [Fact]
    public void The_technet_bits_case_sets_BITS_to_Manual_starts_it_and_restarts_WSUS()
    {
        using var h = RepairHarness.Healthy();
        h.Site.Service("BITS").StartType = ServiceStartType.Disabled;
        h.Site.SetServiceState("WsusService", ServiceState.Stopped);

        var result = h.Repair().Result;

        Assert.Equal(new[] { RepairStepName.RepairBits, RepairStepName.RestartWsusService, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates }, result.Steps.Select(s => s.Name));
        Assert.True(result.Succeeded, result.Summary + string.Join(" | ", result.Steps.Select(s => $"{s.Name}:{s.Outcome}:{s.Error}")));
        Assert.Equal(new[] { "BITS Manual" }, h.Site.StartTypeChanges);
        Assert.Equal("BITS Stopped, Disabled", result.Steps[0].Before);
        Assert.Equal("BITS Running, Manual", result.Steps[0].After);
        Assert.Equal(ServiceState.Running, h.Site.Service("WsusService").State);
    }

    [Fact]
    public void A_WSUS_service_set_to_Manual_is_set_back_to_Automatic_and_started_in_one_confirmed_step()
    {
        using var h = RepairHarness.Healthy();
        h.Site.Service("WsusService").StartType = ServiceStartType.Manual;
        h.Site.SetServiceState("WsusService", ServiceState.Stopped);

        var result = h.Repair().Result;

        var step = result.Steps.Single(s => s.Name == RepairStepName.RestartWsusService);
        Assert.Equal(RepairStepOutcome.Done, step.Outcome);
        Assert.Equal("WsusService Stopped, Manual", step.Before);
        Assert.StartsWith("Start type Manual → Automatic.", step.Note, StringComparison.Ordinal);
        Assert.Equal(ServiceStartType.Automatic, h.Site.Service("WsusService").StartType);
        Assert.Equal(ServiceState.Running, h.Site.Service("WsusService").State);
        Assert.Single(h.Confirmations, c => c.Contains("RestartWsusService", StringComparison.Ordinal));
        Assert.True(result.Succeeded, result.Summary);
    }

    [Fact]
    public void Every_run_is_in_the_CMTrace_log_and_Get_WsusSyncLogs_reader_reads_it_back()
    {
        using var h = RepairHarness.Guide();
        h.Repair();
        h.Repair();

        var entries = EvidenceReader.ReadFile(h.LogPath).ToList();

        Assert.True(entries.Count >= 10);
        Assert.All(entries, e => Assert.Equal(CmTraceLog.DefaultComponent, e.Component));
        Assert.Equal(2, entries.Count(e => e.Message.StartsWith("Repair-WsusSync on CM01", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Message.StartsWith("Step 1 TunePool on CM01: Done", StringComparison.Ordinal) && e.Message.Contains("queueLength=1000", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Message.Contains("was repaired", StringComparison.Ordinal));
        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.TimeUtc <= p.Second.TimeUtc));
        Assert.Equal(h.Clock.UtcNow.UtcDateTime, entries[^1].TimeUtc);
    }

    [Fact]
    public void The_pool_is_watched_while_the_next_steps_run_not_after_each_restart()
    {
        using var h = RepairHarness.Guide();

        var result = h.Repair().Result;

        Assert.True(result.Succeeded);
        var seconds = result.Steps.ToDictionary(st => st.Name, st => st.Duration.TotalSeconds);

        // The pool's own stop and start only: the IIS reset after it restarts the pool again.
        Assert.Equal(1, seconds[RepairStepName.RestartPool]);
        // W3SVC and WAS stop and start; the 10 s watch of the pool runs on during the SMS services' restart (26 s) ...
        Assert.Equal(8, seconds[RepairStepName.RestartIis]);
        Assert.Equal(26, seconds[RepairStepName.RestartSmsServices]);
        // ... so it has ended before the sync is started, and nobody waited for it.
        Assert.Equal(0, seconds[RepairStepName.StartSync]);
        Assert.Equal(1, h.Site.Sync.SyncNowCalls);
    }

    [Fact]
    public void A_pool_restarted_just_before_the_sync_is_watched_until_it_has_run_for_the_settle_time()
    {
        using var h = RepairHarness.Guide();
        var plan = h.Plan(steps: new[] { RepairStepName.RestartPool, RepairStepName.StartSync });

        var result = h.Repair(plan: plan).Result;

        Assert.True(result.Succeeded);
        var start = result.Steps.Single(st => st.Name == RepairStepName.StartSync);
        Assert.Equal(RepairStepOutcome.Done, start.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(10), start.Duration);
        Assert.Equal(1, h.Site.Sync.SyncNowCalls);
    }

    [Fact]
    public void A_pool_that_falls_back_while_its_watch_is_owed_stops_the_repair_before_the_sync()
    {
        using var h = RepairHarness.Guide();
        h.Site.Pool("WsusPool").CrashLoopAfterStart = true; // five worker crashes, one a second, then 5002
        var plan = h.Plan(steps: new[] { RepairStepName.RestartPool, RepairStepName.StartSync, RepairStepName.WaitForSync });

        var result = h.Repair(plan: plan).Result;

        Assert.False(result.Succeeded);
        var start = result.Steps.Single(st => st.Name == RepairStepName.StartSync);
        Assert.Equal("PoolDidNotComeBack", start.ErrorId);
        Assert.Contains("Stopped again", start.Error, StringComparison.Ordinal);
        Assert.True(start.Duration < TimeSpan.FromSeconds(10), start.Duration.ToString());
        Assert.Equal(RepairStepOutcome.Skipped, result.Steps.Single(st => st.Name == RepairStepName.WaitForSync).Outcome);
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);
    }

    private static RepairHooks DecliningTheSync(RepairHarness h) => new()
    {
        ShouldProcess = (target, action) => !action.StartsWith("StartSync:", StringComparison.Ordinal),
        Warning = h.Warnings.Add,
    };

    [Fact]
    public void A_pool_that_falls_back_after_its_restart_is_seen_when_the_sync_is_declined()
    {
        using var h = RepairHarness.Guide();
        h.Site.Pool("WsusPool").CrashLoopAfterStart = true; // five worker crashes, one a second, then 5002
        var plan = h.Plan(steps: new[] { RepairStepName.RestartPool, RepairStepName.StartSync, RepairStepName.WaitForSync });

        var outcome = h.Repair(plan: plan, hooks: DecliningTheSync(h));
        var result = outcome.Result;

        Assert.Equal(RepairStepOutcome.Skipped, OutcomeOf(result, RepairStepName.StartSync));
        var restart = result.Steps.Single(st => st.Name == RepairStepName.RestartPool);
        Assert.Equal(RepairStepOutcome.Failed, restart.Outcome);
        Assert.Equal("PoolDidNotComeBack", restart.ErrorId);
        Assert.Contains("Stopped again", restart.Error, StringComparison.Ordinal);
        Assert.Contains("watched after StartSync", restart.Note, StringComparison.Ordinal);
        Assert.Equal("WsusPool Stopped", restart.After);
        Assert.Contains(outcome.Errors, e => e.ErrorId == "PoolDidNotComeBack");
        Assert.False(result.Succeeded);
        Assert.Equal(AppPoolState.Stopped, h.Site.Pool("WsusPool").State);
        // Seen at the first look after rapid-fail protection stopped it (about 6 s after the start), not after a timeout.
        Assert.InRange(restart.Duration.TotalSeconds, 4, 10);
    }

    [Fact]
    public void A_healthy_pool_gets_its_whole_watch_when_the_sync_is_declined()
    {
        using var h = RepairHarness.Guide();
        var plan = h.Plan(steps: new[] { RepairStepName.RestartPool, RepairStepName.StartSync });

        var result = h.Repair(plan: plan, hooks: DecliningTheSync(h)).Result;

        var restart = result.Steps.Single(st => st.Name == RepairStepName.RestartPool);
        Assert.Equal(RepairStepOutcome.Done, restart.Outcome);
        // The pool's own stop and start (1 s), then the 10 s watch the sync would have run.
        Assert.Equal(TimeSpan.FromSeconds(11), restart.Duration);
        Assert.Equal(TimeSpan.FromSeconds(11), h.Clock.TotalDelayed);
    }

    [Fact]
    public void A_pool_that_falls_back_is_seen_when_a_manual_step_blocks_the_sync()
    {
        using var h = RepairHarness.Healthy();
        ProxyFailures(h);
        h.Site.Pool("WsusPool").CrashLoopAfterStart = true;
        var plan = h.Plan(steps: new[] { RepairStepName.RestartPool, RepairStepName.StartSync });
        Assert.Contains(plan, st => st.Name == RepairStepName.Manual && st.BlocksSync);

        var result = h.Repair(plan: plan).Result;

        Assert.Equal("ManualStepRequired", result.Steps.Single(st => st.Name == RepairStepName.StartSync).ErrorId);
        var restart = result.Steps.Single(st => st.Name == RepairStepName.RestartPool);
        Assert.Equal(RepairStepOutcome.Failed, restart.Outcome);
        Assert.Equal("PoolDidNotComeBack", restart.ErrorId);
        Assert.Equal(0, h.Site.Sync.SyncNowCalls);
    }

    [Fact]
    public void A_pool_that_falls_back_is_seen_when_a_failed_step_skips_the_sync()
    {
        using var h = RepairHarness.Guide();
        h.Site.Pool("WsusPool").CrashLoopAfterStart = true;
        h.Site.Service("SMS_EXECUTIVE").DenyControl = true; // the SMS restart fails at once (access denied)
        var plan = h.Plan(steps: new[] { RepairStepName.RestartPool, RepairStepName.RestartSmsServices, RepairStepName.StartSync });

        var outcome = h.Repair(plan: plan);
        var result = outcome.Result;

        Assert.Equal(RepairStepOutcome.Failed, OutcomeOf(result, RepairStepName.RestartSmsServices));
        Assert.Equal("DependencyFailed", result.Steps.Single(st => st.Name == RepairStepName.StartSync).ErrorId);
        var restart = result.Steps.Single(st => st.Name == RepairStepName.RestartPool);
        Assert.Equal(RepairStepOutcome.Failed, restart.Outcome);
        Assert.Equal("PoolDidNotComeBack", restart.ErrorId);
        Assert.Contains("RestartPool, RestartSmsServices failed", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_that_falls_back_with_the_new_values_is_rolled_back_when_the_sync_is_declined()
    {
        using var h = RepairHarness.Guide();
        h.Site.PoolCrashesWhen = text => text.Contains("queueLength=\"2000\"", StringComparison.Ordinal);
        var plan = h.Plan(steps: new[] { RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.StartSync });

        var result = h.Repair(plan: plan, hooks: DecliningTheSync(h)).Result;

        Assert.True(result.RolledBack);
        Assert.Equal(RepairStepOutcome.RolledBack, OutcomeOf(result, RepairStepName.TunePool));
        Assert.Equal("PoolDidNotComeBack", result.Steps.Single(st => st.Name == RepairStepName.RestartPool).ErrorId);
        Assert.True(h.ConfigUnchanged);
        Assert.Equal(AppPoolState.Started, h.Site.Pool("WsusPool").State);
    }

    [Fact]
    public void Ctrl_C_during_the_watch_owed_after_a_declined_sync_stops_the_run_there()
    {
        using var h = RepairHarness.Guide();
        using var cts = new CancellationTokenSource();
        var plan = h.Plan(steps: new[] { RepairStepName.RestartPool, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates });
        var declined = false;
        var hooks = new RepairHooks
        {
            ShouldProcess = (_, action) =>
            {
                declined |= action.StartsWith("StartSync:", StringComparison.Ordinal);
                return !action.StartsWith("StartSync:", StringComparison.Ordinal);
            },
            Warning = h.Warnings.Add,
        };
        h.Clock.OnDelay = _ => { if (declined) { cts.Cancel(); } };

        var result = h.Repair(plan: plan, hooks: hooks, token: cts.Token).Result;

        Assert.Equal("StartSync", result.StoppedAt);
        var restart = result.Steps.Single(st => st.Name == RepairStepName.RestartPool);
        Assert.Equal(RepairStepOutcome.Done, restart.Outcome);
        Assert.Contains("was stopped by the user; it was Started then.", restart.Note, StringComparison.Ordinal);
        Assert.Equal("RepairStopped", result.Steps.Single(st => st.Name == RepairStepName.VerifyUpdates).ErrorId);
    }
}
