using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Hierarchy
{
    /// <summary>
    /// Turns the SMS Provider's site control data into one <see cref="SoftwareUpdatePoint"/> per role.
    ///
    /// Sources of the names used (SMS Provider classes, read by <c>Windows/SiteHierarchyAdapter</c>):
    /// - SMS_SCI_SysResUse (MECM SDK, "SMS_SCI_SysResUse Server WMI Class"): SiteCode, RoleName,
    ///   NetworkOSPath, Props (SMS_EmbeddedProperty: PropertyName, Value, Value1, Value2). For the role
    ///   'SMS Software Update Point' the Props WSUSIISPort, WSUSIISSSLPort, SSLWSUS, IsINF and
    ///   UseParentWSUS are the ones Add-CMSoftwareUpdatePoint sets and Get-CMSoftwareUpdatePoint returns
    ///   (seen in public scripts that create and read the role: ConfigMgrCBDsc's CMSoftwareUpdatePoint,
    ///   David O'Brien's New-SUP.ps1).
    /// - SMS_SCI_Component where ComponentName = 'SMS_WSUS_CONFIGURATION_MANAGER' (what
    ///   Get-CMSoftwareUpdatePointComponent returns): Props ParentWSUS (Value2 = the upstream server),
    ///   ParentWSUSPort, SSLToParentWSUS (seen in the public Invoke-OfflineSUPSync script).
    /// - SMS_Site (MECM SDK): SiteCode, ReportingSiteCode, Type (1 secondary, 2 primary, 4 CAS).
    /// - SMS_SUPSyncStatus: WSUSServerName and WSUSSourceServer, the source MECM last synchronized from.
    /// Inferred, not documented: the text of WSUSSourceServer for a point that syncs from Microsoft
    /// Update (taken as any text naming Microsoft Update), and that a child site's point syncs from its
    /// parent site's point when the component names no upstream server.
    /// </summary>
    public static class SoftwareUpdatePointDiscovery
    {
        /// <summary>Default WSUS ports when the role does not say (WSUS on Windows Server 2012 and later).</summary>
        public const int DefaultHttpPort = 8530;

        /// <summary>See <see cref="DefaultHttpPort"/>.</summary>
        public const int DefaultHttpsPort = 8531;

        /// <summary>The software update points of the hierarchy, or of one site; top of the hierarchy first.</summary>
        public static IReadOnlyList<SoftwareUpdatePoint> Discover(SiteHierarchySnapshot snapshot, string? siteCode)
        {
            if (snapshot is null)
            {
                throw new ArgumentNullException(nameof(snapshot));
            }

            if (!string.IsNullOrEmpty(siteCode) && !snapshot.Sites.Any(s => SameCode(s.SiteCode, siteCode)))
            {
                var known = string.Join(", ", snapshot.Sites.Select(s => s.SiteCode).OrderBy(c => c, StringComparer.OrdinalIgnoreCase));
                throw new WsusRemediationException(
                    "SiteNotFound",
                    EngineErrorKind.ObjectNotFound,
                    $"The SMS Provider on '{snapshot.ProviderMachine}' knows no site '{siteCode}'. Sites: {(known.Length == 0 ? "(none)" : known)}.",
                    siteCode);
            }

            var points = snapshot.UpdatePointRoles
                .Where(r => string.IsNullOrEmpty(siteCode) || SameCode(r.SiteCode, siteCode))
                .Select(role => Describe(role, snapshot))
                .Where(p => p.ComputerName.Length > 0)
                .ToList();

            return points
                .OrderBy(p => Depth(p.SiteCode, snapshot))
                .ThenBy(p => p.SiteCode, StringComparer.OrdinalIgnoreCase)
                .ThenBy(p => p.ComputerName, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }

        /// <summary>The server of a role: NetworkOSPath is '\\server' (sometimes with a trailing '\').</summary>
        public static string ServerOf(string? networkOSPath) => (networkOSPath ?? string.Empty).Trim().Trim('\\').Split('\\')[0];

        private static SoftwareUpdatePoint Describe(SiteControlItem role, SiteHierarchySnapshot snapshot)
        {
            var computer = ServerOf(role.NetworkOSPath);
            var site = snapshot.Sites.FirstOrDefault(s => SameCode(s.SiteCode, role.SiteCode));
            var httpPort = Port(role, "WSUSIISPort", DefaultHttpPort);
            var httpsPort = Port(role, "WSUSIISSSLPort", DefaultHttpsPort);
            var useSsl = Flag(role, "SSLWSUS");
            var (source, upstream) = SourceOf(computer, role, site, snapshot);
            return new SoftwareUpdatePoint
            {
                ComputerName = computer,
                SiteCode = role.SiteCode.ToUpperInvariant(),
                SiteType = site is null ? SiteType.Unknown : TypeOf(site.Type),
                ParentSiteCode = string.IsNullOrEmpty(site?.ParentSiteCode) ? null : site!.ParentSiteCode!.ToUpperInvariant(),
                WsusHttpPort = httpPort,
                WsusHttpsPort = httpsPort,
                UseSsl = useSsl,
                WsusPort = useSsl ? httpsPort : httpPort,
                SyncSource = source,
                UpstreamServer = upstream,
                InternetFacing = Flag(role, "IsINF"),
                SmsProvider = snapshot.ProviderMachine,
            };
        }

        private static (UpdateSource Source, string? Upstream) SourceOf(string computer, SiteControlItem role, SiteRecord? site, SiteHierarchySnapshot snapshot)
        {
            // What MECM itself last synchronized from wins over what the settings suggest.
            var observed = snapshot.SyncSources.FirstOrDefault(s => SameServer(s.WsusServerName, computer) && !string.IsNullOrWhiteSpace(s.WsusSourceServer));
            if (observed is not null)
            {
                var text = observed.WsusSourceServer!.Trim();
                return NamesMicrosoftUpdate(text) ? (UpdateSource.MicrosoftUpdate, null) : (UpdateSource.UpstreamServer, UpstreamName(text));
            }

            var component = snapshot.UpdatePointComponents.FirstOrDefault(c => SameCode(c.SiteCode, role.SiteCode));
            if (component is not null && component.Properties.TryGetValue("ParentWSUS", out var parentWsus) && !string.IsNullOrWhiteSpace(parentWsus.Value2))
            {
                return (UpdateSource.UpstreamServer, parentWsus.Value2!.Trim());
            }

            if (site is not null && !string.IsNullOrEmpty(site.ParentSiteCode))
            {
                var parentPoint = snapshot.UpdatePointRoles
                    .Where(r => SameCode(r.SiteCode, site.ParentSiteCode!))
                    .Select(r => ServerOf(r.NetworkOSPath))
                    .Where(s => s.Length > 0)
                    .OrderBy(s => s, StringComparer.OrdinalIgnoreCase)
                    .FirstOrDefault();
                return (UpdateSource.UpstreamServer, parentPoint);
            }

            return site is null ? (UpdateSource.Unknown, null) : (UpdateSource.MicrosoftUpdate, null);
        }

        private static bool NamesMicrosoftUpdate(string text) =>
            text.IndexOf("Microsoft Update", StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf("update.microsoft.com", StringComparison.OrdinalIgnoreCase) >= 0;

        // A source may be given as a URL (https://wsus01.contoso.com:8531); the server is its host.
        private static string UpstreamName(string text) =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) ? uri.Host : text;

        private static int Port(SiteControlItem role, string name, int fallback) =>
            role.Properties.TryGetValue(name, out var property) && property.Value > 0 && property.Value <= 65535 ? (int)property.Value : fallback;

        private static bool Flag(SiteControlItem role, string name) => role.Properties.TryGetValue(name, out var property) && property.Value == 1;

        private static SiteType TypeOf(int type) => Enum.IsDefined(typeof(SiteType), type) ? (SiteType)type : SiteType.Unknown;

        private static int Depth(string siteCode, SiteHierarchySnapshot snapshot)
        {
            var depth = 0;
            var current = snapshot.Sites.FirstOrDefault(s => SameCode(s.SiteCode, siteCode));
            while (current is not null && !string.IsNullOrEmpty(current.ParentSiteCode) && depth < snapshot.Sites.Count)
            {
                depth++;
                current = snapshot.Sites.FirstOrDefault(s => SameCode(s.SiteCode, current.ParentSiteCode!));
            }

            return depth;
        }

        private static bool SameCode(string? a, string? b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

        // WSUSServerName may be the FQDN where NetworkOSPath holds the short name, or the other way round.
        private static bool SameServer(string? a, string? b)
        {
            if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b))
            {
                return false;
            }

            if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            var shortA = a!.Split('.')[0];
            var shortB = b!.Split('.')[0];
            return (a.IndexOf('.') < 0 || b.IndexOf('.') < 0) && string.Equals(shortA, shortB, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>For messages: "3 software update points in sites CAS, P01, P02".</summary>
        public static string Summarize(IReadOnlyList<SoftwareUpdatePoint> points) =>
            string.Format(CultureInfo.InvariantCulture, "{0} software update point(s) in site(s) {1}", points.Count, string.Join(", ", points.Select(p => p.SiteCode).Distinct(StringComparer.OrdinalIgnoreCase)));
    }
}
