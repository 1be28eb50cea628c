using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>Wires the sync service to the real adapters (live) or to collected logs (offline, any OS).</summary>
    public static class SyncSources
    {
        /// <summary>
        /// The WSUS API, the SMS Provider and the inbox file of a live server. A remote WSUS is reached on
        /// <paramref name="wsusPort"/> (default 8530, or 8531 with SSL). Off Windows: LiveAccessRequiresWindows naming -LogPath.
        /// </summary>
        public static SyncStatusService Live(string? computerName, IClock clock, int? wsusPort = null, bool useSsl = false)
        {
            WindowsPlatform.RequireWindows("Reading or starting a live synchronization", "-LogPath");
            var wsus = new WsusApiAdapter(computerName, port: wsusPort ?? (useSsl ? 8531 : 8530), useSsl: useSsl);
            return new SyncStatusService(clock, wsus, new ConfigMgrProviderAdapter(computerName), null, new SyncInboxFileTrigger(computerName));
        }

        /// <summary>
        /// This computer's own wsyncmgr.log and SoftwareDistribution.log, where MECM and WSUS keep them
        /// (read in place: useful when the SMS Provider or the WSUS API do not answer). Off Windows:
        /// LiveAccessRequiresWindows naming -LogPath; none found: SyncLogNotFound.
        /// </summary>
        public static SyncStatusService LocalLogs(IClock clock)
        {
            WindowsPlatform.RequireWindows("Finding this computer's logs", "-LogPath");
            var files = DefaultLogLocations.Resolve(WindowsRegistry.ReadLocalMachineString, Environment.GetEnvironmentVariable)
                .SelectMany(l => l.FindFiles())
                .Where(SyncLogFiles.IsSyncLogName)
                .ToList();
            return new SyncStatusService(clock, evidence: new SyncLogFiles(files));
        }

        /// <summary>wsyncmgr.log / SoftwareDistribution.log files or folders.</summary>
        public static SyncStatusService Offline(IEnumerable<string> logPaths, IClock clock) =>
            new SyncStatusService(clock, evidence: new SyncLogFiles(logPaths));
    }
}
