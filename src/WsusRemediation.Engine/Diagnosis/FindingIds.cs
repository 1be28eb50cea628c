namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// The stable finding identifiers. Scripts, the repair planner and runbooks match on these strings:
    /// they are only ever added, never renamed.
    /// </summary>
    public static class FindingIds
    {
        // --- The pool (the guide's cause) ---
        /// <summary>WsusPool is stopped.</summary>
        public const string PoolStopped = nameof(PoolStopped);
        /// <summary>WAS 5002: rapid-fail protection disabled WsusPool.</summary>
        public const string PoolDisabledByRapidFailProtection = nameof(PoolDisabledByRapidFailProtection);
        /// <summary>WAS 5117/5077: the worker was recycled on its memory limit.</summary>
        public const string PoolRecycledOnMemoryLimit = nameof(PoolRecycledOnMemoryLimit);
        /// <summary>WAS 5009/5010/5011/5013: the worker crashed, hung or failed to answer.</summary>
        public const string PoolWorkerFailed = nameof(PoolWorkerFailed);
        /// <summary>WsusPool's settings differ from the profile (each setting is evidence).</summary>
        public const string PoolTuningNotCompliant = nameof(PoolTuningNotCompliant);
        /// <summary>Enable 32-Bit Applications is True on WsusPool (HTTP 500.19).</summary>
        public const string Pool32BitEnabled = nameof(Pool32BitEnabled);
        /// <summary>HTTPERR QueueFull: the pool's queue length was hit.</summary>
        public const string HttpQueueFull = nameof(HttpQueueFull);
        /// <summary>HTTPERR AppOffline: requests arrived while the pool was disabled.</summary>
        public const string HttpAppOffline = nameof(HttpAppOffline);
        /// <summary>The WSUS web services answered 503.</summary>
        public const string WsusApiUnavailable = nameof(WsusApiUnavailable);

        // --- Synchronization ---
        /// <summary>Cancelled/Failed syncs in a row.</summary>
        public const string SyncFailureStreak = nameof(SyncFailureStreak);
        /// <summary>MECM's All Software Updates is empty.</summary>
        public const string ConfigMgrHasNoUpdates = nameof(ConfigMgrHasNoUpdates);
        /// <summary>WSUS 10021/10022: catalog synchronization failed.</summary>
        public const string CatalogSyncFailed = nameof(CatalogSyncFailed);

        // --- Network and upstream ---
        /// <summary>HTTP 407: the proxy refused the credentials (an expired proxy password).</summary>
        public const string ProxyAuthenticationFailed = nameof(ProxyAuthenticationFailed);
        /// <summary>The upstream server's name does not resolve.</summary>
        public const string UpstreamNameNotResolved = nameof(UpstreamNameNotResolved);
        /// <summary>Timeouts, refused connections, a firewall.</summary>
        public const string UpstreamUnreachable = nameof(UpstreamUnreachable);
        /// <summary>TLS could not be negotiated (TLS 1.2, .NET strong cryptography).</summary>
        public const string TlsHandshakeFailed = nameof(TlsHandshakeFailed);
        /// <summary>The upstream certificate chain is not trusted.</summary>
        public const string CertificateNotTrusted = nameof(CertificateNotTrusted);
        /// <summary>A downstream server asks for updates its upstream lacks.</summary>
        public const string UpstreamMissingUpdates = nameof(UpstreamMissingUpdates);

        // --- Services and files ---
        /// <summary>An SMS service that sync needs is not running.</summary>
        public const string SmsServiceNotRunning = nameof(SmsServiceNotRunning);
        /// <summary>BITS is disabled or stopped.</summary>
        public const string BitsNotUsable = nameof(BitsNotUsable);
        /// <summary>The WSUS service is stopped or not automatic.</summary>
        public const string WsusServiceNotRunning = nameof(WsusServiceNotRunning);
        /// <summary>The content folder lacks Read for NETWORK SERVICE or Users.</summary>
        public const string ContentFolderAccessDenied = nameof(ContentFolderAccessDenied);
    }
}
