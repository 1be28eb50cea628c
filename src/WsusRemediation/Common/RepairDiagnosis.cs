using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Common
{
    /// <summary>What a diagnosis gives the repair: the findings, the server they are about and its applicationHost.config when the evidence has it.</summary>
    internal sealed class RepairDiagnosisResult
    {
        public RepairDiagnosisResult(IReadOnlyList<WsusSyncFinding> findings, string? computerName, ApplicationHostDocument? configuration)
        {
            Findings = findings;
            ComputerName = computerName;
            Configuration = configuration;
        }

        public IReadOnlyList<WsusSyncFinding> Findings { get; }

        public string? ComputerName { get; }

        public ApplicationHostDocument? Configuration { get; }
    }

    /// <summary>Get-WsusSyncDiagnosis's engine, called by the repair cmdlets for their diagnose part (live and -EvidencePath).</summary>
    internal static class RepairDiagnosis
    {
        public static RepairDiagnosisResult FromEvidence(IReadOnlyList<string> paths, CancellationToken cancellationToken, Action<string>? verbose) =>
            throw NotAvailable();

        public static IReadOnlyList<WsusSyncFinding> Live(string? computerName, CancellationToken cancellationToken, Action<string>? verbose) =>
            throw NotAvailable();

        private static WsusRemediationException NotAvailable() =>
            new WsusRemediationException(
                "DiagnosisNotAvailable",
                EngineErrorKind.NotInstalled,
                "This build has no diagnosis engine (Get-WsusSyncDiagnosis) to diagnose with.")
            {
                RecommendedAction = "Pipe findings in (Get-WsusSyncDiagnosis | Repair-WsusSync), or name the steps with -Step or -All.",
            };
    }
}
