using System;
using System.Collections.Generic;
using System.Threading;

namespace WsusRemediation.Engine.Hierarchy
{
    /// <summary>
    /// The SMS Provider's view of a MECM hierarchy, as far as software update points go: the raw
    /// site control data, read as it is (the reasoning is in <see cref="SoftwareUpdatePointDiscovery"/>).
    /// </summary>
    public interface ISiteHierarchyProvider
    {
        /// <summary>
        /// Reads the sites, the software update point roles and the software update point component
        /// of every site the SMS Provider on <paramref name="siteServer"/> (null: this computer) knows.
        /// Throws ConfigMgrProviderUnavailable or ConfigMgrAccessDenied.
        /// </summary>
        SiteHierarchySnapshot Read(string? siteServer, CancellationToken cancellationToken);
    }

    /// <summary>What the SMS Provider returned.</summary>
    public sealed class SiteHierarchySnapshot
    {
        /// <summary>The computer of the SMS Provider that answered.</summary>
        public string ProviderMachine { get; init; } = string.Empty;

        /// <summary>The site of that SMS Provider (SMS_ProviderLocation.SiteCode).</summary>
        public string ProviderSiteCode { get; init; } = string.Empty;

        /// <summary>SMS_Site instances.</summary>
        public IReadOnlyList<SiteRecord> Sites { get; init; } = Array.Empty<SiteRecord>();

        /// <summary>SMS_SCI_SysResUse instances whose RoleName is 'SMS Software Update Point'.</summary>
        public IReadOnlyList<SiteControlItem> UpdatePointRoles { get; init; } = Array.Empty<SiteControlItem>();

        /// <summary>SMS_SCI_Component instances whose ComponentName is 'SMS_WSUS_CONFIGURATION_MANAGER', one per site.</summary>
        public IReadOnlyList<SiteControlItem> UpdatePointComponents { get; init; } = Array.Empty<SiteControlItem>();

        /// <summary>SMS_SUPSyncStatus instances: the synchronization source MECM last used for each point.</summary>
        public IReadOnlyList<UpdatePointSyncSource> SyncSources { get; init; } = Array.Empty<UpdatePointSyncSource>();
    }

    /// <summary>SMS_Site: SiteCode, ReportingSiteCode, Type (1 secondary, 2 primary, 4 central administration site), ServerName, SiteName.</summary>
    public sealed class SiteRecord
    {
        /// <summary>SiteCode.</summary>
        public string SiteCode { get; init; } = string.Empty;

        /// <summary>ReportingSiteCode: the parent site; empty at the top of the hierarchy.</summary>
        public string? ParentSiteCode { get; init; }

        /// <summary>Type as the SMS Provider gives it.</summary>
        public int Type { get; init; }

        /// <summary>ServerName: the site server.</summary>
        public string ServerName { get; init; } = string.Empty;

        /// <summary>SiteName.</summary>
        public string? SiteName { get; init; }
    }

    /// <summary>A site control item (SMS_SCI_SysResUse or SMS_SCI_Component) and its embedded properties.</summary>
    public sealed class SiteControlItem
    {
        /// <summary>SiteCode.</summary>
        public string SiteCode { get; init; } = string.Empty;

        /// <summary>NetworkOSPath (\\server) of a role; empty for a component.</summary>
        public string? NetworkOSPath { get; init; }

        /// <summary>Props, by PropertyName (case-insensitive).</summary>
        public IReadOnlyDictionary<string, EmbeddedProperty> Properties { get; init; } = new Dictionary<string, EmbeddedProperty>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>SMS_EmbeddedProperty: a number (Value) and two strings (Value1, Value2).</summary>
    public sealed class EmbeddedProperty
    {
        /// <summary>Value.</summary>
        public long Value { get; init; }

        /// <summary>Value1.</summary>
        public string? Value1 { get; init; }

        /// <summary>Value2.</summary>
        public string? Value2 { get; init; }
    }

    /// <summary>SMS_SUPSyncStatus: which server a software update point last synchronized from.</summary>
    public sealed class UpdatePointSyncSource
    {
        /// <summary>SiteCode.</summary>
        public string? SiteCode { get; init; }

        /// <summary>WSUSServerName.</summary>
        public string WsusServerName { get; init; } = string.Empty;

        /// <summary>WSUSSourceServer.</summary>
        public string? WsusSourceServer { get; init; }
    }
}
