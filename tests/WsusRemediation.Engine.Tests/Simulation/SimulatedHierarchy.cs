using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Hierarchy;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Tests.Common;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>
/// Several simulated servers of one MECM hierarchy, reached by name like the Windows adapters reach
/// remote computers: a central administration site (CAS01, its own software update point, synchronizing
/// from Microsoft Update over SSL) and two primary sites under it whose software update points (SUP01,
/// SUP02) synchronize from the CAS. The CAS's SMS Provider knows the whole hierarchy. A name that
/// belongs to no server, or a server set unreachable, fails with RPC 1722 as on a network.
/// </summary>
public sealed class SimulatedHierarchy : IServiceControlManager, IAppPoolControl
{
    private readonly Dictionary<string, SimulatedSiteServer> _servers = new(StringComparer.OrdinalIgnoreCase);

    public SimulatedHierarchy(VirtualClock clock) => Clock = clock;

    public VirtualClock Clock { get; }

    public SimulatedSiteServer Cas => _servers["CAS01"];

    public IReadOnlyCollection<SimulatedSiteServer> Servers => _servers.Values;

    public SimulatedSiteServer this[string computerName] => _servers[ShortName(computerName)];

    public static SimulatedHierarchy CasWithTwoPrimaries(VirtualClock clock)
    {
        var hierarchy = new SimulatedHierarchy(clock);
        foreach (var name in new[] { "CAS01", "PRI01", "PRI02", "SUP01", "SUP02" })
        {
            hierarchy._servers[name] = SimulatedSiteServer.Typical(clock, name);
        }

        var cas = hierarchy.Cas;
        cas.ProviderSiteCode = "CAS";
        cas.AddSite("CAS", SiteType.CentralAdministrationSite, "CAS01.corp.contoso.com");
        cas.AddSite("P01", SiteType.Primary, "PRI01.corp.contoso.com", "CAS");
        cas.AddSite("P02", SiteType.Primary, "PRI02.corp.contoso.com", "CAS");
        cas.AddUpdatePointRole("CAS", "CAS01.corp.contoso.com", ssl: true);
        cas.AddUpdatePointRole("P01", "SUP01.corp.contoso.com");
        cas.AddUpdatePointRole("P02", "SUP02.corp.contoso.com", httpPort: 80, httpsPort: 443);
        cas.AddUpdatePointComponent("CAS");
        cas.AddUpdatePointComponent("P01");
        cas.AddUpdatePointComponent("P02");
        return hierarchy;
    }

    public ServiceInfo? GetService(string? computerName, string serviceName) => Server(computerName).GetService(Local(computerName), serviceName);

    public void StartService(string? computerName, string serviceName) => Server(computerName).StartService(Local(computerName), serviceName);

    public void StopService(string? computerName, string serviceName) => Server(computerName).StopService(Local(computerName), serviceName);

    public AppPoolInfo? GetPool(string? computerName, string poolName) => Server(computerName).GetPool(Local(computerName), poolName);

    public void StartPool(string? computerName, string poolName) => Server(computerName).StartPool(Local(computerName), poolName);

    public void StopPool(string? computerName, string poolName) => Server(computerName).StopPool(Local(computerName), poolName);

    private static string ShortName(string computerName) => computerName.Split('.')[0];

    // Each simulated server answers to its own short name.
    private string? Local(string? computerName) => computerName is null ? null : ShortName(computerName);

    private SimulatedSiteServer Server(string? computerName)
    {
        if (computerName is not null && _servers.TryGetValue(ShortName(computerName), out var server))
        {
            return server;
        }

        throw ServiceErrors.FromWin32(ServiceErrors.RpcServerUnavailable, computerName, null, "open", "The RPC server is unavailable.");
    }
}
