using System.IO;
using System.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests.InProcess
{
    /// <summary>
    /// What an admin types slightly wrong, on the evidence fixtures: an empty server name given to a command that
    /// restarts or repairs, a -Since on the wrong side of the evidence, and collected logs read days after they
    /// were taken. Each gets one clear error (or the same verdict as on the day), and nothing is changed.
    /// </summary>
    public class AdminInputInProcessTests
    {
        private static readonly string Fixtures = Path.Combine(InProcessPowerShell.RepoRoot, "tests", "WsusRemediation.Engine.Tests", "Fixtures");

        private static string Evidence(string scenario) => Path.Combine(Fixtures, "Evidence", scenario);

        [Fact]
        public void Collected_logs_of_the_repaired_server_are_judged_as_of_their_newest_entry_not_the_clock()
        {
            // The fix's last synchronization succeeded on 2026-11-13; read more than a week later, the verdict was
            // "Warning: no synchronization has succeeded since 2026-11-13" for a server that was fine.
            var run = InProcessPowerShell.Run("Get-WsusSyncStatus -LogPath $path -Verbose", ("path", Evidence("HealthyAfterFix"))).AssertNoErrors();

            var status = Assert.Single(run.Output);
            Assert.Equal("Succeeded", status.Properties["LastResult"].Value.ToString());
            Assert.Equal("Healthy", status.Properties["Health"].Value.ToString());
            Assert.Equal("The last synchronization succeeded at 2026-11-13 14:37:30Z.", status.Properties["HealthReason"].Value);
            Assert.Contains(run.Verbose, v => v.StartsWith("Judged as of the newest synchronization entry, 2026-11-13 14:37:31Z", System.StringComparison.Ordinal));
        }

        [Fact]
        public void A_Since_after_the_evidence_is_refused_instead_of_every_check_passing()
        {
            // Before: only PoolTuningNotCompliant came back, every check that reads records "passed".
            var run = InProcessPowerShell.Run("Get-WsusSyncDiagnosis -EvidencePath $path -Since ([datetime]'2026-12-01')", ("path", Evidence("GuideCase")));

            Assert.Empty(run.Output);
            var error = Assert.Single(run.Errors);
            Assert.Equal("SinceAfterEvidence,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("2026-11-13 14:57:00Z, its newest record", error.Exception.Message);
        }

        [Fact]
        public void A_Since_inside_the_evidence_still_diagnoses_from_that_time()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncDiagnosis -EvidencePath $path -Since ([datetime]::new(2026, 11, 13, 14, 0, 0, [DateTimeKind]::Utc))", ("path", Evidence("GuideCase"))).AssertNoErrors();

            Assert.Contains(run.Output, o => (string)o.Properties["Id"].Value == "WsusApiUnavailable");
        }

        [Fact]
        public void A_future_Since_stops_Get_WsusSyncLog_unless_it_follows_the_logs()
        {
            var run = InProcessPowerShell.RunStatement("Get-WsusSyncLog -Path $path -Since ([datetime]::Now.AddDays(1))", ("path", Evidence("GuideCase")));

            Assert.Empty(run.Output);
            Assert.NotNull(run.TerminatingError);
            Assert.Equal("SinceInFuture,WsusRemediation.Commands.GetWsusSyncLogCommand", run.TerminatingError!.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, run.TerminatingError.CategoryInfo.Category);
        }

        [Theory]
        [InlineData("Restart-SmsService -ComputerName '' -WhatIf", "RestartSmsServiceCommand")]
        [InlineData("Restart-IisService -ComputerName $null -WhatIf", "RestartIisServiceCommand")]
        [InlineData("Restart-WsusPool -ComputerName ' ' -WhatIf", "RestartWsusPoolCommand")]
        [InlineData("$server = ''; Repair-WsusSync -ComputerName $server -WhatIf", "RepairWsusSyncCommand")]
        [InlineData("Invoke-WsusSync -ComputerName '' -WhatIf", "InvokeWsusSyncCommand")]
        public void An_empty_ComputerName_is_refused_instead_of_meaning_this_computer(string script, string command)
        {
            var run = InProcessPowerShell.Run(script);

            Assert.Empty(run.Output);
            Assert.Empty(run.WhatIfLines);
            Assert.Equal(new[] { "ComputerNameEmpty,WsusRemediation.Commands." + command }, run.ErrorIds);
        }

        [Fact]
        public void A_pool_read_from_a_configuration_file_does_not_restart_this_computers_pool()
        {
            var run = InProcessPowerShell.Run(
                "Get-WsusPoolTuning -ConfigurationPath $config | Restart-WsusPool -WhatIf",
                ("config", Path.Combine(Fixtures, "PoolTuning", "applicationHost.siteserver.config")));

            Assert.Empty(run.WhatIfLines);
            Assert.Equal(new[] { "ComputerNameEmpty,WsusRemediation.Commands.RestartWsusPoolCommand" }, run.ErrorIds);
        }

        [Fact]
        public void Findings_and_plans_of_evidence_that_does_not_name_its_server_repair_only_a_server_named()
        {
            // The PoolTuning fixtures are configuration files only: the findings carry no server name.
            var folder = Path.Combine(Fixtures, "PoolTuning");
            var findings = InProcessPowerShell.Run("Get-WsusSyncDiagnosis -EvidencePath $path | Repair-WsusSync -WhatIf", ("path", folder));
            var plan = InProcessPowerShell.Run("Get-WsusRepairPlan -EvidencePath $path | Repair-WsusSync -WhatIf", ("path", folder));
            var named = InProcessPowerShell.Run("Get-WsusRepairPlan -EvidencePath $path | Repair-WsusSync -ComputerName localhost -WhatIf", ("path", folder)).AssertNoErrors();

            Assert.Empty(findings.WhatIfLines);
            Assert.Equal(new[] { "ComputerNameEmpty,WsusRemediation.Commands.RepairWsusSyncCommand" }, findings.ErrorIds);
            Assert.Empty(plan.WhatIfLines);
            Assert.Equal(new[] { "ComputerNameEmpty,WsusRemediation.Commands.RepairWsusSyncCommand" }, plan.ErrorIds);
            Assert.Contains(named.WhatIfLines, l => l.Contains("TunePool", System.StringComparison.Ordinal));
        }

        [Fact]
        public void A_status_read_from_logs_that_do_not_name_their_server_starts_no_sync_here()
        {
            // ProxyCase's SoftwareDistribution.log names no server: the status's ComputerName is empty.
            var run = InProcessPowerShell.Run("Get-WsusSyncStatus -LogPath $path | Invoke-WsusSync -WhatIf", ("path", Evidence("ProxyCase")));

            Assert.Empty(run.WhatIfLines);
            Assert.Equal(new[] { "ComputerNameEmpty,WsusRemediation.Commands.InvokeWsusSyncCommand" }, run.ErrorIds);
        }

        [Fact]
        public void A_plan_from_an_evidence_zip_names_the_servers_configuration_as_the_tuning_target_not_the_copy_in_the_zip()
        {
            var zip = Path.Combine(Path.GetTempPath(), "WsusRemediation-" + System.Guid.NewGuid().ToString("N") + ".zip");
            try
            {
                var run = InProcessPowerShell.Run(
                    "$null = Export-WsusSyncEvidence -Path $zip -SourcePath $source; Get-WsusRepairPlan -EvidencePath $zip | Repair-WsusSync -WhatIf",
                    ("zip", zip), ("source", Evidence("GuideCase"))).AssertNoErrors();

                var tune = Assert.Single(run.WhatIfLines, l => l.Contains("\"TunePool: queueLength 1000 → 2000", System.StringComparison.Ordinal));
                Assert.EndsWith("on target \"WsusPool (applicationHost.config on CM01.CONTOSO.COM)\".", tune, System.StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(zip);
            }
        }
    }
}
