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
        /// <summary>The verbose line that starts a live diagnosis: which server, and where its WSUS settings are asked for.</summary>
        public static string Collecting(string? computerName, int? wsusPort, bool useSsl) =>
            Engine.Services.ServiceErrors.IsLocal(computerName)
                ? $"Collecting the evidence of '{Environment.MachineName}'."
                : $"Collecting the evidence of '{computerName}' (its WSUS settings through the WSUS API at {(useSsl ? "https" : "http")}://{computerName}:{WsusServerInspector.PortFor(wsusPort, useSsl)}).";

        // Another server's WSUS settings are read at its WSUS port and scheme (default 8530, HTTP).
        public static IReadOnlyList<WsusSyncFinding> Live(string? computerName, PoolTuningProfileName profile, CancellationToken cancellationToken, Action<string>? verbose, int? wsusPort = null, bool useSsl = false)
        {
            verbose?.Invoke(Collecting(computerName, wsusPort, useSsl));
            return new SyncDiagnosisService().DiagnoseLive(LiveEvidence.For(computerName, SystemClock.Instance, "-EvidencePath", wsusPort, useSsl), computerName, new DiagnosisOptions { Profile = profile, WsusPort = wsusPort, UseSsl = useSsl }, runNetworkChecks: true, cancellationToken, verbose).Findings;
        }
    }
}
