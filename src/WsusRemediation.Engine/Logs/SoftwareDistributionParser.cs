using System;
using System.Text;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// WSUS <c>SoftwareDistribution.log</c>: <c>yyyy-MM-dd HH:mm:ss.fff UTC Level Process.Thread Class.Method Message</c>,
    /// separated by tabs or spaces, with stack traces on the lines that follow. Records whose message is
    /// <c>EventId=NNN,Type=...,Category=...,Message=...</c> are broken into fields.
    /// </summary>
    internal sealed class SoftwareDistributionParser : ILineParser
    {
        private const int MaxContinuationLines = 5000;
        private static readonly string[] Keys = { "Level", "Method", "EventId", "Type", "Category" };

        // The field names for each combination of fields present (bit n for Keys[n]), shared by every record with it.
        private static readonly string[][] KeysByPresence = LogFields.KeysByPresence(Keys, null);

        private bool _hasPending;
        private DateTimeOffset _time;
        private LogSeverity _severity;
        private string _level = string.Empty;
        private string _process = string.Empty;
        private string _thread = string.Empty;
        private string _method = string.Empty;
        private string _message = string.Empty;
        private string? _eventId;
        private string? _type;
        private string? _category;
        private long _line;
        // The message of a record with continuation lines (a stack trace) is built here, starting with the header's
        // text; the builder is kept for the next such record instead of a new one and an extra copy per record.
        private readonly StringBuilder _continued = new StringBuilder(1024);
        private int _continuationChars;
        private int _continuationLines;
        private bool _inOrphanBlock;

        public void ParseLine(char[] buffer, int start, int length, long lineNumber, ParseContext context)
        {
            var end = start + length;
            if (Chars.SkipBlanks(buffer, start, end) >= end)
            {
                return;
            }

            if (LooksLikeHeader(buffer, start, end))
            {
                Flush(context);
                _inOrphanBlock = false;
                if (!ParseHeader(buffer, start, end, lineNumber, context))
                {
                    context.Skip(lineNumber, "SoftwareDistribution.log record has an unreadable header");
                    _inOrphanBlock = true;
                }

                return;
            }

            if (_hasPending && !Chars.LooksBinary(buffer, start, end))
            {
                if (_continuationLines < MaxContinuationLines && _continuationChars < Chars.MaxRecordChars)
                {
                    if (_continuationLines == 0)
                    {
                        _continued.Clear().Append(_message);
                    }

                    var continuation = Chars.TrimEnd(buffer, start, end) - start;
                    _continued.Append('\n').Append(buffer, start, continuation);
                    _continuationChars += continuation + 1;
                    _continuationLines++;
                }

                return;
            }

            if (_hasPending)
            {
                context.Skip(lineNumber, "binary or damaged line inside a SoftwareDistribution.log record");
                return;
            }

            // Lines with no record to belong to (the start of a rolled file, or the tail of a damaged record): one note per block.
            if (!_inOrphanBlock)
            {
                context.Skip(lineNumber, "line outside any SoftwareDistribution.log record");
                _inOrphanBlock = true;
            }
        }

        public void LineTooLong(long lineNumber, ParseContext context)
        {
            context.Skip(lineNumber, "line too long");
        }

        public void Flush(ParseContext context)
        {
            if (!_hasPending)
            {
                return;
            }

            _hasPending = false;
            var message = _continuationLines == 0 ? _message : _continued.ToString();
            _continuationChars = 0;
            _continuationLines = 0;

            var present = Present(_level, 0) | Present(_method, 1) | Present(_eventId, 2) | Present(_type, 3) | Present(_category, 4);
            var keys = KeysByPresence[present];
            var values = new string[keys.Length];
            var count = 0;
            Add(values, ref count, _level);
            Add(values, ref count, _method);
            Add(values, ref count, _eventId);
            Add(values, ref count, _type);
            Add(values, ref count, _category);

            context.Emit(new LogEntry(_time, _severity, _process, _thread, message, context.File, _line, LogFormat.SoftwareDistribution, new LogFields(keys, values, count)));
        }

        internal static bool LooksLikeHeader(char[] b, int start, int end) =>
            end - start >= 19
            && b[start + 4] == '-' && b[start + 7] == '-' && b[start + 13] == ':' && b[start + 16] == ':'
            && IsDigit(b[start]) && IsDigit(b[start + 1]) && IsDigit(b[start + 2]) && IsDigit(b[start + 3]);

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static int Present(string? value, int field) => string.IsNullOrEmpty(value) ? 0 : 1 << field;

        private static void Add(string[] values, ref int count, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                values[count++] = value!;
            }
        }

        private bool ParseHeader(char[] b, int start, int end, long lineNumber, ParseContext context)
        {
            var i = start;
            if (!Chars.ReadDigits(b, ref i, end, 4, 4, out var year) || !Chars.Expect(b, ref i, end, '-')
                || !Chars.ReadDigits(b, ref i, end, 2, 2, out var month) || !Chars.Expect(b, ref i, end, '-')
                || !Chars.ReadDigits(b, ref i, end, 2, 2, out var day))
            {
                return false;
            }

            i = Chars.SkipBlanks(b, i, end);
            if (!Chars.ReadClock(b, ref i, end, out var ticks))
            {
                return false;
            }

            var time = Chars.Utc(year, month, day, ticks, 0);
            if (time is null || (i < end && b[i] != ' ' && b[i] != '\t'))
            {
                return false;
            }

            i = Chars.SkipBlanks(b, i, end);
            if (Chars.StartsWith(b, i, end, "UTC"))
            {
                i = Chars.SkipBlanks(b, i + 3, end);
            }

            var pool = context.Pool;
            var levelEnd = Chars.TokenEnd(b, i, end);
            var level = pool.Get(b, i, levelEnd - i);
            i = Chars.SkipBlanks(b, levelEnd, end);

            var procEnd = Chars.TokenEnd(b, i, end);
            var dot = procEnd > i ? Array.LastIndexOf(b, '.', procEnd - 1, procEnd - i) : -1;
            string process, thread;
            if (dot > i)
            {
                process = pool.Get(b, i, dot - i);
                thread = pool.Get(b, dot + 1, procEnd - dot - 1);
            }
            else
            {
                process = pool.Get(b, i, procEnd - i);
                thread = string.Empty;
            }

            i = Chars.SkipBlanks(b, procEnd, end);
            var methodEnd = Chars.TokenEnd(b, i, end);
            var method = pool.Get(b, i, methodEnd - i);
            i = Chars.SkipBlanks(b, methodEnd, end);
            var messageEnd = Chars.TrimEnd(b, i, end);

            _eventId = _type = _category = null;
            _severity = level switch
            {
                "Info" or "Change" or "Information" => LogSeverity.Information,
                "Warning" => LogSeverity.Warning,
                "Error" => LogSeverity.Error,
                "Fatal" or "Critical" => LogSeverity.Critical,
                _ => LogSeverity.None,
            };

            if (Chars.StartsWith(b, i, messageEnd, "EventId="))
            {
                i = ParseEventFields(b, i, messageEnd, pool);
                if (_type == "Error" && _severity < LogSeverity.Error)
                {
                    _severity = LogSeverity.Error;
                }
                else if (_type == "Warning" && _severity < LogSeverity.Warning)
                {
                    _severity = LogSeverity.Warning;
                }
            }

            _time = time.Value;
            _level = level;
            _process = process;
            _thread = thread;
            _method = method;
            _message = new string(b, i, messageEnd - i);
            _line = lineNumber;
            _hasPending = true;
            return true;
        }

        // EventId=382,Type=Information,Category=Synchronization,Message=A manual synchronization was started.
        private int ParseEventFields(char[] b, int i, int end, StringPool pool)
        {
            while (i < end)
            {
                var eq = Array.IndexOf(b, '=', i, end - i);
                if (eq < 0)
                {
                    return i;
                }

                if (Chars.StartsWith(b, i, eq, "Message") && eq - i == 7)
                {
                    return eq + 1;
                }

                var comma = Array.IndexOf(b, ',', eq, end - eq);
                var valueEnd = comma < 0 ? end : comma;
                var value = pool.Get(b, eq + 1, valueEnd - eq - 1);
                switch (eq - i)
                {
                    case 7 when Chars.StartsWith(b, i, eq, "EventId"): _eventId = value; break;
                    case 4 when Chars.StartsWith(b, i, eq, "Type"): _type = value; break;
                    case 8 when Chars.StartsWith(b, i, eq, "Category"): _category = value; break;
                }

                if (comma < 0)
                {
                    return end;
                }

                i = comma + 1;
            }

            return i;
        }
    }
}
