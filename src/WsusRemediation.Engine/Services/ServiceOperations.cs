using System;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Services
{
    /// <summary>
    /// Start and stop with a bounded wait for the state asked for: the guide's "wait 5 seconds"
    /// becomes "until Stopped, at most N seconds", polled through the clock port.
    /// </summary>
    public sealed class ServiceOperations
    {
        /// <summary>How often the state is read while waiting.</summary>
        public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);

        private readonly IServiceControlManager _scm;
        private readonly IClock _clock;
        private readonly TimeSpan _pollInterval;

        /// <summary>Creates the operations over one SCM port and clock.</summary>
        public ServiceOperations(IServiceControlManager scm, IClock clock, TimeSpan? pollInterval = null)
        {
            _scm = scm ?? throw new ArgumentNullException(nameof(scm));
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _pollInterval = pollInterval ?? DefaultPollInterval;
        }

        /// <summary>The SCM port.</summary>
        public IServiceControlManager Scm => _scm;

        /// <summary>The clock.</summary>
        public IClock Clock => _clock;

        /// <summary>How often a state is read while waiting.</summary>
        public TimeSpan PollInterval => _pollInterval;

        /// <summary>
        /// Sends the stop control and waits until the service is Stopped. Throws
        /// <c>ServiceStopTimeout</c> when it is not Stopped within <paramref name="timeout"/>.
        /// </summary>
        public void StopAndWait(string? computerName, string serviceName, TimeSpan timeout, CancellationToken cancellationToken, Action<WaitProgress>? progress = null)
        {
            _scm.StopService(computerName, serviceName);
            var last = ServiceState.Unknown;
            var stopped = Wait.Until(
                () => (last = CurrentState(computerName, serviceName)) == ServiceState.Stopped,
                timeout,
                _pollInterval,
                _clock,
                cancellationToken,
                $"Stopping {serviceName}",
                () => $"{serviceName} is {last}; waiting until Stopped (at most {timeout.TotalSeconds:0} s)",
                progress);
            if (!stopped)
            {
                throw ServiceErrors.StopTimeout(computerName, serviceName, timeout, last);
            }
        }

        /// <summary>
        /// Starts the service and waits until it is Running. Throws <c>ServiceStartTimeout</c> when
        /// it is not Running within <paramref name="timeout"/>, and <c>ServiceStartFailed</c> when it
        /// falls back to Stopped.
        /// </summary>
        public void StartAndWait(string? computerName, string serviceName, TimeSpan timeout, CancellationToken cancellationToken, Action<WaitProgress>? progress = null)
        {
            _scm.StartService(computerName, serviceName);
            var last = ServiceState.Unknown;
            var settled = Wait.Until(
                () =>
                {
                    last = CurrentState(computerName, serviceName);
                    return last == ServiceState.Running || last == ServiceState.Stopped;
                },
                timeout,
                _pollInterval,
                _clock,
                cancellationToken,
                $"Starting {serviceName}",
                () => $"{serviceName} is {last}; waiting until Running (at most {timeout.TotalSeconds:0} s)",
                progress);
            if (!settled)
            {
                throw ServiceErrors.StartTimeout(computerName, serviceName, timeout, last);
            }

            if (last == ServiceState.Stopped)
            {
                throw ServiceErrors.StoppedAfterStart(computerName, serviceName);
            }
        }

        /// <summary>Waits, without acting, until a service that is starting or stopping settles. Returns the settled state.</summary>
        public ServiceState WaitUntilSettled(string? computerName, string serviceName, TimeSpan timeout, CancellationToken cancellationToken, Action<WaitProgress>? progress = null)
        {
            var last = ServiceState.Unknown;
            Wait.Until(
                () =>
                {
                    last = CurrentState(computerName, serviceName);
                    return last != ServiceState.StartPending && last != ServiceState.StopPending && last != ServiceState.ContinuePending && last != ServiceState.PausePending;
                },
                timeout,
                _pollInterval,
                _clock,
                cancellationToken,
                $"Waiting for {serviceName}",
                () => $"{serviceName} is {last}; waiting until it settles (at most {timeout.TotalSeconds:0} s)",
                progress);
            return last;
        }

        /// <summary>The current state; a service removed meanwhile reads as Unknown.</summary>
        public ServiceState CurrentState(string? computerName, string serviceName) =>
            _scm.GetService(computerName, serviceName)?.State ?? ServiceState.Unknown;
    }
}
