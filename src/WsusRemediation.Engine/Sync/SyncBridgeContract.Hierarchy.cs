using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Hierarchy;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// The <c>SiteHierarchy</c> document of the bridge contract (see <see cref="SyncBridgeContract"/>):
    /// providerMachine, siteCode, sites (siteCode, parentSiteCode, type, serverName, siteName),
    /// supRoles and supComponents (siteCode, networkOSPath, props: name, value, value1, value2) and
    /// syncSources (siteCode, wsusServerName, wsusSourceServer). Errors use the ConfigMgr stages.
    /// </summary>
    public static partial class SyncBridgeContract
    {
        /// <summary>Parses a SiteHierarchy document; an Error document becomes ConfigMgrProviderUnavailable or ConfigMgrAccessDenied.</summary>
        public static SiteHierarchySnapshot ParseSiteHierarchy(string json, string computerName)
        {
            var root = Open(json, "SiteHierarchy", computerName, ConfigMgrError);
            return new SiteHierarchySnapshot
            {
                ProviderMachine = Str(root, "providerMachine") ?? computerName,
                ProviderSiteCode = Str(root, "siteCode") ?? string.Empty,
                Sites = Items(root, "sites").Select(s => new SiteRecord
                {
                    SiteCode = Str(s, "siteCode") ?? string.Empty,
                    ParentSiteCode = Str(s, "parentSiteCode"),
                    Type = (int)(Long(s, "type") ?? 0),
                    ServerName = Str(s, "serverName") ?? string.Empty,
                    SiteName = Str(s, "siteName"),
                }).ToList(),
                UpdatePointRoles = Items(root, "supRoles").Select(ControlItem).ToList(),
                UpdatePointComponents = Items(root, "supComponents").Select(ControlItem).ToList(),
                SyncSources = Items(root, "syncSources").Select(s => new UpdatePointSyncSource
                {
                    SiteCode = Str(s, "siteCode"),
                    WsusServerName = Str(s, "wsusServerName") ?? string.Empty,
                    WsusSourceServer = Str(s, "wsusSourceServer"),
                }).ToList(),
            };
        }

        private static SiteControlItem ControlItem(Dictionary<string, object?> item)
        {
            var properties = new Dictionary<string, EmbeddedProperty>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in Items(item, "props"))
            {
                var name = Str(property, "name");
                if (!string.IsNullOrEmpty(name))
                {
                    properties[name!] = new EmbeddedProperty { Value = Long(property, "value") ?? 0, Value1 = Str(property, "value1"), Value2 = Str(property, "value2") };
                }
            }

            return new SiteControlItem { SiteCode = Str(item, "siteCode") ?? string.Empty, NetworkOSPath = Str(item, "networkOSPath"), Properties = properties };
        }
    }
}
