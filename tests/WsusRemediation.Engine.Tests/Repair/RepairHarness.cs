using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;

namespace WsusRemediation.Engine.Tests.Repair;

/// <summary>A simulated site server with a real applicationHost.config, log and report folder, and the repair wired to it as the cmdlet wires it to Windows.</summary>
internal sealed class RepairHarness : IDisposable
{
    private RepairHarness(Func<VirtualClock, string, SimulatedSiteServer> build, string fixture)
    {
        Temp = new TempFolder();
        Clock = new VirtualClock();
        ConfigPath = Temp.CopyFixture(fixture, "applicationHost.config");
        OriginalConfig = File.ReadAllBytes(ConfigPath);
        Site = build(Clock, ConfigPath);
        LogPath = Path.Combine(Temp.Path, "Logs", "WsusRemediation.log");
        ReportPath = Path.Combine(Temp.Path, "report.json");
        BackupFolder = Path.Combine(Temp.Path, "backup");
    }

    public TempFolder Temp { get; }
    public VirtualClock Clock { get; }
    public SimulatedSiteServer Site { get; }
    public string ConfigPath { get; }
    public byte[] OriginalConfig { get; }
    public string LogPath { get; }
    public string ReportPath { get; }
    public string BackupFolder { get; }
    public List<string> Warnings { get; } = new();
    public List<string> Confirmations { get; } = new();

    /// <summary>The guide's broken server (GuideCase evidence's applicationHost.config: queue length 1000, private memory limit).</summary>
    public static RepairHarness Guide() => new(SimulatedSiteServer.GuideCase, "Evidence/GuideCase/applicationHost.config");

    /// <summary>A healthy server with the configuration the fix leaves (HealthyAfterFix evidence).</summary>
    public static RepairHarness Healthy() => new(SimulatedSiteServer.HealthyCase, "Evidence/HealthyAfterFix/applicationHost.config");

    public bool ConfigUnchanged => File.ReadAllBytes(ConfigPath).AsSpan().SequenceEqual(OriginalConfig);

    public IReadOnlyList<WsusSyncFinding> Diagnose() => SimulatedDiagnosis.Diagnose(Site);

    public IReadOnlyList<WsusRepairStep> Plan(IReadOnlyList<WsusSyncFinding>? findings = null, bool all = false, IReadOnlyList<RepairStepName>? steps = null)
    {
        var document = new PoolTuningService(PhysicalFileStore.Instance, Clock).Load(ConfigPath);
        return RepairPlanner.Plan(new RepairPlanRequest
        {
            ComputerName = "CM01",
            IsRemote = true,
            Findings = findings ?? Diagnose(),
            All = all,
            Steps = steps,
            ConfigurationPath = ConfigPath,
            PoolChanges = RepairPlanner.PoolChanges(document, "WsusPool", PoolTuningProfileName.Recommended),
        });
    }

    public RepairEnvironment Environment() => new()
    {
        Clock = Clock,
        Files = PhysicalFileStore.Instance,
        Services = Site,
        Pools = Site,
        Sync = new SyncStatusService(Clock, Site.Sync, Site.Sync, null, Site.Sync),
        WebProbe = Site,
        StartTypes = Site,
        Log = new CmTraceLog(LogPath, Clock, TimeZoneInfo.Utc),
        Diagnose = _ => Diagnose(),
    };

    public RepairOptions Options(bool force = false, TimeSpan? syncTimeout = null) => new()
    {
        ComputerName = "CM01",
        ConfigurationPath = ConfigPath,
        BackupFolder = BackupFolder,
        ReportPath = ReportPath,
        Force = force,
        SyncTimeout = syncTimeout ?? TimeSpan.FromHours(2),
    };

    /// <summary>Diagnose, plan, repair: what Repair-WsusSync does, confirming every step.</summary>
    public RepairOutcome Repair(RepairOptions? options = null, IReadOnlyList<WsusRepairStep>? plan = null, RepairHooks? hooks = null, CancellationToken token = default)
    {
        var findings = Diagnose();
        plan ??= Plan(findings);
        hooks ??= new RepairHooks
        {
            ShouldProcess = (target, action) =>
            {
                Confirmations.Add($"{target} | {action}");
                return true;
            },
            Warning = Warnings.Add,
        };
        return new RepairRunner(Environment(), options ?? Options()).Run(plan, findings, hooks, token);
    }

    public void Dispose() => Temp.Dispose();
}
