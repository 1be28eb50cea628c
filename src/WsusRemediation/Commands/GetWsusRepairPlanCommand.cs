using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// The steps Repair-WsusSync would take, in order, with the finding Ids behind each, what it changes,
    /// its impact and the single command that does the same by hand: from a live diagnosis, from collected
    /// evidence (-EvidencePath) or from findings piped in. Changes nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WsusRepairPlan", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(WsusRepairStep))]
    public sealed class GetWsusRepairPlanCommand : WsusRemediationCmdlet
    {
        private const string LiveSet = "Live";
        private const string EvidenceSet = "Evidence";
        private const string FindingSet = "Finding";

        private readonly List<(string? Computer, WsusSyncFinding Finding)> _findings = new List<(string?, WsusSyncFinding)>();

        /// <summary>The site server or WSUS server. Default: this computer (live), or the server the evidence or findings name.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = LiveSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = EvidenceSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = FindingSet)]
        [Alias("CN", "PSComputerName")]
        public string? ComputerName { get; set; }

        /// <summary>Evidence collected from the server (a bundle from Export-WsusSyncEvidence, zip or folder, or any folder of collected files): plans offline, on any OS.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EvidenceSet)]
        [ValidateNotNullOrEmpty]
        public string[]? EvidencePath { get; set; }

        /// <summary>Findings to plan from (Get-WsusSyncDiagnosis | Get-WsusRepairPlan).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = FindingSet)]
        [RepairInputTransformation]
        public WsusSyncFinding[]? Finding { get; set; }

        /// <summary>The pool-tuning profile TunePool applies: Recommended (KB4490414, default) or LargeEnvironment.</summary>
        [Parameter]
        public PoolTuningProfileName Profile { get; set; } = PoolTuningProfileName.Recommended;

        /// <summary>Plans the whole sequence (the guide's and the TechNet page's steps), whatever the findings say.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                switch (ParameterSetName)
                {
                    case FindingSet:
                        foreach (var finding in Finding ?? Array.Empty<WsusSyncFinding>())
                        {
                            _findings.Add((string.IsNullOrEmpty(ComputerName) ? finding.ComputerName : ComputerName, finding));
                        }

                        break;
                    case EvidenceSet:
                        var paths = EvidencePath!.Select(p => ResolveFileSystemPath(p, "InvalidEvidencePath")).ToList();
                        var evidence = RepairPlanning.DiagnoseEvidence(paths, Profile, CancellationToken, WriteVerbose);
                        foreach (var problem in evidence.Problems)
                        {
                            WriteWarning(problem);
                        }

                        var computer = string.IsNullOrEmpty(ComputerName) ? evidence.ComputerName ?? string.Empty : ComputerName!;
                        WritePlan(computer, isRemote: true, evidence.Findings, () => evidence.Configuration, evidence.ConfigurationShownAs);
                        break;
                    default:
                        var live = RepairDiagnosis.Live(ComputerName, Profile, CancellationToken, WriteVerbose);
                        WritePlan(RepairCmdletSupport.Shown(ComputerName), !ServiceErrors.IsLocal(ComputerName), live, () => RepairCmdletSupport.LiveConfiguration(ComputerName));
                        break;
                }
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            foreach (var (computer, findings) in RepairCmdletSupport.ByComputer(_findings))
            {
                var shown = string.IsNullOrEmpty(computer) ? string.Empty : computer!;
                WritePlan(shown, !ServiceErrors.IsLocal(computer), findings, () => RepairCmdletSupport.LiveConfiguration(computer));
            }
        }

        private void WritePlan(string computerName, bool isRemote, IReadOnlyList<WsusSyncFinding> findings, Func<ApplicationHostDocument?> configuration, string? configurationShownAs = null)
        {
            WriteVerbose($"Planning for {(computerName.Length == 0 ? "the evidence's server" : computerName)} from {findings.Count} finding(s): {string.Join(", ", findings.Select(f => f.Id))}.");
            var request = RepairPlanning.Request(computerName, isRemote, findings, Profile, All, steps: null, skipSync: false, configuration, WriteVerbose, configurationShownAs);
            foreach (var step in RepairPlanner.Plan(request))
            {
                WriteObject(step);
            }
        }
    }
}
