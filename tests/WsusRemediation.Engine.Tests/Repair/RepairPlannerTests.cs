using System;
using System.Linq;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Tests.Common;
using Xunit;
using static WsusRemediation.Engine.Tests.Repair.RepairFindings;

namespace WsusRemediation.Engine.Tests.Repair;

public class RepairPlannerTests
{
    private static RepairPlanRequest GuideRequest(Func<RepairPlanRequest, RepairPlanRequest>? change = null)
    {
        var path = TempFolder.Fixture("Evidence/GuideCase/applicationHost.config");
        var document = new PoolTuningService(PhysicalFileStore.Instance, new VirtualClock()).Load(path);
        var desired = PoolTuningService.DesiredValues(PoolTuningProfileName.Recommended, new System.Collections.Generic.Dictionary<string, object>(), force: false);
        var request = new RepairPlanRequest
        {
            ComputerName = "CM01",
            Findings = GuideCase(),
            ConfigurationPath = path,
            PoolChanges = PoolTuningService.PlanChanges(document, "WsusPool", desired),
        };
        return change is null ? request : change(request);
    }

    private static RepairStepName[] Names(RepairPlanRequest request) => RepairPlanner.Plan(request).Select(s => s.Name).ToArray();

    [Fact]
    public void The_guides_case_plans_the_guides_sequence_with_the_tuning_changes_computed_from_the_configuration()
    {
        var plan = RepairPlanner.Plan(GuideRequest());

        Assert.Equal(
            new[] { RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates },
            plan.Select(s => s.Name));
        Assert.Equal(Enumerable.Range(1, 7), plan.Select(s => s.Order));

        var tune = plan[0];
        Assert.Equal(RepairImpact.Change, tune.Impact);
        Assert.Contains("queueLength 1000 → 2000", tune.Changes);
        Assert.Contains("processModel.idleTimeout 00:20:00 → 00:00:00", tune.Changes);
        Assert.Contains("recycling.periodicRestart.privateMemory 1843200 KB → 0 KB", tune.Changes);
        Assert.DoesNotContain(tune.Changes, c => c.Contains("enable32BitAppOnWin64", StringComparison.Ordinal)); // already False there
        Assert.Equal(new[] { FindingIds.PoolTuningNotCompliant, FindingIds.PoolRecycledOnMemoryLimit }, tune.Reason);
        Assert.Equal("Set-WsusPoolTuning -Profile Recommended", tune.Command);

        Assert.Equal(new[] { FindingIds.PoolDisabledByRapidFailProtection, FindingIds.HttpAppOffline, FindingIds.WsusApiUnavailable }, plan[1].Reason);
        Assert.Empty(plan[2].Reason); // the IIS reset is the guide's, not a finding's
        Assert.Equal(RepairImpact.Restart, plan[2].Impact);
        Assert.Equal("Restart-SmsService", plan[3].Command);
        Assert.Equal(new[] { FindingIds.SyncFailureStreak, FindingIds.ConfigMgrHasNoUpdates }, plan[4].Reason);
        Assert.Equal(RepairImpact.Sync, plan[5].Impact);
        Assert.Equal(RepairImpact.None, plan[6].Impact);
        Assert.All(plan, s => Assert.Equal("CM01", s.ComputerName));
    }

