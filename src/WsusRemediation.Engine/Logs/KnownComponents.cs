using System;
using System.Collections.Generic;
using System.Linq;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// The component names the readers give entries, for Get-WsusSyncLog -Component's tab completion: the MECM
    /// WSUS components of wsyncmgr.log, WCM.log and WSUSCtrl.log, SoftwareDistribution.log's WsusService, the HTTPERR
    /// queue (WsusPool) and HTTP.sys, the worker process, the providers of the known events, and the repair's own log.
    /// </summary>
    public static class KnownComponents
    {
        private static readonly string[] Fixed =
        {
            "SMS_WSUS_SYNC_MANAGER",
            "SMS_WSUS_CONFIGURATION_MANAGER",
            "SMS_WSUS_CONTROL_MANAGER",
            "WsusService",
            "WsusPool",
            "HTTP.sys",
            "w3wp",
            Repair.CmTraceLog.DefaultComponent,
        };

        /// <summary>Every known name once, the MECM components first, then the rest by name.</summary>
        public static IReadOnlyList<string> All { get; } = Fixed
            .Concat(EvidenceCatalog.KnownEvents.Select(e => e.Provider).OrderBy(p => p, StringComparer.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        /// <summary>The known names that start with <paramref name="prefix"/> (case-insensitive; a trailing * is allowed).</summary>
        public static IEnumerable<string> StartingWith(string? prefix)
        {
            var start = (prefix ?? string.Empty).Trim('\'', '"').TrimEnd('*');
            return All.Where(n => n.StartsWith(start, StringComparison.OrdinalIgnoreCase));
        }
    }
}
