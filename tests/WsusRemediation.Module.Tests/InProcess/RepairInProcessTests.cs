using System;
using System.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests.InProcess
{
    /// <summary>
    /// Get-WsusRepairPlan and Repair-WsusSync in a real runspace, with the guide's findings built in
    /// PowerShell: plan binding, -WhatIf, a plan saved and read back, and the errors for bad input.
    /// Every repair here is -WhatIf or refused before it acts.
    /// </summary>
    public sealed class RepairInProcessTests
    {
        private const string RepairId = "WsusRemediation.Commands.RepairWsusSyncCommand";

        private const string GuideFindings =
            "function F($id, $sev, $step) { [WsusRemediation.Engine.Diagnosis.WsusSyncFinding]@{ ComputerName = 'CM01'; Id = $id; Severity = $sev; RepairStep = $step } }; " +
            "$guide = @((F PoolTuningNotCompliant Error TunePool), (F PoolDisabledByRapidFailProtection Critical RestartPool), (F SyncFailureStreak Error StartSync)); ";

        [Fact]
        public void The_plan_from_findings_pipes_into_Repair_WsusSync_and_WhatIf_prints_each_step_and_returns_nothing()
        {
            var run = InProcessPowerShell.Run(GuideFindings + "$plan = $guide | Get-WsusRepairPlan; ($plan | ForEach-Object { [string]$_.Name }) -join ','; $plan | Repair-WsusSync -WhatIf").AssertNoErrors();

            Assert.Equal("TunePool,RestartPool,RestartIis,RestartSmsServices,StartSync,WaitForSync,VerifyUpdates", Assert.Single(run.Output).BaseObject);
            Assert.Equal(7, run.WhatIfLines.Count);
            Assert.StartsWith("What if: Performing the operation \"TunePool:", run.WhatIfLines[0], StringComparison.Ordinal);
            Assert.EndsWith("on target \"WsusPool on CM01\".", run.WhatIfLines[1], StringComparison.Ordinal);
        }

        [Fact]
        public void A_plan_serialized_and_read_back_as_PowerShell_does_for_Export_Clixml_still_binds_as_a_plan()
        {
            // Import-Clixml gives Deserialized.* property bags; PSSerializer is the same serializer.
            var run = InProcessPowerShell.Run(
                GuideFindings +
                "$plan = $guide | Get-WsusRepairPlan; " +
                "$back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($plan)); " +
                "$back[0].PSObject.TypeNames[0]; $back | Repair-WsusSync -WhatIf").AssertNoErrors();

            Assert.Equal("Deserialized.WsusRemediation.Engine.Repair.WsusRepairStep", Assert.Single(run.Output).BaseObject);
            Assert.Equal(7, run.WhatIfLines.Count);
            Assert.StartsWith("What if: Performing the operation \"TunePool:", run.WhatIfLines[0], StringComparison.Ordinal);
        }

        [Fact]
        public void Bad_input_is_refused_with_a_stable_id_before_anything_runs()
        {
            var step = InProcessPowerShell.Run(GuideFindings + "$guide | Repair-WsusSync -Step None -WhatIf");
            var timeout = InProcessPowerShell.Run(GuideFindings + "$guide | Repair-WsusSync -Timeout '00:00:00' -WhatIf");

            Assert.Equal("InvalidRepairStep," + RepairId, step.TerminatingError?.FullyQualifiedErrorId ?? Assert.Single(step.Errors).FullyQualifiedErrorId);
            Assert.Equal("TimeoutOutOfRange," + RepairId, timeout.TerminatingError?.FullyQualifiedErrorId ?? Assert.Single(timeout.Errors).FullyQualifiedErrorId);
            Assert.Empty(step.WhatIfLines);
            Assert.Empty(timeout.WhatIfLines);
        }

        [OffWindowsFact]
        public void A_live_plan_takes_several_servers_each_diagnosed_at_its_WSUS_port_and_one_error_each_off_Windows()
        {
            var run = InProcessPowerShell.Run(
                "Get-WsusRepairPlan -ComputerName SUP01.contoso.com, SUP02.contoso.com -UseSsl -ThrottleLimit 2 -Verbose -ErrorAction SilentlyContinue; " +
                "[WsusRemediation.Engine.Hierarchy.SoftwareUpdatePoint]@{ ComputerName = 'SUP03.contoso.com'; SiteCode = 'P01'; WsusPort = 443; UseSsl = $true } | Get-WsusRepairPlan -Verbose -ErrorAction SilentlyContinue");

            Assert.Contains("Collecting the evidence of 'SUP01.contoso.com' (its WSUS settings through the WSUS API at https://SUP01.contoso.com:8531).", run.Verbose);
            Assert.Contains("Collecting the evidence of 'SUP02.contoso.com' (its WSUS settings through the WSUS API at https://SUP02.contoso.com:8531).", run.Verbose);
            Assert.Contains("Collecting the evidence of 'SUP03.contoso.com' (its WSUS settings through the WSUS API at https://SUP03.contoso.com:443).", run.Verbose);
            var errors = run.RecordedErrors.Where(e => e.FullyQualifiedErrorId == "LiveAccessRequiresWindows,WsusRemediation.Commands.GetWsusRepairPlanCommand").ToList();
            Assert.Equal(3, errors.Count);
            Assert.Equal(new[] { "SUP01.contoso.com", "SUP02.contoso.com", "SUP03.contoso.com" }, errors.Select(e => (string)e.TargetObject).OrderBy(t => t, StringComparer.Ordinal));
            Assert.Empty(run.Output);
        }

        [OffWindowsFact]
        public void A_software_update_point_piped_into_Repair_WsusSync_is_diagnosed_at_its_own_WSUS_port()
        {
            var run = InProcessPowerShell.Run(
                "[WsusRemediation.Engine.Hierarchy.SoftwareUpdatePoint]@{ ComputerName = 'SUP01.contoso.com'; SiteCode = 'P01'; WsusPort = 8531; UseSsl = $true } | Repair-WsusSync -Confirm:$false -Verbose -ErrorAction SilentlyContinue");

            Assert.Contains("Collecting the evidence of 'SUP01.contoso.com' (its WSUS settings through the WSUS API at https://SUP01.contoso.com:8531).", run.Verbose);
            Assert.Equal("LiveAccessRequiresWindows," + RepairId, Assert.Single(run.RecordedErrors).FullyQualifiedErrorId);
            Assert.Empty(run.Output);
        }

        private const string SslFindings =
            "function S($id, $sev, $step) { [WsusRemediation.Engine.Diagnosis.WsusSyncFinding]@{ ComputerName = 'SUP01.contoso.com'; WsusPort = 8531; UseSsl = $true; Id = $id; Severity = $sev; RepairStep = $step } }; " +
            "$ssl = @((S PoolDisabledByRapidFailProtection Critical RestartPool), (S SyncFailureStreak Error StartSync)); ";

        [Fact]
        public void Findings_and_steps_of_an_SSL_update_point_bring_its_WSUS_port_and_scheme_to_Repair_WsusSync()
        {
            // Get-SoftwareUpdatePoint | Get-WsusSyncDiagnosis | Repair-WsusSync: the WSUS API must be reached at 8531 over HTTPS again.
            var findings = InProcessPowerShell.Run(SslFindings + "$ssl | Repair-WsusSync -WhatIf -Verbose").AssertNoErrors();
            var steps = InProcessPowerShell.Run(SslFindings + "$plan = $ssl | Get-WsusRepairPlan; ($plan | ForEach-Object { \"$($_.WsusPort)/$($_.UseSsl)\" }) -join ','; $plan | Repair-WsusSync -WhatIf -Verbose").AssertNoErrors();
            var saved = InProcessPowerShell.Run(SslFindings + "$back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize(($ssl | Get-WsusRepairPlan))); $back | Repair-WsusSync -WhatIf -Verbose").AssertNoErrors();
            var typed = InProcessPowerShell.Run(SslFindings + "$ssl | Repair-WsusSync -WsusPort 9443 -WhatIf -Verbose").AssertNoErrors();

            const string Expected = "The WSUS API of SUP01.contoso.com (the synchronization when MECM cannot start it, the diagnosis after the repair): https://SUP01.contoso.com:8531.";
            Assert.Contains(Expected, findings.Verbose);
            var carried = ((string)Assert.Single(steps.Output).BaseObject).Split(',');
            Assert.True(carried.Length >= 5, string.Join(",", carried));
            Assert.All(carried, c => Assert.Equal("8531/True", c));
            Assert.Contains(Expected, steps.Verbose);
            Assert.Contains(Expected, saved.Verbose);
            Assert.Contains("The WSUS API of SUP01.contoso.com (the synchronization when MECM cannot start it, the diagnosis after the repair): https://SUP01.contoso.com:9443.", typed.Verbose);
        }

        [Fact]
        public void Findings_without_a_port_default_to_WSUS_8530_and_still_bind()
        {
            var run = InProcessPowerShell.Run(GuideFindings + "\"$($guide[0].WsusPort)/$($guide[0].UseSsl)\"; $guide | Repair-WsusSync -WhatIf -Verbose").AssertNoErrors();

            Assert.Equal("8530/False", Assert.Single(run.Output).BaseObject);
            Assert.Contains("The WSUS API of CM01 (the synchronization when MECM cannot start it, the diagnosis after the repair): http://CM01:8530.", run.Verbose);
        }

        [Fact]
        public void Findings_come_from_one_server_so_one_name_overrides_theirs_and_several_are_refused()
        {
            var one = InProcessPowerShell.Run(GuideFindings + "$guide | Get-WsusRepairPlan -ComputerName CM02 | ForEach-Object ComputerName").AssertNoErrors();
            var two = InProcessPowerShell.RunStatement(GuideFindings + "$guide | Get-WsusRepairPlan -ComputerName CM02, CM03");
            var evidence = InProcessPowerShell.RunStatement("Get-WsusRepairPlan -EvidencePath . -ComputerName CM02, CM03");

            Assert.Equal(7, one.Output.Count);
            Assert.All(one.Output, o => Assert.Equal("CM02", o.BaseObject));
            Assert.Equal("OneComputerNameOnly,WsusRemediation.Commands.GetWsusRepairPlanCommand", evidence.TerminatingError?.FullyQualifiedErrorId);
            var refused = two.TerminatingError!;
            Assert.Equal("OneComputerNameOnly,WsusRemediation.Commands.GetWsusRepairPlanCommand", refused.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, refused.CategoryInfo.Category);
            Assert.Empty(two.Output);
        }

        [Theory]
        [InlineData("-ServiceTimeout 0", "-ServiceTimeout must be more than 0 and at most 01:00:00; got 00:00:00.")]
        [InlineData("-ServiceTimeout '01:00:01'", "-ServiceTimeout must be more than 0 and at most 01:00:00; got 01:00:01.")]
        [InlineData("-PoolTimeout -5", "-PoolTimeout must be more than 0 and at most 01:00:00; got -00:00:05.")]
        [InlineData("-PoolTimeout 3601", "-PoolTimeout must be more than 0 and at most 01:00:00; got 01:00:01.")]
        public void Service_and_pool_limits_out_of_range_are_refused_naming_the_parameter_before_anything_runs(string limit, string message)
        {
            var run = InProcessPowerShell.RunStatement(GuideFindings + $"$guide | Repair-WsusSync {limit} -WhatIf");

            Assert.Equal("TimeoutOutOfRange," + RepairId, run.TerminatingError?.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, run.TerminatingError!.CategoryInfo.Category);
            Assert.StartsWith(message, run.TerminatingError.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(run.WhatIfLines);
        }

        [Fact]
        public void Service_and_pool_limits_take_seconds_or_a_time_span_and_bind_as_time_spans()
        {
            var run = InProcessPowerShell.Run(
                GuideFindings +
                "$guide | Repair-WsusSync -ServiceTimeout 600 -PoolTimeout '00:03:00' -WhatIf; " +
                "$p = (Get-Command Repair-WsusSync).Parameters; $p['ServiceTimeout'].ParameterType.Name; $p['PoolTimeout'].ParameterType.Name").AssertNoErrors();

            Assert.Equal(7, run.WhatIfLines.Count);
            Assert.Equal(new object[] { "TimeSpan", "TimeSpan" }, run.Output.Select(o => o.BaseObject));
        }
    }
}