    [Fact]
    public void Every_step_carries_the_WSUS_port_and_scheme_of_the_findings_or_the_ones_given()
    {
        var ssl = GuideCase().Select(f => new WsusSyncFinding { ComputerName = f.ComputerName, Id = f.Id, Severity = f.Severity, RepairStep = f.RepairStep, WsusPort = 8531, UseSsl = true }).ToList();

        var fromFindings = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "SUP01", Findings = ssl, All = true });
        var given = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "SUP01", Findings = ssl, WsusPort = 9443 });
        var sslGiven = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "SUP01", UseSsl = true });
        var none = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "SUP01" });

        Assert.Equal(RepairPlanner.AutomaticSteps.Count, fromFindings.Count);
        Assert.All(fromFindings, s => Assert.Equal((8531, true), (s.WsusPort, s.UseSsl)));
        Assert.All(given, s => Assert.Equal((9443, true), (s.WsusPort, s.UseSsl)));
        Assert.Equal((8531, true), (Assert.Single(sslGiven).WsusPort, sslGiven[0].UseSsl));
        Assert.Equal((8530, false), (Assert.Single(none).WsusPort, none[0].UseSsl));
    }

    [Fact]
    public void A_manual_step_carries_the_port_as_well()
    {
        var proxy = ProxyCase().Select(f => new WsusSyncFinding { ComputerName = f.ComputerName, Id = f.Id, Severity = f.Severity, RepairStep = f.RepairStep, WsusPort = 8531, UseSsl = true }).ToList();

        var plan = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "SUP01", Findings = proxy });

        Assert.Contains(plan, s => s.IsManual);
        Assert.All(plan, s => Assert.Equal((8531, true), (s.WsusPort, s.UseSsl)));
    }

    [Fact]
    public void A_healthy_server_gets_only_the_verification()
    {
        Assert.Equal(new[] { RepairStepName.VerifyUpdates }, Names(GuideRequest(r => new RepairPlanRequest { ComputerName = "CM01", Findings = Healthy() })));
        Assert.Equal(new[] { RepairStepName.VerifyUpdates }, Names(new RepairPlanRequest { ComputerName = "CM01" }));
    }

    [Fact]
    public void A_pool_already_tuned_is_not_tuned_again_even_when_the_evidence_still_shows_the_old_settings()
    {
        var request = GuideRequest();
        var plan = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "CM01", Findings = request.Findings, PoolChanges = Array.Empty<PoolSettingChange>() });

        Assert.Equal(
            new[] { RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates },
            plan.Select(s => s.Name));
    }

    [Fact]
    public void Without_the_configuration_the_tuning_step_says_its_changes_are_not_known_yet()
    {
        var plan = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "CM01", Findings = GuideCase(), Profile = PoolTuningProfileName.LargeEnvironment });

        Assert.Equal(RepairStepName.TunePool, plan[0].Name);
        Assert.Contains("not read", Assert.Single(plan[0].Changes), StringComparison.Ordinal);
        Assert.Equal("Set-WsusPoolTuning -Profile LargeEnvironment", plan[0].Command);
    }

    [Fact]
    public void A_proxy_blocker_is_a_manual_step_listed_before_the_sync_it_would_make_fail()
    {
        var plan = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "CM01", Findings = ProxyCase() });

        Assert.Equal(new[] { RepairStepName.Manual, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates }, plan.Select(s => s.Name));
        var manual = plan[0];
        Assert.True(manual.IsManual);
        Assert.True(manual.BlocksSync);
        Assert.Equal(RepairImpact.None, manual.Impact);
        Assert.Equal(new[] { FindingIds.ProxyAuthenticationFailed }, manual.Reason);
        Assert.Contains("proxy account", manual.Command, StringComparison.Ordinal);
        Assert.Contains("proxy account", manual.Target, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manual_finding_of_warning_severity_is_listed_without_blocking_the_sync()
    {
        var plan = RepairPlanner.Plan(new RepairPlanRequest { Findings = new[] { Finding(FindingIds.UpstreamMissingUpdates, FindingSeverity.Warning) } });

        var manual = Assert.Single(plan, s => s.IsManual);
        Assert.False(manual.BlocksSync);
        Assert.Equal(new[] { RepairStepName.Manual, RepairStepName.VerifyUpdates }, plan.Select(s => s.Name)); // nothing to prove by a sync
    }

    [Fact]
    public void The_technet_bits_case_repairs_bits_and_restarts_the_wsus_service_before_the_sync()
    {
        Assert.Equal(
            new[] { RepairStepName.RepairBits, RepairStepName.RestartWsusService, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates },
            Names(new RepairPlanRequest { ComputerName = "CM01", Findings = BitsCase() }));
    }

    [Fact]
    public void All_plans_the_whole_sequence_regardless_of_the_findings_and_keeps_the_manual_steps()
    {
        var plan = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "CM01", All = true, Findings = ProxyCase() });

        Assert.Equal(
            new[]
            {
                RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices, RepairStepName.RepairBits,
                RepairStepName.RestartWsusService, RepairStepName.Manual, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates,
            },
            plan.Select(s => s.Name));
        Assert.Empty(plan[0].Reason);
    }

    [Fact]
    public void Step_runs_only_the_named_steps_and_waiting_for_a_sync_brings_its_start()
    {
        Assert.Equal(
            new[] { RepairStepName.RestartPool, RepairStepName.StartSync, RepairStepName.WaitForSync },
            Names(GuideRequest(r => new RepairPlanRequest { Findings = r.Findings, Steps = new[] { RepairStepName.WaitForSync, RepairStepName.RestartPool } })));
    }

    [Fact]
    public void SkipSync_leaves_out_the_sync_and_its_wait()
    {
        var request = GuideRequest();
        Assert.Equal(
            new[] { RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices, RepairStepName.VerifyUpdates },
            Names(new RepairPlanRequest { Findings = request.Findings, PoolChanges = request.PoolChanges, SkipSync = true }));
    }

    [Fact]
    public void A_findings_own_repair_step_wins_over_the_default_for_its_id_a_blocking_manual_step_is_proven_by_a_sync_and_unknown_ids_plan_nothing()
    {
        var plan = RepairPlanner.Plan(new RepairPlanRequest
        {
            Findings = new[]
            {
                Finding(FindingIds.SmsServiceNotRunning, FindingSeverity.Error, RepairStepName.Manual),
                Finding("SomethingNewer", FindingSeverity.Critical),
            },
        });

        Assert.Equal(new[] { RepairStepName.Manual, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates }, plan.Select(s => s.Name));
        Assert.Equal(RepairStepName.RestartSmsServices, RepairPlanner.StepFor(Finding(FindingIds.SmsServiceNotRunning, FindingSeverity.Error)));
        Assert.Equal(RepairStepName.None, RepairPlanner.StepFor(Finding(FindingIds.PoolStopped, FindingSeverity.Information, RepairStepName.RestartPool)));
    }

    [Fact]
    public void For_another_computer_every_command_line_names_it_and_a_custom_pool_is_named_too()
    {
        var plan = RepairPlanner.Plan(new RepairPlanRequest { ComputerName = "CM02", IsRemote = true, PoolName = "WsusPool2", All = true });

        Assert.Equal("Set-WsusPoolTuning -ComputerName CM02 -PoolName 'WsusPool2' -Profile Recommended", plan[0].Command);
        Assert.Equal("Restart-WsusPool -ComputerName CM02 -PoolName 'WsusPool2'", plan[1].Command);
        Assert.All(plan.Where(s => !s.IsManual), s => Assert.Contains("CM02", s.Command, StringComparison.Ordinal));
        Assert.Contains("WsusPool2 on CM02", plan[1].Target, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_of_the_past_plan_nothing_but_a_setting_that_is_off_now_plans_the_tuning_and_its_restarts()
    {
        var past = new[]
        {
            Finding(FindingIds.PoolRecycledOnMemoryLimit, FindingSeverity.Warning, RepairStepName.TunePool),
            Finding(FindingIds.PoolDisabledByRapidFailProtection, FindingSeverity.Warning, RepairStepName.RestartPool),
            Finding(FindingIds.SyncFailureStreak, FindingSeverity.Warning, RepairStepName.StartSync),
        };
        Assert.Equal(new[] { RepairStepName.VerifyUpdates }, Names(new RepairPlanRequest { Findings = past, PoolChanges = Array.Empty<PoolSettingChange>() }));

        var request = GuideRequest();
        var offNow = new[] { Finding(FindingIds.PoolTuningNotCompliant, FindingSeverity.Warning, RepairStepName.TunePool) };
        Assert.Equal(
            new[] { RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates },
            Names(new RepairPlanRequest { Findings = offNow, PoolChanges = request.PoolChanges }));
    }
}
