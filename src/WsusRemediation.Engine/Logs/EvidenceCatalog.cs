using System;
using System.Collections.Generic;
using System.Globalization;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>How a signature is matched.</summary>
    public enum SignatureMatch
    {
        /// <summary>The message starts with the pattern (case-insensitive).</summary>
        MessageStartsWith,

        /// <summary>The message contains the pattern (ordinal).</summary>
        MessageContains,

        /// <summary>The WSUS <c>EventId=</c> of a SoftwareDistribution.log record equals the pattern.</summary>
        WsusEventId,

        /// <summary>The HTTPERR <c>s-reason</c> equals the pattern.</summary>
        HttpErrReason,

        /// <summary>The event's provider and id equal the pattern (<c>Provider/Id</c>).</summary>
        EventId,
    }

    /// <summary>One known line or event shape, and where it is documented.</summary>
    public sealed class EvidenceSignature
    {
        internal EvidenceSignature(EvidenceKind kind, SignatureMatch match, string pattern, string source, bool inferred = false, bool isCause = false, string? provider = null, int eventId = 0)
        {
            Providers = pattern.Split('|');
            FirstUpper = pattern.Length > 0 ? char.ToUpperInvariant(pattern[0]) : '\0';
            Kind = kind;
            Match = match;
            Pattern = pattern;
            Source = source;
            Inferred = inferred;
            IsCause = isCause;
            Provider = provider;
            EventId = eventId;
        }

        /// <summary>The meaning given to a matching record.</summary>
        public EvidenceKind Kind { get; }

        /// <summary>How <see cref="Pattern"/> is compared.</summary>
        public SignatureMatch Match { get; }

        /// <summary>The text, id or reason matched.</summary>
        public string Pattern { get; }

        /// <summary>Where the signature is documented (see the project's research notes for the full citation).</summary>
        public string Source { get; }

        /// <summary>True when the meaning is inferred rather than stated verbatim by the source.</summary>
        public bool Inferred { get; }

        /// <summary>True for failure reasons: inside a <c>Sync failed</c> line they become <see cref="LogEntry.Cause"/>.</summary>
        public bool IsCause { get; }

        internal string? Provider { get; }

        internal string[] Providers { get; }

        internal char FirstUpper { get; }

        internal int EventId { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Kind}: {Match} '{Pattern}' ({Source})";
    }

    /// <summary>
    /// Recognises the lines and events that matter for WSUS/MECM synchronization and gives each a
    /// <see cref="EvidenceKind"/>. The sources are the Microsoft articles listed in
    /// shared/research/technical-facts.md §5–6 and anchors-mission.md §5.
    /// </summary>
    public static class EvidenceCatalog
    {
        private const string Track = "SA track-software-update-synchronization";
        private const string TroubleSync = "SA troubleshoot-software-update-synchronization";
        private const string WcmDoc = "SA wsus-configuration-manager";
        private const string Kb820729 = "KB 820729 Error logging in HTTP APIs";
        private const string WasDocs = "TechNet cc735151/dd349270 (WAS events)";
        private const string LocalizedWebException = "System.Net WebException on non-English servers: 'Le serveur distant a retourné une erreur : (407) Authentification proxy requise.', '(503) Serveur non disponible' (see Fixtures/Logs/FIXTURES.md, localized)";
        private const string LocalizedSoap = "SOAP client text on non-English servers: 'Die Anforderung ist mit HTTP-Status 503 fehlgeschlagen' (German 6703 of SA wsus-messages-and-troubleshooting-tips)";
        private const string LocalizedDotNet = ".NET exception text on non-English servers (published German/French WebException messages; see Fixtures/Logs/FIXTURES.md, localized)";

        private static readonly string[] WasProviders = { "Microsoft-Windows-WAS", "WAS" };
        private static readonly string[] W3svcProviders = { "Microsoft-Windows-IIS-W3SVC", "W3SVC" };
        private static readonly string[] W3wpProviders = { "Microsoft-Windows-IIS-W3SVC-WP", "W3SVC-WP" };
        private static readonly string[] ScmProviders = { "Service Control Manager" };

        // Order matters: the first match wins, so the specific wsyncmgr lines come before the generic ones.
        private static readonly EvidenceSignature[] MecmLines =
        {
            new EvidenceSignature(EvidenceKind.SyncStatusMessage, SignatureMatch.MessageStartsWith, "STATMSG: ID=67", Track),
            new EvidenceSignature(EvidenceKind.SyncRetryScheduled, SignatureMatch.MessageStartsWith, "Sync failed. Will retry in", TroubleSync),
            new EvidenceSignature(EvidenceKind.SyncFailed, SignatureMatch.MessageStartsWith, "Sync failed", TroubleSync + "; SA wsus-not-sync-with-certificate-error-800B0109"),
            new EvidenceSignature(EvidenceKind.SyncSucceeded, SignatureMatch.MessageStartsWith, "Sync succeeded", Track),
            new EvidenceSignature(EvidenceKind.SyncTime, SignatureMatch.MessageStartsWith, "Sync time:", Track),
            new EvidenceSignature(EvidenceKind.SyncRequested, SignatureMatch.MessageStartsWith, "Wakeup for scheduled regular sync", Track),
            new EvidenceSignature(EvidenceKind.SyncRequested, SignatureMatch.MessageStartsWith, "Wakeup by inbox drop", Track),
            new EvidenceSignature(EvidenceKind.SyncRequested, SignatureMatch.MessageStartsWith, "Found local sync request file", Track),
            new EvidenceSignature(EvidenceKind.SyncRequested, SignatureMatch.MessageStartsWith, "Performing sync on regular schedule", Track),
            new EvidenceSignature(EvidenceKind.SyncRequested, SignatureMatch.MessageStartsWith, "Performing sync on local request", Track),
            new EvidenceSignature(EvidenceKind.SyncStarted, SignatureMatch.MessageStartsWith, "Starting Sync", Track),
            new EvidenceSignature(EvidenceKind.SyncProgress, SignatureMatch.MessageStartsWith, "sync: ", Track),
            new EvidenceSignature(EvidenceKind.SyncProgress, SignatureMatch.MessageStartsWith, "Synchronizing WSUS server", Track),
            new EvidenceSignature(EvidenceKind.SyncProgress, SignatureMatch.MessageStartsWith, "Synchronizing SMS database with WSUS server", Track),
            new EvidenceSignature(EvidenceKind.SyncProgress, SignatureMatch.MessageStartsWith, "Done synchronizing", Track),
            new EvidenceSignature(EvidenceKind.WcmConfigured, SignatureMatch.MessageStartsWith, "Configuration successful", WcmDoc),
            new EvidenceSignature(EvidenceKind.WcmConfigured, SignatureMatch.MessageContains, "(WSUS_CONFIG_SUCCESS)", WcmDoc),
            // WCM's state table gives WSUS_CONFIG_FAILED = 3; the line has the documented "Setting new configuration state to N (NAME)" shape.
            new EvidenceSignature(EvidenceKind.WcmConfigFailure, SignatureMatch.MessageContains, "(WSUS_CONFIG_FAILED)", WcmDoc + " (state table: WSUS_CONFIG_FAILED = 3)", inferred: true),
        };

        // Failure reasons: a record's Kind when it stands alone (a WCM line), its Cause inside a "Sync failed" line.
        private static readonly EvidenceSignature[] Causes =
        {
            // Before the generic "The request failed with HTTP status" below: a 407 is the proxy's answer, not WCM's.
            new EvidenceSignature(EvidenceKind.ProxyAuthenticationRequired, SignatureMatch.MessageContains, "HTTP status 407", TroubleSync + " (407 listed among the web-service failures); TechNet Issues with Synchronization (expired proxy password)", isCause: true),
            new EvidenceSignature(EvidenceKind.ProxyAuthenticationRequired, SignatureMatch.MessageContains, "(407) Proxy Authentication Required", "System.Net WebException text for HTTP 407; TechNet Issues with Synchronization (expired proxy password)", inferred: true, isCause: true),

            // A server in another language writes .NET's texts in that language (the services run with the system's UI
            // language): "(407) Authentification proxy requise", "HTTP-Status 503". The status code keeps its place in
            // each form, so these language-independent pieces find the same causes: WebException's "(NNN)", the SOAP
            // client's "HTTP-Status NNN" (German) and "HTTP NNN" (French, Spanish, Italian: "l'état HTTP 503").
            new EvidenceSignature(EvidenceKind.ProxyAuthenticationRequired, SignatureMatch.MessageContains, "(407)", LocalizedWebException, isCause: true),
            new EvidenceSignature(EvidenceKind.ProxyAuthenticationRequired, SignatureMatch.MessageContains, "HTTP-Status 407", LocalizedSoap, inferred: true, isCause: true),
            new EvidenceSignature(EvidenceKind.ProxyAuthenticationRequired, SignatureMatch.MessageContains, "HTTP 407", LocalizedSoap, inferred: true, isCause: true),
            new EvidenceSignature(EvidenceKind.WsusApi503, SignatureMatch.MessageContains, "HTTP status 503", TroubleSync + "; windowsserverdocs wsus-messages-and-troubleshooting-tips (6703/503)", isCause: true),
            new EvidenceSignature(EvidenceKind.WsusApi503, SignatureMatch.MessageContains, "(503)", LocalizedWebException, isCause: true),
            new EvidenceSignature(EvidenceKind.WsusApi503, SignatureMatch.MessageContains, "HTTP-Status 503", LocalizedSoap, isCause: true),
            new EvidenceSignature(EvidenceKind.WsusApi503, SignatureMatch.MessageContains, "HTTP 503", LocalizedSoap, inferred: true, isCause: true),

            // The SOAP client ends its text with the reason phrase the server sent, which IIS and HTTP.sys send in English
            // whatever the language of either side ("...: Service Unavailable.").
            new EvidenceSignature(EvidenceKind.WsusApi503, SignatureMatch.MessageContains, "Service Unavailable", TroubleSync + " (the SOAP text ends with the server's reason phrase)", isCause: true),
            new EvidenceSignature(EvidenceKind.WsusNotConfigured, SignatureMatch.MessageContains, "WSUS server not configured", TroubleSync, isCause: true),
            new EvidenceSignature(EvidenceKind.CertificateChainUntrusted, SignatureMatch.MessageContains, "800B0109", "SA wsus-not-sync-with-certificate-error-800B0109", isCause: true),
            new EvidenceSignature(EvidenceKind.TlsFailure, SignatureMatch.MessageContains, "trust relationship for the SSL/TLS secure channel", "SA wsus-not-sync-with-certificate-error-800B0109", isCause: true),
            new EvidenceSignature(EvidenceKind.TlsFailure, SignatureMatch.MessageContains, "do not possess a common algorithm", "SA troubleshoot-wsus-import-sync-issues", isCause: true),
            new EvidenceSignature(EvidenceKind.TlsFailure, SignatureMatch.MessageContains, "forcibly closed by the remote host", "SA troubleshoot-wsus-import-sync-issues (ProcessWebServiceProxyException)", isCause: true),
            new EvidenceSignature(EvidenceKind.TlsFailure, SignatureMatch.MessageContains, "SSL/TLS-Kanal konnte keine Vertrauensstellung", LocalizedDotNet + " (German 'Für den geschützten SSL/TLS-Kanal konnte keine Vertrauensstellung hergestellt werden')", isCause: true),
            new EvidenceSignature(EvidenceKind.TlsFailure, SignatureMatch.MessageContains, "Eine vorhandene Verbindung wurde vom Remotehost geschlossen", LocalizedDotNet + " (German socket error 10054)", isCause: true),
            new EvidenceSignature(EvidenceKind.TlsFailure, SignatureMatch.MessageContains, "Une connexion existante a dû être fermée par l", LocalizedDotNet + " (French socket error 10054, seen in a WSUS admin-API trace, centreon/centreon-plugins#2111)", isCause: true),
            new EvidenceSignature(EvidenceKind.UpstreamConnectionFailure, SignatureMatch.MessageContains, "0x80072EFE", TroubleSync, isCause: true),
            new EvidenceSignature(EvidenceKind.UpstreamConnectionFailure, SignatureMatch.MessageContains, "terminated abnormally", TroubleSync, isCause: true),
            new EvidenceSignature(EvidenceKind.UpstreamConnectionFailure, SignatureMatch.MessageContains, "did not properly respond", TroubleSync, isCause: true),
            new EvidenceSignature(EvidenceKind.RemoteNameNotResolved, SignatureMatch.MessageContains, "The remote name could not be resolved", "SA wsus-configure-shared-database (wsyncmgr sample)", isCause: true),
            new EvidenceSignature(EvidenceKind.RemoteNameNotResolved, SignatureMatch.MessageContains, "Der Remotename konnte nicht aufgelöst werden", LocalizedDotNet + " (German)", isCause: true),
            new EvidenceSignature(EvidenceKind.RemoteNameNotResolved, SignatureMatch.MessageContains, "Le nom distant n", LocalizedDotNet + " (French 'Le nom distant n'a pas pu être résolu'; cut before the apostrophe, which Windows writes as ' or ’)", isCause: true),
            new EvidenceSignature(EvidenceKind.MuUrlSoapFault, SignatureMatch.MessageContains, "fe2.update.microsoft.com", "SA wsus-synchronization-fails-with-soapexception", isCause: true),
            new EvidenceSignature(EvidenceKind.CatalogImportFailed, SignatureMatch.MessageContains, "ImportUpdateFromCatalogSite failed", "SA troubleshoot-wsus-import-sync-issues", isCause: true),
            new EvidenceSignature(EvidenceKind.SusdbUnreachable, SignatureMatch.MessageContains, "Could not connect to SUSDB", "memdocs software-updates-maintenance", isCause: true),
            new EvidenceSignature(EvidenceKind.OperationTimedOut, SignatureMatch.MessageContains, "The operation has timed out", "Patch My PC docs (wsyncmgr ApiRemotingCompressionProxy.GetWebResponse)", isCause: true),
            new EvidenceSignature(EvidenceKind.OperationTimedOut, SignatureMatch.MessageContains, "Der Vorgang hat das Zeitlimit überschritten", LocalizedDotNet + " (German)", isCause: true),
            new EvidenceSignature(EvidenceKind.WcmConfigFailure, SignatureMatch.MessageContains, "The request failed with HTTP status", TroubleSync + " (401/403/407/500/502)", isCause: true),
            new EvidenceSignature(EvidenceKind.WcmConfigFailure, SignatureMatch.MessageContains, "actively refused", TroubleSync, isCause: true),
            new EvidenceSignature(EvidenceKind.WcmConfigFailure, SignatureMatch.MessageContains, "remote party has closed the transport stream", TroubleSync, isCause: true),
            new EvidenceSignature(EvidenceKind.ContentCleanupFailed, SignatureMatch.MessageContains, "Failed to delete orphaned content folder", "pastebin.com/iQRZ3Dtw (real wsyncmgr.log)", isCause: true),
        };

        private static readonly EvidenceSignature[] WsusEvents =
        {
            new EvidenceSignature(EvidenceKind.SyncStarted, SignatureMatch.WsusEventId, "381", "SA troubleshoot-software-update-management (A scheduled synchronization was started.)"),
            new EvidenceSignature(EvidenceKind.SyncStarted, SignatureMatch.WsusEventId, "382", Track + " (A manual synchronization was started.)"),
            new EvidenceSignature(EvidenceKind.SyncSucceeded, SignatureMatch.WsusEventId, "384", Track + " (Synchronization completed successfully.)"),
            new EvidenceSignature(EvidenceKind.SyncFailed, SignatureMatch.WsusEventId, "386", "GetEventHistory sample pairing 381/382 with 384/386/387 (code-index 17272766978)", inferred: true),
            new EvidenceSignature(EvidenceKind.SyncCancelled, SignatureMatch.WsusEventId, "387", "GetEventHistory sample pairing 381/382 with 384/386/387 (code-index 17272766978)", inferred: true),
            new EvidenceSignature(EvidenceKind.ContentSyncStarted, SignatureMatch.WsusEventId, "361", "SA troubleshoot-software-update-management (Content synchronization started.)"),
            new EvidenceSignature(EvidenceKind.SyncRequested, SignatureMatch.MessageStartsWith, "Synchronization manually started", Track + " (AdminDataAccess.StartSubscriptionManually)"),
            new EvidenceSignature(EvidenceKind.ContentDownloadFailed, SignatureMatch.WsusEventId, "364", "KB 922330 (WSUS event 364 'Content file download failed. Reason: …'); TechNet Issues with Synchronization (downstream downloads failing)", inferred: true),
            // What a real WSUS writes when BITS gives up on a file: ContentSyncAgent.JobError "Download error: <url> failed in
            // download: (<HRESULT in decimal>) <BITS text>", then the state machine's FileDownloadFailed (real SoftwareDistribution.log
            // of 2025 in a public slide deck, code-index 63429736720; see the fixtures README).
            new EvidenceSignature(EvidenceKind.ContentDownloadFailed, SignatureMatch.MessageContains, "failed in download:", "real SoftwareDistribution.log (ContentSyncAgent.JobError), code-index 63429736720"),
            new EvidenceSignature(EvidenceKind.ContentDownloadFailed, SignatureMatch.MessageContains, "firing Event: FileDownloadFailed", "real SoftwareDistribution.log (ContentSyncAgent.ContentSyncSPFireStateMachineEvent), code-index 63429736720"),
            new EvidenceSignature(EvidenceKind.ContentDownloadFailed, SignatureMatch.MessageContains, "Content file download failed", "KB 922330 and a real Get-WinEvent listing (code-index 7566003128): WSUS event 364 'Content file download failed.' / 'Reason: HTTP status 404: The requested URL does not exist on the server.' / 'Source File:' / 'Destination File:'"),
        };

        private static readonly EvidenceSignature[] HttpErrReasons =
        {
            new EvidenceSignature(EvidenceKind.QueueFull, SignatureMatch.HttpErrReason, "QueueFull", Kb820729),
            new EvidenceSignature(EvidenceKind.AppOffline, SignatureMatch.HttpErrReason, "AppOffline", Kb820729 + "; saotn.org wsuspool-keeps-crashing-stops"),
            new EvidenceSignature(EvidenceKind.ConnectionAbandonedByAppPool, SignatureMatch.HttpErrReason, "Connection_Abandoned_By_AppPool", Kb820729),
            new EvidenceSignature(EvidenceKind.ConnectionAbandonedByReqQueue, SignatureMatch.HttpErrReason, "Connection_Abandoned_By_ReqQueue", Kb820729),
            new EvidenceSignature(EvidenceKind.AppPoolBusy, SignatureMatch.HttpErrReason, "AppPoolTimer", Kb820729),
            new EvidenceSignature(EvidenceKind.AppPoolShutDown, SignatureMatch.HttpErrReason, "AppShutdown", Kb820729),
            new EvidenceSignature(EvidenceKind.AppPoolShutDown, SignatureMatch.HttpErrReason, "Disabled", Kb820729),

            // Matched last, by status rather than reason (no s-reason equals this pattern).
            new EvidenceSignature(EvidenceKind.HttpServiceUnavailable, SignatureMatch.HttpErrReason, "(any other s-reason with sc-status 503)", Kb820729),
        };

        private static readonly EvidenceSignature[] Events =
        {
            Event(EvidenceKind.PoolRecycledPrivateMemory, WasProviders, 5117, WasDocs + "; code-index 6813142746 (5117 then 5002 for WsusPool)"),
            Event(EvidenceKind.PoolDisabledRapidFail, WasProviders, 5002, "TechNet dd364088 (WAS_EVENT_RAPID_FAIL_PROTECTION)"),
            Event(EvidenceKind.WorkerProcessTerminated, WasProviders, 5009, WasDocs),
            Event(EvidenceKind.WorkerProcessPingFailed, WasProviders, 5010, "pfedev blog 2012/09/30 (event 5010)"),
            Event(EvidenceKind.WorkerProcessCommunicationError, WasProviders, 5011, WasDocs + "; blog Diagnosing Process Crashes (code-index 38270295953)"),
            Event(EvidenceKind.WorkerProcessIdleShutdown, WasProviders, 5186, "TechNet dd364096"),
            Event(EvidenceKind.PoolRecycled, WasProviders, 5074, "TechNet dd349270"),
            Event(EvidenceKind.PoolRecycled, WasProviders, 5075, "TechNet dd349270"),
            Event(EvidenceKind.PoolRecycled, WasProviders, 5076, "TechNet dd349270"),
            Event(EvidenceKind.PoolRecycled, WasProviders, 5077, "TechNet dd349270"),
            Event(EvidenceKind.PoolSettingOutOfRange, WasProviders, 5041, "TechNet cc735211"),
            Event(EvidenceKind.PoolEnableFailed, W3svcProviders, 1027, "TechNet cc735151"),
            Event(EvidenceKind.PoolQueueLengthFailed, W3svcProviders, 1087, "TechNet cc735151"),
            Event(EvidenceKind.ApplicationUnhealthy, W3wpProviders, 2299, "TechNet cc735151"),
            Event(EvidenceKind.ApplicationCrash, new[] { "Application Error" }, 1000, "blog Diagnosing Process Crashes (code-index 38270295953)"),
            Event(EvidenceKind.WsusContentNotAccessible, new[] { "Windows Server Update Services" }, 12072, "MS blog the_secure_infrastructure_guy 2015"),
            Event(EvidenceKind.WsusCatalogSyncFailed, new[] { "Windows Server Update Services" }, 10021, "TechNet Issues with Synchronization (text unverified)", inferred: true),
            Event(EvidenceKind.WsusCatalogSyncFailed, new[] { "Windows Server Update Services" }, 10022, "TechNet Issues with Synchronization (text unverified)", inferred: true),
            Event(EvidenceKind.ContentDownloadFailed, new[] { "Windows Server Update Services" }, 364, "KB 922330 (Application log, source Windows Server Update Services, category 2); real Get-WinEvent listing, code-index 7566003128"),
            Event(EvidenceKind.ServiceStartTypeChanged, ScmProviders, 7040, "Service Control Manager 7040 (param1 display name, param2/3 old/new start type, param4 service name); TechNet Issues with Synchronization (BITS disabled)"),
            Event(EvidenceKind.ServiceStateChanged, ScmProviders, 7036, "Service Control Manager 7036 (param1 display name, param2 state, Binary the service name)"),
            Event(EvidenceKind.ServiceTerminated, ScmProviders, 7031, "Service Control Manager 7031 (terminated unexpectedly, recovery action)"),
            Event(EvidenceKind.ServiceTerminated, ScmProviders, 7034, "Service Control Manager 7034 (terminated unexpectedly)"),
        };

        // WAS message templates (technical-facts §6.1), used when an exported event carries no rendered message.
        private static readonly Dictionary<int, string> WasTemplates = new Dictionary<int, string>
        {
            [5002] = "Application pool '%1' is being automatically disabled due to a series of failures in the process(es) serving that application pool.",
            [5009] = "A process serving application pool '%1' terminated unexpectedly. The process id was '%2'. The process exit code was '0x%3'.",
            [5010] = "A process serving application pool '%1' failed to respond to a ping. The process id was '%2'.",
            [5011] = "A process serving application pool '%1' suffered a fatal communication error with the Windows Process Activation Service. The process id was '%2'. The data field contains the error number.",
            [5074] = "A worker process with process id of '%1' serving application pool '%2' has requested a recycle because the worker process reached its allowed processing time limit.",
            [5075] = "A worker process with process id of '%1' serving application pool '%2' has requested a recycle because it reached its allowed request limit.",
            [5076] = "A worker process with process id of '%1' serving application pool '%2' has requested a recycle because it reached its scheduled recycle time.",
            [5077] = "A worker process with process id of '%1' serving application pool '%2' has requested a recycle because it reached its virtual memory limit.",
            [5117] = "A worker process with process id of '%1' serving application pool '%2' has requested a recycle because it reached its private bytes memory limit.",
            [5186] = "A worker process with process id of '%1' serving application pool '%2' was shutdown due to inactivity. Application Pool timeout configuration was set to %3 minutes.",
        };

        // The data item each marker (%1, %2, ...) stands for, by the name WAS gives it in the event's
        // EventData. Records list their items in either order (5117 on Server 2016 has AppPoolID before
        // ProcessID, where the message text names the process first), so named items are matched by name;
        // null = no name known, the item is taken by position.
        private static readonly Dictionary<int, string?[]> WasMarkerNames = new Dictionary<int, string?[]>
        {
            [5002] = new[] { "AppPoolID" },
            [5009] = new[] { "AppPoolID", "ProcessID", null },
            [5010] = new[] { "AppPoolID", "ProcessID" },
            [5011] = new[] { "AppPoolID", "ProcessID" },
            [5074] = new[] { "ProcessID", "AppPoolID" },
            [5075] = new[] { "ProcessID", "AppPoolID" },
            [5076] = new[] { "ProcessID", "AppPoolID" },
            [5077] = new[] { "ProcessID", "AppPoolID" },
            [5117] = new[] { "ProcessID", "AppPoolID" },
            [5186] = new[] { "ProcessID", "AppPoolID", null },
        };

        private static readonly Dictionary<int, string[]> TemplatePieces = CutTemplates();

        private static readonly NeedleMatcher CauseMatcher = new NeedleMatcher(Array.ConvertAll(Causes, c => c.Pattern));

        private static readonly IReadOnlyList<EvidenceSignature> AllSignatures = Concat(MecmLines, Causes, WsusEvents, HttpErrReasons, Events);

        /// <summary>Every signature the catalog knows, with its source.</summary>
        public static IReadOnlyList<EvidenceSignature> Signatures => AllSignatures;

        /// <summary>The event ids worth reading from the event log, by provider, for a live XPath query.</summary>
        public static IEnumerable<(string Provider, int EventId, EvidenceKind Kind)> KnownEvents
        {
            get
            {
                foreach (var signature in Events)
                {
                    yield return (signature.Provider!, signature.EventId, signature.Kind);
                }
            }
        }

        /// <summary>Sets <see cref="LogEntry.Kind"/> and <see cref="LogEntry.Cause"/> from the catalog.</summary>
        public static void Classify(LogEntry entry)
        {
            if (entry is null)
            {
                throw new ArgumentNullException(nameof(entry));
            }

            var cause = EvidenceKind.None;
            entry.Kind = entry.Format switch
            {
                LogFormat.CMTrace or LogFormat.SmsSimple => ClassifyMecm(entry.Message, out cause),
                LogFormat.SoftwareDistribution => ClassifyWsus(entry, out cause),
                LogFormat.HttpErr => ClassifyHttpErr(entry),
                LogFormat.EventXml => ClassifyEvent(entry),
                _ => EvidenceKind.None,
            };
            entry.Cause = cause;
        }

        /// <summary>Reads the duration of a wsyncmgr <c>Sync time: 0d00h03m53s</c> line.</summary>
        public static bool TryParseSyncTime(string message, out TimeSpan duration)
        {
            duration = TimeSpan.Zero;
            if (message is null)
            {
                return false;
            }

            var at = message.IndexOf("Sync time:", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            var i = at + "Sync time:".Length;
            long days = 0, hours = 0, minutes = 0, seconds = 0;
            var seen = 0;
            while (i < message.Length)
            {
                while (i < message.Length && message[i] == ' ')
                {
                    i++;
                }

                var start = i;
                long value = 0;
                while (i < message.Length && message[i] >= '0' && message[i] <= '9')
                {
                    value = (value * 10) + (message[i] - '0');
                    i++;
                }

                if (i == start || i >= message.Length)
                {
                    break;
                }

                switch (message[i])
                {
                    case 'd': days = value; break;
                    case 'h': hours = value; break;
                    case 'm': minutes = value; break;
                    case 's': seconds = value; break;
                    default: return false;
                }

                seen++;
                i++;
            }

            if (seen == 0)
            {
                return false;
            }

            duration = new TimeSpan((int)days, (int)hours, (int)minutes, (int)seconds);
            return true;
        }

        /// <summary>Reads <c>processed N out of M items</c> from a wsyncmgr progress line.</summary>
        public static bool TryParseSyncProgress(string message, out int processed, out int total)
        {
            processed = 0;
            total = 0;
            if (message is null)
            {
                return false;
            }

            var at = message.IndexOf("processed ", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var i = at + "processed ".Length;
            if (!ReadInt(message, ref i, out processed) || string.CompareOrdinal(message, i, " out of ", 0, 8) != 0)
            {
                return false;
            }

            i += 8;
            return ReadInt(message, ref i, out total);
        }

        /// <summary>Reads the id of an <c>STATMSG: ID=6702 ...</c> line (6701 started, 6702 done, 6703 failed, 6704–6706 phases, 6707/6708).</summary>
        public static bool TryGetStatusMessageId(string message, out int id)
        {
            id = 0;
            if (message is null || !message.StartsWith("STATMSG: ID=", StringComparison.Ordinal))
            {
                return false;
            }

            var i = "STATMSG: ID=".Length;
            return ReadInt(message, ref i, out id);
        }

        /// <summary>
        /// Renders a known WAS event's message from its data items and their names (the Name attribute of
        /// each Data element; null or a positional key such as <c>Data1</c> for an unnamed item): a marker
        /// whose item name is known takes the item of that name wherever it is; the others take the item at
        /// their position. Null when no template is known.
        /// </summary>
        public static string? RenderKnownEvent(string provider, int eventId, IReadOnlyList<string> data, IReadOnlyList<string?> names)
        {
            if (data is null || names is null || !WasMarkerNames.TryGetValue(eventId, out var markers))
            {
                return RenderKnownEvent(provider, eventId, data!);
            }

            // Items in marker order; a marker whose named item is absent gets nothing and stays visible as %n.
            var arranged = new string?[markers.Length];
            for (var m = 0; m < markers.Length; m++)
            {
                var at = markers[m] is null ? -1 : IndexOfName(names, markers[m]!);
                if (at >= 0 && at < data.Count)
                {
                    arranged[m] = data[at];
                }
                else if (m < data.Count && (m >= names.Count || !IsKnownName(names[m], markers)))
                {
                    arranged[m] = data[m];
                }
            }

            return RenderKnownEvent(provider, eventId, arranged!);
        }

        /// <summary>True when <see cref="RenderKnownEvent(string, int, IReadOnlyList{string})"/> has a template for this provider and event.</summary>
        public static bool HasKnownEventTemplate(string provider, int eventId) =>
            Array.IndexOf(WasProviders, provider) >= 0 && WasTemplates.ContainsKey(eventId);

        private static int IndexOfName(IReadOnlyList<string?> names, string name)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        // An item named for another marker of the same template is never taken by position.
        private static bool IsKnownName(string? name, string?[] markers) =>
            name is not null && Array.Exists(markers, m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// Renders a known WAS event's message from its data items taken by position (%1 = the first);
        /// null when no template is known. An item that is null stays visible as its marker.
        /// </summary>
        public static string? RenderKnownEvent(string provider, int eventId, IReadOnlyList<string> data)
        {
            if (data is null || Array.IndexOf(WasProviders, provider) < 0 || !WasTemplates.TryGetValue(eventId, out var template))
            {
                return null;
            }

            // Items the record does not carry stay visible as %n rather than vanishing from the sentence.
            if (TemplatePieces.TryGetValue(eventId, out var pieces) && !AnyPercent(data))
            {
                return Render(pieces, data);
            }

            var result = template;
            for (var n = data.Count; n >= 1; n--)
            {
                if (data[n - 1] is not null)
                {
                    result = result.Replace("%" + n.ToString(CultureInfo.InvariantCulture), data[n - 1]);
                }
            }

            return result;
        }

        /// <summary>
        /// Cuts a template at its markers: literal text at even indexes, the marker ("%1") at odd ones. Only
        /// templates whose every '%' is one digit 1-9 followed by a non-digit are cut (all of the WAS ones):
        /// for those, and items without a '%', filling the markers in one pass gives exactly what replacing
        /// %n, then %n-1, ... down to %1 gives, without a new string per item.
        /// </summary>
        private static Dictionary<int, string[]> CutTemplates()
        {
            var cut = new Dictionary<int, string[]>();
            foreach (var pair in WasTemplates)
            {
                var template = pair.Value;
                var pieces = new List<string>();
                var literalStart = 0;
                var usable = true;
                for (var at = template.IndexOf('%'); at >= 0; at = template.IndexOf('%', at + 1))
                {
                    var oneDigit = at + 1 < template.Length && template[at + 1] >= '1' && template[at + 1] <= '9'
                        && (at + 2 == template.Length || template[at + 2] < '0' || template[at + 2] > '9');
                    if (!oneDigit)
                    {
                        usable = false;
                        break;
                    }

                    pieces.Add(template.Substring(literalStart, at - literalStart));
                    pieces.Add(template.Substring(at, 2));
                    literalStart = at + 2;
                }

                if (usable)
                {
                    pieces.Add(template.Substring(literalStart));
                    cut[pair.Key] = pieces.ToArray();
                }
            }

            return cut;
        }

        private static bool AnyPercent(IReadOnlyList<string> data)
        {
            for (var i = 0; i < data.Count; i++)
            {
                if (data[i] is not null && data[i].IndexOf('%') >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static string Render(string[] pieces, IReadOnlyList<string> data)
        {
            var parts = new string[pieces.Length];
            for (var i = 0; i < pieces.Length; i++)
            {
                parts[i] = pieces[i];
                if (i % 2 == 1 && pieces[i][1] - '1' < data.Count && data[pieces[i][1] - '1'] is not null)
                {
                    parts[i] = data[pieces[i][1] - '1'];
                }
            }

            return string.Concat(parts);
        }

        private static EvidenceKind ClassifyMecm(string message, out EvidenceKind cause)
        {
            cause = EvidenceKind.None;
            var kind = MatchFirst(MecmLines, message);
            if (kind == EvidenceKind.SyncFailed || (kind == EvidenceKind.SyncStatusMessage && IsFailureStatusMessage(message)))
            {
                // Status message 6703 carries the failure's reason in its insertion strings (ISTR0 = the message), and a
                // run may end with it alone, without a "Sync failed:" line.
                cause = MatchCause(message);
                return kind;
            }

            return kind != EvidenceKind.None ? kind : MatchCause(message);
        }

        private static bool IsFailureStatusMessage(string message) =>
            message.Length > 16 && string.CompareOrdinal(message, 0, "STATMSG: ID=6703", 0, 16) == 0;

        private static EvidenceKind ClassifyWsus(LogEntry entry, out EvidenceKind cause)
        {
            cause = EvidenceKind.None;
            if (entry.Fields.TryGetValue("EventId", out var eventId))
            {
                foreach (var signature in WsusEvents)
                {
                    if (signature.Match == SignatureMatch.WsusEventId && signature.Pattern == eventId)
                    {
                        if (signature.Kind == EvidenceKind.SyncFailed)
                        {
                            cause = MatchCause(entry.Message);
                        }

                        return signature.Kind;
                    }
                }
            }

            var kind = MatchFirst(WsusEvents, entry.Message);
            return kind != EvidenceKind.None ? kind : MatchCause(entry.Message);
        }

        private static EvidenceKind ClassifyHttpErr(LogEntry entry)
        {
            entry.Fields.TryGetValue("s-reason", out var reason);
            entry.Fields.TryGetValue("sc-status", out var status);
            return ClassifyHttpErr(reason, status);
        }

        /// <summary>
        /// The kind of an HTTPERR record from its <c>s-reason</c> and <c>sc-status</c> (null when absent). The
        /// parser, which has both in hand, calls this directly rather than have them looked up again by name.
        /// </summary>
        internal static EvidenceKind ClassifyHttpErr(string? reason, string? status)
        {
            if (reason is not null)
            {
                foreach (var signature in HttpErrReasons)
                {
                    if (string.Equals(signature.Pattern, reason, StringComparison.OrdinalIgnoreCase))
                    {
                        return signature.Kind;
                    }
                }
            }

            return status == "503" ? EvidenceKind.HttpServiceUnavailable : EvidenceKind.None;
        }

        private static EvidenceKind ClassifyEvent(LogEntry entry)
        {
            if (!entry.Fields.TryGetValue("EventId", out var idText) || !int.TryParse(idText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                return EvidenceKind.None;
            }

            entry.Fields.TryGetValue("Provider", out var provider);
            entry.Fields.TryGetValue("EventSourceName", out var sourceName);
            foreach (var signature in Events)
            {
                if (signature.EventId == id && (ProviderMatches(signature, provider) || ProviderMatches(signature, sourceName)))
                {
                    // Every service's state changes land in the System log; only those a sync needs mean something here.
                    if (signature.Kind is EvidenceKind.ServiceStartTypeChanged or EvidenceKind.ServiceStateChanged or EvidenceKind.ServiceTerminated
                        && ServiceEvents.ServiceName(entry) is null)
                    {
                        return EvidenceKind.None;
                    }

                    return signature.Kind;
                }
            }

            return EvidenceKind.None;
        }

        private static bool ProviderMatches(EvidenceSignature signature, string? provider)
        {
            if (provider is null)
            {
                return false;
            }

            foreach (var name in signature.Providers)
            {
                if (string.Equals(name, provider, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        private static EvidenceKind MatchCause(string message)
        {
            var index = CauseMatcher.FirstMatch(message);
            return index < 0 ? EvidenceKind.None : Causes[index].Kind;
        }

        private static EvidenceKind MatchFirst(EvidenceSignature[] signatures, string message)
        {
            var first = message.Length > 0 ? char.ToUpperInvariant(message[0]) : '\0';
            foreach (var signature in signatures)
            {
                switch (signature.Match)
                {
                    case SignatureMatch.MessageStartsWith:
                        // Most lines start differently from every signature: one char compare rejects them.
                        if (signature.FirstUpper == first && message.StartsWith(signature.Pattern, StringComparison.OrdinalIgnoreCase))
                        {
                            return signature.Kind;
                        }

                        break;
                    case SignatureMatch.MessageContains:
                        if (message.IndexOf(signature.Pattern, StringComparison.Ordinal) >= 0)
                        {
                            return signature.Kind;
                        }

                        break;
                }
            }

            return EvidenceKind.None;
        }

        private static bool ReadInt(string text, ref int i, out int value)
        {
            value = 0;
            var start = i;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9' && i - start < 9)
            {
                value = (value * 10) + (text[i] - '0');
                i++;
            }

            return i > start;
        }

        private static EvidenceSignature Event(EvidenceKind kind, string[] providers, int id, string source, bool inferred = false) =>
            new EvidenceSignature(kind, SignatureMatch.EventId, string.Join("|", providers), source, inferred, provider: providers[0], eventId: id);

        private static IReadOnlyList<EvidenceSignature> Concat(params EvidenceSignature[][] groups)
        {
            var all = new List<EvidenceSignature>();
            foreach (var group in groups)
            {
                all.AddRange(group);
            }

            return all.AsReadOnly();
        }
    }
}
