using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Follows growing logs (like <c>Get-Content -Wait</c>) while a sync runs: reads what is there, then
    /// polls through the clock and hands on complete new lines until the timeout or cancellation. A file
    /// that shrinks (rolled over to <c>.lo_</c>) is read again from the start.
    /// </summary>
    public static class LogFollower
    {
        /// <summary>
        /// Reads <paramref name="files"/> (with <paramref name="tail"/> &gt; 0, only their last entries), then
        /// keeps returning new entries every <paramref name="pollInterval"/> until <paramref name="timeout"/>
        /// has passed (the enumeration then ends) or the token is cancelled (OperationCanceledException).
        /// Event XML files are read once; they do not grow.
        /// </summary>
        public static IEnumerable<LogEntry> Follow(
            IEnumerable<string> files,
            LogFilter? filter,
            int tail,
            IClock clock,
            TimeSpan pollInterval,
            TimeSpan timeout,
            CancellationToken cancellationToken,
            LogReadSummary? summary = null)
        {
            if (files is null)
            {
                throw new ArgumentNullException(nameof(files));
            }

            if (clock is null)
            {
                throw new ArgumentNullException(nameof(clock));
            }

            if (pollInterval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(pollInterval), "The poll interval must be positive.");
            }

            return FollowIterator(EvidenceReader.OrderForReading(files), filter, tail, clock, pollInterval, timeout, cancellationToken, summary ?? new LogReadSummary());
        }

        private static IEnumerable<LogEntry> FollowIterator(
            IReadOnlyList<string> files,
            LogFilter? filter,
            int tail,
            IClock clock,
            TimeSpan pollInterval,
            TimeSpan timeout,
            CancellationToken cancellationToken,
            LogReadSummary summary)
        {
            var start = clock.UtcNow;
            var followed = new List<FollowedFile>();

            // With -Tail a .log and its .lo_ are one log: the rollover only makes up what the .log's own tail lacks, so
            // it is read after the .log's tail is known (both of them gave their last N entries before).
            var rolledBeforeLog = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in files)
            {
                if (tail > 0 && file.EndsWith(".lo_", StringComparison.OrdinalIgnoreCase)
                    && files.Any(f => !f.EndsWith(".lo_", StringComparison.OrdinalIgnoreCase) && string.Equals(GroupOf(f), GroupOf(file), StringComparison.OrdinalIgnoreCase)))
                {
                    if (!rolledBeforeLog.TryGetValue(GroupOf(file), out var rolled))
                    {
                        rolledBeforeLog[GroupOf(file)] = rolled = new List<string>();
                    }

                    rolled.Add(file);
                    continue;
                }

                // Rolled-over files and exported events do not grow: read them once.
                if (file.EndsWith(".lo_", StringComparison.OrdinalIgnoreCase) || EvidenceReader.DetectFormat(file) == LogFormat.EventXml)
                {
                    foreach (var entry in EvidenceReader.Read(new[] { file }, filter, summary, tail))
                    {
                        yield return entry;
                    }

                    continue;
                }

                followed.Add(new FollowedFile(file, summary));
            }

            var first = true;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var state in followed)
                {
                    if (first && tail > 0)
                    {
                        // A large file's last entries are read from its end; following goes on from there.
                        var fromEnd = state.TailFromEnd(tail, filter)?.ToList();
                        if (fromEnd is not null)
                        {
                            foreach (var entry in RolledTail(rolledBeforeLog, state.FilePath, tail - fromEnd.Count, filter, summary))
                            {
                                yield return entry;
                            }

                            foreach (var entry in fromEnd)
                            {
                                summary.EntriesReturned++;
                                yield return entry;
                            }

                            continue;
                        }
                    }

                    // Lazy all the way: a large file at the first poll is streamed, and with -Tail only the last entries are held.
                    var last = first && tail > 0 ? new Queue<LogEntry>() : null;
                    foreach (var entry in state.ReadAppended().Concat(state.FlushIfComplete(first)))
                    {
                        if (filter is not null && !filter.Matches(entry))
                        {
                            continue;
                        }

                        if (last is null)
                        {
                            summary.EntriesReturned++;
                            yield return entry;
                            continue;
                        }

                        if (last.Count == tail)
                        {
                            last.Dequeue();
                        }

                        last.Enqueue(entry);
                    }

                    if (last is not null)
                    {
                        foreach (var entry in RolledTail(rolledBeforeLog, state.FilePath, tail - last.Count, filter, summary))
                        {
                            yield return entry;
                        }
                    }

                    while (last is not null && last.Count > 0)
                    {
                        summary.EntriesReturned++;
                        yield return last.Dequeue();
                    }
                }

                first = false;
                var elapsed = clock.UtcNow - start;
                if (elapsed >= timeout)
                {
                    yield break;
                }

                var remaining = timeout - elapsed;
                clock.Delay(remaining < pollInterval ? remaining : pollInterval, cancellationToken);
            }
        }

        private static string GroupOf(string file) => Path.Combine(Path.GetDirectoryName(file) ?? string.Empty, EvidenceReader.RolloverGroup(file));

        /// <summary>The last <paramref name="wanted"/> entries of the rollover files of <paramref name="log"/>'s group, oldest first.</summary>
        private static IEnumerable<LogEntry> RolledTail(Dictionary<string, List<string>> rolledBeforeLog, string log, int wanted, LogFilter? filter, LogReadSummary summary)
        {
            if (wanted <= 0 || !rolledBeforeLog.TryGetValue(GroupOf(log), out var rolled))
            {
                return Enumerable.Empty<LogEntry>();
            }

            var entries = EvidenceReader.Read(rolled, filter, summary, wanted).ToList();
            return entries.Skip(Math.Max(0, entries.Count - wanted));
        }

        /// <summary>One followed file: where we are in it, and the parser that keeps multi-line records across polls.</summary>
        private sealed class FollowedFile
        {
            private readonly string _path;
            private readonly LogReadSummary _summary;
            private ParseContext? _context;
            private ILineParser? _parser;
            private LogFormat _format;
            private Encoding? _encoding;
            private int _bomLength;
            private long _position;
            private long _lineBase;
            private bool _vanished;

            public FollowedFile(string path, LogReadSummary summary)
            {
                _path = path;
                _summary = summary;
            }

            /// <summary>The file followed.</summary>
            public string FilePath => _path;

            /// <summary>
            /// The first poll of <c>-Wait -Tail</c> on a file too large to read whole: its last <paramref name="tail"/>
            /// entries up to its last complete line, read from the end, after which <see cref="ReadAppended"/> goes on from
            /// that line. Null when the file is small, missing or not a line log: the first poll then reads it whole.
            /// </summary>
            public List<LogEntry>? TailFromEnd(int tail, LogFilter? filter)
            {
                long end;
                using (var stream = TryOpen())
                {
                    if (stream is null)
                    {
                        return null;
                    }

                    var head = new byte[4];
                    var count = LogFileOpener.ReadAtLeast(stream, head, 4);
                    _encoding = LogFileOpener.DetectEncoding(head, count, out _bomLength);
                    _position = _bomLength;
                    end = LastLineEnd(stream, _bomLength, stream.Length);
                }

                var format = EvidenceReader.DetectFormat(_path);
                if (end - _bomLength < PartialLogReader.DefaultWholeFileBelow || format == LogFormat.Unknown || format == LogFormat.EventXml)
                {
                    return null;
                }

                var entries = PartialLogReader.TailUpTo(new PlannedLogFile(_path, format, end, DateTime.MinValue), end, tail, filter, _summary, out _lineBase);
                _format = format;
                _parser = EvidenceReader.CreateLineParser(format);
                _context = new ParseContext(_path, _summary);
                _position = end;
                return entries;
            }

            /// <summary>True when the last <see cref="ReadAppended"/> found new complete lines.</summary>
            public bool Grew { get; private set; }

            public IEnumerable<LogEntry> ReadAppended()
            {
                Grew = false;
                var opened = TryOpen();
                if (opened is null)
                {
                    yield break;
                }

                using var stream = opened;
                var length = stream.Length;
                if (length < _position || _vanished)
                {
                    // Rolled over or truncated: what was being assembled is complete; start again on the new file.
                    foreach (var entry in Flush())
                    {
                        yield return entry;
                    }

                    _position = 0;
                    _lineBase = 0;
                    _parser = null;
                    _encoding = null;
                    _vanished = false;
                }

                if (_encoding is null)
                {
                    var head = new byte[4];
                    stream.Position = 0;
                    var count = LogFileOpener.ReadAtLeast(stream, head, 4);
                    if (count == 0)
                    {
                        yield break;
                    }

                    _encoding = LogFileOpener.DetectEncoding(head, count, out _bomLength);
                    _position = Math.Max(_position, _bomLength);
                }

                var end = LastLineEnd(stream, _position, length);
                if (end <= _position)
                {
                    yield break;
                }

                if (_parser is null)
                {
                    _format = EvidenceReader.DetectFormat(_path);
                    if (_format == LogFormat.Unknown || _format == LogFormat.EventXml)
                    {
                        throw EvidenceReader.Unrecognized(_path);
                    }

                    _parser = EvidenceReader.CreateLineParser(_format);
                    _context = new ParseContext(_path, _summary);
                    _summary.AddFile(_path);
                }

                Grew = true;
                var output = _context!.Output;
                var range = new RangeStream(stream, _position, end);
                var reader = new StreamReader(range, _encoding, detectEncodingFromByteOrderMarks: false, LogFileOpener.BufferSize);
                var lines = new LineReader(reader, EvidenceReader.DefaultMaxLineLength);
                while (lines.ReadLine())
                {
                    if (lines.LineTooLong)
                    {
                        _parser.LineTooLong(_lineBase + lines.LineNumber, _context);
                    }
                    else
                    {
                        LineDispatch.ParseLine(_parser, lines.Buffer, lines.LineStart, lines.LineLength, _lineBase + lines.LineNumber, _context);
                    }

                    for (var i = 0; i < output.Count; i++)
                    {
                        _summary.EntriesRead++;
                        yield return output[i];
                    }

                    output.Clear();
                }

                _lineBase += lines.LineNumber;
                _position = end;
            }

            /// <summary>
            /// Opens the file, or returns null when it is missing or briefly locked: MECM renames a full
            /// log to .lo_ and creates a new one, and the next poll simply tries again.
            /// </summary>
            private Stream? TryOpen()
            {
                try
                {
                    if (File.Exists(_path))
                    {
                        return LogFileOpener.OpenShared(_path);
                    }
                }
                catch (FileNotFoundException)
                {
                }
                catch (DirectoryNotFoundException)
                {
                }
                catch (IOException)
                {
                    // A sharing violation while the log is being rolled over or rewritten.
                    return null;
                }

                // Gone: whatever appears under this name next is a new file, read from its start even
                // if it is already as long as the old one was.
                _vanished = true;
                return null;
            }

            /// <summary>
            /// Emits the record being assembled when it must be complete: at the first poll (what is there),
            /// or on a quiet poll (a stack trace's lines all arrive together).
            /// </summary>
            public IEnumerable<LogEntry> FlushIfComplete(bool firstPoll)
            {
                // An iterator, so Grew is read after ReadAppended has run, not when the sequence is built.
                if (!firstPoll && Grew)
                {
                    yield break;
                }

                foreach (var entry in Flush())
                {
                    yield return entry;
                }
            }

            private IEnumerable<LogEntry> Flush()
            {
                if (_parser is null)
                {
                    yield break;
                }

                _parser.Flush(_context!);
                var output = _context!.Output;
                for (var i = 0; i < output.Count; i++)
                {
                    _summary.EntriesRead++;
                    yield return output[i];
                }

                output.Clear();
            }

            // Only complete lines are read: the writer may be in the middle of one.
            private long LastLineEnd(Stream stream, long from, long length)
            {
                var wide = _encoding is UnicodeEncoding;
                var block = new byte[4096];
                var blockEnd = length;
                while (blockEnd > from)
                {
                    var blockStart = Math.Max(from, blockEnd - block.Length);
                    stream.Position = blockStart;
                    var count = LogFileOpener.ReadAtLeast(stream, block, (int)(blockEnd - blockStart));
                    for (var i = count - 1; i >= 0; i--)
                    {
                        var b = block[i];
                        if (b != (byte)'\n' && b != (byte)'\r')
                        {
                            continue;
                        }

                        var at = blockStart + i;
                        if (!wide)
                        {
                            return at + 1;
                        }

                        // UTF-16: the newline is one of a byte pair on a 2-byte boundary after the BOM.
                        var bigEndian = IsBigEndian(_encoding!);
                        var pairStart = bigEndian ? at - 1 : at;
                        if (pairStart >= from && (pairStart - _bomLength) % 2 == 0)
                        {
                            var other = bigEndian ? (i > 0 ? block[i - 1] : (byte)1) : (i + 1 < count ? block[i + 1] : (byte)1);
                            if (other == 0)
                            {
                                return pairStart + 2;
                            }
                        }
                    }

                    blockEnd = blockStart;
                }

                return from;
            }

            private static bool IsBigEndian(Encoding encoding) => encoding.GetBytes("\n")[0] == 0;
        }
    }
}
