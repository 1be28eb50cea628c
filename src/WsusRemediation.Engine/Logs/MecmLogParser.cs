using System;
using System.Globalization;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// MECM logs in both shapes, line by line (a file may even mix them): CMTrace records
    /// <c>&lt;![LOG[...]LOG]!&gt;&lt;time="HH:mm:ss.fff+BIAS" date="M-d-yyyy" component=".." context=".." type="1" thread="N" file=".."&gt;</c>,
    /// whose message may span lines, and simple records
    /// <c>message  $$&lt;COMPONENT&gt;&lt;MM-dd-yyyy HH:mm:ss.fff+BIAS&gt;&lt;thread=N (0xHEX)&gt;</c> with <c>~~</c> for line breaks.
    /// </summary>
    internal sealed class MecmLogParser : ILineParser
    {
        private const string CmStart = "<![LOG[";
        private const string CmEnd = "]LOG]!><";
        private const string SimpleMarker = "$$<";
        private static readonly string[] CmFieldKeys = { "Context", "Type", "SourceFile", "Bias" };

        // The field names for each combination of context, type and file being present (bit 1, 2, 4), shared by every
        // record with that combination: a record then allocates only its values.
        private static readonly string[][] CmFieldKeysByPresence = LogFields.KeysByPresence(new[] { CmFieldKeys[0], CmFieldKeys[1], CmFieldKeys[2] }, CmFieldKeys[3]);
        private static readonly string[] BiasKey = { "Bias" };
        private static readonly string?[] BiasTexts = new string?[(2 * 1440) + 1];

        // A CMTrace record that spans lines (a stack trace, a SOAP fault) is gathered here; the buffer is kept for the
        // next one, because about one record in twelve of a failing sync spans lines and a copy per record was a
        // quarter of everything the reader allocated.
        private char[] _pending = new char[1024];
        private int _pendingLength = -1;
        private long _pendingLine;
        private int _pendingLines;

        private bool HasPending => _pendingLength >= 0;

        public void ParseLine(char[] buffer, int start, int length, long lineNumber, ParseContext context)
        {
            var end = start + length;
            var i = Chars.SkipBlanks(buffer, start, end);

            if (HasPending)
            {
                if (Chars.StartsWith(buffer, i, end, CmStart))
                {
                    context.Skip(_pendingLine, "CMTrace record truncated (no ]LOG]!> before the next record)");
                    _pendingLength = -1;
                }
                else
                {
                    AppendPending('\n', buffer, start, length);
                    _pendingLines++;
                    if (Chars.LastIndexOf(buffer, start, end, CmEnd) >= 0)
                    {
                        var pendingLength = _pendingLength;
                        _pendingLength = -1;
                        ParseCmTrace(_pending, 0, pendingLength, Chars.LastIndexOf(_pending, 0, pendingLength, CmEnd), _pendingLine, context);
                    }
                    else if (_pendingLength > Chars.MaxRecordChars)
                    {
                        context.Skip(_pendingLine, "CMTrace record too long or not terminated");
                        _pendingLength = -1;
                    }

                    return;
                }
            }

            if (i >= end)
            {
                return;
            }

            if (Chars.StartsWith(buffer, i, end, CmStart))
            {
                // The end marker is searched once, from the end of the line, and handed on.
                var close = Chars.LastIndexOf(buffer, i, end, CmEnd);
                if (close >= 0)
                {
                    ParseCmTrace(buffer, i, end, close, lineNumber, context);
                }
                else
                {
                    _pendingLength = 0;
                    AppendPending(null, buffer, i, end - i);
                    _pendingLine = lineNumber;
                    _pendingLines = 1;
                }

                return;
            }

            ParseSimple(buffer, start, end, lineNumber, context);
        }

        public void LineTooLong(long lineNumber, ParseContext context)
        {
            if (HasPending)
            {
                context.Skip(_pendingLine, "CMTrace record too long");
                _pendingLength = -1;
                return;
            }

            context.Skip(lineNumber, "line too long");
        }

        public void Flush(ParseContext context)
        {
            if (HasPending)
            {
                context.Skip(_pendingLine, "CMTrace record truncated at end of file");
                _pendingLength = -1;
            }
        }

        private void AppendPending(char? separator, char[] buffer, int start, int length)
        {
            var needed = _pendingLength + length + 1;
            if (needed > _pending.Length)
            {
                Array.Resize(ref _pending, Math.Max(needed, _pending.Length * 2));
            }

            if (separator is char c)
            {
                _pending[_pendingLength++] = c;
            }

            Array.Copy(buffer, start, _pending, _pendingLength, length);
            _pendingLength += length;
        }

        private static void ParseCmTrace(char[] b, int start, int end, int close, long lineNumber, ParseContext context)
        {
            var messageStart = start + CmStart.Length;
            var i = close + CmEnd.Length;

            int timeS = -1, timeE = 0, dateS = -1, dateE = 0, compS = -1, compE = 0, ctxS = -1, ctxE = 0, typeS = -1, typeE = 0, thrS = -1, thrE = 0, fileS = -1, fileE = 0;
            var closed = false;
            while (i < end)
            {
                i = Chars.SkipBlanks(b, i, end);
                if (i < end && b[i] == '>')
                {
                    closed = true;
                    break;
                }

                var nameStart = i;
                while (i < end && b[i] != '=' && b[i] != '>' && b[i] != ' ')
                {
                    i++;
                }

                var nameEnd = i;
                if (!Chars.Expect(b, ref i, end, '=') || !Chars.Expect(b, ref i, end, '"'))
                {
                    break;
                }

                var valueStart = i;
                var quote = Array.IndexOf(b, '"', i, end - i);
                if (quote < 0)
                {
                    break;
                }

                i = quote + 1;
                switch (nameEnd - nameStart)
                {
                    case 4 when Chars.StartsWith(b, nameStart, nameEnd, "time"): timeS = valueStart; timeE = quote; break;
                    case 4 when Chars.StartsWith(b, nameStart, nameEnd, "date"): dateS = valueStart; dateE = quote; break;
                    case 4 when Chars.StartsWith(b, nameStart, nameEnd, "type"): typeS = valueStart; typeE = quote; break;
                    case 4 when Chars.StartsWith(b, nameStart, nameEnd, "file"): fileS = valueStart; fileE = quote; break;
                    case 6 when Chars.StartsWith(b, nameStart, nameEnd, "thread"): thrS = valueStart; thrE = quote; break;
                    case 7 when Chars.StartsWith(b, nameStart, nameEnd, "context"): ctxS = valueStart; ctxE = quote; break;
                    case 9 when Chars.StartsWith(b, nameStart, nameEnd, "component"): compS = valueStart; compE = quote; break;
                }
            }

            // Only the time and date are needed; logs written by other tools leave out component, thread or type.
            if (!closed || timeS < 0 || dateS < 0)
            {
                context.Skip(lineNumber, "CMTrace record damaged (attributes incomplete)");
                return;
            }

            var t = timeS;
            if (!Chars.ReadClock(b, ref t, timeE, out var ticks) || !ReadBias(b, ref t, timeE, out var bias))
            {
                context.Skip(lineNumber, "CMTrace record has an unreadable time");
                return;
            }

            var d = dateS;
            if (!Chars.ReadDigits(b, ref d, dateE, 1, 2, out var month) || !Chars.Expect(b, ref d, dateE, '-')
                || !Chars.ReadDigits(b, ref d, dateE, 1, 2, out var day) || !Chars.Expect(b, ref d, dateE, '-')
                || !Chars.ReadDigits(b, ref d, dateE, 4, 4, out var year) || d != dateE)
            {
                context.Skip(lineNumber, "CMTrace record has an unreadable date");
                return;
            }

            var time = Chars.Utc(year, month, day, ticks, bias);
            if (time is null)
            {
                context.Skip(lineNumber, "CMTrace record has an impossible date");
                return;
            }

            var severity = LogSeverity.None;
            if (typeS >= 0 && typeE - typeS == 1)
            {
                severity = b[typeS] switch
                {
                    '1' => LogSeverity.Information,
                    '2' => LogSeverity.Warning,
                    '3' => LogSeverity.Error,
                    _ => LogSeverity.None,
                };
            }

            var pool = context.Pool;
            var present = (ctxS >= 0 && ctxE > ctxS ? 1 : 0) | (typeS >= 0 && typeE > typeS ? 2 : 0) | (fileS >= 0 && fileE > fileS ? 4 : 0);
            var keys = CmFieldKeysByPresence[present];
            var values = new string[keys.Length];
            var count = 0;
            if ((present & 1) != 0)
            {
                values[count++] = pool.Get(b, ctxS, ctxE - ctxS);
            }

            if ((present & 2) != 0)
            {
                values[count++] = pool.Get(b, typeS, typeE - typeS);
            }

            if ((present & 4) != 0)
            {
                values[count++] = pool.Get(b, fileS, fileE - fileS);
            }

            values[count++] = BiasText(bias);

            context.Emit(new LogEntry(
                time,
                severity,
                compS >= 0 ? pool.Get(b, compS, compE - compS) : string.Empty,
                thrS >= 0 ? pool.Get(b, thrS, thrE - thrS) : string.Empty,
                new string(b, messageStart, close - messageStart),
                context.File,
                lineNumber,
                LogFormat.CMTrace,
                new LogFields(keys, values, count)));
        }

        private static void ParseSimple(char[] b, int start, int end, long lineNumber, ParseContext context)
        {
            var trimmedEnd = Chars.TrimEnd(b, start, end);
            var marker = Chars.LastIndexOf(b, start, trimmedEnd, SimpleMarker);
            if (marker < 0)
            {
                context.Skip(lineNumber, "not a MECM log record");
                return;
            }

            // $$<COMPONENT><MM-dd-yyyy HH:mm:ss.fff+BIAS><thread=N (0xHEX)>
            var i = marker + SimpleMarker.Length;
            var compEnd = Array.IndexOf(b, '>', i, trimmedEnd - i);
            if (compEnd < 0)
            {
                context.Skip(lineNumber, "simple MECM record damaged (component)");
                return;
            }

            var compStart = i;
            i = compEnd + 1;
            if (!Chars.Expect(b, ref i, trimmedEnd, '<')
                || !Chars.ReadDigits(b, ref i, trimmedEnd, 1, 2, out var month) || !Chars.Expect(b, ref i, trimmedEnd, '-')
                || !Chars.ReadDigits(b, ref i, trimmedEnd, 1, 2, out var day) || !Chars.Expect(b, ref i, trimmedEnd, '-')
                || !Chars.ReadDigits(b, ref i, trimmedEnd, 4, 4, out var year) || !Chars.Expect(b, ref i, trimmedEnd, ' ')
                || !Chars.ReadClock(b, ref i, trimmedEnd, out var ticks) || !ReadBias(b, ref i, trimmedEnd, out var bias)
                || !Chars.Expect(b, ref i, trimmedEnd, '>'))
            {
                context.Skip(lineNumber, "simple MECM record has an unreadable time");
                return;
            }

            var time = Chars.Utc(year, month, day, ticks, bias);
            if (time is null)
            {
                context.Skip(lineNumber, "simple MECM record has an impossible date");
                return;
            }

            var thread = string.Empty;
            if (Chars.StartsWith(b, i, trimmedEnd, "<thread="))
            {
                var t = i + "<thread=".Length;
                var tStart = t;
                while (t < trimmedEnd && b[t] >= '0' && b[t] <= '9')
                {
                    t++;
                }

                thread = context.Pool.Get(b, tStart, t - tStart);
            }

            var messageEnd = Chars.TrimEnd(b, start, marker);

            // Many components end every message with the "~~" line break before the marker; a message
            // does not end in an empty line, so trailing breaks are dropped (an all-"~~" message is empty).
            while (messageEnd - start >= 2 && b[messageEnd - 1] == '~' && b[messageEnd - 2] == '~')
            {
                messageEnd = Chars.TrimEnd(b, start, messageEnd - 2);
            }

            var messageStart = Chars.SkipBlanks(b, start, messageEnd);
            var message = new string(b, messageStart, messageEnd - messageStart);
            if (message.IndexOf("~~", StringComparison.Ordinal) >= 0)
            {
                message = message.Replace("~~", "\n");
            }

            context.Emit(new LogEntry(
                time,
                StatusMessageSeverity(message),
                context.Pool.Get(b, compStart, compEnd - compStart),
                thread,
                message,
                context.File,
                lineNumber,
                LogFormat.SmsSimple,
                new LogFields(BiasKey, new[] { BiasText(bias) }, 1)));
        }

        /// <summary>
        /// The simple format has no severity field, but a status message line carries its own
        /// (<c>STATMSG: ID=6703 SEV=E LEV=M …</c>: I, W or E), so <c>-Severity Error</c> finds each failed
        /// synchronization's 6703 and WCM's 6600 on a site server. Every other simple record has none.
        /// </summary>
        private static LogSeverity StatusMessageSeverity(string message)
        {
            if (message.Length < 20 || message[0] != 'S' || !message.StartsWith("STATMSG: ", StringComparison.Ordinal))
            {
                return LogSeverity.None;
            }

            var sev = message.IndexOf(" SEV=", StringComparison.Ordinal);
            if (sev < 0 || sev + 6 > message.Length || (sev + 6 < message.Length && message[sev + 6] != ' '))
            {
                return LogSeverity.None;
            }

            return message[sev + 5] switch
            {
                'E' => LogSeverity.Error,
                'W' => LogSeverity.Warning,
                'I' => LogSeverity.Information,
                _ => LogSeverity.None,
            };
        }

        private static string BiasText(int bias)
        {
            if (bias < -1440 || bias > 1440)
            {
                return bias.ToString(CultureInfo.InvariantCulture);
            }

            return BiasTexts[bias + 1440] ??= bias.ToString(CultureInfo.InvariantCulture);
        }

        private static bool ReadBias(char[] b, ref int i, int end, out int bias)
        {
            bias = 0;
            if (i >= end || (b[i] != '+' && b[i] != '-'))
            {
                // No bias written: the time is taken as UTC.
                return true;
            }

            var negative = b[i] == '-';
            i++;

            // "+-300": the widely copied script logger that writes "+" followed by Win32_TimeZone.Bias.
            // That WMI bias counts the other way (positive east of Greenwich: UTC = local - bias), so
            // "+-300" is US Eastern and means what MECM writes as "+300". Nothing else writes two signs.
            if (!negative && i < end && b[i] == '-')
            {
                i++;
            }

            if (!Chars.ReadDigits(b, ref i, end, 1, 4, out bias))
            {
                return false;
            }

            if (negative)
            {
                bias = -bias;
            }

            return true;
        }
    }
}
