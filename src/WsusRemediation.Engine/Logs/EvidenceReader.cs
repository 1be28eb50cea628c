using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Reads evidence files lazily, one record at a time, whatever their format: memory stays flat in
    /// the file size. The format is detected per file from its content (the name only breaks ties).
    /// </summary>
    public static class EvidenceReader
    {
        /// <summary>Lines longer than this many characters are skipped (and counted) instead of held in memory.</summary>
        public const int DefaultMaxLineLength = 4 * 1024 * 1024;

        private const int SniffChars = 16 * 1024;
        private const string ClixmlNamespace = "schemas.microsoft.com/powershell/2004/04";

        /// <summary>
        /// Reads files, folders or wildcard paths log after log in file order (a <c>.lo_</c> rollover file before its
        /// <c>.log</c>), applies the filter, and with <paramref name="tail"/> &gt; 0 keeps only the last entries of each log.
        /// Errors are thrown while enumerating. <see cref="LogReadPlan"/> offers the time order, problem reporting and partial reads.
        /// </summary>
        public static IEnumerable<LogEntry> Read(IEnumerable<string> paths, LogFilter? filter = null, LogReadSummary? summary = null, int tail = 0)
        {
            if (paths is null)
            {
                throw new ArgumentNullException(nameof(paths));
            }

            return ReadIterator(paths, new LogReadOptions { Filter = filter, Tail = tail, Order = LogOrder.File }, summary ?? new LogReadSummary());
        }

        private static IEnumerable<LogEntry> ReadIterator(IEnumerable<string> paths, LogReadOptions options, LogReadSummary summary)
        {
            foreach (var entry in LogReadPlan.ForPaths(paths, options).Read(summary))
            {
                yield return entry;
            }
        }

        /// <summary>Reads one file. The format is detected unless given.</summary>
        public static IEnumerable<LogEntry> ReadFile(string path, LogReadSummary? summary = null, LogFormat format = LogFormat.Unknown, int maxLineLength = DefaultMaxLineLength)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentNullException(nameof(path));
            }

            return ReadFileIterator(path, summary ?? new LogReadSummary(), format, maxLineLength);
        }

        /// <summary>Reads a stream of text already decoded (used for live event XML and tests).</summary>
        public static IEnumerable<LogEntry> ReadText(TextReader reader, string name, LogFormat format, LogReadSummary? summary = null, int maxLineLength = DefaultMaxLineLength)
        {
            if (reader is null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            return Parse(reader, new ParseContext(name, summary ?? new LogReadSummary()), format, maxLineLength);
        }

        /// <summary>Detects a file's format from its first characters, then its name.</summary>
        public static LogFormat DetectFormat(string path) => DetectFormat(path, out _);

        /// <summary>
        /// As <see cref="DetectFormat(string)"/>; <paramref name="blank"/> tells a file with no text yet (zero bytes, or
        /// only blanks and the NUL bytes an unflushed file holds after a crash) from one in an unknown format. A log
        /// just started after a rollover, or copied while empty, is such a file: it has no records, which is no error.
        /// </summary>
        internal static LogFormat DetectFormat(string path, out bool blank)
        {
            string head;
            try
            {
                using var reader = LogFileOpener.OpenText(path, out _, out _);
                var buffer = new char[SniffChars];
                var read = reader.ReadBlock(buffer, 0, buffer.Length);
                head = new string(buffer, 0, read);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Unreadable(path, ex);
            }

            blank = IsBlank(head);
            return DetectFormat(head, Path.GetFileName(path));
        }

        private static bool IsBlank(string head)
        {
            foreach (var c in head)
            {
                if (c != '\0' && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\uFEFF')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Detects a format from the start of a file's text; <paramref name="fileName"/> breaks ties.</summary>
        public static LogFormat DetectFormat(string head, string? fileName)
        {
            head ??= string.Empty;
            if (IsIisRequestLog(head))
            {
                return LogFormat.Unknown;
            }

            var best = LogFormat.Unknown;
            var bestAt = int.MaxValue;

            void Consider(int at, LogFormat format)
            {
                if (at >= 0 && at < bestAt)
                {
                    best = format;
                    bestAt = at;
                }
            }

            Consider(head.IndexOf("<![LOG[", StringComparison.Ordinal), LogFormat.CMTrace);
            var simple = head.IndexOf("$$<", StringComparison.Ordinal);
            if (simple >= 0 && head.IndexOf("><thread=", simple, StringComparison.Ordinal) >= 0)
            {
                Consider(simple, LogFormat.SmsSimple);
            }

            Consider(head.IndexOf("#Fields:", StringComparison.Ordinal), LogFormat.HttpErr);
            Consider(head.IndexOf("#Software: Microsoft HTTP API", StringComparison.Ordinal), LogFormat.HttpErr);
            Consider(IndexOfEventStart(head), LogFormat.EventXml);
            Consider(IndexOfSoftwareDistributionRecord(head), LogFormat.SoftwareDistribution);
            if (best != LogFormat.Unknown)
            {
                return best;
            }

            var name = fileName ?? string.Empty;
            if (name.StartsWith("httperr", StringComparison.OrdinalIgnoreCase))
            {
                return LogFormat.HttpErr;
            }

            if (name.StartsWith("SoftwareDistribution", StringComparison.OrdinalIgnoreCase))
            {
                return LogFormat.SoftwareDistribution;
            }

            // Export-Clixml output holds no <Event> element; reading it as event XML would silently find nothing.
            if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && head.IndexOf(ClixmlNamespace, StringComparison.Ordinal) < 0)
            {
                return LogFormat.EventXml;
            }

            return LogFormat.Unknown;
        }

        /// <summary>
        /// Turns a path into files: a file as is, a folder into its <c>*.log</c>, <c>*.lo_</c> and <c>*.xml</c>
        /// files (not its subfolders'), a wildcard into its matches. Throws <c>LogFileNotFound</c> when nothing is there.
        /// </summary>
        public static IReadOnlyList<string> ExpandPath(string path)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentNullException(nameof(path));
            }

            if (File.Exists(path))
            {
                return new[] { Path.GetFullPath(path) };
            }

            if (Directory.Exists(path))
            {
                var logs = Directory.EnumerateFiles(path)
                    .Where(f => f.EndsWith(".log", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".lo_", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                    .Select(Path.GetFullPath)
                    .ToList();

                // Evidence is often collected one subfolder per server: an empty answer would look like "no problem found".
                if (logs.Count == 0)
                {
                    throw new WsusRemediationException("LogFileNotFound", EngineErrorKind.ObjectNotFound, $"The folder '{path}' holds no .log, .lo_ or .xml file (its subfolders are not searched).", path)
                    {
                        RecommendedAction = "Name the subfolders that hold the logs, or the log files themselves.",
                    };
                }

                return logs;
            }

            var folder = Path.GetDirectoryName(path);
            var pattern = Path.GetFileName(path);
            if (Wildcard.HasWildcards(pattern) && !string.IsNullOrEmpty(folder) && Directory.Exists(folder))
            {
                var matches = Directory.EnumerateFiles(folder!).Where(f => Wildcard.IsMatch(pattern, Path.GetFileName(f))).Select(Path.GetFullPath).ToList();
                if (matches.Count > 0)
                {
                    return matches;
                }
            }

            throw new WsusRemediationException("LogFileNotFound", EngineErrorKind.ObjectNotFound, $"No log file found at '{path}'.", path)
            {
                RecommendedAction = "Check the path; folders, wildcards and files are accepted.",
            };
        }

        /// <summary>
        /// Orders files for reading: by folder and name, each <c>.lo_</c> rollover file right before its
        /// <c>.log</c>; a <c>.lo_</c> next to a named <c>.log</c> is added when <paramref name="addRollover"/> is set.
        /// </summary>
        public static IReadOnlyList<string> OrderForReading(IEnumerable<string> files, bool addRollover = true)
        {
            var set = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in files ?? throw new ArgumentNullException(nameof(files)))
            {
                if (seen.Add(file))
                {
                    set.Add(file);
                }

                if (addRollover && file.EndsWith(".log", StringComparison.OrdinalIgnoreCase))
                {
                    var rolled = file.Substring(0, file.Length - 4) + ".lo_";
                    if (!seen.Contains(rolled) && File.Exists(rolled))
                    {
                        seen.Add(rolled);
                        set.Add(rolled);
                    }
                }
            }

            return set
                .OrderBy(f => Path.GetDirectoryName(f), StringComparer.OrdinalIgnoreCase)
                .ThenBy(RolloverGroup, NaturalNameComparer.Instance)
                .ThenBy(f => f.EndsWith(".lo_", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                .ToList();
        }

        /// <summary>
        /// Compares names with their digit runs as numbers, case-insensitively: HTTP.sys numbers its files
        /// httperr1.log, httperr2.log, ... httperr10.log, and they must be read in that order, not 1, 10, 2.
        /// </summary>
        private sealed class NaturalNameComparer : IComparer<string>
        {
            public static readonly NaturalNameComparer Instance = new NaturalNameComparer();

            public int Compare(string? x, string? y)
            {
                if (x is null || y is null)
                {
                    return x is null ? (y is null ? 0 : -1) : 1;
                }

                int i = 0, j = 0;
                while (i < x.Length && j < y.Length)
                {
                    if (char.IsDigit(x[i]) && char.IsDigit(y[j]))
                    {
                        var xStart = i;
                        var yStart = j;
                        while (i < x.Length && char.IsDigit(x[i]))
                        {
                            i++;
                        }

                        while (j < y.Length && char.IsDigit(y[j]))
                        {
                            j++;
                        }

                        var xDigits = x.Substring(xStart, i - xStart).TrimStart('0');
                        var yDigits = y.Substring(yStart, j - yStart).TrimStart('0');
                        var byValue = xDigits.Length != yDigits.Length ? xDigits.Length.CompareTo(yDigits.Length) : string.CompareOrdinal(xDigits, yDigits);
                        if (byValue != 0)
                        {
                            return byValue;
                        }

                        continue;
                    }

                    var byChar = char.ToUpperInvariant(x[i]).CompareTo(char.ToUpperInvariant(y[j]));
                    if (byChar != 0)
                    {
                        return byChar;
                    }

                    i++;
                    j++;
                }

                return (x.Length - i).CompareTo(y.Length - j);
            }
        }

        /// <summary>The name shared by a log and its rollover file (<c>wsyncmgr</c> for wsyncmgr.log and wsyncmgr.lo_).</summary>
        public static string RolloverGroup(string path)
        {
            var name = Path.GetFileName(path);
            return name.EndsWith(".lo_", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".log", StringComparison.OrdinalIgnoreCase)
                ? name.Substring(0, name.Length - 4)
                : name;
        }

        /// <summary>Keeps only the last <paramref name="count"/> entries of a sequence, holding no more than that in memory.</summary>
        public static IEnumerable<LogEntry> TakeLast(IEnumerable<LogEntry> entries, int count)
        {
            if (entries is null)
            {
                throw new ArgumentNullException(nameof(entries));
            }

            return count <= 0 ? entries : TakeLastIterator(entries, count);
        }

        private static IEnumerable<LogEntry> TakeLastIterator(IEnumerable<LogEntry> entries, int count)
        {
            var last = new Queue<LogEntry>();
            foreach (var entry in entries)
            {
                if (last.Count == count)
                {
                    last.Dequeue();
                }

                last.Enqueue(entry);
            }

            foreach (var entry in last)
            {
                yield return entry;
            }
        }

        internal static ILineParser CreateLineParser(LogFormat format) => format switch
        {
            LogFormat.CMTrace or LogFormat.SmsSimple => new MecmLogParser(),
            LogFormat.SoftwareDistribution => new SoftwareDistributionParser(),
            LogFormat.HttpErr => new HttpErrParser(),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a line-based format."),
        };

        internal static WsusRemediationException Unreadable(string path, Exception ex) =>
            new WsusRemediationException("LogFileUnreadable", EngineErrorKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex);

        /// <summary>The error for a file in none of the known formats (id <c>LogFormatNotRecognized</c>).</summary>
        public static WsusRemediationException Unrecognized(string path) =>
            new WsusRemediationException("LogFormatNotRecognized", EngineErrorKind.InvalidData, $"'{path}' is not a MECM log, SoftwareDistribution.log, HTTPERR log or event XML file.", path)
            {
                // Saved event logs are what admins most often have in hand; say how to turn them into XML.
                RecommendedAction = IsIisLogName(Path.GetFileName(path))
                    ? "IIS request logs (u_ex*.log) are not read: the requests HTTP.sys turned away before the WSUS pool saw them (503 AppOffline, QueueFull) are in its error log, %SystemRoot%\\System32\\LogFiles\\HTTPERR\\httperr*.log."
                    : path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
                    ? $"A zip is not read as a log. Get-WsusSyncDiagnosis -EvidencePath and Get-WsusRepairPlan -EvidencePath read an Export-WsusSyncEvidence zip as it is; for this command, expand it first (Expand-Archive \"{path}\" -DestinationPath <folder>) and name the folder inside that holds the logs."
                    : path.EndsWith(".evtx", StringComparison.OrdinalIgnoreCase)
                    ? $"Export the events as XML first: wevtutil qe \"{path}\" /lf:true /f:xml /e:Events > events.xml"
                    : path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
                    ? "Export-Clixml files are not read; export event XML instead: Get-WinEvent ... | ForEach-Object { $_.ToXml() } | Set-Content events.xml, or wevtutil qe System /f:xml /e:Events."
                    : "Pass wsyncmgr.log, WCM.log, WSUSCtrl.log, SoftwareDistribution.log, httperr*.log or event XML (wevtutil qe /f:xml, Get-WinEvent ToXml()).",
            };

        // IIS names its W3C logs u_exYYMMDD.log (UTF-8) or exYYMMDD.log, with _x or a number when rolled by size.
        private static bool IsIisLogName(string name) =>
            (name.StartsWith("u_ex", StringComparison.OrdinalIgnoreCase) && name.Length > 4 && char.IsDigit(name[4]))
            || (name.StartsWith("ex", StringComparison.OrdinalIgnoreCase) && name.Length > 2 && char.IsDigit(name[2]));

        private static IEnumerable<LogEntry> ReadFileIterator(string path, LogReadSummary summary, LogFormat format, int maxLineLength)
        {
            if (format == LogFormat.Unknown)
            {
                format = DetectFormat(path, out var blank);
                if (format == LogFormat.Unknown)
                {
                    if (blank)
                    {
                        summary.AddFile(path);
                        yield break;
                    }

                    throw Unrecognized(path);
                }
            }

            TextReader reader;
            try
            {
                reader = LogFileOpener.OpenText(path, out _, out _);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Unreadable(path, ex);
            }

            summary.AddFile(path);
            using (reader)
            {
                foreach (var entry in Parse(reader, new ParseContext(path, summary), format, maxLineLength))
                {
                    yield return entry;
                }
            }
        }

        /// <summary>
        /// Parses text from a file's start, or (for partial reads) from a record start: <paramref name="lineBase"/> is the
        /// number of lines before it, and <paramref name="parser"/> a line parser already primed with what the records
        /// there depend on (HTTPERR's <c>#Fields:</c> line).
        /// </summary>
        internal static IEnumerable<LogEntry> Parse(TextReader reader, ParseContext context, LogFormat format, int maxLineLength, long lineBase = 0, ILineParser? parser = null)
        {
            var output = context.Output;
            if (format == LogFormat.EventXml)
            {
                foreach (var unused in new EventXmlParser(reader, context, lineBase + 1).Run())
                {
                    for (var i = 0; i < output.Count; i++)
                    {
                        context.Summary.EntriesRead++;
                        yield return output[i];
                    }

                    output.Clear();
                }

                yield break;
            }

            parser ??= CreateLineParser(format);
            var lines = new LineReader(reader, maxLineLength);
            while (true)
            {
                var more = lines.ReadLine();
                if (!more)
                {
                    parser.Flush(context);
                }
                else if (lines.LineTooLong)
                {
                    parser.LineTooLong(lineBase + lines.LineNumber, context);
                }
                else
                {
                    LineDispatch.ParseLine(parser, lines.Buffer, lines.LineStart, lines.LineLength, lineBase + lines.LineNumber, context);
                }

                if (output.Count > 0)
                {
                    for (var i = 0; i < output.Count; i++)
                    {
                        context.Summary.EntriesRead++;
                        yield return output[i];
                    }

                    output.Clear();
                }

                if (!more)
                {
                    yield break;
                }
            }
        }

        /// <summary>
        /// IIS's own request logs (W3SVC<i>n</i>\u_ex<i>yymmdd</i>.log) are W3C files with a <c>#Fields:</c> line too, but they
        /// list every request the site answered (200s, the 401 of each NTLM handshake), not HTTP.sys' rejections; read as
        /// HTTPERR every line became a warning from HTTP.sys and the HTTPERR checks passed on no HTTPERR at all. They are
        /// told apart by IIS's <c>#Software:</c> line or by fields HTTP.sys' error log never has.
        /// </summary>
        internal static bool IsIisRequestLog(string head)
        {
            if (head.IndexOf("#Software: Microsoft Internet Information Services", StringComparison.Ordinal) >= 0)
            {
                return true;
            }

            var fields = head.IndexOf("#Fields:", StringComparison.Ordinal);
            if (fields < 0)
            {
                return false;
            }

            var end = head.IndexOf('\n', fields);
            var line = end < 0 ? head.Substring(fields) : head.Substring(fields, end - fields);
            return line.IndexOf(" s-reason", StringComparison.Ordinal) < 0
                && (line.IndexOf(" cs-uri-stem", StringComparison.Ordinal) >= 0 || line.IndexOf(" sc-substatus", StringComparison.Ordinal) >= 0 || line.IndexOf(" time-taken", StringComparison.Ordinal) >= 0);
        }

        private static int IndexOfEventStart(string text)
        {
            for (var at = text.IndexOf("<Event", StringComparison.Ordinal); at >= 0; at = text.IndexOf("<Event", at + 1, StringComparison.Ordinal))
            {
                var next = at + 6 < text.Length ? text[at + 6] : '\0';
                if (next == ' ' || next == '>' || next == 's' || next == '\r' || next == '\n' || next == '\t')
                {
                    return at;
                }
            }

            return -1;
        }

        private static int IndexOfSoftwareDistributionRecord(string text)
        {
            var chars = text.ToCharArray();
            var lineStart = 0;
            while (lineStart < chars.Length)
            {
                var lineEnd = text.IndexOf('\n', lineStart);
                if (lineEnd < 0)
                {
                    lineEnd = chars.Length;
                }

                if (SoftwareDistributionParser.LooksLikeHeader(chars, lineStart, lineEnd) && lineEnd - lineStart > 24 && chars[lineStart + 19] == '.'
                    && text.IndexOf("UTC", lineStart, Math.Min(40, lineEnd - lineStart), StringComparison.Ordinal) >= 0)
                {
                    return lineStart;
                }

                lineStart = lineEnd + 1;
            }

            return -1;
        }
    }
}
