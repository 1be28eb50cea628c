using System;
using System.Collections.Generic;
using System.IO;
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
    /// The whole documented fix as one command: diagnose, plan, then each step with its own confirmation
    /// (tune WsusPool with a backup, restart it, reset IIS, restart the SMS services, BITS and the WSUS
    /// service when called for, synchronize and wait), roll the tuning back when WsusPool does not come
    /// back, and verify: last sync Succeeded, WsusPool Started, MECM's update count above zero.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "WsusSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = DiagnoseSet)]
    [OutputType(typeof(WsusRepairResult))]
    public sealed class RepairWsusSyncCommand : WsusRemediationCmdlet
    {
        private const string DiagnoseSet = "Diagnose";
        private const string FindingSet = "Finding";
        private const string PlanSet = "Plan";

        private readonly List<(string? Computer, WsusSyncFinding Finding)> _findings = new List<(string?, WsusSyncFinding)>();
        private readonly List<(string? Computer, WsusRepairStep Step)> _steps = new List<(string?, WsusRepairStep)>();
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // Per server: the port and scheme of its WSUS web services that the piped findings or steps carry.
        private readonly Dictionary<string, (int? Port, bool UseSsl)> _endpoints = new Dictionary<string, (int?, bool)>(StringComparer.OrdinalIgnoreCase);
        private int? _commandLinePort;
        private bool? _commandLineSsl;
        private string? _backupFolder;
        private string? _reportPath;

        /// <summary>The site server or WSUS server. Default: this computer, or the server the piped findings or steps name.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string? ComputerName { get; set; }

        /// <summary>The port of a remote WSUS server's web services, for the diagnosis and the synchronization through the WSUS API. Default: 8530, or 8531 with -UseSsl.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int WsusPort { get; set; }

        /// <summary>Reaches a remote WSUS server's web services over HTTPS.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter UseSsl { get; set; }

        /// <summary>Findings to repair from (Get-WsusSyncDiagnosis | Repair-WsusSync) instead of a new diagnosis.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = FindingSet)]
        [RepairInputTransformation]
        public WsusSyncFinding[]? Finding { get; set; }

        /// <summary>A plan to run as it is (Get-WsusRepairPlan | Repair-WsusSync).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PlanSet)]
        [RepairInputTransformation]
        public WsusRepairStep[]? Plan { get; set; }

        /// <summary>The pool-tuning profile TunePool applies: Recommended (default) or LargeEnvironment. A piped plan's own profile is used when this is not given.</summary>
        [Parameter]
        public PoolTuningProfileName? Profile { get; set; }

        /// <summary>Runs the whole sequence, whatever the findings say.</summary>
        [Parameter(ParameterSetName = DiagnoseSet)]
        [Parameter(ParameterSetName = FindingSet)]
        public SwitchParameter All { get; set; }

        /// <summary>Runs only these steps, in their order (WaitForSync brings StartSync).</summary>
        [Parameter(ParameterSetName = DiagnoseSet)]
        [Parameter(ParameterSetName = FindingSet)]
        [ValidateNotNullOrEmpty]
        public RepairStepName[]? Step { get; set; }

        /// <summary>Leaves out the synchronization and its wait; the verification then reports the last sync as it is.</summary>
        [Parameter]
        public SwitchParameter SkipSync { get; set; }

        /// <summary>The most the wait for the synchronization may take: a TimeSpan (01:00:00) or seconds (3600). Services and the pool have -ServiceTimeout and -PoolTimeout.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

        /// <summary>The most each service stop and each service start may take (the IIS reset, the SMS services, BITS, the WSUS service), as Restart-SmsService's -Timeout: a TimeSpan (00:05:00) or seconds (300); at most one hour.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan ServiceTimeout { get; set; } = TimeSpan.FromSeconds(180);

        /// <summary>The most WsusPool's stop and its start (with the 10-second watch) may each take, as Restart-WsusPool's -Timeout: a TimeSpan (00:02:00) or seconds (120); at most one hour.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan PoolTimeout { get; set; } = TimeSpan.FromSeconds(90);

        /// <summary>The folder for the backup of applicationHost.config. Default: the configuration file's folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BackupPath { get; set; }

        /// <summary>Writes the result as JSON to this file (no secrets), for a change record.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ReportPath { get; set; }

        /// <summary>Goes on to the synchronization although a Manual step (a proxy password, a firewall rule) is open: you have done it since the evidence was written.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // Bound before any pipeline input: what the user typed, which wins over what piped objects carry.
            _commandLinePort = MyInvocation.BoundParameters.ContainsKey(nameof(WsusPort)) ? WsusPort : (int?)null;
            _commandLineSsl = MyInvocation.BoundParameters.ContainsKey(nameof(UseSsl)) ? UseSsl.IsPresent : (bool?)null;
            RequireTimeout(Timeout, TimeSpan.FromDays(7));
            RequireTimeout(ServiceTimeout, TimeSpan.FromHours(1), nameof(ServiceTimeout));
            RequireTimeout(PoolTimeout, TimeSpan.FromHours(1), nameof(PoolTimeout));
            if (Step is not null && Step.Any(s => s == RepairStepName.None || s == RepairStepName.Manual))
            {
                ThrowEngineError(new WsusRemediationException(
                    "InvalidRepairStep",
                    EngineErrorKind.InvalidArgument,
                    $"-Step takes the steps the command runs: {string.Join(", ", RepairPlanner.AutomaticSteps)}. None and Manual are not steps it can run.",
                    Step));
            }

            try
            {
                _backupFolder = BackupPath is null ? null : ResolveFileSystemPath(BackupPath, "InvalidBackupPath");
                _reportPath = ReportPath is null ? null : ResolveFileSystemPath(ReportPath, "InvalidReportPath");
            }
            catch (WsusRemediationException ex)
            {
                ThrowEngineError(ex);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // An empty name (a variable not set, findings or a plan from evidence that does not name its server)
            // would otherwise repair this computer.
            if (IsComputerNameBound && string.IsNullOrWhiteSpace(ComputerName))
            {
                WriteEmptyComputerNameOnce(ServiceErrors.EmptyComputerName());
                return;
            }

            switch (ParameterSetName)
            {
                case FindingSet:
                    foreach (var finding in Finding ?? Array.Empty<WsusSyncFinding>())
                    {
                        var computer = string.IsNullOrEmpty(ComputerName) ? finding.ComputerName : ComputerName;
                        _findings.Add((computer, finding));
                        Remember(computer, finding.WsusPort, finding.UseSsl);
                    }

                    break;
                case PlanSet:
                    foreach (var step in Plan ?? Array.Empty<WsusRepairStep>())
                    {
                        var computer = string.IsNullOrEmpty(ComputerName) ? step.ComputerName : ComputerName;
                        _steps.Add((computer, step));
                        Remember(computer, step.WsusPort, step.UseSsl);
                    }

                    break;
                default:
                    try
                    {
                        var findings = RepairDiagnosis.Live(ComputerName, Profile ?? PoolTuningProfileName.Recommended, CancellationToken, WriteVerbose, Port, UseSsl);
                        RepairFromFindings(ComputerName, findings, (Port, UseSsl.IsPresent));
                    }
                    catch (WsusRemediationException ex)
                    {
                        WriteEngineError(ex);
                    }

                    break;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            foreach (var (computer, findings) in RepairCmdletSupport.ByComputer(_findings))
            {
                Guarded(() => RepairFromFindings(computer, findings, EndpointOf(computer)));
            }

            foreach (var group in _steps.GroupBy(s => ServiceCmdletSupport.Key(s.Computer), StringComparer.OrdinalIgnoreCase))
            {
                var steps = group.Select(s => s.Step).Where(s => !SkipSync || (s.Name != RepairStepName.StartSync && s.Name != RepairStepName.WaitForSync)).ToList();
                Guarded(() => Run(group.First().Computer, steps, Array.Empty<WsusSyncFinding>(), EndpointOf(group.First().Computer)));
            }
        }

        private void Guarded(Action action)
        {
            try
            {
                action();
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex);
            }
        }

        private void RepairFromFindings(string? computer, IReadOnlyList<WsusSyncFinding> findings, (int? Port, bool UseSsl) endpoint)
        {
            var request = RepairPlanning.Request(
                RepairCmdletSupport.Shown(computer),
                !ServiceErrors.IsLocal(computer),
                findings,
                Profile ?? PoolTuningProfileName.Recommended,
                All,
                Step,
                SkipSync,
                () => RepairCmdletSupport.LiveConfiguration(computer),
                WriteVerbose,
                wsusPort: endpoint.Port,
                useSsl: endpoint.UseSsl);
            Run(computer, RepairPlanner.Plan(request), findings, endpoint);
        }

        // The first piped finding or step of a server says where its WSUS is; -WsusPort/-UseSsl typed on the command line win.
        private void Remember(string? computer, int port, bool useSsl)
        {
            var key = ServiceCmdletSupport.Key(computer);
            if (!_endpoints.ContainsKey(key))
            {
                var ssl = _commandLineSsl ?? useSsl;
                _endpoints[key] = (_commandLinePort ?? (_commandLineSsl is null ? port : (int?)null), ssl);
            }
        }

        private (int? Port, bool UseSsl) EndpointOf(string? computer) =>
            _endpoints.TryGetValue(ServiceCmdletSupport.Key(computer), out var endpoint) ? endpoint : (_commandLinePort, _commandLineSsl ?? false);

        private void Run(string? computer, IReadOnlyList<WsusRepairStep> plan, IReadOnlyList<WsusSyncFinding> findings, (int? Port, bool UseSsl) endpoint)
        {
            var shown = RepairCmdletSupport.Shown(computer);
            if (!_done.Add(ServiceCmdletSupport.Key(computer)))
            {
                WriteVerbose($"{shown}: already repaired by this command; not run again.");
                return;
            }

            WriteVerbose($"Plan for {shown}: {string.Join(", ", plan.Select(s => s.Name))}.");
            if (!ServiceErrors.IsLocal(computer))
            {
                WriteVerbose($"The WSUS API of {shown} (the synchronization when MECM cannot start it, the diagnosis after the repair): {(endpoint.UseSsl ? "https" : "http")}://{shown}:{WsusEndpoint.PortFor(endpoint.Port, endpoint.UseSsl)}.");
            }

            if (IsWhatIf())
            {
                var preview = RepairRunner.WhatIf(plan, findings, ShouldProcess, WriteWarning, shown, DateTime.UtcNow, Force);
                WriteVerbose(preview.Summary);
                return;
            }

            ApplicationHostDocument? configuration = null;
            try
            {
                configuration = RepairCmdletSupport.LiveConfiguration(computer);
            }
            catch (WsusRemediationException ex)
            {
                WriteVerbose($"applicationHost.config could not be read ({ex.Message}); TunePool will report it if it runs.");
            }

            var profile = Profile ?? plan.FirstOrDefault(s => s.Profile is not null)?.Profile ?? PoolTuningProfileName.Recommended;
            var port = endpoint.Port;
            var useSsl = endpoint.UseSsl;
            var environment = RepairCmdletSupport.LiveEnvironment(computer, configuration, token => RepairDiagnosis.Live(computer, profile, token, null, port, useSsl), port, useSsl);
            var options = new RepairOptions
            {
                ComputerName = computer,
                PoolName = configuration is null ? PoolTuningService.DefaultPoolName : PoolTuningService.FindWsusPoolName(configuration),
                Profile = profile,
                ConfigurationPath = configuration?.Path,
                BackupFolder = _backupFolder,
                ReportPath = ReportFor(shown),
                SyncTimeout = Timeout,
                ServiceTimeout = ServiceTimeout,
                PoolTimeout = PoolTimeout,
                Force = Force,
            };
            var activity = $"Repair-WsusSync on {shown}";
            var hooks = new RepairHooks
            {
                ShouldProcess = ShouldProcess,
                Verbose = UntilStopped<string>(WriteVerbose),
                Warning = WriteWarningEvenWhenStopping,
                Progress = UntilStopped<WaitProgress>(p => WriteProgress(new ProgressRecord(RepairCmdletSupport.WaitProgressId, p.Activity, string.IsNullOrEmpty(p.Status) ? p.Activity : p.Status)
                {
                    ParentActivityId = RepairCmdletSupport.StepProgressId,
                    PercentComplete = p.Completed ? 100 : p.PercentOfTimeout,
                    SecondsRemaining = p.Completed ? -1 : (int)Math.Max(0, (p.Timeout - p.Elapsed).TotalSeconds),
                    RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                })),
                StepStarting = (step, index, count) => UntilStopped<ProgressRecord>(WriteProgress)(new ProgressRecord(RepairCmdletSupport.StepProgressId, activity, $"Step {index + 1} of {count}: {step.Name} ({step.Target})")
                {
                    PercentComplete = index * 100 / Math.Max(1, count),
                }),
            };

            RepairOutcome outcome;
            try
            {
                outcome = new RepairRunner(environment, options).Run(plan, findings, hooks, CancellationToken);
            }
            finally
            {
                UntilStopped<ProgressRecord>(WriteProgress)(new ProgressRecord(RepairCmdletSupport.StepProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }

            if (Stopping)
            {
                // Ctrl+C: the runner has put back what it stopped and written the report and the log; the
                // result can no longer be written, so its summary goes out as a warning.
                WriteWarningEvenWhenStopping(outcome.Result.Summary + (outcome.Result.ReportPath is null ? string.Empty : $" Report: {outcome.Result.ReportPath}"));
                throw new PipelineStoppedException();
            }

            foreach (var error in outcome.Errors)
            {
                WriteEngineError(error, shown);
            }

            if (!outcome.Result.Succeeded)
            {
                WriteWarning(outcome.Result.Summary);
            }
            else
            {
                WriteVerbose(outcome.Result.Summary);
            }

            WriteObject(outcome.Result);
        }

        // Several servers in one command each get their own report beside the one named: all of them when the
        // piped findings or plans name several, and from the second on when servers arrive one by one by name.
        private string? ReportFor(string shown)
        {
            if (_reportPath is null)
            {
                return null;
            }

            var piped = _findings.Select(f => ServiceCmdletSupport.Key(f.Computer)).Concat(_steps.Select(s => ServiceCmdletSupport.Key(s.Computer))).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            if (piped <= 1 && _done.Count <= 1)
            {
                return _reportPath;
            }

            var folder = Path.GetDirectoryName(_reportPath) ?? string.Empty;
            return Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(_reportPath)}.{shown}{Path.GetExtension(_reportPath)}");
        }

        private int? Port => MyInvocation.BoundParameters.ContainsKey(nameof(WsusPort)) ? WsusPort : (int?)null;

        private bool IsWhatIf() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)
                ? LanguagePrimitives.IsTrue(bound)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
    }
}
