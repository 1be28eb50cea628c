namespace WsusRemediation.Engine.Hierarchy
{
    /// <summary>The kind of MECM site.</summary>
    public enum SiteType
    {
        /// <summary>SMS_Site.Type is not one of the documented values.</summary>
        Unknown = 0,

        /// <summary>A secondary site (SMS_Site.Type 1).</summary>
        Secondary = 1,

        /// <summary>A primary site (SMS_Site.Type 2).</summary>
        Primary = 2,

        /// <summary>The central administration site (SMS_Site.Type 4).</summary>
        CentralAdministrationSite = 4,
    }

    /// <summary>Where a software update point gets its updates from.</summary>
    public enum UpdateSource
    {
        /// <summary>Neither MECM's sync status nor the site's settings say.</summary>
        Unknown,

        /// <summary>Microsoft Update: the top of the hierarchy, not configured with an upstream server.</summary>
        MicrosoftUpdate,

        /// <summary>Another WSUS server: the parent site's software update point, or a configured upstream source.</summary>
        UpstreamServer,
    }

    /// <summary>
    /// One software update point of a MECM hierarchy. <see cref="ComputerName"/>, <see cref="WsusPort"/>
    /// and <see cref="UseSsl"/> bind by property name to Get-WsusSyncStatus, Get-WsusServiceStatus
    /// and Get-WsusPoolTuning (ComputerName), so a pipeline goes from the hierarchy to each server.
    /// </summary>
    public sealed class SoftwareUpdatePoint
    {
        /// <summary>The server that holds the role (and runs WSUS).</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>The site the role belongs to.</summary>
        public string SiteCode { get; init; } = string.Empty;

        /// <summary>Central administration site, primary or secondary.</summary>
        public SiteType SiteType { get; init; }

        /// <summary>The parent site; empty at the top of the hierarchy.</summary>
        public string? ParentSiteCode { get; init; }

        /// <summary>The port clients and MECM use for WSUS: the HTTPS port when <see cref="UseSsl"/>, else the HTTP port.</summary>
        public int WsusPort { get; init; }

        /// <summary>True when the point requires SSL (SSLWSUS).</summary>
        public bool UseSsl { get; init; }

        /// <summary>WSUS's HTTP port (WSUSIISPort).</summary>
        public int WsusHttpPort { get; init; }

        /// <summary>WSUS's HTTPS port (WSUSIISSSLPort).</summary>
        public int WsusHttpsPort { get; init; }

        /// <summary>Microsoft Update or an upstream server.</summary>
        public UpdateSource SyncSource { get; init; }

        /// <summary>The upstream WSUS server when <see cref="SyncSource"/> is UpstreamServer.</summary>
        public string? UpstreamServer { get; init; }

        /// <summary>True when the role serves internet-based clients (IsINF).</summary>
        public bool InternetFacing { get; init; }

        /// <summary>The SMS Provider computer the hierarchy was read from.</summary>
        public string SmsProvider { get; init; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => ComputerName;
    }
}
