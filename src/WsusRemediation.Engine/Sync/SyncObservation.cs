using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>What one source says, in the model's terms, before the sources are merged.</summary>
    internal sealed class SyncObservation
    {
        public SyncSource Source { get; init; }

        public string? ComputerName { get; init; }

        public SyncState State { get; init; }

        public string? Phase { get; init; }

        public long? ProcessedItems { get; init; }

        public long? TotalItems { get; init; }

        public int? ProgressPercent { get; init; }

        public SyncResult LastResult { get; init; }

        public DateTime? LastStartTime { get; init; }

        public DateTime? LastSuccessTime { get; init; }

        /// <summary>Finished synchronizations, newest first.</summary>
        public IReadOnlyList<SyncHistoryEntry> History { get; init; } = Array.Empty<SyncHistoryEntry>();

        public int? UpdateCount { get; init; }

        public int? ConfigMgrSyncState { get; init; }

        public string? SiteCode { get; init; }

        public long? SyncCatalogVersion { get; init; }
    }
}
