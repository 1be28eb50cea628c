using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// What synchronization lines mean: wsyncmgr.log's start/phase/progress/done/failed lines and
    /// status messages, SoftwareDistribution.log's <c>EventId=38x</c> records. The general evidence
    /// readers (<see cref="EvidenceReader"/>) do the file formats (CMTrace, simple, SoftwareDistribution,
    /// rollover, encodings); this class only turns their entries into <see cref="SyncLogEvent"/>s.
    /// </summary>
    public static class SyncLogParser
    {
        /// <summary>The MECM component that writes wsyncmgr.log.</summary>
        public const string SyncManagerComponent = "SMS_WSUS_SYNC_MANAGER";

        private static readonly Regex StatusMessage = new Regex(
            @"^STATMSG: ID=(?<id>\d+)\b(?:.*?\bSYS=(?<sys>\S+))?",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex ProgressLine = new Regex(
            @"^sync: WSUS synchronizing (?<what>\w+), processed (?<done>\d+) out of (?<total>\d+) items(?: \((?<pct>\d+)%\))?",
            RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private static readonly Regex FailedLine = new Regex(
            @"^Sync failed[:.]?\s*(?<text>.*)$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline);

        private static readonly Regex ErrorName = new Regex(@"^(?<name>[A-Za-z]+Error)\b", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex InsertionString = new Regex(
            @"\bISTR\d=""(?<text>[^""]*)""",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        /// <summary>What a failure read from status message 6703 alone says, in front of its insertion strings.</summary>
        public const string StatusMessageFailurePrefix = "WSUS Synchronization failed (status message 6703): ";

        /// <summary>The phase MECM's status messages 6704–6706 and wsyncmgr.log's lines name.</summary>
        public const string PhaseWsusServer = "Synchronizing WSUS server";

        /// <summary>wsyncmgr's second half: copying the catalog into the site database.</summary>
        public const string PhaseSiteDatabase = "Synchronizing site database";

        /// <summary>Parses the text of one log file (any format the evidence readers know). <paramref name="location"/> names it in each event.</summary>
        public static IReadOnlyList<SyncLogEvent> Parse(string text, string location)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var format = EvidenceReader.DetectFormat(text.Length > 16384 ? text.Substring(0, 16384) : text, location);
            using var reader = new StringReader(text);
            return EvidenceReader.ReadText(reader, location, format).Select(ToSyncEvent).Where(e => e is not null).Select(e => e!).ToList();
        }

        /// <summary>The synchronization meaning of one evidence entry, or null when it has none.</summary>
        public static SyncLogEvent? ToSyncEvent(LogEntry entry)
        {
            if (entry?.TimeUtc is not { } time)
            {
                return null;
            }

            var where = $"{entry.File}:{entry.Line}";
            switch (entry.Format)
            {
                case LogFormat.SoftwareDistribution:
                    return FromSoftwareDistribution(entry.GetField("EventId"), entry.Message.Trim(), time.UtcDateTime, where);
                case LogFormat.CMTrace:
                case LogFormat.SmsSimple:
                    // WCM.log and other MECM logs may sit in the same folder; only the sync manager's lines count.
                    var isSyncManager = string.IsNullOrEmpty(entry.Component)
                        || string.Equals(entry.Component, SyncManagerComponent, StringComparison.OrdinalIgnoreCase)
                        || Path.GetFileName(entry.File).StartsWith("wsyncmgr", StringComparison.OrdinalIgnoreCase);
                    return isSyncManager ? FromWsyncmgr(entry.Message, time.UtcDateTime, where) : null;
                default:
                    return null;
            }
        }

        private static SyncLogEvent? FromSoftwareDistribution(string? eventId, string message, DateTime time, string where)
        {
            SyncLogEventKind kind;
            bool? manual = null;
            switch (eventId)
            {
                case "381": kind = SyncLogEventKind.Started; manual = false; break;
                case "382": kind = SyncLogEventKind.Started; manual = true; break;
                case "384": kind = SyncLogEventKind.Succeeded; break;
                // 386/387 as failure/cancel is inferred from scripts that pair them with 381/382 (see the research notes).
                case "386": kind = SyncLogEventKind.Failed; break;
                case "387": kind = SyncLogEventKind.Cancelled; break;
                default: return null;
            }

            return new SyncLogEvent
            {
                Time = DateTime.SpecifyKind(time, DateTimeKind.Utc),
                Log = SyncLogKind.SoftwareDistribution,
                Kind = kind,
                Message = message,
                StartedManually = manual,
                Error = kind == SyncLogEventKind.Cancelled ? "UserCanceled" : null,
                Location = where,
            };
        }

        private static SyncLogEvent? FromWsyncmgr(string rawMessage, DateTime time, string where)
        {
            var message = rawMessage.Replace("~~", "\n").Trim();
            var e = ClassifyWsyncmgr(message);
            if (e is null)
            {
                return null;
            }

            // A run ended by status message 6703 reports its insertion strings (the error text and
            // its source), not the STATMSG line with its process ids and empty ISTR fields.
            if (e.Value.Kind == SyncLogEventKind.Failed && message.StartsWith("STATMSG:", StringComparison.Ordinal))
            {
                message = StatusMessageFailureText(message);
            }

            return new SyncLogEvent
            {
                Time = DateTime.SpecifyKind(time, DateTimeKind.Utc),
                Log = SyncLogKind.Wsyncmgr,
                Kind = e.Value.Kind,
                Message = message,
                Phase = e.Value.Phase,
                ProcessedItems = e.Value.Done,
                TotalItems = e.Value.Total,
                Percent = e.Value.Percent,
                Error = e.Value.Error,
                StartedManually = e.Value.Manual,
                ComputerName = e.Value.Computer,
                Location = where,
            };
        }

        /// <summary>The text of a 6703 status message: its non-empty insertion strings, in order.</summary>
        internal static string StatusMessageFailureText(string statusMessage)
        {
            var texts = InsertionString.Matches(statusMessage).Cast<Match>()
                .Select(m => m.Groups["text"].Value.Trim())
                .Where(t => t.Length > 0)
                .ToList();
            return texts.Count == 0 ? StatusMessageFailurePrefix.TrimEnd(' ', ':') : StatusMessageFailurePrefix + string.Join("; ", texts);
        }

        private static (SyncLogEventKind Kind, string? Phase, long? Done, long? Total, int? Percent, string? Error, bool? Manual, string? Computer)? ClassifyWsyncmgr(string message)
        {
            bool Starts(string prefix) => message.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

            var statMsg = StatusMessage.Match(message);
            if (statMsg.Success)
            {
                var sys = statMsg.Groups["sys"].Success ? statMsg.Groups["sys"].Value : null;
                switch (statMsg.Groups["id"].Value)
                {
                    case "6701": return (SyncLogEventKind.Started, null, null, null, null, null, null, sys);
                    case "6702": return (SyncLogEventKind.Succeeded, null, null, null, null, null, null, sys);
                    case "6703": return (SyncLogEventKind.Failed, null, null, null, null, null, null, sys);
                    case "6704": return (SyncLogEventKind.Phase, PhaseWsusServer, null, null, null, null, null, sys);
                    case "6705": return (SyncLogEventKind.Phase, PhaseSiteDatabase, null, null, null, null, null, sys);
                    case "6706": return (SyncLogEventKind.Phase, "Synchronizing Internet-facing WSUS server", null, null, null, null, null, sys);
                    default: return null;
                }
            }

            // "Sync succeeded. Setting sync alert to canceled state…" is a success despite the word "canceled".
            if (Starts("Sync succeeded"))
            {
                return (SyncLogEventKind.Succeeded, null, null, null, null, null, null, null);
            }

            var failed = FailedLine.Match(message);
            if (failed.Success)
            {
                var text = failed.Groups["text"].Value.Trim();
                var name = ErrorName.Match(text);
                // No wsyncmgr cancellation line is documented; a failure whose text speaks of a cancel is taken as one.
                var cancelled = text.IndexOf("cancel", StringComparison.OrdinalIgnoreCase) >= 0;
                return (cancelled ? SyncLogEventKind.Cancelled : SyncLogEventKind.Failed, null, null, null, null, name.Success ? name.Groups["name"].Value : null, null, null);
            }

            var progress = ProgressLine.Match(message);
            if (progress.Success)
            {
                // A damaged line may carry digits that overflow; it then reports no counts rather than failing the read.
                long? done = long.TryParse(progress.Groups["done"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
                long? total = long.TryParse(progress.Groups["total"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
                int? pct = !progress.Groups["pct"].Success ? null
                    : long.TryParse(progress.Groups["pct"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? (int)Math.Min(100, p) : 100;
                return (SyncLogEventKind.Progress, $"{PhaseWsusServer} ({progress.Groups["what"].Value.ToLowerInvariant()})", done, total, pct, null, null, null);
            }

            if (Starts("Starting Sync"))
            {
                return (SyncLogEventKind.Started, null, null, null, null, null, null, null);
            }

            if (Starts("Performing sync on local request"))
            {
                return (SyncLogEventKind.Started, null, null, null, null, null, true, null);
            }

            if (Starts("Performing sync on regular schedule"))
            {
                return (SyncLogEventKind.Started, null, null, null, null, null, false, null);
            }

            if (Starts("sync: WSUS synchronizing categories"))
            {
                return (SyncLogEventKind.Phase, PhaseWsusServer + " (categories)", null, null, null, null, null, null);
            }

            if (Starts("sync: WSUS synchronizing updates"))
            {
                return (SyncLogEventKind.Phase, PhaseWsusServer + " (updates)", null, null, null, null, null, null);
            }

            if (Starts("sync: Starting WSUS synchronization") || Starts("Synchronizing WSUS server"))
            {
                return (SyncLogEventKind.Phase, PhaseWsusServer, null, null, null, null, null, null);
            }

            if (Starts("Sleeping") && message.IndexOf("sync results", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return (SyncLogEventKind.Phase, "Waiting for the WSUS server's results", null, null, null, null, null, null);
            }

            if (Starts("Synchronizing SMS database"))
            {
                return (SyncLogEventKind.Phase, PhaseSiteDatabase, null, null, null, null, null, null);
            }

            if (Starts("Sync time:"))
            {
                return (SyncLogEventKind.Finished, null, null, null, null, null, null, null);
            }

            return null;
        }
    }

    /// <summary>
    /// Reads sync events from wsyncmgr.log / SoftwareDistribution.log files or folders that hold them,
    /// through the general evidence readers (formats, rollover order, encodings).
    /// </summary>
    public sealed class SyncLogFiles : ISyncEvidenceSource
    {
        private readonly List<string> _files;

        /// <summary>
        /// Takes files and folders. A folder is searched (with its subfolders) for wsyncmgr*.log/.lo_ and
        /// SoftwareDistribution*.log/.lo_. Throws LogFileNotFound for a missing path and SyncLogNotFound
        /// when nothing to read was found.
        /// </summary>
        public SyncLogFiles(IEnumerable<string> paths)
        {
            _files = new List<string>();
            foreach (var path in paths ?? throw new ArgumentNullException(nameof(paths)))
            {
                _files.AddRange(FilesIn(path));
            }

            if (_files.Count == 0)
            {
                throw new WsusRemediationException(
                    "SyncLogNotFound",
                    EngineErrorKind.ObjectNotFound,
                    "No wsyncmgr.log or SoftwareDistribution.log was found in the paths given.",
                    string.Join(", ", paths))
                {
                    RecommendedAction = @"Collect wsyncmgr.log from the site server's Logs folder and SoftwareDistribution.log from '%ProgramFiles%\Update Services\LogFiles'.",
                };
            }

            Paths = EvidenceReader.OrderForReading(_files);
        }

        /// <summary>
        /// The sync logs a path names: the file itself, or the wsyncmgr/SoftwareDistribution logs under a
        /// folder (possibly none). Throws LogFileNotFound when the path does not exist and
        /// LogFolderUnreadable when the folder cannot be searched, so a caller can check each path of
        /// several on its own and read the others.
        /// </summary>
        public static IReadOnlyList<string> FilesIn(string path)
        {
            if (File.Exists(path))
            {
                return new[] { Path.GetFullPath(path) };
            }
            else if (Directory.Exists(path))
            {
                try
                {
                    return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsSyncLogName).OrderBy(f => f, StringComparer.OrdinalIgnoreCase).ToList();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
                {
                    // One subfolder closed to the user stops .NET Framework's whole search.
                    throw new WsusRemediationException("LogFolderUnreadable", ex is IOException ? EngineErrorKind.ReadError : EngineErrorKind.PermissionDenied, $"'{path}' cannot be searched for logs: {ex.Message}", path, ex)
                    {
                        RecommendedAction = "Name the folder that holds wsyncmgr.log or SoftwareDistribution.log, or the files themselves.",
                    };
                }
            }
            else
            {
                throw new WsusRemediationException("LogFileNotFound", EngineErrorKind.ObjectNotFound, $"'{path}' does not exist.", path);
            }
        }

        /// <summary>The files read, in reading order: each <c>.lo_</c> right before its <c>.log</c>, also when only the <c>.log</c> was named.</summary>
        public IReadOnlyList<string> Paths { get; }

        /// <summary>True for the file names this parser reads.</summary>
        public static bool IsSyncLogName(string path)
        {
            var name = Path.GetFileName(path);
            var extension = Path.GetExtension(name);
            var known = name.StartsWith("wsyncmgr", StringComparison.OrdinalIgnoreCase) || name.StartsWith("SoftwareDistribution", StringComparison.OrdinalIgnoreCase);
            return known && (extension.Equals(".log", StringComparison.OrdinalIgnoreCase) || extension.Equals(".lo_", StringComparison.OrdinalIgnoreCase));
        }

        /// <inheritdoc />
        public IReadOnlyList<SyncLogEvent> ReadEvents(CancellationToken cancellationToken)
        {
            var events = new List<SyncLogEvent>();
            var read = 0;
            foreach (var entry in EvidenceReader.Read(Paths))
            {
                if ((++read & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (SyncLogParser.ToSyncEvent(entry) is { } e)
                {
                    events.Add(e);
                }
            }

            return events.OrderBy(e => e.Time).ToList();
        }
    }
}
