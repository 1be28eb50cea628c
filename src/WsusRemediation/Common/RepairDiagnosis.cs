using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Common
{
    /// <summary>Get-WsusSyncDiagnosis's live engine, called by the repair cmdlets for their diagnose part (collected evidence goes through RepairPlanning.DiagnoseEvidence).</summary>
    internal static class RepairDiagnosis
    {
        // The live diagnosis (issue 10): the evidence of the server collected through the real adapters, then the same rules.
        // The pool is judged against the profile the repair would apply.
        public static IReadOnlyList<WsusSyncFinding> Live(string? computerName, PoolTuningProfileName profile, CancellationToken cancellationToken, Action<string>? verbose) =>
            new SyncDiagnosisService().DiagnoseLive(LiveEvidence.For(computerName, SystemClock.Instance, "-EvidencePath"), computerName, new DiagnosisOptions { Profile = profile }, runNetworkChecks: true, cancellationToken, verbose).Findings;
    }
}
