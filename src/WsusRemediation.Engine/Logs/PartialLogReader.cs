using System;
using System.Collections.Generic;
using System.IO;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Reads part of a log and returns exactly what a full read returns for that part: the last entries
    /// (<c>-Tail</c>), read from the end, or the entries from a time on (<c>-Since</c>), found by a binary search
    /// on byte offsets. Parsing starts at a record start where the parser's state is known ("sync point"):
    /// <list type="bullet">
    /// <item>MECM logs: a line whose first non-blank text is <c>&lt;![LOG[</c> (a CMTrace record, which resets any
    /// record being assembled), or any line when no such line exists before it (a simple-format line stands alone);</item>
    /// <item>SoftwareDistribution.log: a record header line (<c>yyyy-MM-dd HH:mm:ss</c>), never a stack-trace line;</item>
    /// <item>HTTPERR: any line, the parser first primed with the last <c>#Fields:</c> line before it (or the top of the
    /// file when there is none, since the layout is then guessed from earlier lines);</item>
    /// <item>event XML: an <c>&lt;Event</c> start tag.</item>
    /// </list>
    /// Line numbers are those of a full read: the lines before the sync point are counted from their line breaks
    /// (a byte scan, no decoding or parsing). Skipped records are reported for the part read only.
    /// </summary>
    internal static class PartialLogReader
    {
        /// <summary>Below this size a file is simply read whole: finding a sync point costs more than it saves.</summary>
        internal const long DefaultWholeFileBelow = 256 * 1024;

        /// <summary>A binary search for the time bound stops when the range is this small.</summary>
        private const long SeekResolution = 64 * 1024;

        /// <summary>How far back (bytes) a SoftwareDistribution.log stack trace is followed to its record header before giving up.</summary>
        private const long MaxRecordWalk = 8L * 1024 * 1024;

        private const string CmStart = "<![LOG[";
        private const string FieldsMarker = "#Fields:";
        private const string EventStart = "<Event";

        private static readonly LogFilter TimedOnly = new LogFilter { Since = DateTimeOffset.MinValue };

        /// <summary>
        /// The last <paramref name="count"/> entries of <paramref name="file"/> that pass <paramref name="filter"/>, in file
        /// order; fewer when the file holds fewer. When <paramref name="olderThan"/> is set, reading back stops at the first
        /// region holding an entry older than it (<paramref name="reachedOlder"/> then says so): nothing before can pass.
        /// </summary>
        public static List<LogEntry> Tail(PlannedLogFile file, int count, LogFilter? filter, DateTimeOffset? olderThan, LogReadSummary summary, out bool reachedOlder, long wholeFileBelow = DefaultWholeFileBelow)
        {
            using var window = new LogFileWindow(file.Path);
            if (window.Length - window.TextStart < wholeFileBelow)
            {
                reachedOlder = false;
                var last = new Queue<LogEntry>(Math.Min(count, 4096));
                foreach (var entry in EvidenceReader.ReadFile(file.Path, summary, file.Format))
                {
                    Keep(last, count, entry, filter);
                }

                return new List<LogEntry>(last);
            }

            return TailOf(window, file, count, filter, olderThan, summary, wholeFileBelow, out reachedOlder);
        }

        /// <summary>
        /// The last <paramref name="count"/> entries of a followed log taken to end at <paramref name="lengthLimit"/> (its last
        /// complete line while it grows), and <paramref name="linesBeforeLimit"/>, the number of lines before the limit,
        /// where following goes on. Both come from one window: the lines up to the tail's region are counted once, and
        /// only the region is added for the limit (a second count from the top doubled the first poll's reading).
        /// </summary>
        public static List<LogEntry> TailUpTo(PlannedLogFile file, long lengthLimit, int count, LogFilter? filter, LogReadSummary summary, out long linesBeforeLimit)
        {
            using var window = new LogFileWindow(file.Path, lengthLimit);
            var entries = TailOf(window, file, count, filter, null, summary, DefaultWholeFileBelow, out _);
            linesBeforeLimit = LinesBefore(window, file.Format, window.Length);
            return entries;
        }

        private static List<LogEntry> TailOf(LogFileWindow window, PlannedLogFile file, int count, LogFilter? filter, DateTimeOffset? olderThan, LogReadSummary summary, long wholeFileBelow, out bool reachedOlder)
        {
            reachedOlder = false;
            var last = new Queue<LogEntry>(Math.Min(count, 4096));

            // A first guess of 2 KB per entry wanted, then four times the region read each round: the last round
            // dominates, so the work stays in proportion to what is returned.
            var size = Math.Max(Math.Min(wholeFileBelow, 64 * 1024), Math.Min(window.Length, (long)count * 2048));
            while (true)
            {
                var sync = FindSyncAtOrBefore(window, file.Format, window.Length - size);
                var part = new LogReadSummary();
                last.Clear();
                foreach (var entry in ReadRegion(window, file, sync, part))
                {
                    if (olderThan.HasValue && entry.TimeUtc.HasValue && entry.TimeUtc.Value < olderThan.Value)
                    {
                        reachedOlder = true;
                    }

                    Keep(last, count, entry, filter);
                }

                if (last.Count >= count || sync.Offset <= window.TextStart || reachedOlder)
                {
                    var linesBefore = LinesBefore(window, file.Format, sync.Offset);
                    foreach (var entry in last)
                    {
                        entry.AddLines(linesBefore);
                    }

                    summary.Absorb(part, linesBefore);
                    return new List<LogEntry>(last);
                }

                size = Math.Max(size, window.Length - sync.Offset) * 4;
            }
        }

        /// <summary>The time of the last entry that has one; null when none has.</summary>
        public static DateTimeOffset? LastTime(PlannedLogFile file, long wholeFileBelow = DefaultWholeFileBelow)
        {
            var timed = Tail(file, 1, TimedOnly, null, new LogReadSummary(), out _, wholeFileBelow);
            return timed.Count == 0 ? null : timed[0].TimeUtc;
        }

        /// <summary>
        /// The entries of <paramref name="file"/> from near <paramref name="bound"/> on: every entry before the point where
        /// reading starts is older than the bound, provided the log's times never run back by more than
        /// <paramref name="allowance"/> (the search aims at <c>bound - allowance</c>). The caller still filters.
        /// </summary>
        public static IEnumerable<LogEntry> From(PlannedLogFile file, DateTimeOffset bound, TimeSpan allowance, LogReadSummary summary, long wholeFileBelow = DefaultWholeFileBelow)
        {
            var window = new LogFileWindow(file.Path);
            try
            {
                if (window.Length - window.TextStart < wholeFileBelow)
                {
                    window.Dispose();
                    return EvidenceReader.ReadFile(file.Path, summary, file.Format);
                }

                var target = bound - allowance;
                var low = new SyncPoint(window.TextStart, null);
                var high = window.Length;
                while (high - low.Offset > Math.Max(window.Unit, Math.Min(SeekResolution, wholeFileBelow)))
                {
                    var middle = low.Offset + ((high - low.Offset) / 2);
                    var sync = FindSyncAtOrBefore(window, file.Format, middle);
                    if (sync.Offset <= low.Offset)
                    {
                        // No record starts between the two: the record at the low point reaches past the middle.
                        high = middle;
                        continue;
                    }

                    var time = FirstTime(window, file, sync);
                    if (time.HasValue && time.Value < target)
                    {
                        low = sync;
                    }
                    else
                    {
                        high = middle;
                    }
                }

                if (low.Offset <= window.TextStart)
                {
                    window.Dispose();
                    return EvidenceReader.ReadFile(file.Path, summary, file.Format);
                }

                return FromSync(window, file, low, summary);
            }
            catch
            {
                window.Dispose();
                throw;
            }
        }

        private static IEnumerable<LogEntry> FromSync(LogFileWindow window, PlannedLogFile file, SyncPoint sync, LogReadSummary summary)
        {
            using (window)
            {
                var linesBefore = LinesBefore(window, file.Format, sync.Offset);
                var part = new LogReadSummary();
                foreach (var entry in ReadRegion(window, file, sync, part))
                {
                    entry.AddLines(linesBefore);
                    yield return entry;
                }

                summary.Absorb(part, linesBefore);
            }
        }

        private static void Keep(Queue<LogEntry> last, int count, LogEntry entry, LogFilter? filter)
        {
            if (filter is not null && !filter.Matches(entry))
            {
                return;
            }

            if (last.Count == count)
            {
                last.Dequeue();
            }

            last.Enqueue(entry);
        }

        private static long LinesBefore(LogFileWindow window, LogFormat format, long offset) =>
            offset <= window.TextStart ? 0 : window.LinesBefore(offset, lfOnly: format == LogFormat.EventXml);

        /// <summary>The time of the first entry with one at a sync point, looking at a few entries only (null: none found).</summary>
        private static DateTimeOffset? FirstTime(LogFileWindow window, PlannedLogFile file, SyncPoint sync)
        {
            var looked = 0;
            foreach (var entry in ReadRegion(window, file, sync, new LogReadSummary()))
            {
                if (entry.TimeUtc.HasValue)
                {
                    return entry.TimeUtc;
                }

                if (++looked == 64)
                {
                    break;
                }
            }

            return null;
        }

        /// <summary>Parses from a sync point to the end of the file, line numbers counted from the sync point.</summary>
        private static IEnumerable<LogEntry> ReadRegion(LogFileWindow window, PlannedLogFile file, SyncPoint sync, LogReadSummary part)
        {
            ILineParser? parser = null;
            if (file.Format != LogFormat.EventXml)
            {
                parser = EvidenceReader.CreateLineParser(file.Format);
                if (sync.Primer is not null)
                {
                    // What the primer line itself yields belongs before the region and is dropped.
                    LineDispatch.ParseLine(parser, sync.Primer, 0, sync.Primer.Length, 0, new ParseContext(file.Path, new LogReadSummary()));
                }
            }

            var context = new ParseContext(file.Path, part);
            part.AddFile(file.Path);
            using var reader = window.OpenTextAt(sync.Offset);
            foreach (var entry in EvidenceReader.Parse(reader, context, file.Format, EvidenceReader.DefaultMaxLineLength, 0, parser))
            {
                yield return entry;
            }
        }

        /// <summary>The nearest sync point at or before <paramref name="offset"/> (the start of the text when there is none).</summary>
        internal static SyncPoint FindSyncAtOrBefore(LogFileWindow window, LogFormat format, long offset)
        {
            var start = new SyncPoint(window.TextStart, null);
            if (offset <= window.TextStart)
            {
                return start;
            }

            switch (format)
            {
                case LogFormat.CMTrace:
                case LogFormat.SmsSimple:
                {
                    var line = window.LineStartAtOrBefore(offset);
                    var found = CmTraceStartLine(window, line);
                    if (found == LineCheck.Yes)
                    {
                        return new SyncPoint(line, null);
                    }

                    // A record being assembled only ever starts at a <![LOG[ line: without one before, every line starts clean.
                    var candidate = line;
                    for (var at = window.LastIndexOf(CmStart, 1, line, window.TextStart); at >= 0 && found != LineCheck.Unsure; at = window.LastIndexOf(CmStart, 1, candidate, window.TextStart))
                    {
                        candidate = window.LineStartAtOrBefore(at);
                        found = CmTraceStartLine(window, candidate);
                        if (found == LineCheck.Yes)
                        {
                            return new SyncPoint(candidate, null);
                        }
                    }

                    return found == LineCheck.Unsure ? start : new SyncPoint(line, null);
                }

                case LogFormat.SoftwareDistribution:
                {
                    // Stepping over an unsure line is safe: any earlier header is a sync point too.
                    var line = window.LineStartAtOrBefore(offset);
                    while (line > window.TextStart && offset - line <= MaxRecordWalk)
                    {
                        if (SoftwareDistributionHeaderLine(window, line) == LineCheck.Yes)
                        {
                            return new SyncPoint(line, null);
                        }

                        line = window.LineStartAtOrBefore(line - window.Unit);
                    }

                    return start;
                }

                case LogFormat.HttpErr:
                {
                    var line = window.LineStartAtOrBefore(offset);
                    var headerLine = line;
                    for (var at = window.LastIndexOf(FieldsMarker, 1, line, window.TextStart); at >= 0; at = window.LastIndexOf(FieldsMarker, 1, headerLine, window.TextStart))
                    {
                        headerLine = window.LineStartAtOrBefore(at);
                        var text = window.LineText(headerLine, EvidenceReader.DefaultMaxLineLength);
                        if (text.Length >= EvidenceReader.DefaultMaxLineLength - 2)
                        {
                            // Too long to be sure the reader would hand it over as a line: read from the top instead.
                            return start;
                        }

                        var probe = new HttpErrParser();
                        LineDispatch.ParseLine(probe, text, 0, text.Length, 0, new ParseContext(window.Path, new LogReadSummary()));
                        if (probe.HeadersRead > 0)
                        {
                            return new SyncPoint(line, text);
                        }
                    }

                    return start;
                }

                case LogFormat.EventXml:
                {
                    for (var at = window.LastIndexOf(EventStart, 1, offset + window.Unit, window.TextStart); at >= 0; at = window.LastIndexOf(EventStart, 1, at, window.TextStart))
                    {
                        var text = window.LineText(at, EventStart.Length + 1);
                        if (text.Length > EventStart.Length)
                        {
                            var next = text[EventStart.Length];
                            if (next == ' ' || next == '>' || next == '\t' || next == '/')
                            {
                                return new SyncPoint(at, null);
                            }
                        }
                        else if (text.Length == EventStart.Length && at + ((EventStart.Length + 1L) * window.Unit) <= window.Length)
                        {
                            // "<Event" then a line break.
                            return new SyncPoint(at, null);
                        }
                    }

                    return start;
                }

                default:
                    return start;
            }
        }

        /// <summary>
        /// Whether the line's first non-blank text (after any NUL run, which the reader takes as a line break) is a
        /// CMTrace record start. Unsure when the line may be too long for the reader, which then skips it whole.
        /// </summary>
        private static LineCheck CmTraceStartLine(LogFileWindow window, long line)
        {
            var text = window.LineText(line, 4096);
            var i = 0;
            while (i < text.Length && (text[i] == '\0' || text[i] == ' ' || text[i] == '\t' || text[i] == '\uFEFF'))
            {
                i++;
            }

            if (i + CmStart.Length > text.Length || string.CompareOrdinal(new string(text, i, CmStart.Length), CmStart) != 0)
            {
                return LineCheck.No;
            }

            return MayBeTooLong(window, line, text) ? LineCheck.Unsure : LineCheck.Yes;
        }

        /// <summary>Whether the line's first non-blank segment (segments split at NUL runs) is a record header.</summary>
        private static LineCheck SoftwareDistributionHeaderLine(LogFileWindow window, long line)
        {
            var text = window.LineText(line, 256);
            var segment = 0;
            while (segment < text.Length)
            {
                while (segment < text.Length && text[segment] == '\0')
                {
                    segment++;
                }

                var end = Array.IndexOf(text, '\0', segment);
                if (end < 0)
                {
                    end = text.Length;
                }

                if (Chars.SkipBlanks(text, segment, end) < end)
                {
                    if (!SoftwareDistributionParser.LooksLikeHeader(text, segment, end))
                    {
                        return LineCheck.No;
                    }

                    return MayBeTooLong(window, line, text) ? LineCheck.Unsure : LineCheck.Yes;
                }

                segment = end;
            }

            return LineCheck.No;
        }

        /// <summary>A line the reader may refuse as too long (it counts characters; fewer bytes than the limit is always safe).</summary>
        private static bool MayBeTooLong(LogFileWindow window, long line, char[] prefix)
        {
            if (prefix.Length < 256)
            {
                return false;
            }

            var next = window.LineStartAtOrAfter(line + window.Unit);
            return next - line >= EvidenceReader.DefaultMaxLineLength;
        }

        private enum LineCheck
        {
            No,
            Yes,
            Unsure,
        }
    }

    /// <summary>Where a partial read starts, and the line a parser must see first (HTTPERR's <c>#Fields:</c>).</summary>
    internal readonly struct SyncPoint
    {
        public SyncPoint(long offset, char[]? primer)
        {
            Offset = offset;
            Primer = primer;
        }

        public long Offset { get; }

        public char[]? Primer { get; }
    }
}
