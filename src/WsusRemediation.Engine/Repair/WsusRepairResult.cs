using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>How one step of a repair went.</summary>
    public sealed class RepairStepResult
    {
        /// <summary>The step's place in the plan.</summary>
        public int Order { get; init; }

        /// <summary>The step.</summary>
        public RepairStepName Name { get; init; }

        /// <summary>What it acted on.</summary>
        public string Target { get; init; } = string.Empty;

        /// <summary>Done, NotNeeded, Skipped, Failed, RolledBack or WhatIf.</summary>
        public RepairStepOutcome Outcome { get; init; }

        /// <summary>The state before, in words (<c>queueLength=1000</c>, <c>WsusPool Stopped</c>).</summary>
        public string? Before { get; init; }

        /// <summary>The state after, in words.</summary>
        public string? After { get; init; }

        /// <summary>Time the step took, waits included.</summary>
        public TimeSpan Duration { get; init; }

        /// <summary>Why it failed, or why it was skipped.</summary>
        public string? Error { get; init; }

        /// <summary>The stable id of the error, e.g. <c>ServiceStartFailed</c>, <c>ManualStepRequired</c>.</summary>
        public string? ErrorId { get; init; }

        /// <summary>What else happened (a rollback, a service started again, a sync already running).</summary>
        public string? Note { get; init; }

        /// <inheritdoc />
        public override string ToString() => $"{Name}: {Outcome}";
    }

    /// <summary>
    /// What Repair-WsusSync did on one server: every step with its outcome, the findings before and
    /// after, the synchronization's end and MECM's update count, and where the backup, the report and
    /// the log are.
    /// </summary>
    public sealed class WsusRepairResult
    {
        /// <summary>The server.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>True when every step was done or not needed and the verification passed.</summary>
        public bool Succeeded { get; init; }

        /// <summary>One result per step of the plan, in run order.</summary>
        public IReadOnlyList<RepairStepResult> Steps { get; init; } = Array.Empty<RepairStepResult>();

        /// <summary>The findings the plan was made from.</summary>
        public IReadOnlyList<WsusSyncFinding> FindingsBefore { get; init; } = Array.Empty<WsusSyncFinding>();

        /// <summary>The findings of a diagnosis run after the repair (empty when none could run).</summary>
        public IReadOnlyList<WsusSyncFinding> FindingsAfter { get; init; } = Array.Empty<WsusSyncFinding>();

        /// <summary>The synchronization status read last (after the sync, or by the verification).</summary>
        public WsusSyncStatus? SyncStatus { get; init; }

        /// <summary>MECM's update count ("All Software Updates") read last.</summary>
        public int? UpdateCount { get; init; }

        /// <summary>The backup of applicationHost.config made before the tuning; empty when nothing was changed.</summary>
        public string? BackupPath { get; init; }

        /// <summary>The JSON report written (-ReportPath).</summary>
        public string? ReportPath { get; init; }

        /// <summary>The CMTrace log the run was recorded in.</summary>
        public string? LogPath { get; init; }

        /// <summary>True when the tuning was undone because WsusPool did not come back.</summary>
        public bool RolledBack { get; init; }

        /// <summary>The step during which Ctrl+C (or a timeout of the whole run) stopped the repair; empty when it ran to its end.</summary>
        public string? StoppedAt { get; init; }

        /// <summary>When the repair started, UTC.</summary>
        public DateTime StartTime { get; init; }

        /// <summary>How long it took.</summary>
        public TimeSpan Duration { get; init; }

        /// <summary>One sentence: what happened.</summary>
        public string Summary { get; init; } = string.Empty;

        /// <summary>The steps counted by outcome, in the order outcomes first appear: <c>5 Done, 1 Failed, 1 Skipped</c>.</summary>
        public string StepOutcomes => string.Join(", ", Steps.GroupBy(s => s.Outcome).Select(g => $"{g.Count()} {g.Key}"));
    }
}
