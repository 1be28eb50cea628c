using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// One cause (or symptom) of a failing synchronization, with its evidence and the finding that
    /// explains it. Get-WsusSyncDiagnosis writes these, most fundamental cause first; the repair
    /// planner turns them into steps. ComputerName binds by property name to the next cmdlet.
    /// </summary>
    public sealed class WsusSyncFinding
    {
        /// <summary>The server the evidence is from; empty for offline evidence that does not name it.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>Stable identifier, one of <see cref="FindingIds"/>.</summary>
        public string Id { get; init; } = string.Empty;

        /// <summary>How much it matters.</summary>
        public FindingSeverity Severity { get; init; }

        /// <summary>One line saying what was found.</summary>
        public string Title { get; init; } = string.Empty;

        /// <summary>Why it happens, in plain words.</summary>
        public string Cause { get; init; } = string.Empty;

        /// <summary>What to do, naming the cmdlet or the console place.</summary>
        public string Fix { get; init; } = string.Empty;

        /// <summary>The Repair-WsusSync step that fixes it, or Manual.</summary>
        public RepairStepName RepairStep { get; init; }

        /// <summary>What the finding rests on.</summary>
        public IReadOnlyList<FindingEvidence> Evidence { get; init; } = Array.Empty<FindingEvidence>();

        /// <summary>The Id of the finding that explains this one; empty for a root cause.</summary>
        public string? CausedBy { get; init; }

        /// <summary>The earliest evidence time, UTC.</summary>
        public DateTime? FirstSeen { get; init; }

        /// <summary>The latest evidence time, UTC.</summary>
        public DateTime? LastSeen { get; init; }

        /// <summary>Where the rule comes from (a KB article, the guide, the TechNet page, an event's documentation).</summary>
        public string Reference { get; init; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{Severity} {Id}: {Title}";
    }
}
