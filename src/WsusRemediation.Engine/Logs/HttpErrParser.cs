using System;
using System.Collections.Generic;
using System.Text;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// HTTP.sys error logs (<c>httperr*.log</c>, KB 820729): space-separated fields, times in UTC,
    /// <c>-</c> for an empty field, <c>+</c> for a space inside a field. Column names come from each
    /// <c>#Fields:</c> header block (which repeats when the service restarts); before any, the KB order.
    /// </summary>
    internal sealed class HttpErrParser : ILineParser
    {
        private static readonly string[] DefaultFields =
        {
            "date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "sc-status", "s-siteid", "s-reason", "s-queuename",
        };

        // Windows Server 2016 added streamid (HTTP/2); 2022 added streamid_ex and transport (HTTP/3).
        private static readonly string[] StreamFields =
        {
            "date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "streamid", "sc-status", "s-siteid", "s-reason", "s-queuename",
        };

        private static readonly string[] TransportFields =
        {
            "date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "streamid", "streamid_ex", "sc-status", "s-siteid", "s-reason", "s-queuename", "transport",
        };

        private static readonly string[] DescribedFields = { "cs-method", "cs-uri", "sc-status", "s-reason", "s-queuename" };

        private readonly StringBuilder _describe = new StringBuilder(128);
        private readonly int[] _starts = new int[64];
        private readonly int[] _ends = new int[64];
        private readonly uint[] _hashes = new uint[64];
        private readonly bool[] _hasPlus = new bool[64];
        private readonly int[] _valueIndex = new int[64];
        private readonly string?[] _previousValues = new string?[64];
        private readonly uint[] _previousHashes = new uint[64];
        private readonly char[] _lastDate = new char[10];
        private int _lastDateLength = -1;
        private long _lastDayTicks;
        private readonly string?[] _describing = new string?[DescribedFields.Length];
        private readonly Description?[] _descriptions = new Description?[8];
        private int _nextDescription;
        private readonly ulong[] _keysMasks = new ulong[8];
        private readonly string[]?[] _keysArrays = new string[]?[8];
        private int _keysCount;
        private int[] _queueAt = Array.Empty<int>();
        private int[] _reasonAt = Array.Empty<int>();
        private int[] _statusAt = Array.Empty<int>();
        private int[][] _describedAt = Array.Empty<int[]>();
        private string[] _names = DefaultFields;
        private bool _sawHeader;
        private int _date, _time, _uri, _clientPort;

        public HttpErrParser() => Index();

        /// <summary>How many <c>#Fields:</c> lines have set the layout: a partial read primes a parser with the last one before where it starts.</summary>
        public int HeadersRead { get; private set; }

        public void ParseLine(char[] buffer, int start, int length, long lineNumber, ParseContext context)
        {
            var end = Chars.TrimEnd(buffer, start, start + length);
            start = Chars.SkipBlanks(buffer, start, end);
            if (start >= end)
            {
                return;
            }

            if (buffer[start] == '#')
            {
                if (Chars.StartsWith(buffer, start, end, "#Fields:"))
                {
                    ReadFieldNames(buffer, start + "#Fields:".Length, end, context.Pool);
                }

                return;
            }

            // One pass finds the fields, hashes each for the string pool and notes encoded spaces ('+') and
            // binary characters: separate scans for each (an IndexOf per field and per '+', a binary check,
            // the pool's own hash) read every character four times and cost about twice as much.
            var count = 0;
            var binary = false;
            var i = start;
            while (i < end)
            {
                if (count == _starts.Length)
                {
                    count++;
                    binary |= Chars.LooksBinary(buffer, i, end);
                    break;
                }

                // Two running sums (Fletcher style) instead of the pool's FNV hash: additions do not wait on a
                // multiplication per character. Any hash works for the pool; it only has to be the same for the same text.
                uint sum = 0, sumOfSums = 0;
                var plus = false;
                var tokenEnd = i;
                for (; tokenEnd < end; tokenEnd++)
                {
                    var c = buffer[tokenEnd];

                    // Letters, digits, '-', '.', '/', ':' (nearly every character) pass with one comparison.
                    if ((uint)(c - '-') >= '\uFFFD' - '-')
                    {
                        if (c == ' ')
                        {
                            break;
                        }

                        if (c == '+')
                        {
                            plus = true;
                        }
                        else if ((c < ' ' && c != '\t') || c == '\uFFFD')
                        {
                            binary = true;
                        }
                    }

                    sum += c;
                    sumOfSums += sum;
                }

                var hash = (sumOfSums * 31) + sum;
                _starts[count] = i;
                _ends[count] = tokenEnd;
                _hashes[count] = hash;
                _hasPlus[count] = plus;
                count++;
                i = tokenEnd + 1;
                while (i < end && buffer[i] == ' ')
                {
                    i++;
                }
            }

            if (binary)
            {
                context.Skip(lineNumber, "binary or damaged HTTPERR line");
                return;
            }

            if (count != _names.Length && !_sawHeader)
            {
                // An excerpt without its #Fields block: the field count tells which Windows wrote it.
                ChooseLayoutByCount(count);
            }

            if (count != _names.Length && !MissingOnlyTrailingOptionalFields(count))
            {
                context.Skip(lineNumber, $"HTTPERR line has {(count > _names.Length ? "more" : count.ToString(System.Globalization.CultureInfo.InvariantCulture))} fields, the header names {_names.Length}");
                return;
            }

            DateTimeOffset? time = null;
            if (_date >= 0 && _time >= 0)
            {
                var t = _starts[_time];
                if (!TryReadDay(buffer, _starts[_date], _ends[_date], out var dayTicks)
                    || !Chars.ReadClock(buffer, ref t, _ends[_time], out var ticks) || t != _ends[_time]
                    || (time = Chars.Utc(dayTicks + ticks, 0)) is null)
                {
                    context.Skip(lineNumber, "HTTPERR line has an unreadable date or time");
                    return;
                }
            }

            var pool = context.Pool;
            var values = new string[count];
            var present = 0;
            var fieldCount = Math.Min(count, _names.Length);
            ulong presentMask = 0;
            for (var f = 0; f < fieldCount; f++)
            {
                var s = _starts[f];
                var e = _ends[f];
                if (e - s == 1 && buffer[s] == '-')
                {
                    _valueIndex[f] = -1;
                    continue;
                }

                presentMask |= 1UL << f;
                _valueIndex[f] = present;

                // '+' stands for a space in every field but the URI, which is kept as written.
                if (_hasPlus[f] && f != _uri)
                {
                    values[present++] = Unplus(buffer, s, e);
                    continue;
                }

                // Most columns repeat the line before (date, server, method, URI, queue): checked first, with the
                // hash ruling out most changes before any character is compared, then the pool.
                var previous = _previousValues[f];
                if (previous is not null && _previousHashes[f] == _hashes[f] && previous.Length == e - s && SameText(previous, buffer, s))
                {
                    values[present++] = previous;
                    continue;
                }

                // The client's ephemeral port never repeats: pooling it would only evict values that do.
                var value = f == _clientPort ? new string(buffer, s, e - s) : pool.Get(buffer, s, e - s, _hashes[f]);
                values[present++] = value;
                _previousValues[f] = value;
                _previousHashes[f] = _hashes[f];
            }

            var fields = new LogFields(KeysFor(presentMask, fieldCount, present), values, present);
            var queue = Lookup(_queueAt, fieldCount, values);
            var reason = Lookup(_reasonAt, fieldCount, values);
            var status = Lookup(_statusAt, fieldCount, values);

            var severity = LogSeverity.Warning;
            if (status is not null && status.Length == 3 && status[0] == '5')
            {
                severity = LogSeverity.Error;
            }
            else if (reason is not null && (reason.StartsWith("Timer_", StringComparison.Ordinal) || reason.StartsWith("Client_", StringComparison.Ordinal) || reason == "Connection_Dropped"))
            {
                severity = LogSeverity.Information;
            }

            // Classified here from the values in hand: the same catalog rule Classify applies, without the lookups by name.
            var kind = EvidenceCatalog.ClassifyHttpErr(reason, status);
            context.EmitClassified(new LogEntry(time, severity, queue ?? "HTTP.sys", string.Empty, Describe(fieldCount, values), context.File, lineNumber, LogFormat.HttpErr, fields, kind));
        }

        public void LineTooLong(long lineNumber, ParseContext context) => context.Skip(lineNumber, "line too long");

        public void Flush(ParseContext context)
        {
        }

        /// <summary>Reads a <c>yyyy-MM-dd</c> date; a file keeps one date for hours, so the last one is remembered.</summary>
        private bool TryReadDay(char[] buffer, int start, int end, out long dayTicks)
        {
            var length = end - start;
            if (length == _lastDateLength)
            {
                var same = true;
                for (var i = 0; i < length && same; i++)
                {
                    same = buffer[start + i] == _lastDate[i];
                }

                if (same)
                {
                    dayTicks = _lastDayTicks;
                    return true;
                }
            }

            dayTicks = 0;
            var d = start;
            if (!Chars.ReadDigits(buffer, ref d, end, 4, 4, out var year) || !Chars.Expect(buffer, ref d, end, '-')
                || !Chars.ReadDigits(buffer, ref d, end, 2, 2, out var month) || !Chars.Expect(buffer, ref d, end, '-')
                || !Chars.ReadDigits(buffer, ref d, end, 2, 2, out var day) || d != end
                || !Chars.DayTicks(year, month, day, out dayTicks))
            {
                return false;
            }

            // A valid date is exactly ten characters.
            Array.Copy(buffer, start, _lastDate, 0, length);
            _lastDateLength = length;
            _lastDayTicks = dayTicks;
            return true;
        }

        private static bool SameText(string text, char[] buffer, int start)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] != buffer[start + i])
                {
                    return false;
                }
            }

            return true;
        }

        private static string Unplus(char[] buffer, int start, int end)
        {
            var copy = new char[end - start];
            for (var i = 0; i < copy.Length; i++)
            {
                var c = buffer[start + i];
                copy[i] = c == '+' ? ' ' : c;
            }

            return new string(copy);
        }

        /// <summary>
        /// The field positions a lookup by <paramref name="name"/> in this line's <see cref="LogFields"/> would try,
        /// in its order (same reference first, then ignoring case): reading the value by position gives what
        /// TryGetValue gives, without searching the keys on every line.
        /// </summary>
        private int[] Candidates(string name)
        {
            var found = new List<int>();
            for (var f = 0; f < _names.Length; f++)
            {
                if (ReferenceEquals(_names[f], name))
                {
                    found.Add(f);
                }
            }

            for (var f = 0; f < _names.Length; f++)
            {
                if (string.Equals(_names[f], name, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(f);
                }
            }

            return found.ToArray();
        }

        /// <summary>The value a TryGetValue on this line's fields returns, from the precomputed positions.</summary>
        private string? Lookup(int[] candidates, int fieldCount, string[] values)
        {
            foreach (var f in candidates)
            {
                if (f < fieldCount && _valueIndex[f] >= 0)
                {
                    return values[_valueIndex[f]];
                }
            }

            return null;
        }

        /// <summary>
        /// The keys of this line's present fields. Lines mostly repeat a few patterns of '-' fields, so the
        /// arrays are shared by pattern (LogFields never changes them) instead of allocated per line.
        /// </summary>
        private string[] KeysFor(ulong presentMask, int fieldCount, int present)
        {
            // A handful of patterns at most: a linear look through eight is cheaper than a dictionary.
            for (var k = 0; k < _keysCount; k++)
            {
                if (_keysMasks[k] == presentMask)
                {
                    return _keysArrays[k]!;
                }
            }

            var keys = new string[present];
            var n = 0;
            for (var f = 0; f < fieldCount; f++)
            {
                if ((presentMask & (1UL << f)) != 0)
                {
                    keys[n++] = _names[f];
                }
            }

            if (_keysCount < _keysMasks.Length)
            {
                _keysMasks[_keysCount] = presentMask;
                _keysArrays[_keysCount++] = keys;
            }

            return keys;
        }

        /// <summary>
        /// "method uri status reason queue" of the present ones. A server in trouble logs the same few failures
        /// over and over, and the values come from the string pool, so the descriptions of the last few
        /// combinations are kept and found again by comparing references (equal references, equal text).
        /// </summary>
        private string Describe(int fieldCount, string[] values)
        {
            var parts = _describing;
            for (var d = 0; d < parts.Length; d++)
            {
                parts[d] = Lookup(_describedAt[d], fieldCount, values);
            }

            foreach (var known in _descriptions)
            {
                if (known is not null && SameReferences(known.Parts, parts))
                {
                    return known.Text;
                }
            }

            _describe.Clear();
            foreach (var value in parts)
            {
                if (value is not null)
                {
                    if (_describe.Length > 0)
                    {
                        _describe.Append(' ');
                    }

                    _describe.Append(value);
                }
            }

            var text = _describe.ToString();
            _descriptions[_nextDescription] = new Description((string?[])parts.Clone(), text);
            _nextDescription = (_nextDescription + 1) % _descriptions.Length;
            return text;
        }

        private static bool SameReferences(string?[] a, string?[] b)
        {
            for (var i = 0; i < a.Length; i++)
            {
                if (!ReferenceEquals(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private void ChooseLayoutByCount(int count)
        {
            var layout = count == StreamFields.Length ? StreamFields : count == TransportFields.Length ? TransportFields : count == DefaultFields.Length || count == DefaultFields.Length - 1 ? DefaultFields : null;
            if (layout is not null)
            {
                _names = layout;
                Index();
            }
        }

        /// <summary>IIS 6 wrote no s-queuename when the request never reached a queue; later layouts end with transport.</summary>
        private bool MissingOnlyTrailingOptionalFields(int count)
        {
            if (count >= _names.Length || count < _names.Length - 2)
            {
                return false;
            }

            for (var f = count; f < _names.Length; f++)
            {
                if (_names[f] != "s-queuename" && _names[f] != "transport")
                {
                    return false;
                }
            }

            return true;
        }

        private void ReadFieldNames(char[] buffer, int i, int end, StringPool pool)
        {
            var names = new List<string>();
            while (i < end && names.Count < _starts.Length - 1)
            {
                i = Chars.SkipBlanks(buffer, i, end);
                var tokenEnd = Chars.TokenEnd(buffer, i, end);
                if (tokenEnd > i)
                {
                    // Interned, so that lookups with the literal field names hit by reference.
                    names.Add(string.Intern(pool.Get(buffer, i, tokenEnd - i)));
                }

                i = tokenEnd;
            }

            if (names.Count > 0)
            {
                HeadersRead++;
                _sawHeader = true;
                _names = names.ToArray();
                Index();
            }
        }

        private void Index()
        {
            var names = new List<string>(_names);
            _date = names.IndexOf("date");
            _time = names.IndexOf("time");
            _uri = names.IndexOf("cs-uri");
            Array.Clear(_previousValues, 0, _previousValues.Length);
            _clientPort = names.IndexOf("c-port");
            _keysCount = 0;
            _queueAt = Candidates("s-queuename");
            _reasonAt = Candidates("s-reason");
            _statusAt = Candidates("sc-status");
            _describedAt = Array.ConvertAll(DescribedFields, Candidates);
        }

        private sealed class Description
        {
            public Description(string?[] parts, string text)
            {
                Parts = parts;
                Text = text;
            }

            public string?[] Parts { get; }

            public string Text { get; }
        }
    }
}
