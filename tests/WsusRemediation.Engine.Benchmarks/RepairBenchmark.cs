using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;

/// <summary>
/// How much longer Repair-WsusSync takes than the server itself needs, in virtual time on the simulated
/// site server: the repair's elapsed time against the time the server was busy with what the repair
/// asked (service stops and starts from pending to settled, pool stops and starts, the sync from the
/// request to MECM's 6702). No fixed sleeps: every wait should end within one poll of its state.
/// </summary>
internal static class RepairBenchmark
{
    public static int Run(string dir)
    {
        Console.WriteLine("# Repair benchmark (virtual time, simulated site server)");
        Console.WriteLine();
        Console.WriteLine("| Case | Steps | Repair s | Server busy s | Ratio | Longest idle gap s | Polls of the sync | CPU ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var worst = 0.0;
        foreach (var (name, syncPoll) in new[] { ("Guide's case, sync polled every 10 s (default)", 10.0), ("Guide's case, sync polled every 15 s (Invoke-WsusSync's)", 15.0), ("Guide's case, sync polled every 5 s", 5.0) })
        {
            worst = Math.Max(worst, Measure(dir, name, syncPoll, bits: false));
        }

        worst = Math.Max(worst, Measure(dir, "TechNet BITS case (BITS Disabled, WSUS service stopped)", 10.0, bits: true));
        Console.WriteLine();
        Console.WriteLine($"Worst ratio: {worst.ToString("0.000", CultureInfo.InvariantCulture)} (aim: at most 1.05).");
        return worst <= 1.05 ? 0 : 1;
    }

    private static double Measure(string dir, string name, double syncPollSeconds, bool bits)
    {
        var folder = Path.Combine(dir, "repair-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var config = Path.Combine(folder, "applicationHost.config");
            var fixture = bits ? "HealthyAfterFix" : "GuideCase";
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture, "applicationHost.config"), config);
            var clock = new VirtualClock();
            var site = bits ? SimulatedSiteServer.HealthyCase(clock, config) : SimulatedSiteServer.GuideCase(clock, config);
            if (bits)
            {
                site.Service("BITS").StartType = ServiceStartType.Disabled;
                site.SetServiceState("WsusService", ServiceState.Stopped);
                var now = clock.UtcNow.UtcDateTime;
                site.Sync.AddHistory(SyncResult.Failed, now.AddHours(-1), TimeSpan.FromMinutes(2));
            }

            var busy = new List<(DateTimeOffset Start, DateTimeOffset End)>();
            var pending = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
            site.ServiceStateChanged += (service, state) =>
            {
                if (state == ServiceState.StartPending || state == ServiceState.StopPending)
                {
                    pending[service] = clock.UtcNow;
                }
                else if ((state == ServiceState.Running || state == ServiceState.Stopped) && pending.Remove(service, out var since))
                {
                    busy.Add((since, clock.UtcNow));
                }
            };
            var pools = new RecordingPools(site, clock, busy);
            var sync = new RecordingSync(site.Sync, clock);

            var findings = bits ? Findings.Bits() : Findings.Guide();
            var document = new PoolTuningService(PhysicalFileStore.Instance, clock).Load(config);
            var plan = RepairPlanner.Plan(new RepairPlanRequest
            {
                ComputerName = "CM01",
                Findings = findings,
                ConfigurationPath = config,
                PoolChanges = RepairPlanner.PoolChanges(document, "WsusPool", PoolTuningProfileName.Recommended),
            });
            var environment = new RepairEnvironment
            {
                Clock = clock,
                Services = site,
                Pools = pools,
                Sync = new SyncStatusService(clock, site.Sync, sync, null, site.Sync),
                WebProbe = site,
                StartTypes = site,
                Log = new CmTraceLog(Path.Combine(folder, "WsusRemediation.log"), clock, TimeZoneInfo.Utc),
            };
            var options = new RepairOptions { ComputerName = "CM01", ConfigurationPath = config, BackupFolder = folder, SyncPollInterval = TimeSpan.FromSeconds(syncPollSeconds) };

            var cpu = Stopwatch.StartNew();
            var start = clock.UtcNow;
            var outcome = new RepairRunner(environment, options).Run(plan, findings, null, CancellationToken.None);
            var end = clock.UtcNow;
            cpu.Stop();
            if (!outcome.Result.Succeeded)
            {
                throw new InvalidOperationException($"{name}: the repair did not succeed: {outcome.Result.Summary}");
            }

            if (sync.RequestedAt is { } requested && site.Sync.LastSyncStateTime is { } done)
            {
                busy.Add((requested, new DateTimeOffset(DateTime.SpecifyKind(done, DateTimeKind.Utc))));
            }

            var (total, longestGap) = Union(busy, start, end);
            var ratio = (end - start).TotalSeconds / total.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {plan.Count} | {(end - start).TotalSeconds:0.0} | {total.TotalSeconds:0.0} | {ratio:0.000} | {longestGap.TotalSeconds:0.0} | {sync.Reads} | {cpu.Elapsed.TotalMilliseconds:0} |"));
            return ratio;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The length of the union of the busy intervals, and the longest time inside the run when the server was busy with nothing.</summary>
    private static (TimeSpan Total, TimeSpan LongestGap) Union(List<(DateTimeOffset Start, DateTimeOffset End)> intervals, DateTimeOffset runStart, DateTimeOffset runEnd)
    {
        var total = TimeSpan.Zero;
        var longestGap = TimeSpan.Zero;
        var cursor = runStart;
        foreach (var (start, end) in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
        {
            if (start > cursor)
            {
                longestGap = start - cursor > longestGap ? start - cursor : longestGap;
            }

            var from = start > cursor ? start : cursor;
            if (end > from)
            {
                total += end - from;
                cursor = end;
            }
        }

        longestGap = runEnd - cursor > longestGap ? runEnd - cursor : longestGap;
        return (total, longestGap);
    }

    /// <summary>Records each pool stop and start as busy from the request for the pool's own latency.</summary>
    private sealed class RecordingPools : IAppPoolControl
    {
        private readonly SimulatedSiteServer _site;
        private readonly VirtualClock _clock;
        private readonly List<(DateTimeOffset, DateTimeOffset)> _busy;

        public RecordingPools(SimulatedSiteServer site, VirtualClock clock, List<(DateTimeOffset, DateTimeOffset)> busy)
        {
            _site = site;
            _clock = clock;
            _busy = busy;
        }

        public AppPoolInfo? GetPool(string? computerName, string poolName) => _site.GetPool(computerName, poolName);

        public void StartPool(string? computerName, string poolName)
        {
            var pool = _site.Pool(poolName);
            if (pool.State == AppPoolState.Stopped)
            {
                _busy.Add((_clock.UtcNow, _clock.UtcNow + pool.StartLatency));
            }

            _site.StartPool(computerName, poolName);
        }

        public void StopPool(string? computerName, string poolName)
        {
            var pool = _site.Pool(poolName);
            if (pool.State == AppPoolState.Started)
            {
                _busy.Add((_clock.UtcNow, _clock.UtcNow + pool.StopLatency));
            }

            _site.StopPool(computerName, poolName);
        }
    }

    /// <summary>Records when MECM was asked to synchronize, and counts the status reads.</summary>
    private sealed class RecordingSync : IConfigMgrSyncProvider
    {
        private readonly IConfigMgrSyncProvider _inner;
        private readonly VirtualClock _clock;

        public RecordingSync(IConfigMgrSyncProvider inner, VirtualClock clock)
        {
            _inner = inner;
            _clock = clock;
        }

        public DateTimeOffset? RequestedAt { get; private set; }

        public int Reads { get; private set; }

        public ConfigMgrSyncSnapshot Read(bool countUpdates, CancellationToken cancellationToken)
        {
            Reads++;
            return _inner.Read(countUpdates, cancellationToken);
        }

        public void SyncNow(bool fullSync, CancellationToken cancellationToken)
        {
            RequestedAt = _clock.UtcNow;
            _inner.SyncNow(fullSync, cancellationToken);
        }
    }

    private static class Findings
    {
        private static WsusRemediation.Engine.Diagnosis.WsusSyncFinding F(string id, WsusRemediation.Engine.Diagnosis.RepairStepName step) =>
            new() { ComputerName = "CM01", Id = id, Severity = WsusRemediation.Engine.Diagnosis.FindingSeverity.Error, RepairStep = step };

        public static IReadOnlyList<WsusRemediation.Engine.Diagnosis.WsusSyncFinding> Guide() => new[]
        {
            F(WsusRemediation.Engine.Diagnosis.FindingIds.PoolTuningNotCompliant, WsusRemediation.Engine.Diagnosis.RepairStepName.TunePool),
            F(WsusRemediation.Engine.Diagnosis.FindingIds.PoolDisabledByRapidFailProtection, WsusRemediation.Engine.Diagnosis.RepairStepName.RestartPool),
            F(WsusRemediation.Engine.Diagnosis.FindingIds.SmsServiceNotRunning, WsusRemediation.Engine.Diagnosis.RepairStepName.RestartSmsServices),
            F(WsusRemediation.Engine.Diagnosis.FindingIds.SyncFailureStreak, WsusRemediation.Engine.Diagnosis.RepairStepName.StartSync),
        };

        public static IReadOnlyList<WsusRemediation.Engine.Diagnosis.WsusSyncFinding> Bits() => new[]
        {
            F(WsusRemediation.Engine.Diagnosis.FindingIds.BitsNotUsable, WsusRemediation.Engine.Diagnosis.RepairStepName.RepairBits),
            F(WsusRemediation.Engine.Diagnosis.FindingIds.WsusServiceNotRunning, WsusRemediation.Engine.Diagnosis.RepairStepName.RestartWsusService),
        };
    }
}
