using System;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>How a synchronization was requested.</summary>
    public enum SyncTriggerMethod
    {
        /// <summary>WSUS API ISubscription.StartSynchronization().</summary>
        StartSynchronization,
        /// <summary>MECM SMS_SoftwareUpdate.SyncNow(fullSync).</summary>
        SyncNow,
        /// <summary>A SELF.SYN/FULL.SYN file dropped into WSyncMgr.box.</summary>
        InboxFile,
    }

    /// <summary>A synchronization request that was made.</summary>
    public sealed class SyncTriggerResult
    {
        /// <summary>The server.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>Wsus or ConfigMgr.</summary>
        public SyncSource Source { get; init; }

        /// <summary>How it was requested.</summary>
        public SyncTriggerMethod Method { get; init; }

        /// <summary>True for a full synchronization.</summary>
        public bool FullSync { get; init; }

        /// <summary>When it was requested, UTC.</summary>
        public DateTime RequestedAt { get; init; }

        /// <summary>
        /// When the last synchronization known before the request ended, UTC: a later end is the requested
        /// one. Empty when the status could not be read first.
        /// </summary>
        public DateTime? PreviousEndTime { get; init; }

        /// <summary>
        /// True when WSUS refused the request because a synchronization had started meanwhile (between the
        /// check that found it idle and the request): that synchronization is the one to follow.
        /// </summary>
        public bool JoinedRunning { get; init; }

        /// <summary>
        /// Set when SyncNow went to a child site: the top-level site whose update point brings new updates from
        /// Microsoft. A child's synchronization copies only what its parent already has.
        /// </summary>
        public string? TopLevelSiteCode { get; init; }

        /// <summary>For <see cref="SyncTriggerMethod.InboxFile"/>: the file written.</summary>
        public string? InboxFile { get; init; }
    }
}
