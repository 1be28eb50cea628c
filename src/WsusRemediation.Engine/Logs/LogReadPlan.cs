using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>How the entries of several logs come out.</summary>
    public enum LogOrder
    {
        /// <summary>One stream in UTC time order, merged while reading (the default).</summary>
        Time = 0,

        /// <summary>Log after log, each in its own order (folder, then name, a <c>.lo_</c> before its <c>.log</c>).</summary>
        File = 1,
    }

    /// <summary>What to read from the logs and how: the filter, the tail, the order and whether to follow them.</summary>
    public sealed class LogReadOptions
    {
        /// <summary>Which entries are returned; null returns all. <see cref="LogFilter.Since"/> also lets whole files and the start of time-ordered files be skipped.</summary>
        public LogFilter? Filter { get; init; }

        /// <summary>When above zero, only the last this many entries (after the filter) of each log; a <c>.log</c> and its <c>.lo_</c> are one log, and so is each event channel.</summary>
        public int Tail { get; init; }

        /// <summary>Time order across logs (the default) or file order.</summary>
        public LogOrder Order { get; init; } = LogOrder.Time;

        /// <summary>Keep reading new lines as the logs grow (<c>-Wait</c>); entries then come in file order and as they are written.</summary>
        public bool Follow { get; init; }

        /// <summary>With <see cref="Follow"/>, how often to look for new lines.</summary>
        public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

        /// <summary>With <see cref="Follow"/>, how long to follow.</summary>
        public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(2);

        /// <summary>
        /// Reads every file from its top to its end, leaving nothing out: no file skipped for <see cref="LogFilter.Since"/>,
        /// no seek, no backward tail. The result is the same unless a log's times run back by more than
        /// <see cref="LogReadPlan.TimeDisorderAllowance"/> (a clock set back); checks compare partial reads with it.
        /// </summary>
        public bool WholeFiles { get; init; }

        /// <summary>Files smaller than this are read whole even for a tail or a bound (tests set 0 to read every fixture partially).</summary>
        internal long PartialReadsFrom { get; init; } = PartialLogReader.DefaultWholeFileBelow;
    }

    /// <summary>A file the plan reads (or leaves out), with what was found out about it while planning.</summary>
    public sealed class PlannedLogFile
    {
        internal PlannedLogFile(string path, LogFormat format, long length, DateTime lastWriteTimeUtc)
        {
            Path = path;
            Format = format;
            Length = length;
            LastWriteTimeUtc = lastWriteTimeUtc;
        }

        /// <summary>The full path.</summary>
        public string Path { get; }

        /// <summary>The format detected from its content.</summary>
        public LogFormat Format { get; }

        /// <summary>Its size in bytes when planned.</summary>
        public long Length { get; }

        /// <summary>Its last write time (UTC) when planned.</summary>
        public DateTime LastWriteTimeUtc { get; }

        /// <summary>Why the file is not read (null when it is): every entry in it is older than <see cref="LogFilter.Since"/>.</summary>
        public string? SkipReason { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => Path;
    }

    /// <summary>One log: a file and its rollover (<c>wsyncmgr.lo_</c> then <c>wsyncmgr.log</c>), read as one sequence.</summary>
    public sealed class LogFileGroup
    {
        internal LogFileGroup(string name, IReadOnlyList<PlannedLogFile> files)
        {
            Name = name;
            Files = files;
        }

        /// <summary>The folder and the name shared by the files (<c>C:\Logs\wsyncmgr</c>).</summary>
        public string Name { get; }

        /// <summary>The files in reading order, older first, including those left out (see <see cref="PlannedLogFile.SkipReason"/>).</summary>
        public IReadOnlyList<PlannedLogFile> Files { get; }

        /// <summary>The files that are read.</summary>
        public IEnumerable<PlannedLogFile> FilesToRead => Files.Where(f => f.SkipReason is null);
    }

    /// <summary>
    /// The one place that decides how evidence files are read: which files (a named <c>.log</c> brings its
    /// <c>.lo_</c>; files in no known format are reported, not read), in which groups and order, with which
    /// tail, time bound and follow mode, and then reads them. <c>Get-WsusSyncLog</c>, the diagnosis and the
    /// tests all read logs through it.
    /// </summary>
    /// <example>
    /// <code>
    /// var plan = LogReadPlan.ForPaths(new[] { @"C:\Evidence" }, new LogReadOptions { Filter = new LogFilter { Since = since } }, problems.Add);
    /// foreach (var entry in plan.Read(summary, problems.Add)) { ... }   // one timeline, oldest first
    /// </code>
    /// </example>
    public sealed class LogReadPlan
    {
        private LogReadPlan(IReadOnlyList<LogFileGroup> groups, LogReadOptions options)
        {
            Groups = groups;
            Options = options;
        }

        /// <summary>
        /// How far back a log's times may run (a thread that wrote late, a component still on the old time-zone bias for
        /// an hour after a daylight-saving change) without a partial read losing entries: with a <see cref="LogFilter.Since"/>
        /// bound, files are skipped and reading starts only where everything before is older than the bound minus this.
        /// </summary>
        public static TimeSpan TimeDisorderAllowance { get; } = TimeSpan.FromHours(2);

        /// <summary>The options the plan was made with.</summary>
        public LogReadOptions Options { get; }

        /// <summary>The logs, in file order.</summary>
        public IReadOnlyList<LogFileGroup> Groups { get; }

        /// <summary>Every file that will be read, in file order.</summary>
        public IEnumerable<PlannedLogFile> FilesToRead => Groups.SelectMany(g => g.FilesToRead);

        /// <summary>Files left out because nothing in them can pass the time bound.</summary>
        public IEnumerable<PlannedLogFile> SkippedFiles => Groups.SelectMany(g => g.Files).Where(f => f.SkipReason is not null);

        /// <summary>
        /// Plans the reading of files, folders or wildcard paths (see <see cref="EvidenceReader.ExpandPath"/>).
        /// A path that finds nothing, or a file that cannot be read or is in no known format, goes to
        /// <paramref name="onProblem"/> (ids <c>LogFileNotFound</c>, <c>LogFileUnreadable</c>,
        /// <c>LogFormatNotRecognized</c>) and the rest is planned; without a handler the first problem is thrown.
        /// </summary>
        public static LogReadPlan ForPaths(IEnumerable<string> paths, LogReadOptions? options = null, Action<WsusRemediationException>? onProblem = null)
        {
            if (paths is null)
            {
                throw new ArgumentNullException(nameof(paths));
            }

            var report = onProblem ?? (ex => throw ex);
            var files = new List<string>();
            foreach (var path in paths)
            {
                try
                {
                    files.AddRange(EvidenceReader.ExpandPath(path));
                }
                catch (WsusRemediationException ex)
                {
                    report(ex);
                }
            }

            return Create(files, options, onProblem);
        }

        /// <summary>
        /// Plans the reading of files already found (no wildcards or folders): orders them, adds the <c>.lo_</c>
        /// of a named <c>.log</c>, detects formats, groups each log with its rollover, and with a
        /// <see cref="LogFilter.Since"/> bound leaves out the files in which nothing is that recent.
        /// Problems go to <paramref name="onProblem"/> as in <see cref="ForPaths"/>.
        /// </summary>
        public static LogReadPlan Create(IEnumerable<string> files, LogReadOptions? options = null, Action<WsusRemediationException>? onProblem = null)
        {
            if (files is null)
            {
                throw new ArgumentNullException(nameof(files));
            }

            options ??= new LogReadOptions();
            if (options.Tail < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.Tail, "The tail must not be negative.");
            }

            var report = onProblem ?? (ex => throw ex);
            var groups = new List<LogFileGroup>();
            string? groupName = null;
            List<PlannedLogFile>? groupFiles = null;
            foreach (var file in EvidenceReader.OrderForReading(files))
            {
                PlannedLogFile planned;
                try
                {
                    var format = EvidenceReader.DetectFormat(file, out var blank);
                    if (format == LogFormat.Unknown && !(blank && options.Follow))
                    {
                        // A file with no text yet has nothing to read, which is no error; followed, it is watched
                        // until its first line says what it is.
                        if (!blank)
                        {
                            report(EvidenceReader.Unrecognized(file));
                        }

                        continue;
                    }

                    var info = new FileInfo(file);
                    planned = new PlannedLogFile(file, format, info.Length, info.LastWriteTimeUtc);
                }
                catch (WsusRemediationException ex)
                {
                    report(ex);
                    continue;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    report(EvidenceReader.Unreadable(file, ex));
                    continue;
                }

                var name = Path.Combine(Path.GetDirectoryName(file) ?? string.Empty, EvidenceReader.RolloverGroup(file));
                if (groupFiles is null || !string.Equals(name, groupName, StringComparison.OrdinalIgnoreCase))
                {
                    groupFiles = new List<PlannedLogFile>();
                    groups.Add(new LogFileGroup(name, groupFiles));
                    groupName = name;
                }

                groupFiles.Add(planned);
            }

            var since = options.Filter?.Since;
            if (since.HasValue && !options.Follow && !options.WholeFiles)
            {
                foreach (var planned in groups.SelectMany(g => g.Files))
                {
                    SkipIfOlder(planned, since.Value, options.PartialReadsFrom, report);
                }
            }

            return new LogReadPlan(groups, options);
        }

        /// <summary>
        /// Reads the plan: the logs (and, when <paramref name="liveEvents"/> is given, the known events of each
        /// channel) merged into one stream in UTC time order, or one after the other with <see cref="LogOrder.File"/>,
        /// or followed as they grow with <see cref="LogReadOptions.Follow"/> (which needs <paramref name="clock"/>).
        /// A log that fails while it is read goes to <paramref name="onProblem"/> (<c>LogFileUnreadable</c>, or the
        /// engine's own error) and the others go on; without a handler the error is thrown. Cancelling the token
        /// ends a followed read with <see cref="OperationCanceledException"/>.
        /// </summary>
        public IEnumerable<LogEntry> Read(
            LogReadSummary summary,
            Action<WsusRemediationException>? onProblem = null,
            IEventLogSource? liveEvents = null,
            IClock? clock = null,
            CancellationToken cancellationToken = default)
        {
            if (summary is null)
            {
                throw new ArgumentNullException(nameof(summary));
            }

            var report = onProblem ?? (ex => throw ex);
            var streams = new List<IEnumerable<LogEntry>>();
            if (liveEvents is not null)
            {
                foreach (var query in EventLogEvidence.KnownEventQueries(Options.Filter?.Since))
                {
                    var channel = EventLogEvidence.ReadQuery(liveEvents, query, Options.Filter, summary, cancellationToken);
                    streams.Add(Guarded(EvidenceReader.TakeLast(channel, Options.Tail), "EventLog:" + query.Channel, report));
                }
            }

            if (Options.Follow)
            {
                if (clock is null)
                {
                    throw new ArgumentNullException(nameof(clock), "Following logs needs a clock.");
                }

                var followed = LogFollower.Follow(FilesToRead.Select(f => f.Path).ToList(), Options.Filter, Options.Tail, clock, Options.PollInterval, Options.Timeout, cancellationToken, summary);
                return streams.SelectMany(s => s).Concat(Guarded(followed, null, report));
            }

            foreach (var group in Groups)
            {
                var files = group.FilesToRead.ToList();
                if (files.Count > 0)
                {
                    streams.Add(Guarded(ReadGroup(files, summary), files[files.Count - 1].Path, report));
                }
            }

            return Options.Order == LogOrder.Time ? LogTimeline.Merge(streams) : streams.SelectMany(s => s);
        }

        /// <summary>
        /// <see cref="Read"/> with the parsing on a worker thread, a bounded number of entries (about a thousand) ahead of
        /// the caller, so that reading overlaps with what the caller does with each entry (PowerShell's pipeline). Entries
        /// and problems arrive on the caller's thread, in the same order as from <see cref="Read"/>; the summary is
        /// complete once the enumeration ends. A followed read (<see cref="LogReadOptions.Follow"/>) runs on the caller's
        /// thread, as its waits must, and so does every read on a single-processor machine, where nothing would overlap.
        /// </summary>
        public IEnumerable<LogEntry> ReadInBackground(
            LogReadSummary summary,
            Action<WsusRemediationException>? onProblem = null,
            IEventLogSource? liveEvents = null,
            IClock? clock = null,
            CancellationToken cancellationToken = default)
        {
            if (summary is null)
            {
                throw new ArgumentNullException(nameof(summary));
            }

            if (Options.Follow || Environment.ProcessorCount < 2)
            {
                return Read(summary, onProblem, liveEvents, clock, cancellationToken);
            }

            var report = onProblem ?? (ex => throw ex);
            return ReadAhead.Run((problems, stop) => Read(summary, problems, liveEvents, clock, stop), report, cancellationToken);
        }

        /// <summary>
        /// Leaves a file out when it was last written before the bound and its last timed entry is older than the bound
        /// minus the allowance: the write time alone is not trusted (a zip extracted in another time zone shifts it).
        /// </summary>
        private static void SkipIfOlder(PlannedLogFile file, DateTimeOffset since, long partialReadsFrom, Action<WsusRemediationException> report)
        {
            if (file.LastWriteTimeUtc >= since.UtcDateTime)
            {
                return;
            }

            try
            {
                var last = PartialLogReader.LastTime(file, partialReadsFrom);
                if (last.HasValue && last.Value < since - TimeDisorderAllowance)
                {
                    file.SkipReason = string.Format(
                        System.Globalization.CultureInfo.InvariantCulture,
                        "last written {0:yyyy-MM-dd HH:mm:ss}Z, last entry {1:yyyy-MM-dd HH:mm:ss}Z, both before -Since {2:yyyy-MM-dd HH:mm:ss}Z.",
                        file.LastWriteTimeUtc,
                        last.Value.UtcDateTime,
                        since.UtcDateTime);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                report(EvidenceReader.Unreadable(file.Path, ex));
                file.SkipReason = "unreadable.";
            }
        }

        private IEnumerable<LogEntry> ReadGroup(IReadOnlyList<PlannedLogFile> files, LogReadSummary summary)
        {
            var filter = Options.Filter;
            var tail = Options.Tail;
            var since = Options.WholeFiles ? null : filter?.Since;
            if (tail > 0 && !Options.WholeFiles)
            {
                // From the newest file back, each read from its end, until the tail is full or the bound is passed.
                var pieces = new List<List<LogEntry>>();
                var need = tail;
                for (var i = files.Count - 1; i >= 0 && need > 0; i--)
                {
                    var piece = PartialLogReader.Tail(files[i], need, filter, since.HasValue ? since.Value - TimeDisorderAllowance : null, summary, out var reachedOlder, Options.PartialReadsFrom);
                    pieces.Add(piece);
                    need -= piece.Count;
                    if (reachedOlder)
                    {
                        break;
                    }
                }

                for (var i = pieces.Count - 1; i >= 0; i--)
                {
                    foreach (var entry in pieces[i])
                    {
                        summary.EntriesReturned++;
                        yield return entry;
                    }
                }

                yield break;
            }

            if (tail <= 0)
            {
                foreach (var file in files)
                {
                    var entries = since.HasValue
                        ? PartialLogReader.From(file, since.Value, TimeDisorderAllowance, summary, Options.PartialReadsFrom)
                        : EvidenceReader.ReadFile(file.Path, summary, file.Format);
                    foreach (var entry in entries)
                    {
                        if (filter is null || filter.Matches(entry))
                        {
                            summary.EntriesReturned++;
                            yield return entry;
                        }
                    }
                }

                yield break;
            }

            var last = new Queue<LogEntry>(Math.Min(tail, 4096));
            foreach (var file in files)
            {
                foreach (var entry in EvidenceReader.ReadFile(file.Path, summary, file.Format))
                {
                    if (filter is not null && !filter.Matches(entry))
                    {
                        continue;
                    }

                    if (last.Count == tail)
                    {
                        last.Dequeue();
                    }

                    last.Enqueue(entry);
                }
            }

            while (last.Count > 0)
            {
                summary.EntriesReturned++;
                yield return last.Dequeue();
            }
        }

        /// <summary>Ends one stream with a reported error instead of an exception, so the other logs are still read.</summary>
        private static IEnumerable<LogEntry> Guarded(IEnumerable<LogEntry> entries, string? file, Action<WsusRemediationException> report)
        {
            using var enumerator = entries.GetEnumerator();
            while (true)
            {
                WsusRemediationException? problem = null;
                try
                {
                    if (!enumerator.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (WsusRemediationException ex)
                {
                    problem = ex;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
                {
                    // MECM renames a full log to .lo_ while it is read or followed: an error for this log, not a .NET exception.
                    problem = new WsusRemediationException(
                        "LogFileUnreadable",
                        ex is UnauthorizedAccessException ? EngineErrorKind.PermissionDenied : EngineErrorKind.ReadError,
                        file is null ? $"Following the logs stopped: {ex.Message}" : $"Reading {file} failed: {ex.Message}",
                        file,
                        ex);
                }

                if (problem is not null)
                {
                    report(problem);
                    yield break;
                }

                yield return enumerator.Current;
            }
        }
    }
}
