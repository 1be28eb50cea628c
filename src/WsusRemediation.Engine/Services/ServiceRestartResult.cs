using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Services
{
    /// <summary>What was done to a service.</summary>
    public enum ServiceAction
    {
        /// <summary>Stopped, then started.</summary>
        Restarted,
        /// <summary>It was not running and was started.</summary>
        Started,
        /// <summary>It was already running and the rule asked for nothing more.</summary>
        AlreadyRunning,
        /// <summary>Left as it was (an optional service found stopped).</summary>
        NoChange,
        /// <summary>The service is not installed on the computer; not an error.</summary>
        NotPresent,
        /// <summary>Not done, because an earlier step failed or a service is Disabled.</summary>
        Skipped,
        /// <summary>The action failed; see Error.</summary>
        Failed,
        /// <summary>It had been stopped for the restart and was started again after another step failed.</summary>
        Restored,
        /// <summary>Not done: the user declined it (-WhatIf or -Confirm).</summary>
        Declined,
    }

    /// <summary>The result for one service of a restart (Restart-SmsService, Restart-IisService).</summary>
    public sealed class ServiceRestartResult
    {
        /// <summary>The computer.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>The service (key) name.</summary>
        public string Name { get; init; } = string.Empty;

        /// <summary>The display name.</summary>
        public string DisplayName { get; init; } = string.Empty;

        /// <summary>Whether the service is installed.</summary>
        public bool Present { get; init; }

        /// <summary>The state before the command acted; null when not installed.</summary>
        public ServiceState? StatusBefore { get; init; }

        /// <summary>The state when the command finished; null when not installed.</summary>
        public ServiceState? StatusAfter { get; init; }

        /// <summary>The start type; null when not installed.</summary>
        public ServiceStartType? StartType { get; init; }

        /// <summary>What was done.</summary>
        public ServiceAction Action { get; init; }

        /// <summary>Time spent stopping and starting this service, waits included.</summary>
        public TimeSpan Duration { get; init; }

        /// <summary>The error message when the action failed or the plan was blocked by this service.</summary>
        public string? Error { get; init; }

        /// <summary>The stable error id, e.g. ServiceStopTimeout.</summary>
        public string? ErrorId { get; init; }

        /// <summary>Why the service was in the plan, or what happened besides the action.</summary>
        public string? Note { get; init; }
    }

    /// <summary>The results of running one plan, and the errors to report.</summary>
    public sealed class ServiceRestartOutcome
    {
        internal ServiceRestartOutcome(IReadOnlyList<ServiceRestartResult> results, IReadOnlyList<WsusRemediationException> errors)
        {
            Results = results;
            Errors = errors;
        }

        /// <summary>One result per service of the plan, in plan (stop) order.</summary>
        public IReadOnlyList<ServiceRestartResult> Results { get; }

        /// <summary>The failures, in the order they happened.</summary>
        public IReadOnlyList<WsusRemediationException> Errors { get; }

        /// <summary>True when nothing failed.</summary>
        public bool Succeeded => Errors.Count == 0;
    }
}
