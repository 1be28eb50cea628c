using System;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Tests.Common;
using Xunit;
using Xunit.Abstractions;

namespace WsusRemediation.Engine.Tests.Repair;

/// <summary>Get-WsusRepairPlan -EvidencePath: the diagnosis of collected evidence, planned offline.</summary>
public class EvidencePlanTests
{
    private readonly ITestOutputHelper _output;

    public EvidencePlanTests(ITestOutputHelper output) => _output = output;

    private RepairStepName[] PlanNames(string folder, bool all = false)
    {
        var input = RepairPlanning.DiagnoseEvidence(new[] { folder }, PoolTuningProfileName.Recommended, CancellationToken.None, _output.WriteLine);
        var plan = RepairPlanner.Plan(RepairPlanning.Request(input.ComputerName ?? string.Empty, true, input.Findings, PoolTuningProfileName.Recommended, all, null, false, () => input.Configuration, _output.WriteLine, input.ConfigurationShownAs));
        foreach (var step in plan)
        {
            _output.WriteLine($"{step.Order} {step.Name} [{string.Join(",", step.Reason)}] {string.Join("; ", step.Changes)}");
        }

        return plan.Select(s => s.Name).ToArray();
    }

    [Fact]
    public void The_guides_evidence_plans_the_guides_sequence_with_the_tuning_from_its_applicationHost_config()
    {
        var folder = TempFolder.Fixture("Evidence/GuideCase");
        var input = RepairPlanning.DiagnoseEvidence(new[] { folder }, PoolTuningProfileName.Recommended, CancellationToken.None, null);
        var plan = RepairPlanner.Plan(RepairPlanning.Request(input.ComputerName ?? string.Empty, true, input.Findings, PoolTuningProfileName.Recommended, false, null, false, () => input.Configuration, null, input.ConfigurationShownAs));

        Assert.Equal(
            new[] { RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates },
            plan.Select(s => s.Name));
        Assert.Contains("queueLength 1000 → 2000", plan[0].Changes);
        Assert.Contains(FindingIds.PoolTuningNotCompliant, plan[0].Reason);
        Assert.Contains(FindingIds.PoolDisabledByRapidFailProtection, plan[1].Reason);
        // The changes come from the evidence's copy; the step changes the server's own file.
        Assert.Equal("WsusPool (applicationHost.config on CM01.CONTOSO.COM)", plan[0].Target);
        Assert.DoesNotContain(plan, s => s.IsManual);
    }

    [Fact]
    public void The_evidence_of_the_fixed_server_plans_no_change_and_no_restart()
    {
        // Its diagnosis keeps last week's pool failures as warnings; the configuration is already tuned.
        Assert.Equal(new[] { RepairStepName.VerifyUpdates }, PlanNames(TempFolder.Fixture("Evidence/HealthyAfterFix")));
    }

    [Fact]
    public void The_technet_proxy_evidence_plans_a_blocking_manual_step_before_the_sync_and_no_restart()
    {
        var input = RepairPlanning.DiagnoseEvidence(new[] { TempFolder.Fixture("Evidence/ProxyCase") }, PoolTuningProfileName.Recommended, CancellationToken.None, null);
        var plan = RepairPlanner.Plan(RepairPlanning.Request("CM02", true, input.Findings, PoolTuningProfileName.Recommended, false, null, false, () => input.Configuration, null));

        var manual = plan.Where(s => s.IsManual).ToList();
        Assert.Contains(manual, s => s.Reason.Contains(FindingIds.ProxyAuthenticationFailed) && s.BlocksSync);
        var start = plan.Single(s => s.Name == RepairStepName.StartSync);
        Assert.All(manual, m => Assert.True(m.Order < start.Order));
        Assert.DoesNotContain(plan, s => s.Impact == RepairImpact.Restart);
    }

    [Fact]
    public void The_technet_bits_evidence_collected_by_hand_plans_RepairBits_and_RestartWsusService()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "services.csv"),
            "\"Name\",\"DisplayName\",\"Status\",\"StartType\"\r\n" +
            "\"BITS\",\"Background Intelligent Transfer Service\",\"Stopped\",\"Disabled\"\r\n" +
            "\"WsusService\",\"WSUS Service\",\"Stopped\",\"Automatic\"\r\n");

        var names = PlanNames(temp.Path);

        Assert.Equal(new[] { RepairStepName.RepairBits, RepairStepName.RestartWsusService, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates }, names);
    }

    [Fact]
    public void The_technet_downstream_evidence_repairs_BITS_and_lists_the_folder_permissions_and_the_upstream_as_manual_steps_before_the_sync()
    {
        var input = RepairPlanning.DiagnoseEvidence(new[] { TempFolder.Fixture("Evidence/DownstreamCase") }, PoolTuningProfileName.Recommended, CancellationToken.None, null);
        var plan = RepairPlanner.Plan(RepairPlanning.Request(input.ComputerName ?? string.Empty, true, input.Findings, PoolTuningProfileName.Recommended, false, null, false, () => input.Configuration, null, input.ConfigurationShownAs));

        Assert.Equal(
            new[] { RepairStepName.RepairBits, RepairStepName.Manual, RepairStepName.Manual, RepairStepName.StartSync, RepairStepName.WaitForSync, RepairStepName.VerifyUpdates },
            plan.Select(s => s.Name));
        Assert.Equal(new[] { FindingIds.BitsNotUsable }, plan[0].Reason);
        Assert.Equal(new[] { FindingIds.ContentFolderAccessDenied, FindingIds.UpstreamMissingUpdates }, plan.Where(s => s.IsManual).SelectMany(s => s.Reason));
        Assert.DoesNotContain(plan, s => s.Impact == RepairImpact.Restart);
    }
}
