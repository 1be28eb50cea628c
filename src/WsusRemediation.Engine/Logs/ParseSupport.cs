using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>Where a parser sends its entries and its skipped records.</summary>
    internal sealed class ParseContext
    {
        public ParseContext(string file, LogReadSummary summary)
        {
            File = file;
            Summary = summary;
        }

        public string File { get; }

        public LogReadSummary Summary { get; }

        public StringPool Pool { get; } = new StringPool();

        public List<LogEntry> Output { get; } = new List<LogEntry>();

        public System.Xml.XmlReaderSettings? XmlSettings { get; set; }

        /// <summary>One event XML scanner per file, reused for every event (it keeps no text between events).</summary>
        public EventXmlScanner? XmlScanner { get; set; }

        public void Emit(LogEntry entry)
        {
            EvidenceCatalog.Classify(entry);
            Output.Add(entry);
        }

        /// <summary>Emits an entry whose parser set <see cref="LogEntry.Kind"/> and <see cref="LogEntry.Cause"/> itself, through the catalog.</summary>
        public void EmitClassified(LogEntry entry) => Output.Add(entry);

        public void Skip(long line, string reason) => Summary.AddSkipped(File, line, reason);
    }

    /// <summary>A parser fed one line at a time, so records that span lines and files that grow are handled alike.</summary>
    internal interface ILineParser
    {
        void ParseLine(char[] buffer, int start, int length, long lineNumber, ParseContext context);

        void LineTooLong(long lineNumber, ParseContext context);

        /// <summary>Emits a record still being assembled (end of file, or a quiet poll while following).</summary>
        void Flush(ParseContext context);
    }

    /// <summary>Hands a line to a parser, split where runs of NUL characters sit.</summary>
    internal static class LineDispatch
    {
        /// <summary>
        /// A log file whose tail was not flushed before a crash or power loss comes back padded with NUL
        /// bytes, and the writer then appends after the padding on the same line. Each NUL run is taken as a
        /// line break, so the damaged record before it is skipped and the records after it are read.
        /// </summary>
        public static void ParseLine(ILineParser parser, char[] buffer, int start, int length, long lineNumber, ParseContext context)
        {
            var end = start + length;
            var nul = length > 0 ? Array.IndexOf(buffer, '\0', start, length) : -1;
            if (nul < 0)
            {
                parser.ParseLine(buffer, start, length, lineNumber, context);
                return;
            }

            var segment = start;
            while (true)
            {
                if (nul > segment)
                {
                    parser.ParseLine(buffer, segment, nul - segment, lineNumber, context);
                }

                segment = nul;
                while (segment < end && buffer[segment] == '\0')
                {
                    segment++;
                }

                if (segment >= end)
                {
                    return;
                }

                nul = Array.IndexOf(buffer, '\0', segment, end - segment);
                if (nul < 0)
                {
                    nul = end;
                }
            }
        }
    }

    /// <summary>Allocation-free scanning helpers over char arrays (netstandard2.0 has no spans without a package).</summary>
    internal static class Chars
    {
        public const int MaxRecordChars = 1 << 20;

        public static bool StartsWith(char[] buffer, int start, int end, string value)
        {
            if (end - start < value.Length)
            {
                return false;
            }

            for (var i = 0; i < value.Length; i++)
            {
                if (buffer[start + i] != value[i])
                {
                    return false;
                }
            }

            return true;
        }

        public static int IndexOf(char[] buffer, int start, int end, string value)
        {
            var first = value[0];
            var i = start;
            while (i <= end - value.Length)
            {
                i = Array.IndexOf(buffer, first, i, end - value.Length + 1 - i);
                if (i < 0)
                {
                    return -1;
                }

                if (StartsWith(buffer, i, end, value))
                {
                    return i;
                }

                i++;
            }

            return -1;
        }

        public static int LastIndexOf(char[] buffer, int start, int end, string value)
        {
            // Array.LastIndexOf finds the candidates (vectorised on .NET Core); only those are compared in full.
            for (var i = end - value.Length; i >= start; i--)
            {
                i = Array.LastIndexOf(buffer, value[0], i, i - start + 1);
                if (i < 0)
                {
                    return -1;
                }

                if (StartsWith(buffer, i, end, value))
                {
                    return i;
                }
            }

            return -1;
        }

        public static int SkipBlanks(char[] buffer, int i, int end)
        {
            while (i < end && (buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == '\uFEFF'))
            {
                i++;
            }

            return i;
        }

        public static int TrimEnd(char[] buffer, int start, int end)
        {
            while (end > start && (buffer[end - 1] == ' ' || buffer[end - 1] == '\t'))
            {
                end--;
            }

            return end;
        }

        public static int TokenEnd(char[] buffer, int i, int end)
        {
            while (i < end && buffer[i] != ' ' && buffer[i] != '\t')
            {
                i++;
            }

            return i;
        }

        /// <summary>True when the text holds control characters or decoding errors, the mark of binary junk.</summary>
        public static bool LooksBinary(char[] buffer, int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                var c = buffer[i];
                if ((c < ' ' && c != '\t') || c == '\uFFFD')
                {
                    return true;
                }
            }

            return false;
        }

        public static bool ReadDigits(char[] buffer, ref int i, int end, int minDigits, int maxDigits, out int value)
        {
            value = 0;
            var start = i;
            while (i < end && i - start < maxDigits && buffer[i] >= '0' && buffer[i] <= '9')
            {
                value = (value * 10) + (buffer[i] - '0');
                i++;
            }

            return i - start >= minDigits;
        }

        public static bool Expect(char[] buffer, ref int i, int end, char c)
        {
            if (i < end && buffer[i] == c)
            {
                i++;
                return true;
            }

            return false;
        }

        /// <summary>Reads <c>H:mm:ss[.fffffff]</c> into ticks since midnight.</summary>
        public static bool ReadClock(char[] buffer, ref int i, int end, out long ticks)
        {
            ticks = 0;
            if (!ReadDigits(buffer, ref i, end, 1, 2, out var hour) || !Expect(buffer, ref i, end, ':')
                || !ReadDigits(buffer, ref i, end, 2, 2, out var minute) || !Expect(buffer, ref i, end, ':')
                || !ReadDigits(buffer, ref i, end, 2, 2, out var second)
                || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            long fraction = 0;
            if (i < end && buffer[i] == '.')
            {
                i++;
                var digits = 0;
                while (i < end && buffer[i] >= '0' && buffer[i] <= '9')
                {
                    if (digits < 7)
                    {
                        fraction = (fraction * 10) + (buffer[i] - '0');
                        digits++;
                    }

                    i++;
                }

                if (digits == 0)
                {
                    return false;
                }

                for (; digits < 7; digits++)
                {
                    fraction *= 10;
                }
            }

            ticks = (((hour * 60L) + minute) * 60L + second) * TimeSpan.TicksPerSecond + fraction;
            return true;
        }

        /// <summary>Builds a UTC time; null when the date does not exist (a damaged record).</summary>
        public static DateTimeOffset? Utc(int year, int month, int day, long ticksOfDay, int biasMinutes) =>
            DayTicks(year, month, day, out var dayTicks) ? Utc(dayTicks + ticksOfDay, biasMinutes) : null;

        /// <summary>The ticks of a day's midnight; false when the date does not exist.</summary>
        public static bool DayTicks(int year, int month, int day, out long ticks)
        {
            ticks = 0;
            if (year < 1601 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).Ticks;
            return true;
        }

        /// <summary>Builds a UTC time from local ticks; null when it falls outside what DateTime holds.</summary>
        public static DateTimeOffset? Utc(long localTicks, int biasMinutes)
        {
            // The MECM bias is the Windows time-zone bias: UTC = local time + bias minutes.
            var utc = localTicks + (biasMinutes * TimeSpan.TicksPerMinute);
            if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
            {
                return null;
            }

            return new DateTimeOffset(utc, TimeSpan.Zero);
        }
    }
}
