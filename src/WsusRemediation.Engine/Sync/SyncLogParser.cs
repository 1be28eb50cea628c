using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// A small parser for just the synchronization lines of wsyncmgr.log (simple <c>$$&lt;…&gt;</c> and
    /// CMTrace formats) and SoftwareDistribution.log (<c>EventId=38x</c>). The general log readers can
    /// replace it behind <see cref="ISyncEvidenceSource"/>.
    /// </summary>
    public static class SyncLogParser
    {
        private static readonly Regex SimpleLine = new Regex(
            @"^(?<msg>.*?)\s*\$\$<(?<comp>[^>]*)><(?<date>\d{1,2}-\d{1,2}-\d{4}) (?<time>\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)(?<bias>[+-]\d+)?><thread=",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex CmTraceRecord = new Regex(
            @"<!\[LOG\[(?<msg>.*?)\]LOG\]!><time=""(?<time>\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)(?<bias>[+-]\d+)?""\s+date=""(?<date>\d{1,2}-\d{1,2}-\d{4})""(?:\s+component=""(?<comp>[^""]*)"")?",
            RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.Singleline);

        private static readonly Regex SoftwareDistributionLine = new Regex(
            @"^(?<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?)\s+UTC\s+(?<rest>.*)$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex WsusEvent = new Regex(
            @"EventId=(?<id>\d+),Type=(?<type>[^,]*),Category=(?<cat>[^,]*),Message=(?<msg>.*)$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

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

        /// <summary>The phase MECM's status messages 6704–6706 and wsyncmgr.log's lines name.</summary>
        public const string PhaseWsusServer = "Synchronizing WSUS server";

        /// <summary>wsyncmgr's second half: copying the catalog into the site database.</summary>
        public const string PhaseSiteDatabase = "Synchronizing site database";

        /// <summary>Parses the text of one log file. <paramref name="location"/> names the file in each event.</summary>
        public static IReadOnlyList<SyncLogEvent> Parse(string text, string location)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var events = new List<SyncLogEvent>();
            if (text.IndexOf("<![LOG[", StringComparison.Ordinal) >= 0)
            {
                // CMTrace records may span lines; each one ends with its attribute block.
                foreach (Match m in CmTraceRecord.Matches(text))
                {
                    var line = 1 + CountNewlines(text, m.Index);
                    var time = LocalWithBias(m.Groups["date"].Value, m.Groups["time"].Value, m.Groups["bias"].Value);
                    AddWsyncmgr(events, m.Groups["msg"].Value, time, $"{location}:{line}");
                }

                return events;
            }

            var lineNumber = 0;
            using var reader = new StringReader(text);
            string? raw;
            while ((raw = reader.ReadLine()) is not null)
            {
                lineNumber++;
                var where = $"{location}:{lineNumber}";
                var sd = SoftwareDistributionLine.Match(raw);
                if (sd.Success)
                {
                    AddSoftwareDistribution(events, sd, where);
                    continue;
                }

                var simple = SimpleLine.Match(raw);
                if (simple.Success)
                {
                    var time = LocalWithBias(simple.Groups["date"].Value, simple.Groups["time"].Value, simple.Groups["bias"].Value);
                    AddWsyncmgr(events, simple.Groups["msg"].Value, time, where);
                }
            }

            return events;
        }

        private static int CountNewlines(string text, int end)
        {
            var count = 0;
            for (var i = 0; i < end; i++)
            {
                if (text[i] == '\n')
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>MECM log times are local time plus the time-zone bias in minutes (UTC = local + bias).</summary>
        internal static DateTime? LocalWithBias(string date, string time, string bias)
        {
            var formats = new[] { "M-d-yyyy H:mm:ss.FFFFFFF", "M-d-yyyy H:mm:ss" };
            if (!DateTime.TryParseExact($"{date} {time}", formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                return null;
            }

            var minutes = int.TryParse(bias, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b) ? b : 0;
            return DateTime.SpecifyKind(local.AddMinutes(minutes), DateTimeKind.Utc);
        }

        private static void AddSoftwareDistribution(List<SyncLogEvent> events, Match line, string where)
        {
            var e = WsusEvent.Match(line.Groups["rest"].Value);
            if (!e.Success || !DateTime.TryParseExact(line.Groups["ts"].Value, new[] { "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss" }, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                return;
            }

            var message = e.Groups["msg"].Value.Trim();
            SyncLogEventKind kind;
            bool? manual = null;
            switch (e.Groups["id"].Value)
            {
                case "381": kind = SyncLogEventKind.Started; manual = false; break;
                case "382": kind = SyncLogEventKind.Started; manual = true; break;
                case "384": kind = SyncLogEventKind.Succeeded; break;
                // 386/387 as failure/cancel is inferred from scripts that pair them with 381/382 (see the research notes).
                case "386": kind = SyncLogEventKind.Failed; break;
                case "387": kind = SyncLogEventKind.Cancelled; break;
                default: return;
            }

            events.Add(new SyncLogEvent
            {
                Time = DateTime.SpecifyKind(time, DateTimeKind.Utc),
                Log = SyncLogKind.SoftwareDistribution,
                Kind = kind,
                Message = message,
                StartedManually = manual,
                Error = kind == SyncLogEventKind.Cancelled ? "UserCanceled" : null,
                Location = where,
            });
        }

        private static void AddWsyncmgr(List<SyncLogEvent> events, string rawMessage, DateTime? time, string where)
        {
            if (time is null)
            {
                return;
            }

            // The simple format writes embedded newlines as "~~".
            var message = rawMessage.Replace("~~", "\n").Trim();
            var e = ClassifyWsyncmgr(message);
            if (e is null)
            {
                return;
            }

            events.Add(new SyncLogEvent
            {
                Time = time.Value,
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
            });
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
                var done = long.Parse(progress.Groups["done"].Value, CultureInfo.InvariantCulture);
                var total = long.Parse(progress.Groups["total"].Value, CultureInfo.InvariantCulture);
                int? pct = progress.Groups["pct"].Success ? int.Parse(progress.Groups["pct"].Value, CultureInfo.InvariantCulture) : null;
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

    /// <summary>Reads sync events from wsyncmgr.log / SoftwareDistribution.log files or folders that hold them.</summary>
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
                if (File.Exists(path))
                {
                    _files.Add(Path.GetFullPath(path));
                }
                else if (Directory.Exists(path))
                {
                    _files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsSyncLogName).OrderBy(f => f, StringComparer.OrdinalIgnoreCase));
                }
                else
                {
                    throw new WsusRemediationException("LogFileNotFound", EngineErrorKind.ObjectNotFound, $"'{path}' does not exist.", path);
                }
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
        }

        /// <inheritdoc />
        public IReadOnlyList<string> Paths => _files;

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
            foreach (var file in _files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                events.AddRange(SyncLogParser.Parse(ReadShared(file), file));
            }

            return events.OrderBy(e => e.Time).ToList();
        }

        private static string ReadShared(string path)
        {
            try
            {
                // The writer keeps the log open; FileShare.ReadWrite lets us read it anyway.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
                return reader.ReadToEnd();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new WsusRemediationException("LogFileUnreadable", ex is UnauthorizedAccessException ? EngineErrorKind.PermissionDenied : EngineErrorKind.ReadError, $"'{path}' could not be read: {ex.Message}", path, ex);
            }
        }
    }
}
