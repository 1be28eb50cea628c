using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests.InProcess
{
    /// <summary>
    /// Get-WsusSyncDiagnosis and Export-WsusSyncEvidence in a real runspace, on the evidence fixtures
    /// of the engine tests (Fixtures/Evidence/README.md).
    /// </summary>
    public sealed class DiagnosisInProcessTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "WsusRemediation-inprocess-" + Guid.NewGuid().ToString("N"));

        public DiagnosisInProcessTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private static string Evidence(string scenario) => Path.Combine(InProcessPowerShell.RepoRoot, "tests", "WsusRemediation.Engine.Tests", "Fixtures", "Evidence", scenario);

        [Fact]
        public void Diagnosis_of_the_guides_case_writes_findings_cause_first_and_lists_every_check_in_verbose()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncDiagnosis -EvidencePath $path -Verbose", ("path", Evidence("GuideCase"))).AssertNoErrors();

            var ids = run.Output.Select(o => (string)o.Properties["Id"].Value).ToList();
            Assert.Equal("PoolTuningNotCompliant", ids[0]);
            Assert.Equal(new[] { "PoolRecycledOnMemoryLimit", "PoolDisabledByRapidFailProtection", "HttpAppOffline", "WsusApiUnavailable", "SyncFailureStreak" }, ids.Skip(1).Take(5));
            Assert.Equal(22, run.Verbose.Count(v => v.StartsWith("Check ", StringComparison.Ordinal)));
            Assert.Contains("Check PoolStopped: not run (missing evidence): the pool's state is read live from IIS (or from an Export-WsusSyncEvidence bundle); it is not in the evidence", run.Verbose);
            Assert.DoesNotContain(run.Verbose, v => v.StartsWith("Check PoolStopped: passed", StringComparison.Ordinal));
        }

        [Fact]
        public void Export_then_diagnose_through_the_pipeline_without_one_secret_in_the_zip()
        {
            var zip = Path.Combine(_folder, "secrets.zip");
            var run = InProcessPowerShell.Run(
                "$b = Export-WsusSyncEvidence -Path $zip -SourcePath $source; $b; $b | Get-WsusSyncDiagnosis",
                ("zip", zip), ("source", Evidence("SecretsCase"))).AssertNoErrors();

            var bundle = run.Output[0];
            Assert.Equal(zip, (string)bundle.Properties["Path"].Value);
            Assert.Equal(5, (int)bundle.Properties["RedactionCount"].Value);
            Assert.Contains(run.Output.Skip(1), o => (string)o.Properties["Id"].Value == "SyncFailureStreak");
            using var archive = ZipFile.OpenRead(zip);
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                foreach (var secret in new[] { "Pl@inText-Secret1", "PlainVdirSecret7", "Secret-Proxy-Pass9", "Reg-Stored-Secret4", "hAZBQ2Vjb3JkU2VjcmV0LVBvb2wtUGFzczE=" })
                {
                    Assert.DoesNotContain(secret, Encoding.UTF8.GetString(copy.ToArray()), StringComparison.Ordinal);
                    Assert.DoesNotContain(secret, Encoding.Unicode.GetString(copy.ToArray()), StringComparison.Ordinal);
                }
            }
        }

        [Fact]
        public void Export_WhatIf_writes_nothing_and_an_existing_zip_needs_Force()
        {
            var zip = Path.Combine(_folder, "evidence.zip");
            var whatIf = InProcessPowerShell.Run("Export-WsusSyncEvidence -Path $zip -SourcePath $source -WhatIf", ("zip", zip), ("source", Evidence("ProxyCase"))).AssertNoErrors();
            Assert.Single(whatIf.WhatIfLines);
            Assert.False(File.Exists(zip));

            File.WriteAllText(zip, "not mine");
            var refused = InProcessPowerShell.Run("Export-WsusSyncEvidence -Path $zip -SourcePath $source", ("zip", zip), ("source", Evidence("ProxyCase")));
            Assert.Equal("EvidenceBundleExists,WsusRemediation.Commands.ExportWsusSyncEvidenceCommand", Assert.Single(refused.ErrorIds));
            Assert.Equal("not mine", File.ReadAllText(zip));

            InProcessPowerShell.Run("Export-WsusSyncEvidence -Path $zip -SourcePath $source -Force", ("zip", zip), ("source", Evidence("ProxyCase"))).AssertNoErrors();
            Assert.NotEqual("not mine", File.ReadAllText(zip));
        }

        [Fact]
        public void Bad_evidence_paths_give_errors_with_stable_ids()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncDiagnosis -EvidencePath $missing; Get-WsusSyncDiagnosis -EvidencePath $empty", ("missing", Path.Combine(_folder, "nope")), ("empty", _folder));

            Assert.Equal(
                new[] { "EvidencePathNotFound,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand", "EvidenceNotFound,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand" },
                run.ErrorIds);
            Assert.Empty(run.Output);
        }

        [OffWindowsFact]
        public void Live_diagnosis_off_Windows_names_EvidencePath()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncDiagnosis; Export-WsusSyncEvidence -Path $zip", ("zip", Path.Combine(_folder, "x.zip")));

            Assert.Equal(new[] { "LiveAccessRequiresWindows,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand", "LiveAccessRequiresWindows,WsusRemediation.Commands.ExportWsusSyncEvidenceCommand" }, run.ErrorIds);
            Assert.Contains("-EvidencePath", run.Errors[0].Exception.Message, StringComparison.Ordinal);
            Assert.Contains("-SourcePath", run.Errors[1].Exception.Message, StringComparison.Ordinal);
        }

        [OffWindowsFact]
        public void Software_update_points_piped_in_give_each_server_its_own_WSUS_port_and_scheme()
        {
            var run = InProcessPowerShell.Run(
                "function P($name, $port, $ssl) { [WsusRemediation.Engine.Hierarchy.SoftwareUpdatePoint]@{ ComputerName = $name; SiteCode = 'P01'; WsusPort = $port; UseSsl = $ssl } }; " +
                "(P 'SUP01.contoso.com' 8531 $true), (P 'SUP02.contoso.com' 8530 $false) | Get-WsusSyncDiagnosis -ThrottleLimit 1 -Verbose -ErrorAction SilentlyContinue; " +
                "Get-WsusSyncDiagnosis -ComputerName SUP03.contoso.com -UseSsl -Verbose -ErrorAction SilentlyContinue");

            Assert.Contains("Collecting the evidence of 'SUP01.contoso.com' (its WSUS settings through the WSUS API at https://SUP01.contoso.com:8531).", run.Verbose);
            Assert.Contains("Collecting the evidence of 'SUP02.contoso.com' (its WSUS settings through the WSUS API at http://SUP02.contoso.com:8530).", run.Verbose);
            Assert.Contains("Collecting the evidence of 'SUP03.contoso.com' (its WSUS settings through the WSUS API at https://SUP03.contoso.com:8531).", run.Verbose);
            Assert.Equal(3, run.RecordedErrors.Count(e => e.FullyQualifiedErrorId == "LiveAccessRequiresWindows,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand"));
        }

        [Fact]
        public void A_WSUS_port_outside_TCPs_range_is_refused_by_binding_and_the_port_needs_the_live_set()
        {
            var range = InProcessPowerShell.RunStatement("Get-WsusSyncDiagnosis -ComputerName SUP01 -WsusPort 70000");
            var offline = InProcessPowerShell.RunStatement("Get-WsusSyncDiagnosis -EvidencePath . -WsusPort 8531");

            Assert.Equal("ParameterArgumentValidationError,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand", range.TerminatingError?.FullyQualifiedErrorId);
            Assert.Equal("AmbiguousParameterSet,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand", offline.TerminatingError?.FullyQualifiedErrorId);
        }
    }

    /// <summary>A test about what happens without Windows: reported as skipped on Windows, where the live path would run instead.</summary>
    public sealed class OffWindowsFactAttribute : FactAttribute
    {
        public OffWindowsFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Checks the error given off Windows; on Windows the live collection runs.";
            }
        }
    }
}
