using System;
using System.Collections.Generic;
using System.Linq;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// Where a site sits in an MECM hierarchy, as far as its SMS_SUPSyncStatus rows tell. New updates come
    /// from Microsoft only through the top-level site's update point (the CAS, or a standalone primary); a
    /// child primary's update point synchronizes from its parent's (its WSUSSourceServer), after the parent's
    /// synchronization. What SyncNow (or a SELF.SYN drop, which Microsoft describes for the CAS or a standalone
    /// primary) does at a child site is not documented; the caller is told which site is the top.
    /// </summary>
    public static class SiteHierarchy
    {
        /// <summary>
        /// The site code of the top-level site when <paramref name="snapshot"/> is a child site: every update
        /// point of the local site synchronizes from an update point of another site listed in the rows; null
        /// otherwise (a standalone primary, a top-level site, or rows that do not tell).
        /// </summary>
        public static string? TopLevelSiteOfChild(ConfigMgrSyncSnapshot snapshot)
        {
            if (snapshot is null)
            {
                throw new ArgumentNullException(nameof(snapshot));
            }

            var points = snapshot.UpdatePoints;
            var local = points.Where(p => SameSite(p.SiteCode, snapshot.SiteCode)).ToList();
            if (local.Count == 0 || string.IsNullOrEmpty(snapshot.SiteCode))
            {
                return null;
            }

            // The top of each local point's chain of sources. A chain that ends at a local point (the site's own
            // top-level point; a second SUP of the site fed by the first) means this site talks to Microsoft itself.
            var tops = local.Select(p => Top(points, p)).ToList();
            if (tops.Any(top => SameSite(top.SiteCode, snapshot.SiteCode)))
            {
                return null;
            }

            var site = tops[0].SiteCode;
            return string.IsNullOrEmpty(site) ? null : site;
        }

        private static SupSyncStatus Top(IReadOnlyList<SupSyncStatus> points, SupSyncStatus point)
        {
            var current = point;
            for (var hops = 0; hops < points.Count && Source(points, current) is { } next; hops++)
            {
                current = next;
            }

            return current;
        }

        // The listed update point a point synchronizes from, by full or short name; null when it synchronizes
        // from outside the list (Microsoft Update, or an upstream WSUS server outside MECM).
        private static SupSyncStatus? Source(IReadOnlyList<SupSyncStatus> points, SupSyncStatus point)
        {
            var source = point.WsusSourceServer?.Trim();
            if (string.IsNullOrEmpty(source))
            {
                return null;
            }

            return points.FirstOrDefault(p => !ReferenceEquals(p, point) && SameServer(p.WsusServerName, source!));
        }

        private static bool SameServer(string a, string b) =>
            string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
            || (a.IndexOf('.') < 0 || b.IndexOf('.') < 0) && string.Equals(a.Split('.')[0], b.Split('.')[0], StringComparison.OrdinalIgnoreCase);

        private static bool SameSite(string? a, string? b) => string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }
}
