using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>
    /// Runs a repair plan through the engine services the single cmdlets use (pool tuning with its
    /// safe writer, the pool restarter, the service planner and runner, the sync trigger and watcher,
    /// the status reader), one confirmation per step. A failed step stops the steps that depend on it;
    /// a tuning after which WsusPool does not come back is rolled back; a blocking Manual step stops
    /// the run before the synchronization; Ctrl+C stops the waiting and the result says where.
    /// </summary>
    public sealed class RepairRunner
    {
        private readonly RepairEnvironment _env;
        private readonly RepairOptions _options;

        /// <summary>Creates a runner.</summary>
        public RepairRunner(RepairEnvironment environment, RepairOptions options)
        {
            _env = environment ?? throw new ArgumentNullException(nameof(environment));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (_env.Services is null || _env.Pools is null || _env.Sync is null || _env.Clock is null || _env.Files is null)
            {
                throw new ArgumentException("The environment needs its clock, files, services, pools and sync ports.", nameof(environment));
            }
        }

        /// <summary>The steps a step needs done first (beyond the blocking Manual steps the sync needs).</summary>
        public static IReadOnlyList<RepairStepName> DependenciesOf(RepairStepName step) => step switch
        {
            RepairStepName.RestartPool => new[] { RepairStepName.TunePool },
            RepairStepName.RestartIis => new[] { RepairStepName.RestartPool },
            RepairStepName.RestartWsusService => new[] { RepairStepName.RepairBits },
            RepairStepName.StartSync => new[]
            {
                RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices,
                RepairStepName.RepairBits, RepairStepName.RestartWsusService,
            },
            RepairStepName.WaitForSync => new[] { RepairStepName.StartSync },
            RepairStepName.VerifyUpdates => new[] { RepairStepName.WaitForSync },
            _ => Array.Empty<RepairStepName>(),
        };

        /// <summary>
        /// -WhatIf: one confirmation per step with what the plan says it will change, and nothing else: no
        /// port is called, so a plan made offline (Get-WsusRepairPlan -EvidencePath) can be shown anywhere.
        /// </summary>
        public static WsusRepairResult WhatIf(IReadOnlyList<WsusRepairStep> plan, IReadOnlyList<WsusSyncFinding>? findingsBefore, Func<string, string, bool> shouldProcess, Action<string>? warning, string computerName, DateTime nowUtc, bool force = false)
        {
            if (plan is null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (shouldProcess is null)
            {
                throw new ArgumentNullException(nameof(shouldProcess));
            }

            var steps = new List<RepairStepResult>();

            // As the run does: a blocking Manual step stops it before the sync (unless -Force), and what needs the sync
            // is not done either, so -WhatIf does not list them as steps that would run.
            var blockers = plan.Where(s => s.IsManual && s.BlocksSync).ToList();
            var notRun = new HashSet<RepairStepName>();
            foreach (var step in plan.OrderBy(s => s.Order))
            {
                if (step.IsManual)
                {
                    warning?.Invoke($"Manual step ({string.Join(", ", step.Reason)}): {step.Target}. {step.Command}");
                    steps.Add(new RepairStepResult { Order = step.Order, Name = step.Name, Target = step.Target, Outcome = RepairStepOutcome.Skipped, Note = $"Manual step, not attempted: {step.Command}" });
                    continue;
                }

                if (step.Name == RepairStepName.StartSync && blockers.Count > 0 && !force)
                {
                    var names = string.Join("; ", blockers.Select(b => $"{b.Target} ({string.Join(", ", b.Reason)})"));
                    var stop = $"Would stop before the synchronization: it cannot succeed until a Manual step is done by hand: {names}. Add -Force when it is done.";
                    warning?.Invoke(stop);
                    steps.Add(new RepairStepResult { Order = step.Order, Name = step.Name, Target = step.Target, Outcome = RepairStepOutcome.Skipped, Error = stop, ErrorId = "ManualStepRequired" });
                    notRun.Add(step.Name);
                    continue;
                }

                var missing = DependenciesOf(step.Name).Where(notRun.Contains).ToList();
                if (missing.Count > 0)
                {
                    steps.Add(new RepairStepResult { Order = step.Order, Name = step.Name, Target = step.Target, Outcome = RepairStepOutcome.Skipped, Note = $"Would not be done because {missing[0]} would not be." });
                    notRun.Add(step.Name);
                    continue;
                }

                var changes = string.Join("; ", step.Changes);
                var confirmed = shouldProcess(step.Target, $"{step.Name}: {changes}");
                steps.Add(new RepairStepResult
                {
                    Order = step.Order,
                    Name = step.Name,
                    Target = step.Target,
                    Outcome = confirmed ? RepairStepOutcome.Skipped : RepairStepOutcome.WhatIf,
                    Note = changes,
                });
            }

            return new WsusRepairResult
            {
                ComputerName = computerName,
                Steps = steps,
                FindingsBefore = findingsBefore ?? Array.Empty<WsusSyncFinding>(),
                StartTime = nowUtc,
                Summary = $"What if: {steps.Count(s => s.Outcome == RepairStepOutcome.WhatIf)} step(s) would run on {computerName}; nothing was changed.",
            };
        }

        /// <summary>Runs the plan. Never throws for a step's failure or for Ctrl+C: both are in the result.</summary>
        public RepairOutcome Run(IReadOnlyList<WsusRepairStep> plan, IReadOnlyList<WsusSyncFinding>? findingsBefore, RepairHooks? hooks, CancellationToken cancellationToken)
        {
            if (plan is null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            var run = new Execution(this, plan.OrderBy(s => s.Order).ToList(), hooks ?? new RepairHooks(), cancellationToken);
            return run.Execute(findingsBefore ?? Array.Empty<WsusSyncFinding>());
        }

        private sealed class StepRecord
        {
            public StepRecord(WsusRepairStep step) => Step = step;

            public WsusRepairStep Step { get; }
            public RepairStepOutcome? Outcome;
            public string? Before;
            public string? After;
            public TimeSpan Duration;
            public string? Error;
            public string? ErrorId;
            public string? Note;
            public bool Declined;
        }

        /// <summary>One execution: the state a run carries from step to step.</summary>
        private sealed class Execution
        {
            private readonly RepairRunner _owner;
            private readonly List<StepRecord> _records;
            private readonly RepairHooks _hooks;
            private readonly CancellationToken _token;
            private readonly List<WsusRemediationException> _errors = new List<WsusRemediationException>();
            private readonly PoolTuningService _tuning;
            private readonly AppPoolRestarter _restarter;
            private readonly string? _computer;
            private readonly string _shown;
            private SyncTriggerResult? _trigger;
            private WsusSyncStatus? _status;
            private readonly AppPoolRestarter _quickRestarter;

            // When this run last saw the pool Started after restarting it, while its watch is still owed (see _quickRestarter),
            // and the step whose restart owes it.
            private DateTimeOffset? _poolStartedUnwatched;
            private StepRecord? _poolWatchOwedBy;
            private (string Path, string Backup, StepRecord Record)? _tuned;
            private bool _rolledBack;
            private string? _stoppedAt;

            public Execution(RepairRunner owner, List<WsusRepairStep> plan, RepairHooks hooks, CancellationToken token)
            {
                _owner = owner;
                _records = plan.Select(s => new StepRecord(s)).ToList();
                _hooks = hooks;
                _token = token;
                _computer = ServiceErrors.IsLocal(Options.ComputerName) ? null : Options.ComputerName;
                _shown = _computer ?? Environment.MachineName;
                _tuning = new PoolTuningService(Env.Files, Env.Clock);
                _restarter = new AppPoolRestarter(Env.Pools, Env.Clock, Options.PollInterval) { StartTimeout = Options.PoolTimeout, StopTimeout = Options.PoolTimeout };

                // When a synchronization follows, the pool restarts of the run are not watched on the spot: the steps in
                // between (an IIS reset, the SMS services) take longer than the watch, so the pool is watched from its
                // start until just before the sync, and nobody waits idle for it.
                _quickRestarter = new AppPoolRestarter(Env.Pools, Env.Clock, Options.PollInterval) { StartTimeout = Options.PoolTimeout, StopTimeout = Options.PoolTimeout, StartSettleTime = TimeSpan.Zero };
            }

            private RepairEnvironment Env => _owner._env;

            private RepairOptions Options => _owner._options;

            public RepairOutcome Execute(IReadOnlyList<WsusSyncFinding> findingsBefore)
            {
                var started = Env.Clock.UtcNow;
                Log(CmTraceSeverity.Information, $"Repair-WsusSync on {_shown}{(_hooks.WhatIf ? " (what if: nothing is changed)" : string.Empty)}. Findings: {(findingsBefore.Count == 0 ? "none" : string.Join(", ", findingsBefore.Select(f => f.Id)))}. Plan: {string.Join(", ", _records.Select(r => r.Step.Name))}.");

                for (var i = 0; i < _records.Count; i++)
                {
                    var record = _records[i];
                    if (_stoppedAt is not null)
                    {
                        Resolve(record, RepairStepOutcome.Skipped, error: $"Not started: the repair was stopped by the user during {_stoppedAt}.", errorId: "RepairStopped");
                        continue;
                    }

                    _hooks.StepStarting?.Invoke(record.Step, i, _records.Count);
                    var stepStart = Env.Clock.UtcNow;
                    try
                    {
                        RunStep(record);
                    }
                    catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped || !_token.IsCancellationRequested)
                    {
                        Fail(record, ex);
                    }
                    catch (Exception ex) when (_token.IsCancellationRequested && (ex is OperationCanceledException || ex is WsusRemediationException))
                    {
                        // Ctrl+C: a wait throws OperationCanceledException; a child process the port killed says OperationStopped.
                        _stoppedAt = record.Step.Name.ToString();
                        Resolve(record, RepairStepOutcome.Skipped, error: $"Stopped by the user (Ctrl+C) during {record.Step.Name}; the steps after it were not started.", errorId: "RepairStopped");
                        AfterCancel(record, ex);
                    }
                    finally
                    {
                        record.Duration = Env.Clock.UtcNow - stepStart;
                    }

                    LogStep(record);
                    if (record.Step.Name == RepairStepName.StartSync && _poolStartedUnwatched is not null && _stoppedAt is null)
                    {
                        // No synchronization was started (declined, blocked by a Manual step, or skipped after a failure),
                        // so the watch left for it has not run: run it now, before the verification looks at the pool.
                        WatchOwedPool();
                    }
                }

                var findingsAfter = DiagnoseAgain();
                var result = Build(started, findingsBefore, findingsAfter, reportPath: null);
                if (!string.IsNullOrEmpty(Options.ReportPath) && !_hooks.WhatIf)
                {
                    try
                    {
                        var full = System.IO.Path.GetFullPath(Options.ReportPath);
                        result = Build(started, findingsBefore, findingsAfter, full);
                        RepairReport.Write(result, full, Env.Files);
                        _hooks.Verbose?.Invoke($"Wrote the report to '{full}'.");
                    }
                    catch (WsusRemediationException ex)
                    {
                        _errors.Add(ex);
                        result = Build(started, findingsBefore, findingsAfter, reportPath: null);
                    }
                    catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is System.IO.PathTooLongException)
                    {
                        _errors.Add(new WsusRemediationException("ReportWriteFailed", EngineErrorKind.InvalidArgument, $"'{Options.ReportPath}' is not a usable report path: {ex.Message}", Options.ReportPath, ex));
                        result = Build(started, findingsBefore, findingsAfter, reportPath: null);
                    }
                }

                Log(result.Succeeded ? CmTraceSeverity.Information : CmTraceSeverity.Error, result.Summary);
                return new RepairOutcome(result, _errors);
            }

            private void RunStep(StepRecord record)
            {
                var step = record.Step;
                if (step.IsManual)
                {
                    var blocking = step.BlocksSync ? " A synchronization cannot succeed until it is done." : string.Empty;
                    Resolve(record, RepairStepOutcome.Skipped, note: $"Manual step, not attempted: {step.Command}{blocking}");
                    _hooks.Warning?.Invoke($"Manual step ({string.Join(", ", step.Reason)}): {step.Target}. {step.Command}");
                    return;
                }

                var failedDependency = _records
                    .Where(r => r.Step.Order < step.Order && DependenciesOf(step.Name).Contains(r.Step.Name))
                    .FirstOrDefault(r => r.Outcome == RepairStepOutcome.Failed || r.Outcome == RepairStepOutcome.RolledBack || (r.Outcome == RepairStepOutcome.Skipped && !r.Declined));
                if (failedDependency is not null)
                {
                    var why = failedDependency.Outcome == RepairStepOutcome.Skipped ? "was not done" : failedDependency.Outcome == RepairStepOutcome.RolledBack ? "was rolled back" : "failed";
                    Resolve(record, RepairStepOutcome.Skipped, error: $"Not done because {failedDependency.Step.Name} {why}.", errorId: "DependencyFailed");
                    return;
                }

                switch (step.Name)
                {
                    case RepairStepName.TunePool:
                        TunePool(record);
                        break;
                    case RepairStepName.RestartPool:
                        RestartPool(record);
                        break;
                    case RepairStepName.RestartIis:
                        RestartServices(record, SiteServices.IisReset(), "Restart IIS (iisreset: W3SVC, WAS and their running dependents)");
                        break;
                    case RepairStepName.RestartSmsServices:
                        RestartServices(record, SiteServices.SmsRestart(includeWsus: false, includeBits: false), "Restart the SMS services (SMS_EXECUTIVE, SMS_SITE_COMPONENT_MANAGER; start SMS_NOTIFICATION_SERVER and SMS Agent Host if stopped)");
                        break;
                    case RepairStepName.RepairBits:
                        RepairBits(record);
                        break;
                    case RepairStepName.RestartWsusService:
                        RestartWsusService(record);
                        break;
                    case RepairStepName.StartSync:
                        StartSync(record);
                        break;
                    case RepairStepName.WaitForSync:
                        WaitForSync(record);
                        break;
                    case RepairStepName.VerifyUpdates:
                        Verify(record);
                        break;
                    default:
                        Resolve(record, RepairStepOutcome.Skipped, error: $"{step.Name} is not a step this version can run.", errorId: "UnknownRepairStep");
                        break;
                }
            }

            // --- Steps ---

            private void TunePool(StepRecord record)
            {
                var path = Options.ConfigurationPath ?? _tuning.ResolveConfigurationPath(null, _computer);
                var document = _tuning.Load(path);
                var desired = PoolTuningService.DesiredValues(Options.Profile, new Dictionary<string, object>(), force: false);
                var changes = PoolTuningService.PlanChanges(document, Options.PoolName, desired);
                if (changes.Count == 0)
                {
                    Resolve(record, RepairStepOutcome.NotNeeded, before: $"{Options.PoolName} already has the {Options.Profile} profile's values", after: "unchanged");
                    return;
                }

                record.Before = string.Join("; ", changes.Select(c => $"{c.Definition.Name}={c.Definition.Describe(c.OldValue)}"));
                if (!Confirm(record, $"{Options.PoolName} ({path})", "Tune the pool: " + string.Join("; ", changes.Select(c => c.Description))))
                {
                    return;
                }

                var applied = _tuning.Apply(document, Options.PoolName, changes, Options.BackupFolder);
                _tuned = (path, applied.BackupPath!, record);
                Resolve(record, RepairStepOutcome.Done,
                    after: string.Join("; ", changes.Select(c => $"{c.Definition.Name}={c.Definition.Describe(c.NewValue)}")),
                    note: $"Backed up to '{applied.BackupPath}' first.");
                _hooks.Verbose?.Invoke($"Tuned {Options.PoolName}: {string.Join("; ", changes.Select(RepairPlanner.Describe))} (backup '{applied.BackupPath}').");
            }

            private void RestartPool(StepRecord record)
            {
                var before = _restarter.GetPool(_computer, Options.PoolName).State;
                record.Before = $"{Options.PoolName} {before}";
                if (!Confirm(record, $"{Options.PoolName} on {_shown}", before == AppPoolState.Stopped ? "Start the application pool (it is Stopped)" : "Restart the application pool (stop, wait, start)"))
                {
                    return;
                }

                WsusPoolState state;
                var deferWatch = SyncFollows(record);
                try
                {
                    state = (deferWatch ? _quickRestarter : _restarter).Restart(_computer, Options.PoolName, null, _hooks.Verbose, _hooks.Progress, _token);
                }
                catch (WsusRemediationException ex) when (_tuned is not null && !_rolledBack && ex.Kind != EngineErrorKind.OperationStopped)
                {
                    // The pool does not start with the new values: that is what the backup is for.
                    record.After = $"{Options.PoolName} {Env.Pools.GetPool(_computer, Options.PoolName)?.State ?? AppPoolState.Unknown}";
                    Rollback(record, ex.ErrorId == "PoolStoppedAfterStart" ? $"it fell back to Stopped after the start ({ex.Message})" : $"it did not start ({ex.Message})");
                    return;
                }

                record.After = $"{Options.PoolName} {state.State}";
                if (state.WasStopped)
                {
                    record.Note = "It was Stopped before the repair (rapid-fail protection leaves it so, WAS event 5002).";
                }

                // The restarter has watched the pool stay Started, or the watch runs on until the sync; what is left to
                // ask now is the web services.
                _poolStartedUnwatched = deferWatch ? Env.Clock.UtcNow : null;
                _poolWatchOwedBy = deferWatch ? record : null;
                if (CheckPoolCameBack(record, alreadyWatched: true))
                {
                    Resolve(record, RepairStepOutcome.Done, after: record.After, note: record.Note);
                }
            }

            private void RestartWsusService(StepRecord record)
            {
                // The TechNet page: the WSUS service restarted, and set to start automatically.
                var targets = new[] { new ServiceTarget(SiteServices.Wsus, ServiceRule.Restart, "The TechNet page: restart the WSUS service.") };
                var info = Env.Services.GetService(_computer, SiteServices.Wsus);
                if (info is null || info.StartType == ServiceStartType.Automatic || Env.StartTypes is null)
                {
                    RestartServices(record, targets, "Restart the WSUS service");
                    return;
                }

                record.Before = $"{SiteServices.Wsus} {info.State}, {info.StartType}";
                if (!Confirm(record, $"{SiteServices.Wsus} on {_shown}", $"Set the start type to Automatic (it is {info.StartType}), then restart the WSUS service"))
                {
                    return;
                }

                Env.StartTypes.SetStartType(_computer, SiteServices.Wsus, ServiceStartType.Automatic);
                _hooks.Verbose?.Invoke($"{SiteServices.Wsus} on {_shown}: start type {info.StartType} -> Automatic.");
                RestartServices(record, targets, "Restart the WSUS service", confirmed: true, notePrefix: $"Start type {info.StartType} → Automatic. ");
            }

            private void RestartServices(StepRecord record, IReadOnlyList<ServiceTarget> targets, string action, bool confirmed = false, string notePrefix = "")
            {
                var plan = new ServiceRestartPlanner(Env.Services).Plan(_computer, targets);
                record.Before ??= string.Join(", ", plan.Services.Where(s => s.Present).Select(s => $"{s.Name} {s.StateBefore}"));
                var acting = plan.Services.Where(s => s.Action == PlannedServiceAction.Restart || s.Action == PlannedServiceAction.Start).ToList();
                if (acting.Count == 0 && plan.Blocker is null)
                {
                    var none = plan.Services.All(s => !s.Present) ? "None of its services is installed." : null;
                    Resolve(record, confirmed ? RepairStepOutcome.Done : RepairStepOutcome.NotNeeded, before: record.Before, after: record.Before, note: notePrefix + none);
                    return;
                }

                if (!confirmed && !Confirm(record, string.Join(", ", acting.Select(s => s.Name)) + $" on {plan.ComputerName}", action))
                {
                    return;
                }

                var runner = new ServiceRestartRunner(Env.Services, Env.Clock, Options.PollInterval) { StartTimeout = Options.ServiceTimeout, StopTimeout = Options.ServiceTimeout };
                var outcome = runner.Run(plan, new ServiceRunHooks { Verbose = _hooks.Verbose, Progress = _hooks.Progress }, _token);
                record.After = string.Join(", ", outcome.Results.Where(r => r.Present).Select(r => $"{r.Name} {r.StatusAfter}"));
                var actions = string.Join("; ", outcome.Results.Where(r => r.Present).Select(r => $"{r.Name}: {r.Action}"));
                if (!outcome.Succeeded)
                {
                    _errors.AddRange(outcome.Errors.Skip(1));
                    var first = outcome.Errors[0];
                    Fail(record, first, note: notePrefix + actions);
                    return;
                }

                if (!CheckPoolCameBack(record))
                {
                    record.Note = notePrefix + actions;
                    return;
                }

                Resolve(record, RepairStepOutcome.Done, after: record.After, note: notePrefix + actions);
            }

            private void RepairBits(StepRecord record)
            {
                var info = Env.Services.GetService(_computer, SiteServices.Bits);
                if (info is null)
                {
                    Resolve(record, RepairStepOutcome.NotNeeded, note: "BITS is not installed on this computer.");
                    return;
                }

                record.Before = $"{SiteServices.Bits} {info.State}, {info.StartType}";
                var disabled = info.StartType == ServiceStartType.Disabled;
                var running = info.State == ServiceState.Running;
                if (!disabled && running)
                {
                    Resolve(record, RepairStepOutcome.NotNeeded, before: record.Before, after: record.Before);
                    return;
                }

                if (disabled && Env.StartTypes is null)
                {
                    throw new WsusRemediationException(
                        "BitsDisabled",
                        EngineErrorKind.InvalidOperation,
                        $"BITS on {_shown} is Disabled and its start type cannot be changed from here; synchronization fails while it is Disabled.",
                        SiteServices.Bits)
                    {
                        RecommendedAction = "Set-Service -Name BITS -StartupType Manual -Status Running, then run Repair-WsusSync again.",
                    };
                }

                var action = disabled ? "Set the start type to Manual (it is Disabled) and start the service" : "Start the service";
                if (!Confirm(record, $"{SiteServices.Bits} on {_shown}", action))
                {
                    return;
                }

                if (disabled)
                {
                    Env.StartTypes!.SetStartType(_computer, SiteServices.Bits, ServiceStartType.Manual);
                    _hooks.Verbose?.Invoke($"BITS on {_shown}: start type set to Manual.");
                }

                new ServiceOperations(Env.Services, Env.Clock, Options.PollInterval).StartAndWait(_computer, SiteServices.Bits, Options.ServiceTimeout, _token, _hooks.Progress);
                var after = Env.Services.GetService(_computer, SiteServices.Bits);
                Resolve(record, RepairStepOutcome.Done, after: after is null ? null : $"{SiteServices.Bits} {after.State}, {after.StartType}");
            }

            private void StartSync(StepRecord record)
            {
                var blockers = _records.Where(r => r.Step.IsManual && r.Step.BlocksSync).ToList();
                if (blockers.Count > 0 && !Options.Force)
                {
                    var names = string.Join("; ", blockers.Select(b => $"{b.Step.Target} ({string.Join(", ", b.Step.Reason)})"));
                    var blocked = new WsusRemediationException(
                        "ManualStepRequired",
                        EngineErrorKind.InvalidOperation,
                        $"Stopped before the synchronization: it cannot succeed until a Manual step is done by hand: {names}.",
                        _shown)
                    {
                        RecommendedAction = "Do the Manual step (Get-WsusRepairPlan shows what to do), then run Repair-WsusSync again; add -Force if it is already done.",
                    };
                    _errors.Add(blocked);
                    Resolve(record, RepairStepOutcome.Skipped, error: blocked.Message, errorId: blocked.ErrorId);
                    return;
                }

                if (!Confirm(record, _shown, "Start a synchronization (MECM SyncNow, else the WSyncMgr.box inbox file, else the WSUS API)"))
                {
                    return;
                }

                // The watch owed since this run restarted the pool (most of it has passed during the steps in between).
                if (_poolStartedUnwatched is not null && !CheckPoolCameBack(record))
                {
                    return;
                }

                var pool = _restarter.GetPool(_computer, Options.PoolName).State;
                if (pool != AppPoolState.Started)
                {
                    throw new WsusRemediationException(
                        "PoolNotStarted",
                        EngineErrorKind.ResourceUnavailable,
                        $"{Options.PoolName} on {_shown} is {pool}: a synchronization now would be cancelled, so none was started.",
                        Options.PoolName)
                    {
                        RecommendedAction = "Run Repair-WsusSync -Step RestartPool, or Restart-WsusPool, and look at the WAS events (Get-WsusSyncLog -Kind PoolDisabledRapidFail).",
                    };
                }

                try
                {
                    _trigger = Env.Sync.Start(SyncSource.Auto, fullSync: false, _computer, _token, _hooks.Verbose);
                    Resolve(record, RepairStepOutcome.Done, after: $"Requested with {_trigger.Method} at {_trigger.RequestedAt:HH:mm:ss} UTC");
                }
                catch (WsusRemediationException ex) when (ex.ErrorId == "SyncAlreadyRunning")
                {
                    // One sync proves the repair as well as another: follow the one that runs.
                    var now = Env.Clock.UtcNow.UtcDateTime;
                    _trigger = new SyncTriggerResult { ComputerName = _shown, Source = SyncSource.Auto, RequestedAt = now };
                    Resolve(record, RepairStepOutcome.NotNeeded, after: "A synchronization was already running", note: "A synchronization was already running; the repair follows it instead of starting a second one.");
                }
            }

            private void WaitForSync(StepRecord record)
            {
                if (_trigger is null && !_hooks.WhatIf)
                {
                    Resolve(record, RepairStepOutcome.Skipped, error: "No synchronization was started by this run.", errorId: "NoSyncStarted");
                    record.Declined = _records.Any(r => r.Step.Name == RepairStepName.StartSync && r.Declined);
                    return;
                }

                if (!Confirm(record, _shown, $"Wait for the synchronization to end (at most {Options.SyncTimeout})"))
                {
                    return;
                }

                if (_trigger is null)
                {
                    return;
                }

                var watcher = new SyncWatcher((final, token) => Env.Sync.Read(SyncSource.Auto, _computer, final, token), Env.Clock);
                var watched = watcher.WaitForCompletion(_trigger, Options.SyncTimeout, Options.SyncPollInterval, _token, (progress, _) => _hooks.Progress?.Invoke(progress));
                _status = watched.Status;
                record.After = $"{watched.Status.LastResult}{(watched.Status.LastEndTime is { } end ? $" at {end:HH:mm:ss} UTC" : string.Empty)}";
                if (!watched.Completed)
                {
                    throw new WsusRemediationException(
                        "SyncWaitTimedOut",
                        EngineErrorKind.OperationTimeout,
                        watched.Started
                            ? $"The synchronization on {_shown} did not end within {Options.SyncTimeout}; it goes on. Follow it with Get-WsusSyncStatus."
                            : $"The synchronization on {_shown} did not start within {Options.SyncTimeout}; the request stays queued.",
                        _shown);
                }

                if (!CheckPoolCameBack(record))
                {
                    return;
                }

                if (watched.Status.LastResult != SyncResult.Succeeded)
                {
                    throw new WsusRemediationException(
                        "SyncDidNotSucceed",
                        EngineErrorKind.InvalidResult,
                        $"The synchronization on {_shown} ended {watched.Status.LastResult}: {watched.Status.ErrorText ?? watched.Status.HealthReason}",
                        _shown)
                    {
                        RecommendedAction = "Run Get-WsusSyncDiagnosis for the cause; Get-WsusSyncLog -Kind SyncFailed shows the failure.",
                    };
                }

                Resolve(record, RepairStepOutcome.Done, after: record.After);
            }

            private void Verify(StepRecord record)
            {
                if (!Confirm(record, _shown, "Verify: last synchronization Succeeded, WsusPool Started, MECM's update count above 0"))
                {
                    return;
                }

                var status = Env.Sync.Read(SyncSource.Auto, _computer, countUpdates: true, _token, _hooks.Verbose);
                _status = status;
                var pool = _restarter.GetPool(_computer, Options.PoolName).State;
                var web = Env.WebProbe?.GetStatusCode(_computer, _token);
                var problems = new List<string>();
                if (status.LastResult != SyncResult.Succeeded)
                {
                    problems.Add($"the last synchronization ended {status.LastResult}");
                }

                if (pool != AppPoolState.Started)
                {
                    problems.Add($"{Options.PoolName} is {pool}");
                }

                if (web is >= 500)
                {
                    problems.Add($"the WSUS web services answer HTTP {web}");
                }

                if (status.ConfigMgrUpdateCount is not > 0)
                {
                    problems.Add(status.ConfigMgrUpdateCount is null ? "MECM's update count could not be read" : "MECM has 0 updates");
                }

                record.After = $"Last sync {status.LastResult}, {Options.PoolName} {pool}, {(status.ConfigMgrUpdateCount is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "unknown")} updates in MECM";
                if (problems.Count > 0)
                {
                    throw new WsusRemediationException("VerificationFailed", EngineErrorKind.InvalidResult, $"Not verified on {_shown}: {string.Join("; ", problems)}.", _shown)
                    {
                        RecommendedAction = "Run Get-WsusSyncDiagnosis to see what is still wrong.",
                    };
                }

                Resolve(record, RepairStepOutcome.Done, after: record.After);
            }

            // --- Safety ---

            /// <summary>
            /// After a restart or the sync: when this run tuned the pool, WsusPool must be Started and WSUS's
            /// web services must not answer 5xx; if not, the backup is restored and the pool restarted.
            /// Without a tuning, a pool that did not come back fails the step. Returns true when all is well.
            /// </summary>
            private bool CheckPoolCameBack(StepRecord record, bool alreadyWatched = false)
            {
                // Steps that do not act on the pool only look at it when this run changed its settings, or (before the
                // sync) when the watch of a restart is still owed.
                var actsOnPool = record.Step.Name == RepairStepName.RestartPool || record.Step.Name == RepairStepName.RestartIis
                    || (record.Step.Name == RepairStepName.StartSync && _poolStartedUnwatched is not null);
                if (_rolledBack || (_tuned is null && !actsOnPool))
                {
                    return true;
                }

                var problem = PoolProblem(record, alreadyWatched, record.Step.Name == RepairStepName.StartSync ? _poolStartedUnwatched : null);
                if (problem is null)
                {
                    return true;
                }

                PoolDidNotComeBack(record, problem);
                return false;
            }

            private void PoolDidNotComeBack(StepRecord record, string problem)
            {
                if (_tuned is null)
                {
                    Fail(record, new WsusRemediationException("PoolDidNotComeBack", EngineErrorKind.ResourceUnavailable, $"{Options.PoolName} on {_shown} did not come back: {problem}.", Options.PoolName)
                    {
                        RecommendedAction = "Look at the WAS events (Get-WsusSyncLog -Kind PoolDisabledRapidFail) and the pool's settings (Get-WsusPoolTuning).",
                    });
                    return;
                }

                Rollback(record, problem);
            }

            /// <summary>
            /// The watch a pool restart left for the synchronization, when no synchronization was started after all: the
            /// pool is watched now (what is left of the settle time), and a fall-back fails the step that restarted it, as
            /// the watch on the spot would have (rolled back when this run tuned the pool).
            /// </summary>
            private void WatchOwedPool()
            {
                var owner = _poolWatchOwedBy;
                var owedSince = _poolStartedUnwatched;
                var started = Env.Clock.UtcNow;
                _poolWatchOwedBy = null;
                if (owner is null || _rolledBack)
                {
                    _poolStartedUnwatched = null;
                    return;
                }

                try
                {
                    _hooks.Verbose?.Invoke($"No synchronization was started: watching {Options.PoolName} now, the watch its restart in {owner.Step.Name} left for the synchronization.");
                    var problem = PoolProblem(owner, alreadyWatched: false, owedSince);
                    if (problem is not null)
                    {
                        owner.After = $"{Options.PoolName} {Env.Pools.GetPool(_computer, Options.PoolName)?.State ?? AppPoolState.Unknown}";
                        PoolDidNotComeBack(owner, problem);
                        owner.Note = (owner.Note is null ? string.Empty : owner.Note + " ") + $"Found when {Options.PoolName} was watched after {RepairStepName.StartSync}, which started no synchronization.";
                    }
                }
                catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped || !_token.IsCancellationRequested)
                {
                    Fail(owner, ex);
                }
                catch (Exception) when (_token.IsCancellationRequested)
                {
                    // Ctrl+C during the watch: nothing was stopped by it, so nothing is to be put back.
                    _poolStartedUnwatched = null;
                    _stoppedAt = RepairStepName.StartSync.ToString();
                    owner.Note = (owner.Note is null ? string.Empty : owner.Note + " ") + $"The watch of {Options.PoolName} after {RepairStepName.StartSync} was stopped by the user; it was {Env.Pools.GetPool(_computer, Options.PoolName)?.State ?? AppPoolState.Unknown} then.";
                }
                finally
                {
                    owner.Duration += Env.Clock.UtcNow - started;
                }

                if (owner.Outcome != RepairStepOutcome.Done)
                {
                    LogStep(owner);
                }
            }

            private string? PoolProblem(StepRecord record, bool alreadyWatched, DateTimeOffset? owedSince)
            {
                var state = Env.Pools.GetPool(_computer, Options.PoolName)?.State ?? AppPoolState.Unknown;

                // A pool that rapid-fail protection disables again right after a restart must be seen before the
                // synchronization it would cancel: it is watched for the settle time after the IIS reset, or, when a
                // sync follows, from its start until just before the sync (counting the time the steps in between
                // took). After other steps one look is enough, unless it is not Started.
                var restartedHere = record.Step.Name == RepairStepName.RestartIis && owedSince is null;
                var deferWatch = restartedHere && SyncFollows(record);
                if (!alreadyWatched && (state != AppPoolState.Started || (restartedHere && !deferWatch) || owedSince is not null))
                {
                    try
                    {
                        state = (deferWatch ? _quickRestarter : _restarter).ConfirmStarted(_computer, Options.PoolName, startAsked: null, _hooks.Progress, _token, startedSince: owedSince);
                    }
                    catch (WsusRemediationException ex) when (ex.ErrorId == "PoolStoppedAfterStart" || ex.ErrorId == "PoolStartTimeout")
                    {
                        state = Env.Pools.GetPool(_computer, Options.PoolName)?.State ?? AppPoolState.Unknown;
                    }
                }

                if (deferWatch && state == AppPoolState.Started)
                {
                    _poolStartedUnwatched = Env.Clock.UtcNow;
                    _poolWatchOwedBy = record;
                }
                else if (restartedHere || owedSince is not null)
                {
                    _poolStartedUnwatched = null;
                }

                if (state != AppPoolState.Started)
                {
                    return state == AppPoolState.Stopped
                        ? $"it is Stopped again (WAS disables a pool whose workers keep failing: rapid-fail protection, event 5002)"
                        : $"it is {state}";
                }

                var web = Env.WebProbe?.GetStatusCode(_computer, _token);
                return web is >= 500 ? $"the WSUS web services answer HTTP {web}" : null;
            }

            /// <summary>Whether a synchronization is started later in this run (the watch of a pool restart can then run until it).</summary>
            private bool SyncFollows(StepRecord record) =>
                _records.Skip(_records.IndexOf(record) + 1).Any(r => r.Step.Name == RepairStepName.StartSync);

            private void Rollback(StepRecord record, string problem)
            {
                var (path, backup, tuneRecord) = _tuned!.Value;
                _rolledBack = true;
                _hooks.Warning?.Invoke($"{Options.PoolName} did not come back after the tuning ({problem}); restoring '{backup}' and restarting it.");
                string restored;
                try
                {
                    new SafeConfigurationWriter(Env.Files, Env.Clock).Restore(path, backup);
                    var state = _restarter.Restart(_computer, Options.PoolName, null, _hooks.Verbose, _hooks.Progress, _token);
                    restored = $"the backup '{backup}' was restored and {Options.PoolName} restarted ({state.State})";
                }
                catch (Exception ex) when (ex is WsusRemediationException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
                {
                    restored = $"restoring the backup '{backup}' or restarting {Options.PoolName} failed ({ex.Message}); restore it by hand (Copy-Item '{backup}' '{path}') and run Restart-WsusPool";
                    _errors.Add(new WsusRemediationException("RollbackFailed", EngineErrorKind.WriteError, $"The rollback on {_shown} failed: {ex.Message}", path, ex as WsusRemediationException));
                }

                tuneRecord.Outcome = RepairStepOutcome.RolledBack;
                tuneRecord.Note = $"Rolled back: {Options.PoolName} did not come back after the change ({problem}); {restored}.";
                tuneRecord.After = tuneRecord.Before;
                Fail(record, new WsusRemediationException("PoolDidNotComeBack", EngineErrorKind.ResourceUnavailable, $"{Options.PoolName} on {_shown} did not come back after the tuning: {problem}. The change was rolled back: {restored}.", Options.PoolName)
                {
                    RecommendedAction = "Look at the WAS events and the System log for why the pool fails with these values; try the other profile (-Profile).",
                });
                Log(CmTraceSeverity.Warning, tuneRecord.Note);
            }

            private void AfterCancel(StepRecord record, Exception stopped)
            {
                if (stopped is ServiceRunCancelledException services)
                {
                    // The service runner has started again what the step stopped; say what and how it was left.
                    record.After = string.Join(", ", services.Recovery.Select(r => $"{r.Name} {r.StatusAfter?.ToString() ?? "Unknown"}"));
                    record.Note = services.Summary;
                    _hooks.Warning?.Invoke(services.Summary);
                    return;
                }

                if (stopped is StoppedAfterCleanUpException pool)
                {
                    // The pool restarter has started the pool again itself, waiting a short while for it.
                    record.Note = pool.Summary;
                    _hooks.Warning?.Invoke(pool.Summary);
                    return;
                }

                // A pool left stopped by Ctrl+C between its stop and its start is asked to start (not waited for).
                if (record.Step.Name != RepairStepName.RestartPool && !(record.Step.Name == RepairStepName.TunePool && _rolledBack))
                {
                    return;
                }

                try
                {
                    var state = Env.Pools.GetPool(_computer, Options.PoolName)?.State;
                    if (state == AppPoolState.Stopped || state == AppPoolState.Stopping)
                    {
                        Env.Pools.StartPool(_computer, Options.PoolName);
                        record.Note = $"Asked IIS to start {Options.PoolName} again, which the step had stopped.";
                    }
                }
                catch (WsusRemediationException ex)
                {
                    record.Note = $"{Options.PoolName} could not be started again: {ex.Message}";
                }
            }

            // --- Bookkeeping ---

            private bool Confirm(StepRecord record, string target, string action)
            {
                if (_hooks.ShouldProcess is null || _hooks.ShouldProcess(target, $"{record.Step.Name}: {action}"))
                {
                    return true;
                }

                record.Declined = true;
                Resolve(record, _hooks.WhatIf ? RepairStepOutcome.WhatIf : RepairStepOutcome.Skipped, before: record.Before, note: _hooks.WhatIf ? action : "Declined; nothing changed.");
                return false;
            }

            private static void Resolve(StepRecord record, RepairStepOutcome outcome, string? before = null, string? after = null, string? error = null, string? errorId = null, string? note = null)
            {
                record.Outcome = outcome;
                record.Before = before ?? record.Before;
                record.After = after ?? record.After;
                record.Error = error ?? record.Error;
                record.ErrorId = errorId ?? record.ErrorId;
                record.Note = note ?? record.Note;
            }

            private void Fail(StepRecord record, WsusRemediationException error, string? note = null)
            {
                Resolve(record, RepairStepOutcome.Failed, error: error.Message, errorId: error.ErrorId, note: note);
                _errors.Add(error);
                _hooks.Verbose?.Invoke($"{record.Step.Name} failed: {error.Message}");
            }

            private IReadOnlyList<WsusSyncFinding> DiagnoseAgain()
            {
                if (Env.Diagnose is null || _hooks.WhatIf || _stoppedAt is not null)
                {
                    return Array.Empty<WsusSyncFinding>();
                }

                try
                {
                    return Env.Diagnose(_token);
                }
                catch (WsusRemediationException ex)
                {
                    _hooks.Warning?.Invoke($"The diagnosis after the repair could not run: {ex.Message}");
                    return Array.Empty<WsusSyncFinding>();
                }
                catch (OperationCanceledException) when (_token.IsCancellationRequested)
                {
                    return Array.Empty<WsusSyncFinding>();
                }
            }

            private WsusRepairResult Build(DateTimeOffset started, IReadOnlyList<WsusSyncFinding> before, IReadOnlyList<WsusSyncFinding> after, string? reportPath)
            {
                var steps = _records.Select(r => new RepairStepResult
                {
                    Order = r.Step.Order,
                    Name = r.Step.Name,
                    Target = r.Step.Target,
                    Outcome = r.Outcome ?? RepairStepOutcome.Skipped,
                    Before = r.Before,
                    After = r.After,
                    Duration = r.Duration,
                    Error = r.Error,
                    ErrorId = r.ErrorId,
                    Note = r.Note,
                }).ToList();
                var succeeded = !_hooks.WhatIf && _stoppedAt is null && steps.Count > 0 &&
                    _records.All(r => r.Step.IsManual ? !r.Step.BlocksSync || Options.Force : r.Outcome == RepairStepOutcome.Done || r.Outcome == RepairStepOutcome.NotNeeded);
                return new WsusRepairResult
                {
                    ComputerName = _shown,
                    Succeeded = succeeded,
                    Steps = steps,
                    FindingsBefore = before,
                    FindingsAfter = after,
                    SyncStatus = _status,
                    UpdateCount = _status?.ConfigMgrUpdateCount,
                    BackupPath = _tuned?.Backup,
                    ReportPath = reportPath,
                    LogPath = Env.Log?.Path,
                    RolledBack = _rolledBack,
                    StoppedAt = _stoppedAt,
                    StartTime = started.UtcDateTime,
                    Duration = Env.Clock.UtcNow - started,
                    Summary = Summarize(steps, succeeded),
                };
            }

            private string Summarize(IReadOnlyList<RepairStepResult> steps, bool succeeded)
            {
                if (_hooks.WhatIf)
                {
                    return $"What if: {steps.Count(s => s.Outcome == RepairStepOutcome.WhatIf)} step(s) would run on {_shown}; nothing was changed.";
                }

                if (_stoppedAt is not null)
                {
                    return $"Stopped by the user during {_stoppedAt} on {_shown}; {steps.Count(s => s.Outcome == RepairStepOutcome.Done)} step(s) were done before.";
                }

                var failed = steps.Where(s => s.Outcome == RepairStepOutcome.Failed).Select(s => s.Name.ToString()).ToList();
                var changed = steps.Count(s => s.Outcome == RepairStepOutcome.Done && s.Name != RepairStepName.VerifyUpdates && s.Name != RepairStepName.WaitForSync);
                if (succeeded)
                {
                    return changed == 0
                        ? $"{_shown} needed no repair: nothing was changed or restarted, and the verification passed."
                        : $"{_shown} was repaired: {changed} step(s) done, the synchronization succeeded and MECM has {(_status?.ConfigMgrUpdateCount ?? 0).ToString("N0", CultureInfo.InvariantCulture)} updates.";
                }

                var rolled = _rolledBack ? " The pool tuning was rolled back." : string.Empty;
                return failed.Count > 0
                    ? $"The repair of {_shown} did not succeed: {string.Join(", ", failed)} failed.{rolled}"
                    : $"The repair of {_shown} did not finish: {string.Join(", ", steps.Where(s => s.Outcome == RepairStepOutcome.Skipped && s.Name != RepairStepName.Manual).Select(s => s.Name))} not done.{rolled}";
            }

            private void LogStep(StepRecord record)
            {
                var outcome = record.Outcome ?? RepairStepOutcome.Skipped;
                var severity = outcome == RepairStepOutcome.Failed ? CmTraceSeverity.Error
                    : outcome == RepairStepOutcome.RolledBack || (outcome == RepairStepOutcome.Skipped && !record.Step.IsManual && !record.Declined) ? CmTraceSeverity.Warning
                    : CmTraceSeverity.Information;
                var parts = new List<string> { $"Step {record.Step.Order} {record.Step.Name} on {_shown}: {outcome} ({record.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)." };
                if (record.Before is not null || record.After is not null)
                {
                    parts.Add($"Before: {record.Before ?? "-"}. After: {record.After ?? "-"}.");
                }

                if (record.Error is not null)
                {
                    parts.Add($"Error: {record.Error}");
                }

                if (record.Note is not null)
                {
                    parts.Add(record.Note);
                }

                Log(severity, string.Join(" ", parts));
            }

            private void Log(CmTraceSeverity severity, string message)
            {
                if (Env.Log is null)
                {
                    return;
                }

                var failure = Env.Log.Write(RepairReport.Redact(message), severity);
                if (failure is not null)
                {
                    _hooks.Warning?.Invoke(failure);
                }
            }
        }
    }
}
