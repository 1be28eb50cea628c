using System.Collections.Generic;
using WsusRemediation.Engine.Common;
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

        /// <summary>wsyncmgr.log / SoftwareDistribution.log files or folders.</summary>
        public static SyncStatusService Offline(IEnumerable<string> logPaths, IClock clock) =>
            new SyncStatusService(clock, evidence: new SyncLogFiles(logPaths));
    }
}
