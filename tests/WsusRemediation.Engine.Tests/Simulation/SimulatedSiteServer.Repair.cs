using System;
using System.IO;
using System.Threading;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>
/// What the repair needs of the site server beyond services, pools and sync: an applicationHost.config
/// whose content decides how WsusPool behaves (its workers crash under a sync with the old limits, or
/// at once with a value the server cannot take), WSUS's web services answering 200/500/503, and a
/// service start type that can be changed (BITS back to Manual).
/// </summary>
public sealed partial class SimulatedSiteServer : IWsusWebServiceProbe, IServiceStartTypeControl
{
    private bool _watchdog;
    private long _ticks;

    /// <summary>The applicationHost.config file WsusPool runs with (a real file; the engine edits it).</summary>
    public string? ConfigurationPath { get; set; }

    /// <summary>With this configuration the pool's workers crash every second while it runs: it cannot come back.</summary>
    public Func<string, bool>? PoolCrashesWhen { get; set; }

    /// <summary>With this configuration a worker crashes every 15 s while a sync runs (the guide's limits): rapid-fail protection stops the pool mid-sync.</summary>
    public Func<string, bool>? PoolCrashesUnderSyncWhen { get; set; }

    /// <summary>With this configuration the pool does not start: WAS gives up while it is Starting and it falls back to Stopped.</summary>
    public Func<string, bool>? PoolFailsToStartWhen { get; set; }

    /// <summary>With this configuration the started pool answers HTTP 500 (as Enable 32-Bit Applications does).</summary>
    public Func<string, bool>? WebAnswers500When { get; set; }

    /// <summary>The proxy refuses WSUS's credentials (HTTP 407, the TechNet page's expired proxy password): every sync fails.</summary>
    public bool ProxyRejectsCredentials { get; set; }

    /// <summary>How many times the web services were asked.</summary>
    public int WebProbes { get; private set; }

    /// <summary>Start-type changes, e.g. "BITS Manual".</summary>
    public System.Collections.Generic.List<string> StartTypeChanges { get; } = new();

    /// <summary>
    /// The guide's broken server: WsusPool tuned as in the guide's evidence (queue length 1000, a private
    /// memory limit) crashes under every sync until rapid-fail protection stops it; it is Stopped now,
    /// the last three syncs were cancelled, SMS_EXECUTIVE is stopped and MECM shows 0 updates.
    /// </summary>
    public static SimulatedSiteServer GuideCase(VirtualClock clock, string configurationPath)
    {
        var site = Typical(clock, "CM01");
        site.ConfigurationPath = configurationPath;
        site.PoolCrashesUnderSyncWhen = text => text.Contains("queueLength=\"1000\"", StringComparison.Ordinal);
        var pool = site.Pool("WsusPool");
        pool.State = AppPoolState.Stopped;
        pool.DisabledByRapidFail = true;
        site.WasEvents.Add("5002 WsusPool");
        site.Service("SMS_EXECUTIVE").State = ServiceState.Stopped;
        var now = clock.UtcNow.UtcDateTime;
        site.Sync.AddHistory(SyncResult.Succeeded, now.AddDays(-9), TimeSpan.FromMinutes(6));
        site.Sync.AddHistory(SyncResult.Cancelled, now.AddDays(-2), TimeSpan.FromMinutes(3));
        site.Sync.AddHistory(SyncResult.Cancelled, now.AddDays(-1), TimeSpan.FromMinutes(3));
        site.Sync.AddHistory(SyncResult.Cancelled, now.AddHours(-3), TimeSpan.FromMinutes(3));
        site.Sync.UpdateCount = 0;
        site.StartWatchdog();
        return site;
    }

    /// <summary>A healthy server: the last sync succeeded and MECM has its updates.</summary>
    public static SimulatedSiteServer HealthyCase(VirtualClock clock, string configurationPath)
    {
        var site = Typical(clock, "CM01");
        site.ConfigurationPath = configurationPath;
        var now = clock.UtcNow.UtcDateTime;
        site.Sync.AddHistory(SyncResult.Succeeded, now.AddHours(-20), TimeSpan.FromMinutes(5));
        site.Sync.AddHistory(SyncResult.Succeeded, now.AddHours(-2), TimeSpan.FromMinutes(5));
        site.Sync.UpdateCount = 9873;
        site.StartWatchdog();
        return site;
    }

    public int? GetStatusCode(string? computerName, CancellationToken cancellationToken)
    {
        CheckReachable(computerName);
        WebProbes++;
        if (!_pools.TryGetValue("WsusPool", out var pool) || pool.State != AppPoolState.Started || !WasRunning)
        {
            return 503;
        }

        return WebAnswers500When is not null && WebAnswers500When(ReadConfiguration()) ? 500 : 200;
    }

    public void SetStartType(string? computerName, string serviceName, ServiceStartType startType)
    {
        CheckReachable(computerName);
        var service = Find(computerName, serviceName, "change");
        ControlLog.Add($"config {service.Name} {startType}");
        StartTypeChanges.Add($"{service.Name} {startType}");
        service.StartType = startType;
    }

    /// <summary>Starts the once-a-second check that makes the pool behave as its configuration says.</summary>
    public void StartWatchdog()
    {
        if (_watchdog)
        {
            return;
        }

        _watchdog = true;
        Clock.Schedule(TimeSpan.FromSeconds(1), Tick);
    }

    private void Tick()
    {
        _ticks++;
        if (_pools.TryGetValue("WsusPool", out var starting) && starting.State == AppPoolState.Starting && ConfigurationPath is not null
            && PoolFailsToStartWhen?.Invoke(ReadConfiguration()) == true)
        {
            SetPool(starting, AppPoolState.Stopped);
            WasEvents.Add($"5059 {starting.Name}");
        }

        if (_pools.TryGetValue("WsusPool", out var pool) && pool.State == AppPoolState.Started && ConfigurationPath is not null)
        {
            var text = ReadConfiguration();
            if (PoolCrashesWhen?.Invoke(text) == true)
            {
                CrashWorker(pool.Name);
            }
            else if (_ticks % 15 == 0 && Sync.WsusRunning && PoolCrashesUnderSyncWhen?.Invoke(text) == true)
            {
                CrashWorker(pool.Name);
            }
        }

        Clock.Schedule(TimeSpan.FromSeconds(1), Tick);
    }

    private string ReadConfiguration() => ConfigurationPath is null ? string.Empty : File.ReadAllText(ConfigurationPath);
}
