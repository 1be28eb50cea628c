using System;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Iis
{
    /// <summary>
    /// Restarts an application pool: stop, wait until Stopped, start, wait until Started, every wait
    /// bounded. A pool found Stopped (how rapid-fail protection leaves it) is started and reported.
    /// </summary>
    public sealed class AppPoolRestarter
    {
        /// <summary>The pool the guide is about.</summary>
        public const string DefaultPoolName = "WsusPool";

        private readonly IAppPoolControl _pools;
        private readonly IClock _clock;
        private readonly TimeSpan _pollInterval;

        /// <summary>Creates a restarter.</summary>
        public AppPoolRestarter(IAppPoolControl pools, IClock clock, TimeSpan? pollInterval = null)
        {
            _pools = pools ?? throw new ArgumentNullException(nameof(pools));
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _pollInterval = pollInterval ?? ServiceOperations.DefaultPollInterval;
        }

        /// <summary>The most the stop may take.</summary>
        public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(90);

        /// <summary>The most the start may take.</summary>
        public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

        /// <summary>
        /// How long a started pool is watched before the start counts. WAS disables a pool again within
        /// seconds when its worker processes fail at once (rapid-fail protection, event 5002) or its
        /// identity is refused (5021/5057); the same span is how long a pool may stay Stopped after the
        /// start was accepted before that counts as refused. Never more than a third of the start timeout.
        /// </summary>
        public TimeSpan StartSettleTime { get; init; } = TimeSpan.FromSeconds(10);

        /// <summary>Reads the pool; throws <c>PoolNotFound</c> when there is none of that name.</summary>
        public AppPoolInfo GetPool(string? computerName, string poolName) =>
            _pools.GetPool(Scm(computerName), poolName) ?? throw NotFound(computerName, poolName);

        /// <summary>
        /// Restarts the pool. <paramref name="shouldProcess"/> is asked once (target, action) before the
        /// first change; when it says no, nothing changes and the result's Action is Declined.
        /// </summary>
        public WsusPoolState Restart(string? computerName, string poolName, Func<string, string, bool>? shouldProcess, Action<string>? verbose, Action<WaitProgress>? progress, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(poolName))
            {
                throw new WsusRemediationException("PoolNameMissing", EngineErrorKind.InvalidArgument, "A pool name is needed.", poolName);
            }

            var computer = Scm(computerName);
            var shownComputer = computer ?? Environment.MachineName;
            var before = GetPool(computerName, poolName);
            if (before.State == AppPoolState.Unknown)
            {
                // IIS reads a pool's run state from WAS; Unknown means WAS is down and nothing can start the pool.
                throw new WsusRemediationException(
                    "PoolStateUnknown",
                    EngineErrorKind.ResourceUnavailable,
                    $"The state of application pool '{poolName}' on {ServiceErrors.DisplayComputer(computer)} cannot be read: the Windows Process Activation Service (WAS) is probably not running.",
                    poolName)
                {
                    RecommendedAction = "Start WAS and W3SVC first (Restart-IisService), then run Restart-WsusPool again.",
                };
            }

            var action = before.State == AppPoolState.Stopped ? "Start application pool (it is Stopped)" : "Restart application pool (stop, then start)";
            if (shouldProcess is not null && !shouldProcess($"{poolName} on {shownComputer}", action))
            {
                return Result(shownComputer, before, before.State, PoolAction.Declined, TimeSpan.Zero, "Declined; nothing changed.");
            }

            var started = _clock.UtcNow;
            var sent = new ControlsSent();
            try
            {
                return RestartFrom(computer, shownComputer, poolName, before, started, sent, verbose, progress, cancellationToken);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && sent.Stop)
            {
                // Ctrl+C between the stop and the end of the start must not leave WSUS without its pool.
                var (after, note, fellBack) = StartAgainAfterCancel(computer, poolName, sent.Start);
                throw new PoolRestartCancelledException(shownComputer, poolName, after, note, ex) { FellBack = fellBack };
            }
        }

        /// <summary>The most the clean-up after Ctrl+C may take: waiting for the stop to end, starting the pool again and waiting until it is Started.</summary>
        public TimeSpan CancelRecoveryTimeout { get; init; } = TimeSpan.FromSeconds(30);

        private WsusPoolState RestartFrom(string? computer, string shownComputer, string poolName, AppPoolInfo before, DateTimeOffset started, ControlsSent sent, Action<string>? verbose, Action<WaitProgress>? progress, CancellationToken cancellationToken)
        {
            var wasStopped = before.State == AppPoolState.Stopped;
            var state = before.State;
            if (state == AppPoolState.Starting)
            {
                // A pool that is starting cannot be stopped cleanly; let it finish first (or fail: then it is Stopped).
                state = WaitFor(computer, poolName, AppPoolState.Started, StartTimeout, progress, cancellationToken, orElse: AppPoolState.Stopped);
            }

            if (state == AppPoolState.Started)
            {
                verbose?.Invoke($"Stopping {poolName} on {shownComputer} (at most {StopTimeout.TotalSeconds:0} s).");
                sent.Stop = true;
                _pools.StopPool(computer, poolName);
            }

            if (state != AppPoolState.Stopped)
            {
                WaitFor(computer, poolName, AppPoolState.Stopped, StopTimeout, progress, cancellationToken);
                verbose?.Invoke($"{poolName} stopped after {(_clock.UtcNow - started).TotalSeconds:0.0} s.");
            }

            var watched = SettleTime > TimeSpan.Zero ? $", then watched for {SettleTime.TotalSeconds:0} s" : string.Empty;
            verbose?.Invoke($"Starting {poolName} on {shownComputer} (at most {StartTimeout.TotalSeconds:0} s{watched}).");
            var startAsked = _clock.UtcNow;
            sent.Start = true;
            _pools.StartPool(computer, poolName);
            var final = ConfirmStarted(computer, poolName, startAsked, progress, cancellationToken);
            var duration = _clock.UtcNow - started;
            verbose?.Invoke(SettleTime > TimeSpan.Zero
                ? $"{poolName} is Started and stayed Started for {SettleTime.TotalSeconds:0} s ({duration.TotalSeconds:0.0} s in all)."
                : $"{poolName} is Started ({duration.TotalSeconds:0.0} s in all).");

            var message = wasStopped
                ? $"{poolName} was Stopped before the command acted (rapid-fail protection disables a failing pool this way, WAS event 5002) and has been started again. Find the cause before it stops again: Get-WsusPoolTuning, and WAS events 5002/5117 in the System log."
                : $"{poolName} was restarted.";
            return Result(shownComputer, before, final, wasStopped ? PoolAction.Started : PoolAction.Restarted, duration, message);
        }

        private (AppPoolState After, string Note, bool FellBack) StartAgainAfterCancel(string? computer, string poolName, bool startSent)
        {
            // The user's token is cancelled: this clean-up has its own deadline and reports nothing on the way.
            var deadline = _clock.UtcNow + CancelRecoveryTimeout;
            var limit = $"{CancelRecoveryTimeout.TotalSeconds:0} s";
            try
            {
                var state = ReadState(computer, poolName);
                var foundStarting = state == AppPoolState.Starting;
                if ((state == AppPoolState.Stopping || foundStarting) && deadline > _clock.UtcNow)
                {
                    // A stop under way must end before a start; a start under way is waited out, not started again.
                    state = WaitWithin(computer, poolName, s => s != AppPoolState.Stopping && s != AppPoolState.Starting, deadline);
                }

                // Stopped after its start (this run's, or one under way): WAS refused it; starting it again would hide that.
                var fellBack = state == AppPoolState.Stopped && (startSent || foundStarting);
                var startedNow = false;
                if (state == AppPoolState.Stopped && !fellBack && deadline > _clock.UtcNow)
                {
                    _pools.StartPool(computer, poolName);
                    startedNow = true;
                    state = WaitWithin(computer, poolName, s => s == AppPoolState.Started || s == AppPoolState.Stopped, deadline);
                    fellBack = state == AppPoolState.Stopped;
                }

                state = ReadState(computer, poolName);
                string note;
                if (state == AppPoolState.Started)
                {
                    note = startedNow ? "it was started again"
                        : foundStarting ? "its start was under way and it came up"
                        : "it had been started again already (the watch that it stays Started was cut short)";
                }
                else if (state == AppPoolState.Stopped && fellBack)
                {
                    note = "it was started again but fell back to Stopped";
                }
                else if (state == AppPoolState.Starting || state == AppPoolState.Stopping)
                {
                    note = $"it was still {state} after {limit}";
                }
                else
                {
                    note = $"it could not be started again within {limit}";
                }

                return (SafeState(computer, poolName), note, fellBack && state == AppPoolState.Stopped);
            }
            catch (WsusRemediationException ex)
            {
                return (SafeState(computer, poolName), $"starting it again failed ({ex.Message})", false);
            }
        }

        private sealed class ControlsSent
        {
            public bool Stop;
            public bool Start;
        }

        // A clean-up wait: bounded by the deadline, not cancellable (the user's token is cancelled already), silent.
        private AppPoolState WaitWithin(string? computer, string poolName, Func<AppPoolState, bool> settled, DateTimeOffset deadline)
        {
            var last = AppPoolState.Unknown;
            Wait.Until(() => settled(last = ReadState(computer, poolName)), deadline - _clock.UtcNow, _pollInterval, _clock, CancellationToken.None);
            return last;
        }

        private AppPoolState ReadState(string? computer, string poolName) => _pools.GetPool(computer, poolName)?.State ?? AppPoolState.Unknown;

        private AppPoolState SafeState(string? computer, string poolName)
        {
            try
            {
                return ReadState(computer, poolName);
            }
            catch (WsusRemediationException)
            {
                return AppPoolState.Unknown;
            }
        }

        /// <summary>
        /// Waits until the pool is Started and has stayed Started for <see cref="StartSettleTime"/>, without
        /// acting on it. Fails at once with <c>PoolStoppedAfterStart</c> when it falls back to Stopped after
        /// having been Starting or Started, or when it is still Stopped a settle time after
        /// <paramref name="startAsked"/> (null: nobody asked for a start just now, so Stopped counts at once);
        /// with <c>PoolStartTimeout</c> when it stays in between. Returns Started. With <paramref name="startedSince"/>
        /// (the caller saw it Started then, and has been busy since), the watch counts from that time: it ends at the
        /// first look when the settle time has already passed.
        /// </summary>
        public AppPoolState ConfirmStarted(string? computerName, string poolName, DateTimeOffset? startAsked, Action<WaitProgress>? progress, CancellationToken cancellationToken, DateTimeOffset? startedSince = null)
        {
            var computer = Scm(computerName);
            var settle = SettleTime;
            var last = AppPoolState.Unknown;
            DateTimeOffset? runningSeenAt = null;
            var fellBack = false;
            var done = Wait.Until(
                () =>
                {
                    last = _pools.GetPool(computer, poolName)?.State ?? AppPoolState.Unknown;
                    var now = _clock.UtcNow;
                    switch (last)
                    {
                        case AppPoolState.Started:
                            startedSince ??= now;
                            runningSeenAt ??= now;
                            return now - startedSince.Value >= settle;
                        case AppPoolState.Starting:
                            runningSeenAt ??= now;
                            startedSince = null;
                            return false;
                        case AppPoolState.Stopped:
                            // Stopped after it ran, or still Stopped long after the start was accepted: WAS has
                            // disabled it, and waiting out the timeout would only hide that.
                            fellBack = runningSeenAt is not null || startAsked is null || now - startAsked.Value >= settle;
                            startedSince = null;
                            return fellBack;
                        default:
                            startedSince = null;
                            return false;
                    }
                },
                StartTimeout,
                _pollInterval,
                _clock,
                cancellationToken,
                $"Starting {poolName}",
                () => startedSince is null
                    ? $"{poolName} is {last}; waiting until Started (at most {StartTimeout.TotalSeconds:0} s)"
                    : $"{poolName} is Started; watching that it stays Started ({settle.TotalSeconds:0} s)",
                progress);
            if (fellBack)
            {
                var how = runningSeenAt is not null
                    ? $"fell back to Stopped {(_clock.UtcNow - (startAsked ?? runningSeenAt.Value)).TotalSeconds:0} s after it was started"
                    : startAsked is not null ? $"is still Stopped {(_clock.UtcNow - startAsked.Value).TotalSeconds:0} s after IIS accepted the start" : "is Stopped";
                throw StoppedAfterStart(computer, poolName, how);
            }

            if (!done)
            {
                throw Timeout(computer, poolName, AppPoolState.Started, StartTimeout, last);
            }

            return last;
        }

        // A watch as long as the start timeout would leave no time to start.
        private TimeSpan SettleTime => StartSettleTime < TimeSpan.FromTicks(StartTimeout.Ticks / 3) ? StartSettleTime : TimeSpan.FromTicks(StartTimeout.Ticks / 3);

        private static WsusRemediationException StoppedAfterStart(string? computer, string poolName, string how) =>
            new WsusRemediationException(
                "PoolStoppedAfterStart",
                EngineErrorKind.ResourceUnavailable,
                $"Application pool '{poolName}' on {ServiceErrors.DisplayComputer(computer)} {how}: WAS disables a pool whose worker processes keep failing (rapid-fail protection, event 5002, after 5009/5011) or whose identity it refuses (5021/5057).",
                poolName)
            {
                RecommendedAction = "Find the cause before starting it again: Get-WsusSyncDiagnosis; the WAS events 5002, 5009, 5011, 5021 and 5057 in the System log (Get-WsusSyncLog -Kind PoolDisabledRapidFail, WorkerProcessTerminated); the pool's settings (Get-WsusPoolTuning).",
            };

        private AppPoolState WaitFor(string? computer, string poolName, AppPoolState wanted, TimeSpan timeout, Action<WaitProgress>? progress, CancellationToken cancellationToken, AppPoolState? orElse = null)
        {
            var last = AppPoolState.Unknown;
            var done = Wait.Until(
                () => (last = _pools.GetPool(computer, poolName)?.State ?? AppPoolState.Unknown) == wanted || last == orElse,
                timeout,
                _pollInterval,
                _clock,
                cancellationToken,
                $"{(wanted == AppPoolState.Started ? "Starting" : "Stopping")} {poolName}",
                () => $"{poolName} is {last}; waiting until {wanted} (at most {timeout.TotalSeconds:0} s)",
                progress);
            if (!done)
            {
                throw Timeout(computer, poolName, wanted, timeout, last);
            }

            return last;
        }

        private static WsusRemediationException Timeout(string? computer, string poolName, AppPoolState wanted, TimeSpan timeout, AppPoolState last) =>
                new WsusRemediationException(
                    wanted == AppPoolState.Started ? "PoolStartTimeout" : "PoolStopTimeout",
                    EngineErrorKind.OperationTimeout,
                    $"Application pool '{poolName}' on {ServiceErrors.DisplayComputer(computer)} did not reach {wanted} within {timeout.TotalSeconds:0} seconds (it is {last}).",
                    poolName)
                {
                    RecommendedAction = wanted == AppPoolState.Started
                        ? "Look in the System log for WAS events (5002, 5009, 5011, 5117) and check that WAS and W3SVC run (Get-WsusServiceStatus)."
                        : "Give it more time (-Timeout); a worker process that does not shut down is killed by WAS after the pool's shutdownTimeLimit.",
                };

        private WsusPoolState Result(string computer, AppPoolInfo before, AppPoolState state, PoolAction action, TimeSpan duration, string message) =>
            new WsusPoolState
            {
                ComputerName = computer,
                PoolName = before.Name,
                StateBefore = before.State,
                State = state,
                WasStopped = before.State == AppPoolState.Stopped,
                RapidFailProtection = before.RapidFailProtection,
                Action = action,
                Duration = duration,
                Message = message,
            };

        private static string? Scm(string? computerName) => ServiceErrors.IsLocal(computerName) ? null : computerName;

        private static WsusRemediationException NotFound(string? computerName, string poolName) =>
            new WsusRemediationException(
                "PoolNotFound",
                EngineErrorKind.ObjectNotFound,
                $"IIS on {ServiceErrors.DisplayComputer(computerName)} has no application pool named '{poolName}'.",
                poolName)
            {
                RecommendedAction = "List the pools (Get-IISAppPool, or appcmd list apppool) and pass the right -PoolName; WSUS names its pool WsusPool.",
            };
    }
}
