using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Windows event XML, the shape of <c>EventRecord.ToXml()</c> and <c>wevtutil qe /f:xml</c>. A file may
    /// hold many <c>&lt;Event&gt;</c> elements, concatenated or wrapped in a root element; each is cut out
    /// of the text and parsed on its own, so one damaged event does not stop the rest.
    /// </summary>
    internal sealed class EventXmlParser
    {
        private const string EndTag = "</Event>";

        private static readonly XmlReaderSettings Settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            ConformanceLevel = ConformanceLevel.Fragment,

            // ToXml() copies data strings as they are: a NUL or another control character (raw or as &#x0;)
            // would otherwise cost the whole event.
            CheckCharacters = false,
        };

        // The fields that say which event this is and where it was logged. Other data items named like a System
        // field (WAS's ProcessID: the worker's id, not the logging process's) deliberately take the field's place.
        private static readonly HashSet<string> SystemFieldNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "EventId", "Provider", "EventSourceName", "Qualifiers", "EventRecordId", "Channel", "Computer",
        };

        private readonly TextReader _reader;
        private readonly ParseContext _context;
        private readonly char[] _buffer = new char[1 << 16];
        private StringBuilder _eventText = new StringBuilder(4096);
        private int _pos;
        private int _end;
        private bool _eof;
        private long _line = 1;

        /// <param name="reader">The text, starting at the file's start or at an event's start.</param>
        /// <param name="context">Where entries and skips go.</param>
        /// <param name="firstLine">The line number of the reader's first character (1 at the file's start).</param>
        public EventXmlParser(TextReader reader, ParseContext context, long firstLine = 1)
        {
            _reader = reader;
            _context = context;
            _line = firstLine;
        }

        /// <summary>Parses the text, yielding after each event so the caller can hand entries on at once.</summary>
        public IEnumerable<bool> Run()
        {
            StringBuilder? chunk = null;
            long chunkLine = 0;

            // _pos is where unconsumed text starts; scan is where the search for '<' goes on. Text is only
            // copied (into the event being cut out) at event boundaries and buffer refills.
            var scan = _pos;
            while (true)
            {
                if (scan >= _end)
                {
                    Consume(chunk, _end);
                    if (!Fill())
                    {
                        break;
                    }

                    scan = _pos;
                    continue;
                }

                var lt = Array.IndexOf(_buffer, '<', scan, _end - scan);
                if (lt < 0)
                {
                    scan = _end;
                    continue;
                }

                if (_end - lt < EndTag.Length && !_eof)
                {
                    Consume(chunk, lt);
                    Fill();
                    scan = _pos;
                    continue;
                }

                // Only "<Event" and "</Event>" matter here: the character after '<' rules out every other tag at once.
                var next = lt + 1 < _end ? _buffer[lt + 1] : '\0';
                if (next == 'E' && IsEventStart(lt))
                {
                    if (chunk is not null)
                    {
                        _context.Skip(chunkLine, "event truncated (no </Event> before the next event)");
                    }

                    Consume(null, lt);

                    // One builder for every event of the file, unless a huge one left it oversized.
                    chunk = _eventText.Capacity > 1 << 16 ? _eventText = new StringBuilder(4096) : _eventText.Clear();
                    chunkLine = _line;
                    scan = lt + 1;
                    continue;
                }

                if (next == '/' && chunk is not null && Chars.StartsWith(_buffer, lt, _end, EndTag))
                {
                    Consume(chunk, lt + EndTag.Length);
                    ParseEvent(chunk.ToString(), _context.File, chunkLine, _context);
                    chunk = null;
                    scan = _pos;
                    yield return true;
                    continue;
                }

                scan = lt + 1;
                if (chunk is not null && chunk.Length + (scan - _pos) > Chars.MaxRecordChars)
                {
                    Consume(null, scan);
                    _context.Skip(chunkLine, "event too long or not terminated");
                    chunk = null;
                }
            }

            if (chunk is not null)
            {
                _context.Skip(chunkLine, "event truncated at end of file");
            }
        }

        /// <summary>Parses one event's XML. Returns false (and records a skip) when it is not readable.</summary>
        public static bool ParseEvent(string xml, string file, long line, ParseContext context)
        {
            try
            {
                // Most events are plain XML the scanner reads on its own; the rest (and every damaged event) go
                // through XmlReader, which decides what is readable and words the errors.
                var scanner = context.XmlScanner ??= new EventXmlScanner(context.Pool);
                scanner.Reset(xml);
                if (!TryBuild(scanner, file, line, out var entry))
                {
                    using var reader = XmlReader.Create(new StringReader(EscapeControlCharacters(xml)), context.XmlSettings ??= NewSettings());
                    TryBuild(new XmlReaderNodes(reader), file, line, out entry);
                }

                if (entry is null)
                {
                    context.Skip(line, "event has no System/EventID");
                    return false;
                }

                context.Emit(entry);
                return true;
            }
            catch (XmlException ex)
            {
                context.Skip(line, "event XML damaged: " + ex.Message);
                return false;
            }
        }

        /// <summary>
        /// Raw control characters are refused by XmlReader even without character checking, while their
        /// character references are accepted: rewrite the first as the second.
        /// </summary>
        private static string EscapeControlCharacters(string xml)
        {
            StringBuilder? escaped = null;
            var copied = 0;
            for (var i = 0; i < xml.Length; i++)
            {
                var c = xml[i];
                if (c >= ' ' || c == '\t' || c == '\n' || c == '\r')
                {
                    continue;
                }

                escaped ??= new StringBuilder(xml.Length + 16);
                escaped.Append(xml, copied, i - copied).Append("&#x").Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append(';');
                copied = i + 1;
            }

            return escaped is null ? xml : escaped.Append(xml, copied, xml.Length - copied).ToString();
        }

        // One name table per file: element and attribute names are atomised once, not once per event.
        internal static XmlReaderSettings NewSettings()
        {
            var settings = Settings.Clone();
            settings.NameTable = new NameTable();
            return settings;
        }

        /// <summary>
        /// Reads one event's nodes into an entry (null when it has no usable EventID). Returns false when
        /// the node source gave up (the scanner's <see cref="EventXmlScanner.Refused"/>).
        /// </summary>
        private static bool TryBuild(IEventXmlNodes reader, string file, long line, out LogEntry? entry)
        {
            entry = null;
            string? provider = null, sourceName = null, eventId = null, qualifiers = null, level = null, task = null, keywords = null,
                recordId = null, channel = null, computer = null, processId = null, threadId = null, userId = null, systemTime = null,
                rendered = null, binary = null;
            var data = new List<KeyValuePair<string, string?>>();
            var dataValues = new List<string>();
            bool inEventData = false, inUserData = false, inRendering = false;
            string? current = null;
            string? dataName = null;

            // A data item is nearly always one text node: its string is kept as is, a builder only joins several.
            string? dataFirst = null;
            StringBuilder? dataText = null;
            var dataParts = 0;
            var inData = false;

            {
                while (reader.Read())
                {
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element:
                            current = reader.LocalName;
                            if (inRendering)
                            {
                                // RenderingInfo repeats Level, Task, Channel, Provider... as display text (localized,
                                // Provider without a Name attribute): only its Message is read, the System values stay.
                                break;
                            }

                            switch (current)
                            {
                                case "Provider":
                                    provider = reader.GetAttribute("Name");
                                    sourceName = reader.GetAttribute("EventSourceName");
                                    break;
                                case "EventID":
                                    qualifiers = reader.GetAttribute("Qualifiers");
                                    break;
                                case "TimeCreated":
                                    systemTime = reader.GetAttribute("SystemTime");
                                    break;
                                case "Execution":
                                    processId = reader.GetAttribute("ProcessID");
                                    threadId = reader.GetAttribute("ThreadID");
                                    break;
                                case "Security":
                                    userId = reader.GetAttribute("UserID");
                                    break;
                                case "EventData":
                                    inEventData = !reader.IsEmptyElement;
                                    break;
                                case "UserData":
                                    inUserData = !reader.IsEmptyElement;
                                    break;
                                case "RenderingInfo":
                                    inRendering = !reader.IsEmptyElement;
                                    break;
                                case "Data" when inEventData:
                                    dataName = reader.GetAttribute("Name");
                                    dataFirst = null;
                                    dataParts = 0;
                                    inData = true;
                                    if (reader.IsEmptyElement)
                                    {
                                        AddData(data, dataValues, dataName, string.Empty);
                                        inData = false;
                                    }

                                    break;
                            }

                            break;
                        case XmlNodeType.Text:
                        case XmlNodeType.CDATA:
                        case XmlNodeType.SignificantWhitespace:
                        case XmlNodeType.Whitespace:
                            if (inData)
                            {
                                if (dataParts++ == 0)
                                {
                                    dataFirst = reader.Value;
                                }
                                else
                                {
                                    (dataParts == 2 ? (dataText ??= new StringBuilder()).Clear().Append(dataFirst) : dataText!).Append(reader.Value);
                                }

                                break;
                            }

                            if (reader.NodeType == XmlNodeType.Whitespace)
                            {
                                break;
                            }

                            if (inRendering)
                            {
                                if (current == "Message")
                                {
                                    rendered = reader.Value;
                                }

                                break;
                            }

                            if (inUserData)
                            {
                                // UserData has its own schema per provider, and may reuse System names (Channel, Level).
                                if (current is not null)
                                {
                                    AddData(data, dataValues, current, reader.Value);
                                }

                                break;
                            }

                            switch (current)
                            {
                                case "EventID": eventId = reader.Value.Trim(); break;
                                case "Level": level = reader.Value.Trim(); break;
                                case "Task": task = reader.Value.Trim(); break;
                                case "Keywords": keywords = reader.Value.Trim(); break;
                                case "EventRecordID": recordId = reader.Value.Trim(); break;
                                case "Channel": channel = reader.Value.Trim(); break;
                                case "Computer": computer = reader.Value.Trim(); break;
                                case "Binary" when inEventData: binary = reader.Value.Trim(); break;
                            }

                            break;
                        case XmlNodeType.EndElement:
                            switch (reader.LocalName)
                            {
                                case "Data" when inData:
                                    AddData(data, dataValues, dataName, dataParts == 0 ? string.Empty : dataParts == 1 ? dataFirst! : dataText!.ToString());
                                    inData = false;
                                    break;
                                case "EventData": inEventData = false; break;
                                case "UserData": inUserData = false; break;
                                case "RenderingInfo": inRendering = false; break;
                            }

                            current = null;
                            break;
                    }
                }
            }

            if (reader is EventXmlScanner { Refused: true })
            {
                return false;
            }

            if (eventId is null || !int.TryParse(eventId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                return true;
            }

            // The same map LogFields.Create builds from these pairs (nulls left out, a later duplicate key replacing
            // the earlier value), without its lists: the System keys are distinct, so only data keys need the check.
            var keys = new string[13 + data.Count];
            var values = new string[keys.Length];
            var count = 0;
            AddSystemField(keys, values, ref count, "EventId", eventId);
            AddSystemField(keys, values, ref count, "Provider", provider);
            AddSystemField(keys, values, ref count, "EventSourceName", sourceName);
            AddSystemField(keys, values, ref count, "Qualifiers", qualifiers);
            AddSystemField(keys, values, ref count, "Level", level);
            AddSystemField(keys, values, ref count, "Task", task);
            AddSystemField(keys, values, ref count, "Keywords", keywords);
            AddSystemField(keys, values, ref count, "EventRecordId", recordId);
            AddSystemField(keys, values, ref count, "Channel", channel);
            AddSystemField(keys, values, ref count, "Computer", computer);
            AddSystemField(keys, values, ref count, "ProcessId", processId);
            AddSystemField(keys, values, ref count, "UserId", userId);
            AddSystemField(keys, values, ref count, "Binary", binary);
            foreach (var item in data)
            {
                AddDataField(keys, values, ref count, item.Key, item.Value!);
            }


            var component = provider ?? sourceName ?? string.Empty;
            var message = NullIfBlank(rendered)
                ?? RenderKnownEvent(component, sourceName, id, dataValues, data)
                ?? Describe(id, data);

            var severity = level switch
            {
                "1" => LogSeverity.Critical,
                "2" => LogSeverity.Error,
                "3" => LogSeverity.Warning,
                _ => LogSeverity.Information,
            };

            entry = new LogEntry(ParseSystemTime(systemTime), severity, component, threadId ?? string.Empty, message, file, line, LogFormat.EventXml, new LogFields(keys, values, count));
            return true;
        }

        // A message DLL missing on the exporting machine leaves an empty <Message/>: the data says more.
        private static string? NullIfBlank(string? text)
        {
            var trimmed = text?.Trim();
            return string.IsNullOrEmpty(trimmed) ? null : trimmed;
        }

        private static void AddSystemField(string[] keys, string[] values, ref int count, string key, string? value)
        {
            if (value is not null)
            {
                keys[count] = key;
                values[count++] = value;
            }
        }

        private static void AddDataField(string[] keys, string[] values, ref int count, string key, string value)
        {
            for (var i = 0; i < count; i++)
            {
                if (string.Equals(keys[i], key, StringComparison.OrdinalIgnoreCase))
                {
                    values[i] = value;
                    return;
                }
            }

            keys[count] = key;
            values[count++] = value;
        }

        private static void AddData(List<KeyValuePair<string, string?>> data, List<string> values, string? name, string value)
        {
            values.Add(value);
            // An item without a name, or named like an identifying System field (event 104's UserData has a Channel), is positional.
            var key = string.IsNullOrEmpty(name) || SystemFieldNames.Contains(name!) ? "Data" + values.Count.ToString(CultureInfo.InvariantCulture) : name!;
            data.Add(new KeyValuePair<string, string?>(key, value));
        }

        // A known WAS event's message from its items, matched to the template by name (AddData keys unnamed
        // items "Data<n>", which no template uses). The names are gathered only for events that have a template.
        private static string? RenderKnownEvent(string component, string? sourceName, int id, List<string> values, List<KeyValuePair<string, string?>> data)
        {
            var provider = EvidenceCatalog.HasKnownEventTemplate(component, id) ? component
                : sourceName is not null && EvidenceCatalog.HasKnownEventTemplate(sourceName, id) ? sourceName
                : null;
            if (provider is null)
            {
                return null;
            }

            var names = new string?[data.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = data[i].Key;
            }

            return EvidenceCatalog.RenderKnownEvent(provider, id, values, names);
        }

        private static string Describe(int id, List<KeyValuePair<string, string?>> data)
        {
            var text = new StringBuilder("Event ").Append(id.ToString(CultureInfo.InvariantCulture));
            var separator = ": ";
            foreach (var item in data)
            {
                text.Append(separator).Append(item.Key).Append('=').Append(item.Value);
                separator = "; ";
            }

            return text.ToString();
        }

        /// <summary>Reads <c>2017-06-15T14:27:23.000000000Z</c> (nine fraction digits, more than DateTime.Parse takes).</summary>
        internal static DateTimeOffset? ParseSystemTime(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            var b = text!.ToCharArray();
            var i = 0;
            var end = b.Length;
            if (!Chars.ReadDigits(b, ref i, end, 4, 4, out var year) || !Chars.Expect(b, ref i, end, '-')
                || !Chars.ReadDigits(b, ref i, end, 2, 2, out var month) || !Chars.Expect(b, ref i, end, '-')
                || !Chars.ReadDigits(b, ref i, end, 2, 2, out var day) || !Chars.Expect(b, ref i, end, 'T')
                || !Chars.ReadClock(b, ref i, end, out var ticks))
            {
                return null;
            }

            var offsetMinutes = 0;
            if (i < end && (b[i] == '+' || b[i] == '-'))
            {
                var sign = b[i] == '-' ? -1 : 1;
                i++;
                if (!Chars.ReadDigits(b, ref i, end, 2, 2, out var oh) || !Chars.Expect(b, ref i, end, ':') || !Chars.ReadDigits(b, ref i, end, 2, 2, out var om))
                {
                    return null;
                }

                offsetMinutes = sign * ((oh * 60) + om);
            }

            // UTC = local - offset; Chars.Utc adds a bias, so pass the offset negated.
            return Chars.Utc(year, month, day, ticks, -offsetMinutes);
        }

        private bool IsEventStart(int lt)
        {
            if (!Chars.StartsWith(_buffer, lt, _end, "<Event") || lt + 6 >= _end)
            {
                return false;
            }

            var next = _buffer[lt + 6];
            return next == ' ' || next == '>' || next == '\t' || next == '\r' || next == '\n' || next == '/';
        }

        private void Consume(StringBuilder? chunk, int upTo)
        {
            for (var i = Array.IndexOf(_buffer, '\n', _pos, upTo - _pos); i >= 0; i = Array.IndexOf(_buffer, '\n', i + 1, upTo - i - 1))
            {
                _line++;
            }

            chunk?.Append(_buffer, _pos, upTo - _pos);
            _pos = upTo;
        }

        private bool Fill()
        {
            if (_eof)
            {
                return false;
            }

            if (_pos > 0)
            {
                Array.Copy(_buffer, _pos, _buffer, 0, _end - _pos);
                _end -= _pos;
                _pos = 0;
            }

            var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0)
            {
                _eof = true;
                return _end > _pos;
            }

            _end += read;
            return true;
        }
    }
}
