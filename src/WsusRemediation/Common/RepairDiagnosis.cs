using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;

namespace WsusRemediation.Common
{
    /// <summary>Get-WsusSyncDiagnosis's engine, called by the repair cmdlets for their diagnose part (live and -EvidencePath).</summary>
    internal static class RepairDiagnosis
    {
        public static EvidenceRepairInput FromEvidence(IReadOnlyList<string> paths, PoolTuningProfileName profile, CancellationToken cancellationToken, Action<string>? verbose) =>
            RepairPlanning.DiagnoseEvidence(paths, profile, cancellationToken, verbose);

        public static IReadOnlyList<WsusSyncFinding> Live(string? computerName, CancellationToken cancellationToken, Action<string>? verbose) =>
            throw NotAvailable();

        private static WsusRemediationException NotAvailable() =>
            new WsusRemediationException(
                "DiagnosisNotAvailable",
                EngineErrorKind.NotInstalled,
                "This build cannot diagnose a live server yet (the live evidence collection is not in it).")
            {
                RecommendedAction = "Plan from collected evidence (Get-WsusRepairPlan -EvidencePath), pipe findings or a plan in, or name the steps with -Step or -All.",
            };
    }
}
