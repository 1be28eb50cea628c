using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Simulation;
using static WsusRemediation.Engine.Tests.Repair.RepairFindings;

namespace WsusRemediation.Engine.Tests.Repair;

/// <summary>
/// A stand-in for Get-WsusSyncDiagnosis's engine over the simulated server's live state: the findings a
/// diagnosis gives for what the simulation shows, so that a scenario plans from the server's state and
/// diagnoses again afterwards.
/// </summary>
internal static class SimulatedDiagnosis
{
    public static IReadOnlyList<WsusSyncFinding> Diagnose(SimulatedSiteServer site, PoolTuningProfileName profile = PoolTuningProfileName.Recommended)
    {
        var findings = new List<WsusSyncFinding>();
        if (site.ProxyRejectsCredentials)
        {
            findings.Add(Finding(FindingIds.ProxyAuthenticationFailed, FindingSeverity.Critical, RepairStepName.Manual, fix: "Update the proxy account's password in the MECM console (software update point, Proxy and Account Settings)."));
        }

        if (site.ConfigurationPath is not null)
        {
            var service = new PoolTuningService(PhysicalFileStore.Instance, site.Clock);
            var tuning = PoolTuningService.Read(service.Load(site.ConfigurationPath), "WsusPool", profile, site.ComputerName, null);
            if (!tuning.IsCompliant)
            {
                findings.Add(Finding(FindingIds.PoolTuningNotCompliant, FindingSeverity.Error, RepairStepName.TunePool));
            }
        }

        var pool = site.Pool("WsusPool");
        if (pool.State != AppPoolState.Started)
        {
            findings.Add(pool.DisabledByRapidFail
                ? Finding(FindingIds.PoolDisabledByRapidFailProtection, FindingSeverity.Critical, RepairStepName.RestartPool)
                : Finding(FindingIds.PoolStopped, FindingSeverity.Critical, RepairStepName.RestartPool));
        }

        if (new[] { SiteServices.SmsExecutive, SiteServices.SmsSiteComponentManager }.Any(n => site.Service(n).State != ServiceState.Running))
        {
            findings.Add(Finding(FindingIds.SmsServiceNotRunning, FindingSeverity.Error, RepairStepName.RestartSmsServices));
        }

        if (site.Service(SiteServices.Bits).StartType == ServiceStartType.Disabled)
        {
            findings.Add(Finding(FindingIds.BitsNotUsable, FindingSeverity.Error, RepairStepName.RepairBits));
        }

        if (site.Service(SiteServices.Wsus).State != ServiceState.Running)
        {
            findings.Add(Finding(FindingIds.WsusServiceNotRunning, FindingSeverity.Critical, RepairStepName.RestartWsusService));
        }

        var status = new SyncStatusService(site.Clock, site.Sync, site.Sync).Read(SyncSource.ConfigMgr, "CM01", CancellationToken.None);
        if (site.Sync.WsusAnswers)
        {
            status = new SyncStatusService(site.Clock, site.Sync, site.Sync).Read(SyncSource.Auto, "CM01", CancellationToken.None);
        }

        if (status.CancelledOrFailedStreak >= 3)
        {
            findings.Add(Finding(FindingIds.SyncFailureStreak, FindingSeverity.Error, RepairStepName.StartSync));
        }

        if (status.ConfigMgrUpdateCount == 0)
        {
            findings.Add(Finding(FindingIds.ConfigMgrHasNoUpdates, FindingSeverity.Error, RepairStepName.StartSync));
        }

        return findings;
    }
}
