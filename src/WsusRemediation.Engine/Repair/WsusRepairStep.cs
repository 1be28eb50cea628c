using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>
    /// One step of a repair plan (Get-WsusRepairPlan), in the order Repair-WsusSync runs it. Piped into
    /// Repair-WsusSync, a plan runs as planned; its ComputerName binds by property name.
    /// </summary>
    public sealed class WsusRepairStep
    {
        /// <summary>The server the step is for.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>
        /// The port of the server's WSUS web services (from the findings or -WsusPort): binds by property name to
        /// Repair-WsusSync, which reaches the WSUS API there (the sync when MECM cannot start it, the diagnosis after).
        /// </summary>
        public int WsusPort { get; init; } = WsusEndpoint.DefaultPort;

        /// <summary>Whether the server's WSUS web services are reached over HTTPS (binds as WsusPort does).</summary>
        public bool UseSsl { get; init; }

        /// <summary>1, 2, 3… in run order.</summary>
        public int Order { get; init; }

        /// <summary>The step.</summary>
        public RepairStepName Name { get; init; }

        /// <summary>What it acts on: <c>WsusPool (C:\…\applicationHost.config)</c>, <c>W3SVC, WAS on SITE01</c>.</summary>
        public string Target { get; init; } = string.Empty;

        /// <summary>The finding Ids that call for the step (empty for a step planned by -All or -Step).</summary>
        public IReadOnlyList<string> Reason { get; init; } = Array.Empty<string>();

        /// <summary>What it will change, one line each, e.g. <c>queueLength 1000 → 2000</c>.</summary>
        public IReadOnlyList<string> Changes { get; init; } = Array.Empty<string>();

        /// <summary>None, Change, Restart or Sync.</summary>
        public RepairImpact Impact { get; init; }

        /// <summary>The single command line that does the same step by hand (for a Manual step: what to do).</summary>
        public string Command { get; init; } = string.Empty;

        /// <summary>
        /// For a Manual step: true when a synchronization cannot succeed until it is done, so the repair
        /// stops before the sync (unless -Force says it has been done).
        /// </summary>
        public bool BlocksSync { get; init; }

        /// <summary>For TunePool: the profile the plan's changes were computed for (a plan piped into Repair-WsusSync applies it).</summary>
        public PoolTuningProfileName? Profile { get; init; }

        /// <summary>True for steps only a person can do: listed, never attempted.</summary>
        public bool IsManual => Name == RepairStepName.Manual;

        /// <inheritdoc />
        public override string ToString() => $"{Order}. {Name} {Target}";
    }
}
