using System;
using System.Threading;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>The guide's story on the simulated site server: WsusPool dies under a sync, is started again, the next sync brings the updates.</summary>
public class SimulatedSyncSiteScenarioTests
{
    [Fact]
    public void Rapid_fail_stops_WsusPool_mid_sync_the_sync_is_cancelled_and_after_the_pool_is_started_a_new_sync_fills_MECM()
    {
        var clock = new VirtualClock();
        var site = SimulatedSiteServer.Typical(clock, "CM01");
        var sync = site.Sync;
        var start = clock.UtcNow.UtcDateTime;
        sync.AddHistory(SyncResult.Succeeded, start.AddDays(-3), TimeSpan.FromMinutes(4));
        sync.AddHistory(SyncResult.Cancelled, start.AddHours(-2), TimeSpan.FromMinutes(7));
        sync.AddHistory(SyncResult.Cancelled, start.AddHours(-1), TimeSpan.FromMinutes(7));
        sync.UpdateCount = 0;
        var service = new SyncStatusService(clock, sync, sync, null, sync);
        var watcher = new SyncWatcher((final, t) => service.Read(SyncSource.Auto, "CM01", final, t), clock);

        // The worker crashes every 30 s during the sync; the fifth crash within 5 minutes disables the pool (WAS 5002).
        var first = service.Start(SyncSource.ConfigMgr, false, "CM01", CancellationToken.None);
        site.ScheduleCrashes("WsusPool", 5, TimeSpan.FromSeconds(30));
        var failed = watcher.WaitForCompletion(first, TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(15), CancellationToken.None);

        Assert.True(failed.Completed);
        Assert.Contains("5002 WsusPool", site.WasEvents);
        Assert.Equal(AppPoolState.Stopped, site.Pool("WsusPool").State);
        Assert.Equal(SyncResult.Failed, failed.Status.LastResult); // only MECM answers while WSUS gives 503
        var refused = Assert.Throws<WsusRemediation.Engine.Common.WsusRemediationException>(() => service.Start(SyncSource.Wsus, false, "CM01", CancellationToken.None));
        Assert.Equal("WsusServerUnreachable", refused.ErrorId); // WSUS answers 503 while its pool is stopped

        // The repair starts the pool; WSUS's own history then shows the third cancel in a row.
        site.StartPool(null, "WsusPool");
        clock.Advance(TimeSpan.FromSeconds(5));
        var diagnosed = service.Read(SyncSource.Auto, "CM01", CancellationToken.None);
        Assert.Equal(SyncResult.Cancelled, diagnosed.LastResult);
        Assert.Equal(3, diagnosed.CancelledOrFailedStreak);
        Assert.Equal(SyncHealth.Unhealthy, diagnosed.Health);

        // The next sync runs with a healthy pool and MECM gets its updates.
        var second = service.Start(SyncSource.ConfigMgr, false, "CM01", CancellationToken.None);
        var healed = watcher.WaitForCompletion(second, TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(15), CancellationToken.None);
        Assert.True(healed.Completed);
        Assert.Equal(SyncResult.Succeeded, healed.Status.LastResult);
        Assert.Equal(0, healed.Status.CancelledOrFailedStreak);
        Assert.Equal(9873, healed.Status.ConfigMgrUpdateCount);
        Assert.Equal(SyncHealth.Healthy, healed.Status.Health);
    }
}
