using System;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Names the causes of a failing WSUS/MECM synchronization from the server's own evidence: live on
    /// the site server or SUP, or offline from an Export-WsusSyncEvidence bundle or any folder of files
    /// collected by hand. One WsusSyncFinding per cause, the most fundamental first.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WsusSyncDiagnosis", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(WsusSyncFinding))]
    public sealed class GetWsusSyncDiagnosisCommand : WsusRemediationCmdlet
    {
        private const string LiveSet = "Live";
        private const string EvidenceSet = "Evidence";
        private const int ProgressId = 10;
        private ThrottledQueries<WsusServerTarget, SyncDiagnosis>? _queries;

        /// <summary>The site server or SUP to diagnose. Default: this computer.</summary>
        [Parameter(Position = 0, ParameterSetName = LiveSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        [ValidateNotNullOrEmpty]
        public string[]? ComputerName { get; set; }

        /// <summary>The port of a remote WSUS server's web services, through which its settings are read. Default: 8530, or 8531 with -UseSsl.</summary>
        [Parameter(ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int WsusPort { get; set; }

        /// <summary>Reads a remote WSUS server's settings over HTTPS.</summary>
        [Parameter(ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
        public SwitchParameter UseSsl { get; set; }

        /// <summary>An Export-WsusSyncEvidence zip or folder, or any folder of collected files (searched with its subfolders); each value piped in is one server's evidence.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EvidenceSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "Path")]
        [ValidateNotNullOrEmpty]
        public string[]? EvidencePath { get; set; }

        /// <summary>Look at evidence from this time on. Default: the week before the newest evidence (live: before now).</summary>
        [Parameter]
        public DateTime Since { get; set; }

        /// <summary>The pool-tuning profile WsusPool is compared with (Recommended or LargeEnvironment).</summary>
        [Parameter]
        public PoolTuningProfileName Profile { get; set; } = PoolTuningProfileName.Recommended;

        /// <summary>Live: leaves out the network checks (name resolution and a TCP connection to the update source, through the configured proxy).</summary>
        [Parameter(ParameterSetName = LiveSet)]
        public SwitchParameter SkipNetworkCheck { get; set; }

        /// <summary>How many servers are diagnosed at the same time.</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateRange(1, ThrottledQueries.MaximumThrottleLimit)]
        public int ThrottleLimit { get; set; } = ThrottledQueries.DefaultThrottleLimit;

        private DiagnosisOptions Options => new DiagnosisOptions
        {
            SinceUtc = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since.ToUniversalTime() : (DateTime?)null,
            Profile = Profile,
        };

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var service = new SyncDiagnosisService();
            if (ParameterSetName == EvidenceSet)
            {
                try
                {
                    var paths = EvidencePath!.Select(p => ResolveFileSystemPath(p, "InvalidEvidencePath")).ToList();
                    WriteVerbose($"Reading the evidence in {string.Join(", ", paths)}.");
                    using var evidence = Engine.Diagnosis.EvidenceSet.FromPaths(paths);
                    foreach (var ignored in evidence.Ignored)
                    {
                        WriteVerbose($"Not evidence (left out): {ignored}");
                    }

                    foreach (var problem in evidence.Problems)
                    {
                        WriteWarning(problem);
                    }

                    Write(WithProgress(ProgressId, "Diagnosing the synchronization", string.Join(", ", EvidencePath!), () => service.Diagnose(evidence, Options, CancellationToken, WriteVerbose)));
                }
                catch (WsusRemediationException ex)
                {
                    WriteEngineError(ex, string.Join(", ", EvidencePath!));
                }

                return;
            }

            // Every server of the pipeline is diagnosed at the same time (at most -ThrottleLimit at once);
            // what has answered is written now, the rest at the end.
            _queries ??= StartThrottledQueries<WsusServerTarget, SyncDiagnosis>(DiagnoseServer, ThrottleLimit);
            foreach (var target in WsusServerTarget.For(MyInvocation, ComputerName, WsusPort, UseSsl))
            {
                _queries.Add(target);
            }

            WriteQueryEvents(_queries, waitForAll: false, t => t.ComputerName, Write, ProgressId, "Diagnosing the synchronization");
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_queries is not null)
            {
                WriteQueryEvents(_queries, waitForAll: true, t => t.ComputerName, Write, ProgressId, "Diagnosing the synchronization");
            }
        }

        // Runs off the pipeline thread: verbose lines go through the context.
        private SyncDiagnosis DiagnoseServer(WsusServerTarget target, QueryContext context)
        {
            var computer = target.ComputerName;
            context.Verbose(RepairDiagnosis.Collecting(computer, target.WsusPort, target.UseSsl));
            var sources = LiveEvidence.For(computer, SystemClock.Instance, "-EvidencePath", target.WsusPort, target.UseSsl);
            // The findings carry the port and scheme, so Repair-WsusSync and Get-WsusRepairPlan reach this WSUS there too.
            var options = new DiagnosisOptions { SinceUtc = Options.SinceUtc, Profile = Options.Profile, WsusPort = target.WsusPort, UseSsl = target.UseSsl };
            return new SyncDiagnosisService().DiagnoseLive(sources, computer, options, !SkipNetworkCheck, context.CancellationToken, context.Verbose);
        }

        private void Write(SyncDiagnosis diagnosis)
        {
            WriteVerbose($"{diagnosis.ComputerName}: evidence up to {diagnosis.ReferenceTimeUtc:u}, looked at from {diagnosis.SinceUtc:u}.");
            foreach (var check in diagnosis.Checks)
            {
                var result = check.Result switch
                {
                    DiagnosisCheckResult.NotRun => "not run (missing evidence)",
                    DiagnosisCheckResult.Found => "found",
                    _ => "passed",
                };
                WriteVerbose($"Check {check.Id}: {result}: {check.Detail}");
            }

            var notRun = diagnosis.Checks.Count(c => c.Result == DiagnosisCheckResult.NotRun);
            if (notRun > 0)
            {
                WriteVerbose($"{notRun} of {diagnosis.Checks.Count} checks could not run for lack of evidence; they say nothing either way.");
            }

            foreach (var finding in diagnosis.Findings)
            {
                WriteObject(finding);
            }
        }
    }
}
