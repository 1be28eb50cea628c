namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// What a log line or event means. A stable API: the sync-status and diagnosis code match on these
    /// names, so members are only ever added, never renamed or renumbered. Each member's source is in
    /// <see cref="EvidenceCatalog.Signatures"/>.
    /// </summary>
    public enum EvidenceKind
    {
        /// <summary>Not a recognised signature.</summary>
        None = 0,

        // --- Synchronization lifecycle (wsyncmgr.log, SoftwareDistribution.log) ---

        /// <summary>A sync was asked for: schedule wake-up, inbox drop, local request file, manual start.</summary>
        SyncRequested = 100,

        /// <summary>A sync started (wsyncmgr <c>Starting Sync</c>; WSUS EventId 381/382).</summary>
        SyncStarted = 101,

        /// <summary>A sync phase or progress line (<c>sync: WSUS synchronizing updates, processed N out of M items</c>).</summary>
        SyncProgress = 102,

        /// <summary>A sync succeeded (wsyncmgr <c>Sync succeeded</c>; WSUS EventId 384).</summary>
        SyncSucceeded = 103,

        /// <summary>A sync failed (wsyncmgr <c>Sync failed</c>; WSUS EventId 386, inferred). See <see cref="LogEntry.Cause"/>.</summary>
        SyncFailed = 104,

        /// <summary>A sync was cancelled (WSUS EventId 387, inferred; no verbatim wsyncmgr line is known).</summary>
        SyncCancelled = 105,

        /// <summary>wsyncmgr <c>Sync time: 0d00h03m53s</c>; see <see cref="EvidenceCatalog.TryParseSyncTime"/>.</summary>
        SyncTime = 106,

        /// <summary>wsyncmgr <c>Sync failed. Will retry in 60 minutes</c>.</summary>
        SyncRetryScheduled = 107,

        /// <summary>An SMS_WSUS_SYNC_MANAGER status message line (<c>STATMSG: ID=67xx</c>); see <see cref="EvidenceCatalog.TryGetStatusMessageId"/>.</summary>
        SyncStatusMessage = 108,

        /// <summary>WSUS EventId 361: content synchronization started.</summary>
        ContentSyncStarted = 109,

        // --- WSUS configuration and API (WCM.log, wsyncmgr.log) ---

        /// <summary>WCM configured WSUS (<c>Configuration successful</c>, state 2 WSUS_CONFIG_SUCCESS).</summary>
        WcmConfigured = 200,

        /// <summary>WCM could not reach or configure WSUS (HTTP 401/403/407/500/502, refused, transport closed).</summary>
        WcmConfigFailure = 201,

        /// <summary>The WSUS API answered HTTP 503 Service Unavailable (WsusPool stopped or overloaded).</summary>
        WsusApi503 = 202,

        /// <summary>wsyncmgr <c>Sync failed: WSUS server not configured</c>.</summary>
        WsusNotConfigured = 203,

        /// <summary>A call timed out (<c>The operation has timed out</c>).</summary>
        OperationTimedOut = 204,

        /// <summary>SUSDB could not be reached (<c>Could not connect to SUSDB</c>).</summary>
        SusdbUnreachable = 205,

        /// <summary>Content clean-up could not delete a folder (<c>Failed to delete orphaned content folder</c>).</summary>
        ContentCleanupFailed = 206,

        // --- Upstream, network and TLS ---

        /// <summary>TLS could not be negotiated (no common algorithm, connection forcibly closed, SSL/TLS trust failure).</summary>
        TlsFailure = 300,

        /// <summary>The certificate chain is not trusted (800B0109).</summary>
        CertificateChainUntrusted = 301,

        /// <summary>The connection to the upstream server broke (0x80072EFE).</summary>
        UpstreamConnectionFailure = 302,

        /// <summary>The upstream name could not be resolved.</summary>
        RemoteNameNotResolved = 303,

        /// <summary>SoapException from the decommissioned fe2.update.microsoft.com endpoint (MUUrl).</summary>
        MuUrlSoapFault = 304,

        /// <summary>Catalog import failed (<c>ImportUpdateFromCatalogSite failed</c>).</summary>
        CatalogImportFailed = 305,

        /// <summary>
        /// HTTP 407 Proxy Authentication Required: the proxy refused the credentials WSUS sent (an expired
        /// or wrong proxy password). Not a WCM configuration failure: the fix is the proxy account.
        /// </summary>
        ProxyAuthenticationRequired = 306,

        // --- HTTP.sys (HTTPERR) ---

        /// <summary>HTTPERR <c>QueueFull</c>: the pool's request queue (queueLength) is full.</summary>
        QueueFull = 400,

        /// <summary>HTTPERR <c>AppOffline</c>: the pool was taken offline after application errors (rapid-fail).</summary>
        AppOffline = 401,

        /// <summary>HTTPERR <c>Connection_Abandoned_By_AppPool</c>: the worker process quit or orphaned the request.</summary>
        ConnectionAbandonedByAppPool = 402,

        /// <summary>HTTPERR <c>AppPoolTimer</c>: the pool's process was too busy.</summary>
        AppPoolBusy = 403,

        /// <summary>HTTPERR <c>Disabled</c> or <c>AppShutdown</c>: the pool was taken offline by an administrator or policy.</summary>
        AppPoolShutDown = 404,

        /// <summary>HTTPERR <c>Connection_Abandoned_By_ReqQueue</c>.</summary>
        ConnectionAbandonedByReqQueue = 405,

        /// <summary>Any other HTTPERR line with status 503.</summary>
        HttpServiceUnavailable = 406,

        // --- IIS / WAS events ---

        /// <summary>WAS 5117: a worker process recycled on its private bytes memory limit.</summary>
        PoolRecycledPrivateMemory = 500,

        /// <summary>WAS 5002: the pool was disabled by rapid-fail protection.</summary>
        PoolDisabledRapidFail = 501,

        /// <summary>WAS 5009: a worker process terminated unexpectedly.</summary>
        WorkerProcessTerminated = 502,

        /// <summary>WAS 5010: a worker process failed to respond to a ping.</summary>
        WorkerProcessPingFailed = 503,

        /// <summary>WAS 5011: a worker process had a fatal communication error with WAS.</summary>
        WorkerProcessCommunicationError = 504,

        /// <summary>WAS 5186: a worker process was shut down for inactivity (idle time-out).</summary>
        WorkerProcessIdleShutdown = 505,

        /// <summary>WAS 5074/5075/5076/5077: a recycle on time, requests, schedule or virtual memory.</summary>
        PoolRecycled = 506,

        /// <summary>WAS 5041: a pool setting failed range validation and fell back to its default.</summary>
        PoolSettingOutOfRange = 507,

        /// <summary>W3SVC 1027: the pool was disabled because HTTP.sys could not enable it.</summary>
        PoolEnableFailed = 508,

        /// <summary>W3SVC 1087: the pool's queue length could not be configured.</summary>
        PoolQueueLengthFailed = 509,

        /// <summary>W3SVC-WP 2299: an application reported itself unhealthy; the worker requests a recycle.</summary>
        ApplicationUnhealthy = 510,

        /// <summary>Application Error 1000 (a process crashed), including w3wp.exe.</summary>
        ApplicationCrash = 511,

        // --- WSUS events ---

        /// <summary>WSUS 12072: the content directory is not accessible (often with a 503).</summary>
        WsusContentNotAccessible = 600,

        /// <summary>WSUS 10021/10022: catalog synchronization failed (message text not verified).</summary>
        WsusCatalogSyncFailed = 601,

        /// <summary>
        /// WSUS could not download an update's content (event 364, <c>Content file download failed</c>; text
        /// inferred). With an HTTP 404 from an upstream WSUS server it means the upstream lacks the update.
        /// </summary>
        ContentDownloadFailed = 602,

        // --- Service Control Manager (System log), only for the services a sync needs ---

        /// <summary>SCM 7040: a service's start type was changed (BITS set to disabled stops WSUS downloads).</summary>
        ServiceStartTypeChanged = 700,

        /// <summary>SCM 7036: a service entered the running or stopped state.</summary>
        ServiceStateChanged = 701,

        /// <summary>SCM 7031/7034: a service terminated unexpectedly.</summary>
        ServiceTerminated = 702,
    }
}
