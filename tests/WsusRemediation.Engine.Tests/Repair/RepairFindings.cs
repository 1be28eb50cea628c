using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Diagnosis;

namespace WsusRemediation.Engine.Tests.Repair;

/// <summary>Findings as Get-WsusSyncDiagnosis gives them for the cases of the guide and the TechNet page.</summary>
internal static class RepairFindings
{
    public static WsusSyncFinding Finding(string id, FindingSeverity severity, RepairStepName step = RepairStepName.None, string? causedBy = null, string fix = "", string computer = "CM01") =>
        new()
        {
            ComputerName = computer,
            Id = id,
            Severity = severity,
            Title = id + " (title)",
            Fix = fix,
            RepairStep = step,
            CausedBy = causedBy,
            Evidence = new[] { new FindingEvidence { Source = "test", Text = id } },
        };

    /// <summary>The guide's server: WsusPool's limits recycle it, rapid-fail protection disables it, syncs are cancelled, MECM has 0 updates.</summary>
    public static IReadOnlyList<WsusSyncFinding> GuideCase() => new[]
    {
        Finding(FindingIds.PoolTuningNotCompliant, FindingSeverity.Error, RepairStepName.TunePool),
        Finding(FindingIds.PoolRecycledOnMemoryLimit, FindingSeverity.Error, RepairStepName.TunePool, FindingIds.PoolTuningNotCompliant),
        Finding(FindingIds.PoolDisabledByRapidFailProtection, FindingSeverity.Critical, RepairStepName.RestartPool, FindingIds.PoolRecycledOnMemoryLimit),
        Finding(FindingIds.HttpAppOffline, FindingSeverity.Error, RepairStepName.RestartPool, FindingIds.PoolDisabledByRapidFailProtection),
        Finding(FindingIds.WsusApiUnavailable, FindingSeverity.Error, RepairStepName.RestartPool, FindingIds.PoolDisabledByRapidFailProtection),
        Finding(FindingIds.SyncFailureStreak, FindingSeverity.Error, RepairStepName.StartSync, FindingIds.WsusApiUnavailable),
        Finding(FindingIds.ConfigMgrHasNoUpdates, FindingSeverity.Error, RepairStepName.StartSync, FindingIds.SyncFailureStreak),
    };

    /// <summary>The TechNet page's expired proxy password: 407s, every sync failing.</summary>
    public static IReadOnlyList<WsusSyncFinding> ProxyCase() => new[]
    {
        Finding(FindingIds.ProxyAuthenticationFailed, FindingSeverity.Critical, RepairStepName.Manual, fix: "Update the proxy account's password in the MECM console (software update point, Proxy and Account Settings)."),
        Finding(FindingIds.SyncFailureStreak, FindingSeverity.Error, RepairStepName.StartSync, FindingIds.ProxyAuthenticationFailed),
    };

    /// <summary>The TechNet page's BITS case: BITS disabled during a sync, WSUS service stopped.</summary>
    public static IReadOnlyList<WsusSyncFinding> BitsCase() => new[]
    {
        Finding(FindingIds.BitsNotUsable, FindingSeverity.Error, RepairStepName.RepairBits),
        Finding(FindingIds.WsusServiceNotRunning, FindingSeverity.Critical, RepairStepName.RestartWsusService),
        Finding(FindingIds.SyncFailureStreak, FindingSeverity.Error, RepairStepName.StartSync, FindingIds.BitsNotUsable),
    };

    /// <summary>A healthy server: at most information.</summary>
    public static IReadOnlyList<WsusSyncFinding> Healthy() => new[]
    {
        Finding(FindingIds.PoolWorkerFailed, FindingSeverity.Information, RepairStepName.RestartPool),
    };
}
