using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Services
{
    /// <summary>
    /// A service restart stopped by the user (Ctrl+C), after the runner started again what it had
    /// stopped: one result per service it had asked to stop, with what was done and the state it was left in.
    /// </summary>
    public sealed class ServiceRunCancelledException : StoppedAfterCleanUpException
    {
        /// <summary>Creates the exception.</summary>
        public ServiceRunCancelledException(string computerName, IReadOnlyList<ServiceRestartResult> recovery, Exception? innerException)
            : base($"The service restart on {computerName} was stopped by the user.", innerException)
        {
            ComputerName = computerName;
            Recovery = recovery ?? Array.Empty<ServiceRestartResult>();
        }

        /// <summary>The computer.</summary>
        public string ComputerName { get; }

        /// <summary>The services this run had asked to stop: Restored, AlreadyRunning or Failed, with their state now.</summary>
        public IReadOnlyList<ServiceRestartResult> Recovery { get; }

        /// <summary>True when every service this run stopped runs again.</summary>
        public bool AllRunning => Recovery.All(r => r.StatusAfter == ServiceState.Running);

        /// <summary>What to tell the user, one line: what was started again and how each service was left.</summary>
        public override string Summary =>
            Recovery.Count == 0
                ? $"Stopped by the user on {ComputerName} before any service was stopped; nothing was left stopped."
                : $"Stopped by the user on {ComputerName}. " + string.Join(" ", Recovery.Select(r => $"{r.Name}: {Describe(r)}, now {r.StatusAfter?.ToString() ?? "unknown"}."))
                    + (AllRunning ? string.Empty : " Start the services that are not Running by hand (Start-Service) and check them with Get-WsusServiceStatus.");

        // What the clean-up did, in the words of the state the service was left in (not what it was assumed to be).
        private static string Describe(ServiceRestartResult result) => result.Action switch
        {
            ServiceAction.Restored => "started again",
            ServiceAction.AlreadyRunning => "already running",
            _ when result.ErrorId is not null => $"starting it again failed ({result.ErrorId})",
            _ => result.StatusAfter switch
            {
                ServiceState.StopPending => "not started again (still stopping)",
                ServiceState.StartPending => "started again but not yet Running",
                _ => "not started again",
            },
        };
    }
}
