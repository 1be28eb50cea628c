using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Tests.Common;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>
/// A simulated WSUS/MECM site server that implements the engine's ports on a <see cref="VirtualClock"/>.
///
/// How it is built (extend it the same way):
/// - One partial class per outside system, each in its own file:
///   <c>SimulatedSiteServer.Services.cs</c> (IServiceControlManager: services with dependencies,
///   start/stop latencies, 1053 start failures, access denied, Disabled, stops that hang),
///   <c>SimulatedSiteServer.Iis.cs</c> (IAppPoolControl: pools with Starting/Started/Stopping/Stopped and
///   rapid-fail protection that stops a pool after N worker crashes within an interval, like WAS 5002).
///   Later parts (sync, WSUS API, event log) go in new files such as <c>SimulatedSiteServer.Sync.cs</c>.
/// - Everything that takes time is scheduled on the clock (<see cref="VirtualClock.Schedule"/>), so the
///   engine's waits (Wait.Until over clock.Delay) see states change exactly as on a server, in
///   virtual time. Nothing here sleeps.
/// - Failures are the engine's own errors, built from real Win32 codes through
///   <see cref="ServiceErrors.FromWin32"/>, so tests see what the Windows adapters would give.
/// - Parts talk through <see cref="ServiceStateChanged"/>: WAS stopping takes the pools down, and WAS
///   starting starts the pools whose autoStart is on (which is why an IIS reset re-enables a pool
///   that rapid-fail protection had disabled).
/// - <see cref="ControlLog"/> records every request in order ("stop SMS_EXECUTIVE"), for order assertions.
/// - <see cref="Typical"/> builds the site server of the guide; tests change what they need.
/// </summary>
public sealed partial class SimulatedSiteServer
{
    public SimulatedSiteServer(VirtualClock clock, string computerName = "SITE01")
    {
        Clock = clock;
        ComputerName = computerName;
    }

    public VirtualClock Clock { get; }

    /// <summary>The name the server answers to; the engine passes null for the local computer.</summary>
    public string ComputerName { get; }

    /// <summary>False: every call fails as an unreachable machine does (RPC server unavailable, 1722).</summary>
    public bool Reachable { get; set; } = true;

    /// <summary>Every start/stop request, in order, e.g. "stop SMS_EXECUTIVE", "start pool WsusPool".</summary>
    public List<string> ControlLog { get; } = new();

    /// <summary>Raised after a service changes state (name, new state).</summary>
    public event Action<string, ServiceState>? ServiceStateChanged;

    /// <summary>The guide's site server: WSUS, IIS and MECM site services, SMS Agent Host, WsusPool.</summary>
    public static SimulatedSiteServer Typical(VirtualClock clock, string computerName = "SITE01")
    {
        var server = new SimulatedSiteServer(clock, computerName);
        server.AddService("WAS", "Windows Process Activation Service", ServiceStartType.Manual, ServiceState.Running, startSeconds: 1, stopSeconds: 2);
        server.AddService("W3SVC", "World Wide Web Publishing Service", ServiceStartType.Automatic, ServiceState.Running, startSeconds: 2, stopSeconds: 3, dependsOn: "WAS");
        server.AddService("WsusService", "WSUS Service", ServiceStartType.Automatic, ServiceState.Running, startSeconds: 8, stopSeconds: 5);
        server.AddService("BITS", "Background Intelligent Transfer Service", ServiceStartType.Manual, ServiceState.Stopped, startSeconds: 1, stopSeconds: 1);
        server.AddService("SMS_EXECUTIVE", "SMS_EXECUTIVE", ServiceStartType.Automatic, ServiceState.Running, startSeconds: 10, stopSeconds: 25);
        server.AddService("SMS_SITE_COMPONENT_MANAGER", "SMS_SITE_COMPONENT_MANAGER", ServiceStartType.Automatic, ServiceState.Running, startSeconds: 5, stopSeconds: 8);
        server.AddService("SMS_NOTIFICATION_SERVER", "SMS_NOTIFICATION_SERVER", ServiceStartType.Manual, ServiceState.Stopped, startSeconds: 3, stopSeconds: 2);
        server.AddService("CcmExec", "SMS Agent Host", ServiceStartType.Automatic, ServiceState.Running, startSeconds: 4, stopSeconds: 3);
        server.AddPool("DefaultAppPool");
        server.AddPool("WsusPool");
        return server;
    }

    private void CheckReachable(string? computerName)
    {
        var isThis = computerName is null || string.Equals(computerName, ComputerName, StringComparison.OrdinalIgnoreCase);
        if (!Reachable || !isThis)
        {
            throw ServiceErrors.FromWin32(ServiceErrors.RpcServerUnavailable, computerName ?? ComputerName, null, "open", "The RPC server is unavailable.");
        }
    }
}
