using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// The synchronization status of one WSUS/MECM server, merged from whatever sources were read.
    /// Its ComputerName and Source bind by property name to Invoke-WsusSync.
    /// </summary>
    public sealed class WsusSyncStatus
    {
        /// <summary>The server; empty for logs that do not name it.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>The source the status mainly comes from (ConfigMgr when MECM contributed).</summary>
        public SyncSource Source { get; init; }

        /// <summary>Every source that contributed, e.g. ConfigMgr and Wsus.</summary>
        public IReadOnlyList<SyncSource> Sources { get; init; } = Array.Empty<SyncSource>();

        /// <summary>Idle or Running.</summary>
        public SyncState State { get; init; }

        /// <summary>While running: what it is doing (e.g. "Synchronizing WSUS server", "Updates", "Synchronizing site database").</summary>
        public string? Phase { get; init; }

        /// <summary>While running: the share of items processed, 0 to 100, when known.</summary>
        public int? ProgressPercent { get; init; }

        /// <summary>While running: items processed so far, when known.</summary>
        public long? ProcessedItems { get; init; }

        /// <summary>While running: items to process, when known.</summary>
        public long? TotalItems { get; init; }

        /// <summary>How the last finished synchronization ended.</summary>
        public SyncResult LastResult { get; init; }

        /// <summary>When the last (or current) synchronization started, UTC.</summary>
        public DateTime? LastStartTime { get; init; }

        /// <summary>When the last synchronization ended, UTC.</summary>
        public DateTime? LastEndTime { get; init; }

        /// <summary>The last error's name or code.</summary>
        public string? LastError { get; init; }

        /// <summary>The last error's text.</summary>
        public string? ErrorText { get; init; }

        /// <summary>When a synchronization last succeeded, UTC.</summary>
        public DateTime? LastSuccessTime { get; init; }

        /// <summary>Recent synchronizations, newest first.</summary>
        public IReadOnlyList<SyncHistoryEntry> History { get; init; } = Array.Empty<SyncHistoryEntry>();

        /// <summary>How many of the latest synchronizations in a row ended Cancelled or Failed.</summary>
        public int CancelledOrFailedStreak { get; init; }

        /// <summary>MECM's number of software updates ("All Software Updates"); empty when MECM was not read.</summary>
        public int? ConfigMgrUpdateCount { get; init; }

        /// <summary>MECM's SMS_SUPSyncStatus.LastSyncState (6701–6708); empty when MECM was not read.</summary>
        public int? ConfigMgrSyncState { get; init; }

        /// <summary>MECM's site code, when MECM was read.</summary>
        public string? SiteCode { get; init; }

        /// <summary>MECM's SyncCatalogVersion, when MECM was read.</summary>
        public long? SyncCatalogVersion { get; init; }

        /// <summary>The verdict.</summary>
        public SyncHealth Health { get; init; }

        /// <summary>Why, in one sentence.</summary>
        public string HealthReason { get; init; } = string.Empty;

        /// <summary>The log files read, for a status from logs.</summary>
        public IReadOnlyList<string> LogFiles { get; init; } = Array.Empty<string>();

        /// <summary>When the status was read, UTC.</summary>
        public DateTime CollectedAt { get; init; }

        /// <summary>True while a synchronization runs.</summary>
        public bool IsRunning => State == SyncState.Running;
    }
}
