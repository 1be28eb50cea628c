using System;
using System.Collections.Generic;
using System.Threading;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>The MECM SMS Provider, as far as software update synchronization goes.</summary>
    public interface IConfigMgrSyncProvider
    {
        /// <summary>
        /// Finds the site (SMS_ProviderLocation, ProviderForLocalSite), reads SMS_SUPSyncStatus and, with
        /// <paramref name="countUpdates"/>, counts SMS_SoftwareUpdate (slow on large sites: polling skips it).
        /// </summary>
        ConfigMgrSyncSnapshot Read(bool countUpdates, CancellationToken cancellationToken);

        /// <summary>Calls the static SMS_SoftwareUpdate.SyncNow(fullSync). Throws ConfigMgrProviderUnavailable when the provider cannot be reached.</summary>
        void SyncNow(bool fullSync, CancellationToken cancellationToken);
    }

    /// <summary>What the SMS Provider says.</summary>
    public sealed class ConfigMgrSyncSnapshot
    {
        /// <summary>The site code.</summary>
        public string SiteCode { get; init; } = string.Empty;

        /// <summary>The SMS Provider's computer.</summary>
        public string ProviderMachine { get; init; } = string.Empty;

        /// <summary>One SMS_SUPSyncStatus instance per software update point.</summary>
        public IReadOnlyList<SupSyncStatus> UpdatePoints { get; init; } = Array.Empty<SupSyncStatus>();

        /// <summary>The number of SMS_SoftwareUpdate instances; empty when not counted.</summary>
        public int? UpdateCount { get; init; }

        /// <summary>Why the updates were not counted although asked (the count took too long or failed); empty otherwise.</summary>
        public string? UpdateCountError { get; init; }
    }

    /// <summary>SMS_SUPSyncStatus.</summary>
    public sealed class SupSyncStatus
    {
        /// <summary>SiteCode: the site the update point belongs to.</summary>
        public string? SiteCode { get; init; }

        /// <summary>WSUSServerName.</summary>
        public string WsusServerName { get; init; } = string.Empty;

        /// <summary>WSUSSourceServer (empty or Microsoft Update for the top-level point).</summary>
        public string? WsusSourceServer { get; init; }

        /// <summary>LastSyncState (6701–6708).</summary>
        public int LastSyncState { get; init; }

        /// <summary>LastSyncStateTime, UTC.</summary>
        public DateTime? LastSyncStateTime { get; init; }

        /// <summary>LastSyncErrorCode (0 when none).</summary>
        public long LastSyncErrorCode { get; init; }

        /// <summary>LastSuccessfulSyncTime, UTC.</summary>
        public DateTime? LastSuccessfulSyncTime { get; init; }

        /// <summary>SyncCatalogVersion.</summary>
        public long SyncCatalogVersion { get; init; }
    }
}
