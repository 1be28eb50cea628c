using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>An IIS application pool with WAS's rapid-fail protection.</summary>
public sealed class SimulatedAppPool
{
    public SimulatedAppPool(string name) => Name = name;

    public string Name { get; }
    public AppPoolState State { get; internal set; } = AppPoolState.Started;
    public bool AutoStart { get; set; } = true;
    public bool RapidFailProtection { get; set; } = true;
    public int RapidFailProtectionMaxCrashes { get; set; } = 5;
    public TimeSpan RapidFailProtectionInterval { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan StartLatency { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan StopLatency { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Stays Stopping for ever (a worker process that will not shut down).</summary>
    public bool HangsOnStop { get; set; }

    /// <summary>
    /// Every worker process dies at once (a module that cannot load, a bad setting): once Started, the
    /// clients' requests start and crash one worker every <see cref="CrashLoopEvery"/>, until rapid-fail
    /// protection disables the pool (WAS 5009 each time, then 5002).
    /// </summary>
    public bool CrashLoopAfterStart { get; set; }

    /// <summary>How often a crashing pool's workers die while clients keep asking.</summary>
    public TimeSpan CrashLoopEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>WAS refuses the pool's identity: a start goes Starting, then Stopped (WAS 5057), never Started.</summary>
    public bool IdentityRefused { get; set; }

    /// <summary>True once rapid-fail protection has taken the pool down.</summary>
    public bool DisabledByRapidFail { get; internal set; }

    internal List<DateTimeOffset> Crashes { get; } = new();
    internal int Generation { get; set; }
}

public sealed partial class SimulatedSiteServer : IAppPoolControl
{
    private readonly Dictionary<string, SimulatedAppPool> _pools = new(StringComparer.OrdinalIgnoreCase);
    private bool _iisWired;

    /// <summary>When set, every pool call fails as IIS management does when it cannot be loaded.</summary>
    public string? IisUnavailableReason { get; set; }

    /// <summary>WAS-style events, e.g. "5002 WsusPool".</summary>
    public List<string> WasEvents { get; } = new();

    public SimulatedAppPool Pool(string name) => _pools[name];

    public SimulatedAppPool AddPool(string name)
    {
        WireIis();
        var pool = new SimulatedAppPool(name);
        _pools[name] = pool;
        return pool;
    }

    public AppPoolInfo? GetPool(string? computerName, string poolName)
    {
        CheckIis(computerName);
        if (!_pools.TryGetValue(poolName, out var pool))
        {
            return null;
        }

        // Without WAS the runtime state cannot be read; MWA then reports Unknown.
        var state = WasRunning ? pool.State : AppPoolState.Unknown;
        return new AppPoolInfo(pool.Name, state, pool.AutoStart, pool.RapidFailProtection);
    }

    public void StartPool(string? computerName, string poolName)
    {
        CheckIis(computerName);
        var pool = FindPool(poolName);
        ControlLog.Add($"start pool {pool.Name}");
        if (!WasRunning)
        {
            throw new WsusRemediationException("PoolControlFailed", EngineErrorKind.NotSpecified, $"Could not start application pool '{poolName}': the Windows Process Activation Service is not running.", poolName);
        }

        if (pool.State == AppPoolState.Started || pool.State == AppPoolState.Starting)
        {
            return;
        }

        pool.Crashes.Clear();
        pool.DisabledByRapidFail = false;
        SetPool(pool, AppPoolState.Starting);
        var generation = pool.Generation;
        Clock.Schedule(pool.StartLatency, () =>
        {
            if (pool.Generation != generation)
            {
                return;
            }

            if (pool.IdentityRefused)
            {
                WasEvents.Add($"5057 {pool.Name}");
                SetPool(pool, AppPoolState.Stopped);
                return;
            }

            SetPool(pool, AppPoolState.Started);
            if (pool.CrashLoopAfterStart)
            {
                ScheduleCrashes(pool.Name, pool.RapidFailProtectionMaxCrashes, pool.CrashLoopEvery);
            }
        });
    }

    public void StopPool(string? computerName, string poolName)
    {
        CheckIis(computerName);
        var pool = FindPool(poolName);
        ControlLog.Add($"stop pool {pool.Name}");
        if (pool.State == AppPoolState.Stopped || pool.State == AppPoolState.Stopping)
        {
            return;
        }

        SetPool(pool, AppPoolState.Stopping);
        if (!pool.HangsOnStop)
        {
            var generation = pool.Generation;
            Clock.Schedule(pool.StopLatency, () =>
            {
                if (pool.Generation == generation)
                {
                    SetPool(pool, AppPoolState.Stopped);
                }
            });
        }
    }

    /// <summary>A worker process of the pool dies (WAS 5009/5011). Enough of them within the interval disable the pool (5002).</summary>
    public void CrashWorker(string poolName)
    {
        var pool = FindPool(poolName);
        if (pool.State != AppPoolState.Started)
        {
            return;
        }

        var now = Clock.UtcNow;
        pool.Crashes.Add(now);
        pool.Crashes.RemoveAll(t => now - t > pool.RapidFailProtectionInterval);
        WasEvents.Add($"5009 {pool.Name}");
        if (pool.RapidFailProtection && pool.Crashes.Count >= pool.RapidFailProtectionMaxCrashes)
        {
            pool.DisabledByRapidFail = true;
            SetPool(pool, AppPoolState.Stopped);
            WasEvents.Add($"5002 {pool.Name}");
        }
    }

    /// <summary>Schedules <paramref name="count"/> worker crashes, one every <paramref name="every"/>, starting after one interval.</summary>
    public void ScheduleCrashes(string poolName, int count, TimeSpan every)
    {
        for (var i = 1; i <= count; i++)
        {
            Clock.Schedule(TimeSpan.FromTicks(every.Ticks * i), () => CrashWorker(poolName));
        }
    }

    private bool WasRunning => !_services.TryGetValue(SiteServices.Was, out var was) || was.State == ServiceState.Running;

    private SimulatedAppPool FindPool(string poolName) =>
        _pools.TryGetValue(poolName, out var pool)
            ? pool
            : throw new WsusRemediationException("PoolNotFound", EngineErrorKind.ObjectNotFound, $"IIS has no application pool named '{poolName}'.", poolName);

    private void CheckIis(string? computerName)
    {
        CheckReachable(computerName);
        if (IisUnavailableReason is not null)
        {
            throw new WsusRemediationException("IisManagementUnavailable", EngineErrorKind.ResourceUnavailable, IisUnavailableReason);
        }
    }

    private static void SetPool(SimulatedAppPool pool, AppPoolState state)
    {
        pool.State = state;
        pool.Generation++;
    }

    private void WireIis()
    {
        if (_iisWired)
        {
            return;
        }

        _iisWired = true;
        ServiceStateChanged += (name, state) =>
        {
            if (!string.Equals(name, SiteServices.Was, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            foreach (var pool in _pools.Values)
            {
                if (state == ServiceState.Stopped)
                {
                    SetPool(pool, AppPoolState.Stopped);
                }
                else if (state == ServiceState.Running && pool.AutoStart)
                {
                    // WAS starts autoStart pools when it starts; this is how an IIS reset re-enables a disabled pool.
                    pool.Crashes.Clear();
                    pool.DisabledByRapidFail = false;
                    SetPool(pool, AppPoolState.Started);
                }
            }
        };
    }
}
