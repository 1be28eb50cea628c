using System;
using System.Collections.Generic;
using System.IO;
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
            return new SyncStatusService(clock, wsus, new ConfigMgrProviderAdapter(computerName), null, new SyncInboxFileTrigger(computerName))
            {
                ServerName = Services.ServiceErrors.IsLocal(computerName) ? Environment.MachineName : null,
            };
        }

        /// <summary>
        /// This computer's own wsyncmgr.log and SoftwareDistribution.log, where MECM and WSUS keep them
        /// (read in place: useful when the SMS Provider or the WSUS API do not answer). Off Windows:
        /// LiveAccessRequiresWindows naming -LogPath; none found: SyncLogNotFound.
        /// </summary>
        public static SyncStatusService LocalLogs(IClock clock)
        {
            WindowsPlatform.RequireWindows("Finding this computer's logs", "-LogPath");
            var files = new List<string>();
            Exception? unreadable = null;
            foreach (var location in DefaultLogLocations.Resolve(WindowsRegistry.ReadLocalMachineString, Environment.GetEnvironmentVariable))
            {
                try
                {
                    files.AddRange(location.FindFiles().Where(SyncLogFiles.IsSyncLogName));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
                {
                    // HTTPERR is open to administrators only and holds no sync log; the other folders still count.
                    if (!location.Patterns.Any(SyncLogFiles.IsSyncLogName))
                    {
                        continue;
                    }

                    unreadable ??= new WsusRemediationException("LogFolderUnreadable", EngineErrorKind.PermissionDenied, $"{location.Description}: cannot list '{location.Folder}': {ex.Message}", location.Folder, ex)
                    {
                        RecommendedAction = "Run PowerShell as administrator, or copy the logs and use -LogPath.",
                    };
                }
            }

            if (files.Count == 0 && unreadable is not null)
            {
                throw unreadable;
            }

            return new SyncStatusService(clock, evidence: new SyncLogFiles(files)) { ServerName = Environment.MachineName };
        }

        /// <summary>wsyncmgr.log / SoftwareDistribution.log files or folders.</summary>
        public static SyncStatusService Offline(IEnumerable<string> logPaths, IClock clock) =>
            new SyncStatusService(clock, evidence: new SyncLogFiles(logPaths)) { JudgeAtNewestEntry = true };
    }
}
