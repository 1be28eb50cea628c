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

        private const int ProgressId = 13;

        private readonly List<(string? Computer, WsusSyncFinding Finding)> _findings = new List<(string?, WsusSyncFinding)>();
        private ThrottledQueries<WsusServerTarget, IReadOnlyList<WsusRepairStep>>? _queries;

        /// <summary>
        /// Live: the site servers or WSUS servers to plan for, diagnosed at the same time (default: this computer).
        /// With -EvidencePath or findings: the one name of the server they come from (default: the name they carry).
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = LiveSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = EvidenceSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = FindingSet)]
        [Alias("CN", "PSComputerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>The port of a remote WSUS server's web services, through which the diagnosis reads its settings. Default: 8530, or 8531 with -UseSsl.</summary>
        [Parameter(ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int WsusPort { get; set; }

        /// <summary>Reads a remote WSUS server's settings over HTTPS.</summary>
        [Parameter(ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
        public SwitchParameter UseSsl { get; set; }

        /// <summary>How many servers are diagnosed and planned at the same time.</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateRange(1, ThrottledQueries.MaximumThrottleLimit)]
        public int ThrottleLimit { get; set; } = ThrottledQueries.DefaultThrottleLimit;

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
                        var named = OneComputerName();
                        foreach (var finding in Finding ?? Array.Empty<WsusSyncFinding>())
                        {
                            _findings.Add((string.IsNullOrEmpty(named) ? finding.ComputerName : named, finding));
                        }

                        break;
                    case EvidenceSet:
                        var name = OneComputerName();
                        var paths = EvidencePath!.Select(p => ResolveFileSystemPath(p, "InvalidEvidencePath")).ToList();
                        var evidence = RepairPlanning.DiagnoseEvidence(paths, Profile, CancellationToken, WriteVerbose);
                        foreach (var problem in evidence.Problems)
                        {
                            WriteWarning(problem);
                        }

                        var computer = string.IsNullOrEmpty(name) ? evidence.ComputerName ?? string.Empty : name!;
                        WriteSteps(Plan(computer, isRemote: true, evidence.Findings, () => evidence.Configuration, WriteVerbose, evidence.ConfigurationShownAs));
                        break;
                    default:
                        // Every server of the pipeline is diagnosed at the same time (at most -ThrottleLimit at once),
                        // as Get-WsusSyncDiagnosis does; each plan is written whole, as its server answers.
                        _queries ??= StartThrottledQueries<WsusServerTarget, IReadOnlyList<WsusRepairStep>>(PlanServer, ThrottleLimit);
                        var servers = ComputerName?.Select(server => string.IsNullOrWhiteSpace(server) ? null : server.Trim());
                        foreach (var target in WsusServerTarget.For(MyInvocation, servers, WsusPort, UseSsl))
                        {
                            _queries.Add(target);
                        }

                        WriteQueryEvents(_queries, waitForAll: false, t => t.ComputerName, WriteSteps, ProgressId, "Planning the repair");
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
            if (_queries is not null)
            {
                WriteQueryEvents(_queries, waitForAll: true, t => t.ComputerName, WriteSteps, ProgressId, "Planning the repair");
            }

            foreach (var (computer, findings) in RepairCmdletSupport.ByComputer(_findings))
            {
                var shown = string.IsNullOrEmpty(computer) ? string.Empty : computer!;
                WriteSteps(Plan(shown, !ServiceErrors.IsLocal(computer), findings, () => RepairCmdletSupport.LiveConfiguration(computer), WriteVerbose));
            }
        }

        // Evidence and findings come from one server; -ComputerName then only names it. Several names are wrong
        // for the whole command, not for one piped finding: it stops.
        private string? OneComputerName()
        {
            if (ComputerName is not { Length: > 1 })
            {
                return ComputerName?.FirstOrDefault();
            }

            ThrowEngineError(new WsusRemediationException(
                "OneComputerNameOnly",
                EngineErrorKind.InvalidArgument,
                $"With -EvidencePath or findings, -ComputerName names the one server they come from; got {ComputerName.Length} names ({string.Join(", ", ComputerName)}).",
                ComputerName)
            {
                RecommendedAction = "Give one name, or none to use the name the evidence or the findings carry; to plan for several live servers, leave out -EvidencePath and -Finding.",
            });
            return null;
        }

        // Runs off the pipeline thread: verbose lines go through the context.
        private IReadOnlyList<WsusRepairStep> PlanServer(WsusServerTarget target, QueryContext context)
        {
            var computer = target.ComputerName;
            var findings = RepairDiagnosis.Live(computer, Profile, context.CancellationToken, context.Verbose, target.WsusPort, target.UseSsl);
            // The steps carry the port and scheme the server was diagnosed at (also when there is no finding to carry it).
            return Plan(RepairCmdletSupport.Shown(computer), !ServiceErrors.IsLocal(computer), findings, () => RepairCmdletSupport.LiveConfiguration(computer), context.Verbose, wsusPort: target.WsusPort, useSsl: target.UseSsl);
        }

        private IReadOnlyList<WsusRepairStep> Plan(string computerName, bool isRemote, IReadOnlyList<WsusSyncFinding> findings, Func<ApplicationHostDocument?> configuration, Action<string> verbose, string? configurationShownAs = null, int? wsusPort = null, bool? useSsl = null)
        {
            verbose($"Planning for {(computerName.Length == 0 ? "the evidence's server" : computerName)} from {findings.Count} finding(s): {string.Join(", ", findings.Select(f => f.Id))}.");
            var request = RepairPlanning.Request(computerName, isRemote, findings, Profile, All, steps: null, skipSync: false, configuration, verbose, configurationShownAs, wsusPort, useSsl);
            return RepairPlanner.Plan(request);
        }

        private void WriteSteps(IReadOnlyList<WsusRepairStep> steps)
        {
            foreach (var step in steps)
            {
                WriteObject(step);
            }
        }
    }
}
