using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Services
{
    /// <summary>The cmdlet's side of a run: confirmation, the verbose story and wait progress.</summary>
    public sealed class ServiceRunHooks
    {
        /// <summary>Asked once per service right before its first change: (target, action) → go ahead?</summary>
        public Func<string, string, bool>? ShouldProcess { get; init; }

        /// <summary>Receives one line per step.</summary>
        public Action<string>? Verbose { get; init; }

        /// <summary>Receives the progress of every wait.</summary>
        public Action<WaitProgress>? Progress { get; init; }
    }

    /// <summary>
    /// Runs a <see cref="ServiceRestartPlan"/>: stops in order, starts in the reverse order, each with
    /// a bounded wait. After a failure only recovery goes on: services this run stopped are started
    /// again (Restored) unless they depend on the one that failed; every other remaining step is Skipped.
    /// </summary>
    public sealed class ServiceRestartRunner
    {
        private readonly ServiceOperations _operations;

        /// <summary>Creates a runner.</summary>
        public ServiceRestartRunner(IServiceControlManager scm, IClock clock, TimeSpan? pollInterval = null)
        {
            _operations = new ServiceOperations(scm, clock, pollInterval);
        }

        /// <summary>The most a stop may take, per service.</summary>
        public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(120);

        /// <summary>The most a start may take, per service.</summary>
        public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

        /// <summary>
        /// The most the clean-up after Ctrl+C may take in all: waiting for a stop this run began to end, and
        /// starting again, and waiting for, what this run stopped. Short, because the user asked to stop.
        /// </summary>
        public TimeSpan CancelRecoveryTimeout { get; init; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// Runs the plan. On Ctrl+C, starts again what this run stopped or began to stop (within
        /// <see cref="CancelRecoveryTimeout"/>), then throws <see cref="ServiceRunCancelledException"/>,
        /// which says what was done and in which state each service was left.
        /// </summary>
        public ServiceRestartOutcome Run(ServiceRestartPlan plan, ServiceRunHooks? hooks, CancellationToken cancellationToken)
        {
            if (plan is null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            hooks ??= new ServiceRunHooks();
            var run = new RunState(plan);

            if (plan.Blocker is not null)
            {
                return Blocked(plan, run);
            }

            try
            {
                StopPhase(run, hooks, cancellationToken);
                StartPhase(run, hooks, cancellationToken);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested)
            {
                // Whatever ended the wait (the token, or a host that refuses output once it is stopping),
                // the services this run took down must not stay down.
                throw new ServiceRunCancelledException(plan.ComputerName, RecoverAfterCancel(run), ex);
            }

            return Finish(run);
        }

        private void StopPhase(RunState run, ServiceRunHooks hooks, CancellationToken token)
        {
            var plan = run.Plan;
            foreach (var service in plan.StopOrder)
            {
                // No new stop after Ctrl+C, even one that would come before the next wait.
                token.ThrowIfCancellationRequested();
                if (run.Failed is not null)
                {
                    run.Skip(service, $"Not done because {run.Failed.Name} failed.");
                    continue;
                }

                // A service cannot stop while a service that depends on it keeps running (error 1051):
                // when the user kept a dependent running, its dependency is left alone too.
                var keptDependent = service.DependentServices.FirstOrDefault(d => run.KeptRunning.Contains(d));
                if (keptDependent is not null)
                {
                    run.Skip(service, $"Not restarted: {keptDependent}, which depends on it, was kept running.");
                    run.KeptRunning.Add(service.Name);
                    continue;
                }

                if (!Confirm(hooks, plan, service, "Restart service (stop, then start)"))
                {
                    run.Resolve(service, ServiceAction.Declined, note: null);
                    run.KeptRunning.Add(service.Name);
                    continue;
                }

                var started = _operations.Clock.UtcNow;
                try
                {
                    hooks.Verbose?.Invoke($"Stopping {Describe(plan, service)} (at most {StopTimeout.TotalSeconds:0} s).");
                    if (_operations.CurrentState(plan.ScmComputer, service.Name) == ServiceState.StartPending)
                    {
                        // A service that is still starting accepts no stop control (error 1061).
                        _operations.WaitUntilSettled(plan.ScmComputer, service.Name, StartTimeout, token, hooks.Progress);
                    }

                    // Counted before the control is sent: Ctrl+C while it is still stopping must start it again too.
                    run.StopRequested.Add(service.Name);
                    _operations.StopAndWait(plan.ScmComputer, service.Name, StopTimeout, token, hooks.Progress);
                    run.StoppedByThisRun.Add(service.Name);
                    hooks.Verbose?.Invoke($"{service.Name} stopped in {(_operations.Clock.UtcNow - started).TotalSeconds:0.0} s.");
                }
                catch (WsusRemediationException ex)
                {
                    run.Fail(service, ex, ex.ErrorId == "ServiceStopTimeout"
                        ? $"It may still be stopping; start it when it has stopped (Start-Service {service.Name})."
                        : null);
                    hooks.Verbose?.Invoke($"{service.Name} failed: {ex.Message}");
                }
                finally
                {
                    run.AddTime(service, _operations.Clock.UtcNow - started);
                }
            }
        }

        private void StartPhase(RunState run, ServiceRunHooks hooks, CancellationToken token)
        {
            var plan = run.Plan;
            foreach (var service in plan.StartOrder)
            {
                token.ThrowIfCancellationRequested();
                if (run.IsResolved(service))
                {
                    continue;
                }

                if (run.Failed is not null)
                {
                    Recover(run, hooks, service, token);
                    continue;
                }

                if (service.Action == PlannedServiceAction.Start && !Confirm(hooks, plan, service, "Start service"))
                {
                    run.Resolve(service, ServiceAction.Declined, note: null);
                    continue;
                }

                var started = _operations.Clock.UtcNow;
                try
                {
                    StartOne(plan, service, hooks, token);
                    run.Resolve(service, service.Action == PlannedServiceAction.Restart ? ServiceAction.Restarted : ServiceAction.Started, service.AddedAsDependentOf is null ? null : $"Restarted because it depends on {service.AddedAsDependentOf}.");
                    hooks.Verbose?.Invoke($"{service.Name} is running ({(_operations.Clock.UtcNow - started).TotalSeconds:0.0} s).");
                }
                catch (WsusRemediationException ex)
                {
                    run.Fail(service, ex, null);
                    hooks.Verbose?.Invoke($"{service.Name} failed: {ex.Message}");
                }
                finally
                {
                    run.AddTime(service, _operations.Clock.UtcNow - started);
                }
            }
        }

        private void Recover(RunState run, ServiceRunHooks hooks, PlannedService service, CancellationToken token)
        {
            var failed = run.Failed!;
            if (!run.StoppedByThisRun.Contains(service.Name))
            {
                run.Skip(service, $"Not done because {failed.Name} failed.");
                return;
            }

            if (failed.DependentServices.Contains(service.Name, StringComparer.OrdinalIgnoreCase))
            {
                run.Resolve(service, ServiceAction.Skipped, $"Left stopped: it was stopped for the restart and depends on {failed.Name}, which failed. Start it when {failed.Name} runs.");
                return;
            }

            var started = _operations.Clock.UtcNow;
            try
            {
                hooks.Verbose?.Invoke($"Starting {service.Name} again because {failed.Name} failed.");
                StartOne(run.Plan, service, hooks, token);
                run.Resolve(service, ServiceAction.Restored, $"Started again after {failed.Name} failed, so it is not left stopped.");
            }
            catch (WsusRemediationException ex)
            {
                run.Fail(service, ex, $"It was stopped for the restart; starting it again after {failed.Name} failed did not work.");
            }
            finally
            {
                run.AddTime(service, _operations.Clock.UtcNow - started);
            }
        }

        private void StartOne(ServiceRestartPlan plan, PlannedService service, ServiceRunHooks hooks, CancellationToken token)
        {
            hooks.Verbose?.Invoke($"Starting {Describe(plan, service)} (at most {StartTimeout.TotalSeconds:0} s).");
            if (_operations.CurrentState(plan.ScmComputer, service.Name) == ServiceState.StopPending)
            {
                // A service still stopping cannot be started yet.
                _operations.WaitUntilSettled(plan.ScmComputer, service.Name, StopTimeout, token, hooks.Progress);
            }

            _operations.StartAndWait(plan.ScmComputer, service.Name, StartTimeout, token, hooks.Progress);
        }

        private IReadOnlyList<ServiceRestartResult> RecoverAfterCancel(RunState run)
        {
            // The user's token is cancelled; this clean-up has its own deadline instead, and no hooks: the
            // cmdlet can no longer write progress or verbose lines once PowerShell is stopping it.
            // Every service is looked after at once, not one after the other: a service stuck stopping (or
            // starting) must not use up the deadline while another, already Stopped, could start at once.
            var plan = run.Plan;
            var clock = _operations.Clock;
            var began = clock.UtcNow;
            var deadline = began + CancelRecoveryTimeout;
            var cleanUps = plan.StartOrder.Where(s => run.StopRequested.Contains(s.Name)).Select(s => new CleanUp(s)).ToList();
            while (true)
            {
                // In start order, so a service's dependencies get their start first in the same pass.
                foreach (var cleanUp in cleanUps.Where(c => c.Action is null))
                {
                    Advance(plan, cleanUp, cleanUps);
                    if (cleanUp.Action is not null)
                    {
                        cleanUp.Duration = clock.UtcNow - began;
                    }
                }

                var now = clock.UtcNow;
                if (cleanUps.All(c => c.Action is not null) || now >= deadline)
                {
                    break;
                }

                var remaining = deadline - now;
                clock.Delay(remaining < _operations.PollInterval ? remaining : _operations.PollInterval, CancellationToken.None);
            }

            foreach (var cleanUp in cleanUps.Where(c => c.Action is null))
            {
                GiveUp(plan, cleanUp, cleanUps);
                cleanUp.Duration = clock.UtcNow - began;
            }

            return cleanUps.Select(c => new ServiceRestartResult
            {
                ComputerName = plan.ComputerName,
                Name = c.Service.Name,
                DisplayName = c.Service.DisplayName,
                Present = true,
                StatusBefore = c.Service.StateBefore,
                StatusAfter = StateAfter(_operations, plan, c.Service),
                StartType = c.Service.StartType,
                Action = c.Action!.Value,
                Duration = c.Duration,
                Error = c.Error?.Message,
                ErrorId = c.Error?.ErrorId,
                Note = c.Note,
            }).ToList();
        }

        // One look at a service during the clean-up: settle it when it runs or has failed, start it when it is Stopped
        // and what it depends on allows, otherwise leave it for the next look.
        private void Advance(ServiceRestartPlan plan, CleanUp cleanUp, IReadOnlyList<CleanUp> all)
        {
            var name = cleanUp.Service.Name;
            try
            {
                var state = _operations.CurrentState(plan.ScmComputer, name);
                cleanUp.Last = state;
                switch (state)
                {
                    case ServiceState.Running:
                        cleanUp.Settle(
                            cleanUp.StartSent || cleanUp.SeenStarting ? ServiceAction.Restored : ServiceAction.AlreadyRunning,
                            cleanUp.StartSent
                                ? "Stopped by the user after this run had stopped it: started again."
                                : cleanUp.SeenStarting
                                    ? "Stopped by the user while it was starting again: waited until it was Running; nothing else to do."
                                    : "Running when the user stopped the run (restarted already, or not stopped yet); nothing to do.");
                        break;
                    case ServiceState.Stopped when cleanUp.StartSent || cleanUp.SeenStarting:
                        // It was starting (by this run's start, or the clean-up's) and fell back: a crash, not a wait.
                        cleanUp.Fail(
                            ServiceErrors.StoppedAfterStart(plan.ScmComputer, name),
                            $"Stopped by the user after this run had stopped it; it was started again but stopped while starting. Look at why (System log, Get-WsusServiceStatus) before starting it by hand: Start-Service {name}{On(plan)}.");
                        break;
                    case ServiceState.Stopped:
                        var dependency = UnsettledDependency(cleanUp, all);
                        if (dependency is null)
                        {
                            // Only the control is sent here; the next looks wait for Running with everyone else.
                            _operations.Scm.StartService(plan.ScmComputer, name);
                            cleanUp.StartSent = true;
                        }
                        else if (dependency.Action is not null)
                        {
                            cleanUp.Settle(ServiceAction.Failed, $"Stopped by the user after this run had stopped it; not started again because {dependency.Service.Name}, which it depends on, did not start again. Start it when {dependency.Service.Name} runs: Start-Service {name}{On(plan)}.");
                        }

                        break;
                    case ServiceState.StartPending:
                        cleanUp.SeenStarting = true;
                        break;
                }
            }
            catch (WsusRemediationException ex)
            {
                cleanUp.Fail(ex, $"Stopped by the user after this run had stopped it; starting it again failed: {ex.Message} Start it by hand: Start-Service {name}{On(plan)}.");
            }
        }

        private void GiveUp(ServiceRestartPlan plan, CleanUp cleanUp, IReadOnlyList<CleanUp> all)
        {
            var name = cleanUp.Service.Name;
            var limit = $"{CancelRecoveryTimeout.TotalSeconds:0} s";
            switch (cleanUp.Last)
            {
                case ServiceState.StopPending:
                    cleanUp.Settle(ServiceAction.Failed, $"Stopped by the user while it was stopping; still StopPending after {limit}, so it was not started again. Start it when it has stopped: Start-Service {name}{On(plan)}.");
                    break;
                case ServiceState.StartPending:
                    cleanUp.Settle(ServiceAction.Failed, $"Started again, but still StartPending after {limit}. Check it with Get-WsusServiceStatus; if it stops, start it by hand: Start-Service {name}{On(plan)}.");
                    break;
                case ServiceState.Stopped when UnsettledDependency(cleanUp, all) is CleanUp dependency:
                    cleanUp.Settle(ServiceAction.Failed, $"Stopped by the user after this run had stopped it; not started again within {limit} because {dependency.Service.Name}, which it depends on, was {dependency.Last}. Start it when {dependency.Service.Name} runs: Start-Service {name}{On(plan)}.");
                    break;
                default:
                    cleanUp.Settle(ServiceAction.Failed, $"Stopped by the user while it was {cleanUp.Last}; not Running after {limit}. Start it by hand: Start-Service {name}{On(plan)}.");
                    break;
            }
        }

        // The SCM starts a Stopped dependency by itself, but a dependency still stopping makes the start fail (1068),
        // and starting a dependent beside its dependency's own start races it: a dependent waits until what it
        // depends on, among the services this run stopped, is Running again.
        private static CleanUp? UnsettledDependency(CleanUp cleanUp, IReadOnlyList<CleanUp> all) =>
            all.FirstOrDefault(d => !ReferenceEquals(d, cleanUp)
                && d.Service.DependentServices.Contains(cleanUp.Service.Name, StringComparer.OrdinalIgnoreCase)
                && (d.Action is null || d.Last != ServiceState.Running));

        private static string On(ServiceRestartPlan plan) => plan.ScmComputer is null ? string.Empty : $" (on {plan.ComputerName})";

        private sealed class CleanUp
        {
            public CleanUp(PlannedService service) => Service = service;

            public PlannedService Service { get; }

            public ServiceState Last { get; set; } = ServiceState.Unknown;

            /// <summary>The clean-up sent the start control.</summary>
            public bool StartSent { get; set; }

            /// <summary>Seen StartPending (this run's start under way when the user stopped it, or the clean-up's).</summary>
            public bool SeenStarting { get; set; }

            public ServiceAction? Action { get; private set; }

            public string? Note { get; private set; }

            public WsusRemediationException? Error { get; private set; }

            public TimeSpan Duration { get; set; }

            public void Settle(ServiceAction action, string note)
            {
                Action = action;
                Note = note;
            }

            public void Fail(WsusRemediationException error, string note)
            {
                Settle(ServiceAction.Failed, note);
                Error = error;
            }
        }

        private static ServiceRestartOutcome Blocked(ServiceRestartPlan plan, RunState run)
        {
            foreach (var service in plan.Services)
            {
                if (string.Equals(service.Name, plan.BlockedService, StringComparison.OrdinalIgnoreCase))
                {
                    run.Fail(service, plan.Blocker!, "Nothing was changed.");
                }
                else if (service.Present)
                {
                    run.Skip(service, $"Not done: {plan.BlockedService} is Disabled and could not be started again, so nothing was changed.");
                }
            }

            return Finish(run, queryAfter: false);
        }

        private ServiceRestartOutcome Finish(RunState run) => Finish(run, queryAfter: true, _operations);

        private static ServiceRestartOutcome Finish(RunState run, bool queryAfter, ServiceOperations? operations = null)
        {
            var plan = run.Plan;
            var results = new List<ServiceRestartResult>(plan.Services.Count);
            foreach (var service in plan.Services)
            {
                var record = run.Get(service);
                var action = record.Action ?? DefaultAction(service);
                var after = service.Present ? (queryAfter && operations is not null ? StateAfter(operations, plan, service) : service.StateBefore) : null;
                results.Add(new ServiceRestartResult
                {
                    ComputerName = plan.ComputerName,
                    Name = service.Name,
                    DisplayName = service.DisplayName,
                    Present = service.Present,
                    StatusBefore = service.StateBefore,
                    StatusAfter = after,
                    StartType = service.StartType,
                    Action = action,
                    Duration = record.Duration,
                    Error = record.Error?.Message,
                    ErrorId = record.Error?.ErrorId,
                    Note = record.Note ?? DefaultNote(service, action),
                });
            }

            return new ServiceRestartOutcome(results, run.Errors);
        }

        private static ServiceState StateAfter(ServiceOperations operations, ServiceRestartPlan plan, PlannedService service)
        {
            try
            {
                return operations.CurrentState(plan.ScmComputer, service.Name);
            }
            catch (WsusRemediationException)
            {
                return ServiceState.Unknown;
            }
        }

        private static ServiceAction DefaultAction(PlannedService service)
        {
            switch (service.Action)
            {
                case PlannedServiceAction.NotPresent:
                    return ServiceAction.NotPresent;
                case PlannedServiceAction.None:
                    return service.WasRunning ? ServiceAction.AlreadyRunning : ServiceAction.NoChange;
                default:
                    return ServiceAction.Skipped;
            }
        }

        private static string? DefaultNote(PlannedService service, ServiceAction action)
        {
            switch (action)
            {
                case ServiceAction.NotPresent:
                    return "Not installed on this computer.";
                case ServiceAction.NoChange:
                    return $"Was {service.StateBefore}; an IIS reset leaves a stopped optional service as it is.";
                default:
                    return null;
            }
        }

        private static bool Confirm(ServiceRunHooks hooks, ServiceRestartPlan plan, PlannedService service, string action) =>
            hooks.ShouldProcess?.Invoke(Describe(plan, service), action) ?? true;

        private static string Describe(ServiceRestartPlan plan, PlannedService service) =>
            (string.Equals(service.DisplayName, service.Name, StringComparison.OrdinalIgnoreCase) ? service.Name : $"{service.Name} ({service.DisplayName})") + $" on {plan.ComputerName}";

        private sealed class Record
        {
            public ServiceAction? Action;
            public TimeSpan Duration;
            public WsusRemediationException? Error;
            public string? Note;
        }

        private sealed class RunState
        {
            private readonly Dictionary<string, Record> _records = new Dictionary<string, Record>(StringComparer.OrdinalIgnoreCase);

            public RunState(ServiceRestartPlan plan) => Plan = plan;

            public ServiceRestartPlan Plan { get; }

            /// <summary>Services the user chose not to stop (and those left running because of them).</summary>
            public HashSet<string> KeptRunning { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

            public PlannedService? Failed { get; private set; }

            public HashSet<string> StoppedByThisRun { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

            /// <summary>Services this run sent a stop control to (stopped, or maybe still stopping).</summary>
            public HashSet<string> StopRequested { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

            public List<WsusRemediationException> Errors { get; } = new List<WsusRemediationException>();

            public Record Get(PlannedService service)
            {
                if (!_records.TryGetValue(service.Name, out var record))
                {
                    record = new Record();
                    _records[service.Name] = record;
                }

                return record;
            }

            public bool IsResolved(PlannedService service) => Get(service).Action is not null;

            public void Resolve(PlannedService service, ServiceAction action, string? note)
            {
                var record = Get(service);
                record.Action = action;
                record.Note = note;
            }

            public void Skip(PlannedService service, string note) => Resolve(service, ServiceAction.Skipped, note);

            public void Fail(PlannedService service, WsusRemediationException error, string? note)
            {
                var record = Get(service);
                record.Action = ServiceAction.Failed;
                record.Error = error;
                record.Note = note;
                Errors.Add(error);
                Failed ??= service;
            }

            public void AddTime(PlannedService service, TimeSpan time) => Get(service).Duration += time;
        }
    }
}
