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

            var wasStopped = before.State == AppPoolState.Stopped;
            var action = wasStopped ? "Start application pool (it is Stopped)" : "Restart application pool (stop, then start)";
            if (shouldProcess is not null && !shouldProcess($"{poolName} on {shownComputer}", action))
            {
                return Result(shownComputer, before, before.State, PoolAction.Declined, TimeSpan.Zero, "Declined; nothing changed.");
            }

            var started = _clock.UtcNow;
            var state = before.State;
            if (state == AppPoolState.Starting)
            {
                // A pool that is starting cannot be stopped cleanly; let it finish first.
                state = WaitFor(computer, poolName, AppPoolState.Started, StartTimeout, progress, cancellationToken);
            }

            if (state == AppPoolState.Started)
            {
                verbose?.Invoke($"Stopping {poolName} on {shownComputer} (at most {StopTimeout.TotalSeconds:0} s).");
                _pools.StopPool(computer, poolName);
            }

            if (state != AppPoolState.Stopped)
            {
                WaitFor(computer, poolName, AppPoolState.Stopped, StopTimeout, progress, cancellationToken);
                verbose?.Invoke($"{poolName} stopped after {(_clock.UtcNow - started).TotalSeconds:0.0} s.");
            }

            verbose?.Invoke($"Starting {poolName} on {shownComputer} (at most {StartTimeout.TotalSeconds:0} s).");
            _pools.StartPool(computer, poolName);
            var final = WaitFor(computer, poolName, AppPoolState.Started, StartTimeout, progress, cancellationToken);
            var duration = _clock.UtcNow - started;
            verbose?.Invoke($"{poolName} is Started ({duration.TotalSeconds:0.0} s).");

            var message = wasStopped
                ? $"{poolName} was Stopped before the command acted (rapid-fail protection disables a failing pool this way, WAS event 5002) and has been started again. Find the cause before it stops again: Get-WsusPoolTuning, and WAS events 5002/5117 in the System log."
                : $"{poolName} was restarted.";
            return Result(shownComputer, before, final, wasStopped ? PoolAction.Started : PoolAction.Restarted, duration, message);
        }

        private AppPoolState WaitFor(string? computer, string poolName, AppPoolState wanted, TimeSpan timeout, Action<WaitProgress>? progress, CancellationToken cancellationToken)
        {
            var last = AppPoolState.Unknown;
            var done = Wait.Until(
                () => (last = _pools.GetPool(computer, poolName)?.State ?? AppPoolState.Unknown) == wanted,
                timeout,
                _pollInterval,
                _clock,
                cancellationToken,
                $"{(wanted == AppPoolState.Started ? "Starting" : "Stopping")} {poolName}",
                () => $"{poolName} is {last}; waiting until {wanted} (at most {timeout.TotalSeconds:0} s)",
                progress);
            if (!done)
            {
                throw new WsusRemediationException(
                    wanted == AppPoolState.Started ? "PoolStartTimeout" : "PoolStopTimeout",
                    EngineErrorKind.OperationTimeout,
                    $"Application pool '{poolName}' on {ServiceErrors.DisplayComputer(computer)} did not reach {wanted} within {timeout.TotalSeconds:0} seconds (it is {last}).",
                    poolName)
                {
                    RecommendedAction = wanted == AppPoolState.Started
                        ? "Look in the System log for WAS events (5002, 5009, 5011, 5117) and check that WAS and W3SVC run (Get-WsusServiceStatus)."
                        : "Give it more time (-Timeout); a worker process that does not shut down is killed by WAS after the pool's shutdownTimeLimit.",
                };
            }

            return last;
        }

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
