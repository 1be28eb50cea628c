using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>How a check ended.</summary>
    public enum DiagnosisCheckResult
    {
        /// <summary>The evidence it needs was there and nothing was found.</summary>
        Passed,
        /// <summary>It found something (a finding with its Id).</summary>
        Found,
        /// <summary>The evidence it needs was missing: it says nothing either way.</summary>
        NotRun,
    }

    /// <summary>One check of the diagnosis and its result; -Verbose lists them.</summary>
    public sealed class DiagnosisCheck
    {
        /// <summary>The finding Id the check looks for.</summary>
        public string Id { get; init; } = string.Empty;

        /// <summary>Passed, Found or NotRun.</summary>
        public DiagnosisCheckResult Result { get; init; }

        /// <summary>What it looked at, or which evidence was missing.</summary>
        public string Detail { get; init; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{Id}: {Result} ({Detail})";
    }

    /// <summary>The result of a diagnosis: findings most fundamental cause first, and every check with its result.</summary>
    public sealed class SyncDiagnosis
    {
        /// <summary>The computer.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>The time windows are measured back from here (collection time, else the newest record).</summary>
        public DateTime ReferenceTimeUtc { get; init; }

        /// <summary>Records older than this were not looked at.</summary>
        public DateTime SinceUtc { get; init; }

        /// <summary>The findings, each cause before what it caused.</summary>
        public IReadOnlyList<WsusSyncFinding> Findings { get; init; } = Array.Empty<WsusSyncFinding>();

        /// <summary>Every check, in the order they ran.</summary>
        public IReadOnlyList<DiagnosisCheck> Checks { get; init; } = Array.Empty<DiagnosisCheck>();

        /// <summary>The evidence files read.</summary>
        public IReadOnlyList<EvidenceFile> EvidenceFiles { get; init; } = Array.Empty<EvidenceFile>();

        /// <summary>Problems with the evidence itself (a file changed after collection).</summary>
        public IReadOnlyList<string> EvidenceProblems { get; init; } = Array.Empty<string>();
    }
}
