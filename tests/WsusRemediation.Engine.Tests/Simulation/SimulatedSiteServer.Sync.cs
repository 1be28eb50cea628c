using System;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>
/// The site server's synchronization: a <see cref="SimulatedSyncServer"/> whose WSUS answers only while
/// WsusPool is started and the WSUS service runs, so a pool stopped by rapid-fail protection cancels
/// the running sync and makes the WSUS API answer HTTP 503.
/// </summary>
public sealed partial class SimulatedSiteServer
{
    private SimulatedSyncServer? _sync;

    /// <summary>The WSUS API, SMS Provider and inbox of this server (IWsusSyncApi, IConfigMgrSyncProvider, ISyncInboxTrigger).</summary>
    public SimulatedSyncServer Sync => _sync ??= new SimulatedSyncServer(Clock, () =>
        Reachable
        && _pools.TryGetValue("WsusPool", out var pool) && pool.State == AppPoolState.Started
        && (!_services.TryGetValue("WsusService", out var wsus) || wsus.State == ServiceState.Running));
}
