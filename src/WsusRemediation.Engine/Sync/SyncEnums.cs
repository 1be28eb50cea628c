namespace WsusRemediation.Engine.Sync
{
    /// <summary>Where a synchronization status comes from, or (for the cmdlets) where to get it.</summary>
    public enum SyncSource
    {
        /// <summary>Pick what the computer has: MECM's SMS Provider and the WSUS API, merged.</summary>
        Auto,
        /// <summary>The WSUS administration API (Microsoft.UpdateServices.Administration).</summary>
        Wsus,
        /// <summary>The MECM SMS Provider (SMS_SUPSyncStatus, SMS_SoftwareUpdate).</summary>
        ConfigMgr,
        /// <summary>Collected logs: wsyncmgr.log and SoftwareDistribution.log.</summary>
        Log,
    }

    /// <summary>Whether a synchronization is running.</summary>
    public enum SyncState
    {
        /// <summary>No synchronization is running (WSUS NotProcessing; MECM done or failed).</summary>
        Idle,
        /// <summary>A synchronization is running (or stopping); see Phase and the item counts.</summary>
        Running,
    }

    /// <summary>How a synchronization ended.</summary>
    public enum SyncResult
    {
        /// <summary>Not known (WSUS Unknown, MECM states that say nothing about the result).</summary>
        Unknown,
        /// <summary>No synchronization has ever run.</summary>
        NeverRun,
        /// <summary>It ended successfully.</summary>
        Succeeded,
        /// <summary>It ended with an error.</summary>
        Failed,
        /// <summary>It was cancelled (WSUS <c>Canceled</c>, for instance when WsusPool stopped under it).</summary>
        Cancelled,
    }

    /// <summary>The verdict on synchronization health.</summary>
    public enum SyncHealth
    {
        /// <summary>Syncs succeed and MECM has updates.</summary>
        Healthy,
        /// <summary>Something to watch: a recent failure, an old last success, a state MECM flags.</summary>
        Warning,
        /// <summary>The documented symptom: repeated cancelled/failed syncs, or MECM with no updates.</summary>
        Unhealthy,
    }
}
