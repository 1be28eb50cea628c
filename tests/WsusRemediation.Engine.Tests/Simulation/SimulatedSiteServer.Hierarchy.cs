using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Hierarchy;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>
/// The SMS Provider of a site server, as far as the hierarchy goes: the SMS_Site rows, the software
/// update point roles (SMS_SCI_SysResUse with their embedded properties), the SUP component
/// (SMS_SCI_Component SMS_WSUS_CONFIGURATION_MANAGER) and SMS_SUPSyncStatus, as the adapter reads them.
/// An unreachable server fails like any other call to it.
/// </summary>
public sealed partial class SimulatedSiteServer : ISiteHierarchyProvider
{
    /// <summary>The site of this server's SMS Provider.</summary>
    public string ProviderSiteCode { get; set; } = string.Empty;

    public List<SiteRecord> HierarchySites { get; } = new();

    public List<SiteControlItem> UpdatePointRoles { get; } = new();

    public List<SiteControlItem> UpdatePointComponents { get; } = new();

    public List<UpdatePointSyncSource> UpdatePointSyncSources { get; } = new();

    /// <summary>Calls to the provider so far.</summary>
    public int HierarchyReads { get; private set; }

    public SiteHierarchySnapshot Read(string? siteServer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckReachable(siteServer);
        HierarchyReads++;
        return new SiteHierarchySnapshot
        {
            ProviderMachine = ComputerName,
            ProviderSiteCode = ProviderSiteCode,
            Sites = HierarchySites.ToArray(),
            UpdatePointRoles = UpdatePointRoles.ToArray(),
            UpdatePointComponents = UpdatePointComponents.ToArray(),
            SyncSources = UpdatePointSyncSources.ToArray(),
        };
    }

    public void AddSite(string siteCode, SiteType type, string serverName, string? parentSiteCode = null) =>
        HierarchySites.Add(new SiteRecord { SiteCode = siteCode, Type = (int)type, ServerName = serverName, ParentSiteCode = parentSiteCode ?? string.Empty, SiteName = siteCode + " site" });

    /// <summary>A SUP role with the embedded properties Add-CMSoftwareUpdatePoint writes.</summary>
    public void AddUpdatePointRole(string siteCode, string server, int httpPort = 8530, int httpsPort = 8531, bool ssl = false, bool internetFacing = false)
    {
        UpdatePointRoles.Add(new SiteControlItem
        {
            SiteCode = siteCode,
            NetworkOSPath = @"\\" + server,
            Properties = new Dictionary<string, EmbeddedProperty>(StringComparer.OrdinalIgnoreCase)
            {
                ["WSUSIISPort"] = new EmbeddedProperty { Value = httpPort, Value1 = string.Empty, Value2 = string.Empty },
                ["WSUSIISSSLPort"] = new EmbeddedProperty { Value = httpsPort, Value1 = string.Empty, Value2 = string.Empty },
                ["SSLWSUS"] = new EmbeddedProperty { Value = ssl ? 1 : 0 },
                ["IsINF"] = new EmbeddedProperty { Value = internetFacing ? 1 : 0 },
                ["IsIntranet"] = new EmbeddedProperty { Value = 1 },
                ["UseParentWSUS"] = new EmbeddedProperty { Value = 0 },
            },
        });
    }

    /// <summary>The site's SUP component; <paramref name="upstreamServer"/> is what ParentWSUS holds (Value2).</summary>
    public void AddUpdatePointComponent(string siteCode, string? upstreamServer = null, int upstreamPort = 8530, bool upstreamSsl = false)
    {
        UpdatePointComponents.Add(new SiteControlItem
        {
            SiteCode = siteCode,
            Properties = new Dictionary<string, EmbeddedProperty>(StringComparer.OrdinalIgnoreCase)
            {
                ["ParentWSUS"] = new EmbeddedProperty { Value = 0, Value2 = upstreamServer ?? string.Empty },
                ["ParentWSUSPort"] = new EmbeddedProperty { Value = upstreamPort },
                ["SSLToParentWSUS"] = new EmbeddedProperty { Value = upstreamSsl ? 1 : 0 },
            },
        });
    }
}
