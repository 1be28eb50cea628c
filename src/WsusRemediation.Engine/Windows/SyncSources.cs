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
        /// <summary>The WSUS API, the SMS Provider and the inbox file of a live server. Off Windows: LiveAccessRequiresWindows naming -LogPath.</summary>
        public static SyncStatusService Live(string? computerName, IClock clock)
        {
            WindowsPlatform.RequireWindows("Reading or starting a live synchronization", "-LogPath");
            return new SyncStatusService(clock, new WsusApiAdapter(computerName), new ConfigMgrProviderAdapter(computerName), null, new SyncInboxFileTrigger(computerName));
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
