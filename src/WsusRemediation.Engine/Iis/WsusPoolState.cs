using System;

namespace WsusRemediation.Engine.Iis
{
    /// <summary>What Restart-WsusPool did.</summary>
    public enum PoolAction
    {
        /// <summary>Stopped, then started.</summary>
        Restarted,
        /// <summary>It was stopped (or disabled) and was started.</summary>
        Started,
        /// <summary>Not done: the user declined (-WhatIf or -Confirm).</summary>
        Declined,
    }

    /// <summary>
    /// The state of an application pool after Restart-WsusPool. Carries PoolName and ComputerName so
    /// it pipes into the other pool cmdlets (Get-/Set-WsusPoolTuning bind them by property name).
    /// </summary>
    public sealed class WsusPoolState
    {
        /// <summary>The computer.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>The pool name.</summary>
        public string PoolName { get; init; } = string.Empty;

        /// <summary>The state found before the command acted.</summary>
        public AppPoolState StateBefore { get; init; }

        /// <summary>The state when the command finished.</summary>
        public AppPoolState State { get; init; }

        /// <summary>
        /// True when the pool was already Stopped before the command acted. Nobody asked for the
        /// restart to find it so: on a WSUS server that is how rapid-fail protection leaves WsusPool
        /// (WAS event 5002), so treat it as disabled and look at the evidence (Get-WsusPoolTuning, the
        /// System log).
        /// </summary>
        public bool WasStopped { get; init; }

        /// <summary>Rapid-fail protection as configured, when known.</summary>
        public bool? RapidFailProtection { get; init; }

        /// <summary>What was done.</summary>
        public PoolAction Action { get; init; }

        /// <summary>Time from the first request to the pool being Started.</summary>
        public TimeSpan Duration { get; init; }

        /// <summary>What happened, in words.</summary>
        public string Message { get; init; } = string.Empty;
    }
}
