using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// Everything the diagnosis rules look at, read once from an evidence set: the classified log and
    /// event records of the time window, the pool's settings, the sync history, services, WSUS's
    /// configuration, the content folder's access rules, registry values and network checks. A null
    /// member means that evidence was not there: the rules that need it report "not run".
    /// </summary>
    public sealed class SyncFacts
    {
        private readonly Dictionary<string, string> _display;

        internal SyncFacts(Dictionary<string, string> display) => _display = display;

        /// <summary>The computer the evidence is from (empty when nothing names it).</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>"Now" for the evidence: when it was collected, else its newest record. Never the clock when offline.</summary>
        public DateTime ReferenceTimeUtc { get; init; }

        /// <summary>The start of the time window; older records are not looked at.</summary>
        public DateTime SinceUtc { get; init; }

        /// <summary>The recognised records (a Kind or a Cause) of the window, in time order.</summary>
        public IReadOnlyList<LogEntry> Entries { get; init; } = Array.Empty<LogEntry>();

        /// <summary>The kinds of evidence file present.</summary>
        public IReadOnlyCollection<EvidenceFileKind> FileKinds { get; init; } = Array.Empty<EvidenceFileKind>();

        /// <summary>True when a wsyncmgr.log (the sync manager's log) is present.</summary>
        public bool HasSyncManagerLog { get; init; }

        /// <summary>True when System-log events are present.</summary>
        public bool HasSystemEvents { get; init; }

        /// <summary>True when Application-log events are present.</summary>
        public bool HasApplicationEvents { get; init; }

        /// <summary>WsusPool's settings against the profile, from applicationHost.config.</summary>
        public WsusPoolTuning? Pool { get; init; }

        /// <summary>Where the pool's settings were read.</summary>
        public string? PoolConfigurationSource { get; init; }

        /// <summary>The pool's state (Started, Stopped), live or from the bundle's state.</summary>
        public string? PoolState { get; init; }

        /// <summary>The synchronization history and streak, from wsyncmgr.log and SoftwareDistribution.log.</summary>
        public WsusSyncStatus? Sync { get; init; }

        /// <summary>MECM's software update count.</summary>
        public int? ConfigMgrUpdateCount { get; init; }

        /// <summary>Service states and start types.</summary>
        public IReadOnlyList<ServiceSnapshot>? Services { get; init; }

        /// <summary>Where the service states come from.</summary>
        public string? ServicesSource { get; init; }

        /// <summary>WSUS's upstream and proxy settings.</summary>
        public WsusServerConfiguration? Wsus { get; init; }

        /// <summary>The content folder's Read access.</summary>
        public ContentFolderAccess? ContentAccess { get; init; }

        /// <summary>Where the access rules come from.</summary>
        public string? ContentAccessSource { get; init; }

        /// <summary>Registry values (TLS, .NET strong cryptography, WSUS setup).</summary>
        public IReadOnlyList<RegistryValue>? Registry { get; init; }

        /// <summary>Where the registry values come from.</summary>
        public string? RegistrySource { get; init; }

        /// <summary>The live network checks.</summary>
        public IReadOnlyList<NetworkProbeResult>? NetworkProbes { get; init; }

        /// <summary>The last successful synchronization, UTC.</summary>
        public DateTime? LastSuccessUtc => Sync?.LastSuccessTime;

        /// <summary>True when a log or event file of that kind is present.</summary>
        public bool Has(EvidenceFileKind kind) => FileKinds.Contains(kind);

        /// <summary>How a record's file is named in findings.</summary>
        public string DisplayName(string file) => _display.TryGetValue(file, out var name) ? name : file;

        /// <summary>
        /// The records of these kinds (as Kind or Cause). A failed synchronization can give its reason twice in
        /// wsyncmgr.log, in status message 6703 and in the "Sync failed:" line a moment later; it is counted once, by the
        /// "Sync failed:" line. A 6703 on its own (a run that ended with it alone) counts.
        /// </summary>
        public IEnumerable<LogEntry> Of(params EvidenceKind[] kinds)
        {
            var matching = Entries.Where(e => Array.IndexOf(kinds, e.Kind) >= 0 || Array.IndexOf(kinds, e.Cause) >= 0).ToList();
            return matching.Where(e => Array.IndexOf(kinds, e.Kind) >= 0 || e.Kind != EvidenceKind.SyncStatusMessage || !HasFailedLineBeside(matching, e));
        }

        private static bool HasFailedLineBeside(List<LogEntry> entries, LogEntry statusMessage) =>
            entries.Exists(f => f.Kind == EvidenceKind.SyncFailed && f.Cause == statusMessage.Cause
                && string.Equals(f.File, statusMessage.File, StringComparison.OrdinalIgnoreCase)
                && f.TimeUtc is { } failed && statusMessage.TimeUtc is { } reported && Math.Abs((failed - reported).TotalSeconds) <= 60);
    }

    /// <summary>Options of one diagnosis.</summary>
    public sealed class DiagnosisOptions
    {
        /// <summary>The default time window: a week back from the reference time (as stale a success as the sync verdict tolerates).</summary>
        public static readonly TimeSpan DefaultWindow = SyncReasoning.StaleSuccessAge;

        /// <summary>Look at records from this time on; default: <see cref="DefaultWindow"/> before the reference time.</summary>
        public DateTime? SinceUtc { get; init; }

        /// <summary>The pool-tuning profile the pool is compared with.</summary>
        public PoolTuningProfileName Profile { get; init; } = PoolTuningProfileName.Recommended;

        /// <summary>The port the server's WSUS web services were reached at; the findings carry it (null: the scheme's default).</summary>
        public int? WsusPort { get; init; }

        /// <summary>Whether they were reached over HTTPS; the findings carry it.</summary>
        public bool UseSsl { get; init; }

        /// <summary>
        /// Refuses a -Since after the end of the evidence (<paramref name="evidenceEndUtc"/>: the newest record, or
        /// the collection time live): no record would be looked at, so every check that reads records would pass and
        /// the diagnosis would call a broken server healthy.
        /// </summary>
        public static void RequireSinceWithinEvidence(DateTime? sinceUtc, DateTime evidenceEndUtc, bool live)
        {
            if (sinceUtc is not { } since || evidenceEndUtc == DateTime.MinValue || since.ToUniversalTime() <= evidenceEndUtc)
            {
                return;
            }

            var end = evidenceEndUtc.ToString("u", CultureInfo.InvariantCulture);
            throw new WsusRemediationException(
                "SinceAfterEvidence",
                EngineErrorKind.InvalidArgument,
                $"-Since {since.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)} is after the end of the evidence ({end}, {(live ? "when it was collected" : "its newest record")}): no record would be looked at, and each check would pass for want of records. A time without a kind is local time.",
                since)
            {
                RecommendedAction = $"Give a time before {end}, or leave -Since out to look at the week before the end of the evidence.",
            };
        }
    }

    /// <summary>Reads an evidence set into <see cref="SyncFacts"/>.</summary>
    public static class SyncFactsBuilder
    {
        /// <summary>Reads every file once. Throws only for unreadable files (LogFileUnreadable) and a cancel.</summary>
        public static SyncFacts Build(EvidenceSet evidence, DiagnosisOptions? options, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            if (evidence is null)
            {
                throw new ArgumentNullException(nameof(evidence));
            }

            options ??= new DiagnosisOptions();
            var display = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var relevant = new List<LogEntry>();
            var syncEvents = new List<SyncLogEvent>();
            DateTime? newest = null;
            var hasSystem = false;
            var hasApplication = false;
            var hasSyncManager = false;
            string? computerFromEvents = null;
            var read = 0;
            var logFiles = evidence.Files.Where(f => f.Kind is EvidenceFileKind.MecmLog or EvidenceFileKind.SoftwareDistributionLog or EvidenceFileKind.HttpErrLog or EvidenceFileKind.EventXml).ToList();
            foreach (var file in logFiles)
            {
                display[Path.GetFullPath(file.Path)] = file.DisplayPath;
            }

            // The engine's reading plan (formats, rollover groups) and one timeline across the logs in UTC order.
            var summary = new LogReadSummary();
            var plan = LogReadPlan.Create(logFiles.Select(f => f.Path), new LogReadOptions { Order = LogOrder.Time }, ex => verbose?.Invoke(ex.Message));
            foreach (var entry in plan.Read(summary, ex => verbose?.Invoke(ex.Message), cancellationToken: cancellationToken))
            {
                if ((++read & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (entry.TimeUtc is { } time && (newest is null || time.UtcDateTime > newest))
                {
                    newest = time.UtcDateTime;
                }

                if (entry.Format == LogFormat.EventXml)
                {
                    var channel = entry.GetField("Channel");
                    hasSystem |= string.Equals(channel, "System", StringComparison.OrdinalIgnoreCase);
                    hasApplication |= string.Equals(channel, "Application", StringComparison.OrdinalIgnoreCase);
                    computerFromEvents ??= entry.GetField("Computer");
                }

                if (entry.Format is LogFormat.CMTrace or LogFormat.SmsSimple
                    && string.Equals(entry.Component, SyncLogParser.SyncManagerComponent, StringComparison.OrdinalIgnoreCase))
                {
                    hasSyncManager = true;
                }

                if (SyncLogParser.ToSyncEvent(entry) is { } syncEvent)
                {
                    syncEvents.Add(syncEvent);
                }

                if (entry.Kind != EvidenceKind.None || entry.Cause != EvidenceKind.None)
                {
                    relevant.Add(entry);
                }
            }

            verbose?.Invoke($"Read {summary.EntriesRead} records from {logFiles.Count} log and event file(s) in {plan.Groups.Count} log(s); {relevant.Count} recognised{(summary.SkippedCount > 0 ? $", {summary.SkippedCount} damaged records skipped" : string.Empty)}.");

            // Live, "now" is the collection; offline it is the newest record, so a bundle read a month later (or
            // repackaged from files copied by hand) gives the same findings. The manifest's time only stands in
            // when no record carries a time.
            var reference = (evidence.IsLive ? evidence.CollectedAtUtc : null) ?? newest ?? evidence.CollectedAtUtc ?? evidence.State?.CollectedAtUtc ?? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
            reference = DateTime.SpecifyKind(reference, DateTimeKind.Utc);
            DiagnosisOptions.RequireSinceWithinEvidence(options.SinceUtc, reference, evidence.IsLive);
            var since = options.SinceUtc?.ToUniversalTime() ?? (reference == DateTime.MinValue ? reference : reference - DiagnosisOptions.DefaultWindow);
            var window = relevant.Where(e => e.TimeUtc is null || e.TimeUtc.Value.UtcDateTime >= since).OrderBy(e => e.TimeUtc ?? DateTimeOffset.MinValue).ToList();

            WsusSyncStatus? sync = null;
            var syncFiles = evidence.Files.Where(f => f.Kind == EvidenceFileKind.SoftwareDistributionLog || (f.Kind == EvidenceFileKind.MecmLog && hasSyncManager)).ToList();
            if (syncFiles.Count > 0)
            {
                var inWindow = syncEvents.Where(e => e.Time >= since).OrderBy(e => e.Time).ToList();
                sync = SyncReasoning.Merge(evidence.ComputerName, new[] { SyncReasoning.FromEvidence(inWindow) }, reference, syncFiles.Select(f => f.DisplayPath).ToList(), historyCount: 1000);
            }

            var (pool, poolSource) = ReadPool(evidence, options, verbose);
            var services = evidence.OfKind(EvidenceFileKind.ServiceStates).LastOrDefault();
            var acl = evidence.OfKind(EvidenceFileKind.AccessControlList).LastOrDefault();
            var registryFiles = evidence.OfKind(EvidenceFileKind.RegistryExport).ToList();
            var registry = registryFiles.SelectMany(f => RegistryExport.Parse(ReadText(f.Path))).ToList();
            var state = evidence.State;
            var wsus = state?.Wsus;
            var contentDir = RegistryExport.Find(registry, @"Update Services\Server\Setup", "ContentDir")?.Value as string;
            if (contentDir is not null && wsus?.ContentDirectory is null)
            {
                wsus = wsus is null ? new WsusServerConfiguration { ContentDirectory = contentDir } : Copy(wsus, contentDir);
            }

            var computer = FirstNonEmpty(evidence.ComputerName, state?.ComputerName, sync?.ComputerName, computerFromEvents);
            return new SyncFacts(display)
            {
                ComputerName = computer ?? string.Empty,
                ReferenceTimeUtc = reference,
                SinceUtc = since,
                Entries = window,
                FileKinds = evidence.Files.Select(f => f.Kind).Distinct().ToList(),
                HasSyncManagerLog = hasSyncManager,
                HasSystemEvents = hasSystem,
                HasApplicationEvents = hasApplication,
                Pool = pool,
                PoolConfigurationSource = poolSource,
                PoolState = state?.PoolState,
                Sync = sync,
                ConfigMgrUpdateCount = state?.ConfigMgrUpdateCount,
                Services = services is null ? null : ServerStateFile.ParseServiceCsv(ReadText(services.Path)),
                ServicesSource = services?.DisplayPath,
                Wsus = wsus,
                ContentAccess = acl is null ? null : ContentFolderAccess.FromIcaclsSave(ReadText(acl.Path)),
                ContentAccessSource = acl?.DisplayPath,
                Registry = registryFiles.Count == 0 ? null : registry,
                RegistrySource = registryFiles.Count == 0 ? null : string.Join(", ", registryFiles.Select(f => f.DisplayPath)),
                NetworkProbes = state is null || state.NetworkProbes.Count == 0 ? null : state.NetworkProbes,
            };
        }

        private static (WsusPoolTuning? Pool, string? Source) ReadPool(EvidenceSet evidence, DiagnosisOptions options, Action<string>? verbose)
        {
            foreach (var file in evidence.OfKind(EvidenceFileKind.ApplicationHostConfig).Reverse())
            {
                try
                {
                    var document = ApplicationHostDocument.Parse(file.Path, File.ReadAllBytes(file.Path));
                    var name = evidence.State?.PoolName ?? PoolTuningService.FindWsusPoolName(document);
                    return (PoolTuningService.Read(document, name, options.Profile, evidence.ComputerName ?? string.Empty, evidence.State?.PoolState), file.DisplayPath);
                }
                catch (WsusRemediationException ex)
                {
                    verbose?.Invoke($"{file.DisplayPath}: {ex.Message}");
                }
            }

            return (null, null);
        }

        private static WsusServerConfiguration Copy(WsusServerConfiguration wsus, string contentDir) => new WsusServerConfiguration
        {
            SyncFromMicrosoftUpdate = wsus.SyncFromMicrosoftUpdate,
            UpstreamServerName = wsus.UpstreamServerName,
            UpstreamServerPort = wsus.UpstreamServerPort,
            UpstreamServerUseSsl = wsus.UpstreamServerUseSsl,
            UseProxy = wsus.UseProxy,
            ProxyName = wsus.ProxyName,
            ProxyServerPort = wsus.ProxyServerPort,
            ProxyUserName = wsus.ProxyUserName,
            ProxyUserDomain = wsus.ProxyUserDomain,
            AnonymousProxyAccess = wsus.AnonymousProxyAccess,
            ContentDirectory = contentDir,
        };

        private static string ReadText(string path)
        {
            using var reader = LogFileOpener.OpenText(path, out _, out _);
            return reader.ReadToEnd();
        }

        private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));
    }
}
