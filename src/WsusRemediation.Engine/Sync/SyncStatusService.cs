using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// Reads the synchronization status from the sources asked for and merges them; starts a
    /// synchronization through WSUS or MECM (SyncNow, else the inbox file), never a second one.
    /// </summary>
    public sealed class SyncStatusService
    {
        private readonly IClock _clock;
        private readonly IWsusSyncApi? _wsus;
        private readonly IConfigMgrSyncProvider? _configMgr;
        private readonly ISyncEvidenceSource? _evidence;
        private readonly ISyncInboxTrigger? _inbox;

        /// <summary>Creates the service over whichever ports exist for this call.</summary>
        public SyncStatusService(IClock clock, IWsusSyncApi? wsus = null, IConfigMgrSyncProvider? configMgr = null, ISyncEvidenceSource? evidence = null, ISyncInboxTrigger? inbox = null)
        {
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _wsus = wsus;
            _configMgr = configMgr;
            _evidence = evidence;
            _inbox = inbox;
        }

        /// <summary>How many history entries to keep.</summary>
        public int HistoryCount { get; init; } = SyncReasoning.DefaultHistoryCount;

        /// <summary>
        /// Logs collected from a server (-LogPath): the verdict's ages ("no success for seven days") are measured
        /// from the newest log entry, not from the clock, as the diagnosis measures its windows, so a copy read a
        /// week later still says what it said on the day it was taken. The server's own logs, read in place, are
        /// judged against the clock.
        /// </summary>
        public bool JudgeAtNewestEntry { get; init; }

        /// <summary>
        /// The name of the server read when no source names it (this computer's, for a local read): a status piped on
        /// to Invoke-WsusSync or Repair-WsusSync must say where it comes from, and those refuse an empty name.
        /// </summary>
        public string? ServerName { get; init; }

        /// <summary>
        /// Reads the status. <see cref="SyncSource.Auto"/> reads MECM and WSUS and merges what answered;
        /// it fails only when neither did. <see cref="SyncSource.Log"/> reads the evidence.
        /// </summary>
        public WsusSyncStatus Read(SyncSource source, string? computerName, CancellationToken cancellationToken, Action<string>? verbose = null) =>
            Read(source, computerName, countUpdates: true, cancellationToken, verbose);

        /// <summary>Reads the status; without <paramref name="countUpdates"/> MECM's updates are not counted (cheaper, for polling).</summary>
        public WsusSyncStatus Read(SyncSource source, string? computerName, bool countUpdates, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            var now = _clock.UtcNow.UtcDateTime;
            switch (source)
            {
                case SyncSource.Log:
                    var evidence = _evidence ?? throw new WsusRemediationException("SyncLogNotFound", EngineErrorKind.InvalidArgument, "No log files were given to read.");
                    var events = evidence.ReadEvents(cancellationToken);
                    verbose?.Invoke($"Read {events.Count} synchronization lines from {string.Join(", ", evidence.Paths)}.");
                    DateTime? judgedAt = null;
                    if (JudgeAtNewestEntry && events.Count > 0)
                    {
                        judgedAt = events.Max(e => e.Time);
                        verbose?.Invoke($"Judged as of the newest synchronization entry, {judgedAt.Value.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}, not the clock: the logs were collected.");
                    }

                    return SyncReasoning.Merge(computerName, new[] { SyncReasoning.FromEvidence(events) }, now, evidence.Paths, HistoryCount, judgedAt, ServerName);
                case SyncSource.Wsus:
                    return SyncReasoning.Merge(computerName, new[] { ReadWsus(cancellationToken) }, now, null, HistoryCount, fallbackName: ServerName);
                case SyncSource.ConfigMgr:
                    return SyncReasoning.Merge(computerName, new[] { ReadConfigMgr(computerName, countUpdates, cancellationToken, verbose) }, now, null, HistoryCount, fallbackName: ServerName);
                default:
                    return SyncReasoning.Merge(computerName, ReadAuto(computerName, countUpdates, cancellationToken, verbose), now, null, HistoryCount, fallbackName: ServerName);
            }
        }

        private List<SyncObservation> ReadAuto(string? computerName, bool countUpdates, CancellationToken cancellationToken, Action<string>? verbose)
        {
            var observations = new List<SyncObservation>();
            var failures = new List<WsusRemediationException>();
            foreach (var (name, read) in new (string, Func<SyncObservation>)[]
            {
                ("MECM SMS Provider", () => ReadConfigMgr(computerName, countUpdates, cancellationToken, verbose)),
                ("WSUS API", () => ReadWsus(cancellationToken)),
            })
            {
                try
                {
                    observations.Add(read());
                    verbose?.Invoke($"Read the synchronization status from the {name}.");
                }
                catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
                {
                    verbose?.Invoke($"The {name} did not answer: {ex.Message}");
                    failures.Add(ex);
                }
            }

            if (observations.Count == 0)
            {
                throw new WsusRemediationException(
                    "SyncStatusUnavailable",
                    EngineErrorKind.ResourceUnavailable,
                    "Neither the MECM SMS Provider nor the WSUS API could be read: " + string.Join(" ", failures.Select(f => f.Message)),
                    computerName,
                    failures.FirstOrDefault())
                {
                    RecommendedAction = "Run on the site server or WSUS server as an administrator, name it with -ComputerName, or read collected logs with -LogPath.",
                };
            }

            return observations;
        }

        private SyncObservation ReadWsus(CancellationToken cancellationToken) =>
            SyncReasoning.FromWsus((_wsus ?? throw NotAvailable("WSUS API")).Read(HistoryCount, cancellationToken), HistoryCount);

        private SyncObservation ReadConfigMgr(string? computerName, bool countUpdates, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            var snapshot = (_configMgr ?? throw NotAvailable("MECM SMS Provider")).Read(countUpdates, cancellationToken);
            if (countUpdates && snapshot.UpdateCount is null && snapshot.UpdateCountError is { } reason)
            {
                verbose?.Invoke($"MECM's software updates were not counted: {reason}");
            }

            return SyncReasoning.FromConfigMgr(snapshot, computerName);
        }

        private static WsusRemediationException NotAvailable(string what) =>
            new WsusRemediationException("SyncSourceUnavailable", EngineErrorKind.NotInstalled, $"The {what} is not available here.");

        /// <summary>
        /// Starts a synchronization. ConfigMgr: SyncNow, or the inbox file when the SMS Provider cannot
        /// be reached. Wsus: StartSynchronization. Auto/Log: MECM first, else WSUS. Throws
        /// SyncAlreadyRunning when a source says one runs.
        /// </summary>
        public SyncTriggerResult Start(SyncSource source, bool fullSync, string? computerName, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            var name = computerName ?? string.Empty;
            if (source == SyncSource.Wsus)
            {
                return StartWsus(fullSync, name, cancellationToken, verbose);
            }

            try
            {
                return StartConfigMgr(fullSync, name, cancellationToken, verbose);
            }
            catch (WsusRemediationException ex) when (source != SyncSource.ConfigMgr && _wsus is not null && IsNoConfigMgrHere(ex))
            {
                verbose?.Invoke($"MECM could not start the synchronization ({ex.Message}); using the WSUS API.");
                return StartWsus(fullSync, name, cancellationToken, verbose);
            }
        }

        // Only a missing MECM sends Auto to WSUS: when the site answered but refused, starting WSUS
        // behind MECM's back would leave MECM's database out of step.
        private static bool IsNoConfigMgrHere(WsusRemediationException ex) =>
            ex.ErrorId == "ConfigMgrProviderUnavailable" || ex.ErrorId == "ConfigMgrInboxNotFound" || ex.ErrorId == "SyncSourceUnavailable";

        private SyncTriggerResult StartWsus(bool fullSync, string computerName, CancellationToken cancellationToken, Action<string>? verbose)
        {
            var wsus = _wsus ?? throw NotAvailable("WSUS API");
            if (fullSync)
            {
                throw new WsusRemediationException("FullSyncRequiresConfigMgr", EngineErrorKind.InvalidArgument, "A full synchronization is an MECM request (SyncNow(true) or FULL.SYN); the WSUS API has no such option.", computerName)
                {
                    RecommendedAction = "Use -Source ConfigMgr with -FullSync, or drop -FullSync.",
                };
            }

            var status = SyncReasoning.Merge(computerName, new[] { SyncReasoning.FromWsus(wsus.Read(1, cancellationToken), 1) }, _clock.UtcNow.UtcDateTime);
            RefuseIfRunning(status, computerName);
            var previousEnd = status.LastEndTime;
            var requestedAt = _clock.UtcNow.UtcDateTime;
            var joined = false;
            try
            {
                // A synchronization WSUS starts on its own after the check above makes this call do nothing
                // (ISubscription.StartSynchronization); the watcher then follows that one, which is what was asked.
                wsus.StartSynchronization(cancellationToken);
            }
            catch (WsusRemediationException ex) when (ex.ErrorId == "WsusSyncStartRefused" && IsRunningNow(wsus, cancellationToken))
            {
                // Documented to mean "stopping or saving its configuration"; should WSUS also throw because a
                // synchronization started meanwhile, that synchronization is the one to follow, not a failure.
                joined = true;
            }

            verbose?.Invoke(joined
                ? $"A synchronization started meanwhile on '{Display(computerName)}'; following it instead of starting another."
                : $"WSUS on '{Display(computerName)}' accepted StartSynchronization().");
            return new SyncTriggerResult { ComputerName = computerName, Source = SyncSource.Wsus, Method = SyncTriggerMethod.StartSynchronization, RequestedAt = requestedAt, PreviousEndTime = previousEnd, JoinedRunning = joined };
        }

        private static bool IsRunningNow(IWsusSyncApi wsus, CancellationToken cancellationToken)
        {
            try
            {
                var snapshot = wsus.Read(1, cancellationToken);
                return string.Equals(snapshot.Status, "Running", StringComparison.OrdinalIgnoreCase) || snapshot.Status == "1";
            }
            catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
            {
                return false; // the refusal stands
            }
        }

        private SyncTriggerResult StartConfigMgr(bool fullSync, string computerName, CancellationToken cancellationToken, Action<string>? verbose)
        {
            WsusRemediationException? providerFailure = null;
            if (_configMgr is not null)
            {
                try
                {
                    var site = _configMgr.Read(countUpdates: false, cancellationToken);
                    var observations = new List<SyncObservation> { SyncReasoning.FromConfigMgr(site, computerName) };
                    TryAddWsus(observations, cancellationToken);
                    var before = SyncReasoning.Merge(computerName, observations, _clock.UtcNow.UtcDateTime);
                    RefuseIfRunning(before, computerName);
                    var requestedAt = _clock.UtcNow.UtcDateTime;
                    _configMgr.SyncNow(fullSync, cancellationToken);
                    verbose?.Invoke($"MECM accepted SMS_SoftwareUpdate.SyncNow({fullSync.ToString().ToLowerInvariant()}).");
                    var topLevel = SiteHierarchy.TopLevelSiteOfChild(site);
                    if (topLevel is not null)
                    {
                        verbose?.Invoke($"Site {site.SiteCode} is a child of site {topLevel}: its update point synchronizes from its parent's; new updates from Microsoft come through site {topLevel}.");
                    }

                    return new SyncTriggerResult { ComputerName = computerName, Source = SyncSource.ConfigMgr, Method = SyncTriggerMethod.SyncNow, FullSync = fullSync, RequestedAt = requestedAt, PreviousEndTime = before.LastEndTime, TopLevelSiteCode = topLevel };
                }
                catch (WsusRemediationException ex) when (ex.Kind == EngineErrorKind.ConnectionError || ex.Kind == EngineErrorKind.ResourceUnavailable || ex.Kind == EngineErrorKind.NotInstalled)
                {
                    providerFailure = ex;
                    verbose?.Invoke($"The SMS Provider cannot be reached ({ex.Message}); dropping the request file into WSyncMgr.box instead.");
                }
            }

            if (_inbox is null)
            {
                throw providerFailure ?? NotAvailable("MECM SMS Provider");
            }

            var observationsWithoutMecm = new List<SyncObservation>();
            TryAddWsus(observationsWithoutMecm, cancellationToken);
            DateTime? previous = null;
            if (observationsWithoutMecm.Count > 0)
            {
                var before = SyncReasoning.Merge(computerName, observationsWithoutMecm, _clock.UtcNow.UtcDateTime);
                RefuseIfRunning(before, computerName);
                previous = before.LastEndTime;
            }

            var at = _clock.UtcNow.UtcDateTime;
            var file = _inbox.Drop(fullSync, cancellationToken);
            verbose?.Invoke($"Wrote '{file}'; SMS_WSUS_SYNC_MANAGER starts the synchronization when it sees it.");
            return new SyncTriggerResult { ComputerName = computerName, Source = SyncSource.ConfigMgr, Method = SyncTriggerMethod.InboxFile, FullSync = fullSync, RequestedAt = at, PreviousEndTime = previous, InboxFile = file };
        }

        private void TryAddWsus(List<SyncObservation> observations, CancellationToken cancellationToken)
        {
            if (_wsus is null)
            {
                return;
            }

            try
            {
                observations.Add(SyncReasoning.FromWsus(_wsus.Read(1, cancellationToken), 1));
            }
            catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
            {
                // WSUS may be down (that is often why a sync is being started); MECM's word is enough.
            }
        }

        /// <summary>Throws SyncAlreadyRunning when the status says a synchronization runs.</summary>
        public static void RefuseIfRunning(WsusSyncStatus status, string? computerName)
        {
            if (status is null || status.State != SyncState.Running)
            {
                return;
            }

            var progress = status.ProgressPercent is { } p ? $", {p}%" : string.Empty;
            throw new WsusRemediationException(
                "SyncAlreadyRunning",
                EngineErrorKind.ResourceBusy,
                $"A synchronization is already running on '{Display(computerName ?? status.ComputerName)}' ({status.Phase ?? "running"}{progress}); a second one was not started.",
                computerName)
            {
                RecommendedAction = "Follow it with Get-WsusSyncStatus, or wait for it to end and run Invoke-WsusSync again.",
            };
        }

        private static string Display(string? computerName) => string.IsNullOrEmpty(computerName) ? Environment.MachineName : computerName!;
    }
}
