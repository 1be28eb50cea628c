using System;
using System.Collections.Generic;
using System.Text;
using System.Xml;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>The few XmlReader members the event builder reads, so a faster reader can stand in for XmlReader.</summary>
    internal interface IEventXmlNodes
    {
        XmlNodeType NodeType { get; }

        string LocalName { get; }

        bool IsEmptyElement { get; }

        string Value { get; }

        bool Read();

        string? GetAttribute(string name);
    }

    /// <summary>Presents an <see cref="XmlReader"/> as <see cref="IEventXmlNodes"/>.</summary>
    internal sealed class XmlReaderNodes : IEventXmlNodes
    {
        private readonly XmlReader _reader;

        public XmlReaderNodes(XmlReader reader) => _reader = reader;

        public XmlNodeType NodeType => _reader.NodeType;

        public string LocalName => _reader.LocalName;

        public bool IsEmptyElement => _reader.IsEmptyElement;

        public string Value => _reader.Value;

        public bool Read() => _reader.Read();

        public string? GetAttribute(string name) => _reader.GetAttribute(name);
    }

    /// <summary>
    /// Reads the plain XML that event exports are made of, for a fraction of what creating an XmlReader per
    /// event costs (that creation was most of the parse time). It is deliberately strict: it accepts only
    /// well-formed elements with ASCII names and no prefixes, attributes, text with the five predefined
    /// entities and ordinary character references, and nothing else. On anything outside that subset
    /// (CDATA, comments, processing instructions, namespace prefixes, xml:space, raw control characters,
    /// surrogates, unknown entities, mismatched or unclosed tags, duplicate attributes...) it stops and sets
    /// <see cref="Refused"/>, and the caller reads the event again with XmlReader, which then decides,
    /// with its own error messages. Within the subset it yields the node sequence and values XmlReader
    /// would: end-of-line normalisation in text, whitespace normalisation in attribute values, whitespace-only
    /// text as <see cref="XmlNodeType.Whitespace"/>, no end node for an empty element.
    /// </summary>
    internal sealed class EventXmlScanner : IEventXmlNodes
    {
        private readonly StringPool _pool;
        private readonly List<string> _open = new List<string>();
        private readonly StringBuilder _decoded = new StringBuilder();
        private string[] _attributeNames = new string[8];
        private string[] _attributeValues = new string[8];
        private int _attributeCount;
        private string _xml = string.Empty;
        private int _pos;
        private bool _started;
        private bool _rootClosed;

        public EventXmlScanner(StringPool pool) => _pool = pool;

        /// <summary>True when the text left the subset this reader handles; the nodes read so far are then meaningless.</summary>
        public bool Refused { get; private set; }

        public XmlNodeType NodeType { get; private set; }

        public string LocalName { get; private set; } = string.Empty;

        public bool IsEmptyElement { get; private set; }

        public string Value { get; private set; } = string.Empty;

        /// <summary>Starts over on another event's text.</summary>
        public void Reset(string xml)
        {
            _xml = xml;
            _pos = 0;
            _started = false;
            _rootClosed = false;
            _open.Clear();
            _attributeCount = 0;
            Refused = false;
            NodeType = XmlNodeType.None;
            LocalName = string.Empty;
            Value = string.Empty;
        }

        public bool Read()
        {
            if (Refused)
            {
                return false;
            }

            _attributeCount = 0;
            IsEmptyElement = false;
            Value = string.Empty;
            if (_pos >= _xml.Length)
            {
                // The end is only clean after the one root element has closed.
                return _rootClosed ? false : Refuse();
            }

            if (_rootClosed)
            {
                return Refuse();
            }

            if (_xml[_pos] != '<')
            {
                return _open.Count == 0 ? Refuse() : ReadText();
            }

            if (_pos + 1 >= _xml.Length)
            {
                return Refuse();
            }

            var next = _xml[_pos + 1];
            return next == '/' ? ReadEndTag() : next == '!' || next == '?' ? Refuse() : ReadStartTag();
        }

        public string? GetAttribute(string name)
        {
            for (var i = 0; i < _attributeCount; i++)
            {
                if (string.Equals(_attributeNames[i], name, StringComparison.Ordinal))
                {
                    return _attributeValues[i];
                }
            }

            return null;
        }

        // Two running sums (Fletcher style) make the pool's hash: additions, unlike FNV's multiply per character,
        // do not hold the scan up. Any hash is correct for the pool as long as the same text gets the same one.
        private static uint Hash(uint sum, uint sumOfSums) => (sumOfSums * 31) + sum;

        private static bool IsWhitespace(char c) => c == ' ' || c == '\n' || c == '\t' || c == '\r';

        // Characters XmlReader might treat specially even with CheckCharacters off: left to it.
        private static bool IsRefusedChar(char c) => (c < ' ' && c != '\t' && c != '\n' && c != '\r') || (c >= '\uD800' && (c <= '\uDFFF' || c >= '\uFFFE'));

        private bool Refuse()
        {
            Refused = true;
            return false;
        }

        private bool ReadStartTag()
        {
            if (_started && _open.Count == 0)
            {
                return Refuse();
            }

            var i = _pos + 1;
            var name = ReadName(ref i, isAttribute: false);
            if (name is null)
            {
                return Refuse();
            }

            bool empty;
            while (true)
            {
                var blank = i;
                while (i < _xml.Length && IsWhitespace(_xml[i]))
                {
                    i++;
                }

                if (i >= _xml.Length)
                {
                    return Refuse();
                }

                var c = _xml[i];
                if (c == '>')
                {
                    empty = false;
                    i++;
                    break;
                }

                if (c == '/')
                {
                    if (i + 1 >= _xml.Length || _xml[i + 1] != '>')
                    {
                        return Refuse();
                    }

                    empty = true;
                    i += 2;
                    break;
                }

                if (i == blank || !ReadAttribute(ref i))
                {
                    return Refuse();
                }
            }

            _started = true;
            NodeType = XmlNodeType.Element;
            LocalName = name;
            IsEmptyElement = empty;
            if (!empty)
            {
                _open.Add(name);
            }
            else if (_open.Count == 0)
            {
                _rootClosed = true;
            }

            _pos = i;
            return true;
        }

        private bool ReadAttribute(ref int i)
        {
            var name = ReadName(ref i, isAttribute: true);
            if (name is null)
            {
                return false;
            }

            while (i < _xml.Length && IsWhitespace(_xml[i]))
            {
                i++;
            }

            if (i >= _xml.Length || _xml[i] != '=')
            {
                return false;
            }

            i++;
            while (i < _xml.Length && IsWhitespace(_xml[i]))
            {
                i++;
            }

            if (i >= _xml.Length || (_xml[i] != '"' && _xml[i] != '\''))
            {
                return false;
            }

            var close = _xml.IndexOf(_xml[i], i + 1);
            if (close < 0)
            {
                return false;
            }

            var value = ReadAttributeValue(i + 1, close);
            if (value is null)
            {
                return false;
            }

            // A reserved namespace name as the default namespace is an error XmlReader reports itself.
            if (name == "xmlns" && value.IndexOf("w3.org", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return false;
            }

            for (var a = 0; a < _attributeCount; a++)
            {
                if (string.Equals(_attributeNames[a], name, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            if (_attributeCount == _attributeNames.Length)
            {
                Array.Resize(ref _attributeNames, _attributeCount * 2);
                Array.Resize(ref _attributeValues, _attributeCount * 2);
            }

            _attributeNames[_attributeCount] = name;
            _attributeValues[_attributeCount++] = value;
            i = close + 1;
            return true;
        }

        /// <summary>An ASCII name without a prefix; null (refuse) for anything else, including names XML reserves.</summary>
        private string? ReadName(ref int i, bool isAttribute)
        {
            var xml = _xml;
            var start = i;
            if (i >= xml.Length)
            {
                return null;
            }

            var c = xml[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'))
            {
                return null;
            }

            // Hashed while scanned, so the pool lookup does not read the name a second time.
            uint sum = c, sumOfSums = c;
            for (i++; i < xml.Length; i++)
            {
                c = xml[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
                {
                    break;
                }

                sum += c;
                sumOfSums += sum;
            }

            var length = i - start;
            if (length >= 3 && (xml[start] | 0x20) == 'x' && string.Compare(xml, start, "xml", 0, 3, StringComparison.OrdinalIgnoreCase) == 0
                && !(isAttribute && length == 5 && string.CompareOrdinal(xml, start, "xmlns", 0, 5) == 0))
            {
                return null;
            }

            return _pool.Get(xml, start, length, Hash(sum, sumOfSums));
        }

        private bool ReadEndTag()
        {
            // An end tag must name the open element: compare with it in place rather than read a new name.
            var i = _pos + 2;
            if (_open.Count == 0)
            {
                return Refuse();
            }

            var name = _open[_open.Count - 1];
            if (i + name.Length > _xml.Length)
            {
                return Refuse();
            }

            for (var n = 0; n < name.Length; n++, i++)
            {
                if (_xml[i] != name[n])
                {
                    return Refuse();
                }
            }

            while (i < _xml.Length && IsWhitespace(_xml[i]))
            {
                i++;
            }

            if (i >= _xml.Length || _xml[i] != '>')
            {
                return Refuse();
            }

            _open.RemoveAt(_open.Count - 1);
            _rootClosed = _open.Count == 0;
            NodeType = XmlNodeType.EndElement;
            LocalName = name;
            _pos = i + 1;
            return true;
        }

        private bool ReadText()
        {
            var end = _xml.IndexOf('<', _pos);
            if (end < 0)
            {
                return Refuse();
            }

            var xml = _xml;
            var whitespaceOnly = true;
            var plain = true;
            uint sum = 0, sumOfSums = 0;
            for (var i = _pos; i < end; i++)
            {
                var c = xml[i];
                sum += c;
                sumOfSums += sum;
                if (c == ' ' || c == '\n' || c == '\t')
                {
                    continue;
                }

                if (c == '\r')
                {
                    plain = false;
                    continue;
                }

                whitespaceOnly = false;
                if (c == '&')
                {
                    plain = false;
                }
                else if (IsRefusedChar(c) || (c == '>' && i - 2 >= _pos && xml[i - 1] == ']' && xml[i - 2] == ']'))
                {
                    return Refuse();
                }
            }

            string value;
            if (plain)
            {
                value = _pool.Get(xml, _pos, end - _pos, Hash(sum, sumOfSums));
            }
            else
            {
                // Line ends become LF (XML end-of-line handling); references are expanded.
                _decoded.Clear();
                for (var i = _pos; i < end; i++)
                {
                    var c = _xml[i];
                    if (c == '\r')
                    {
                        _decoded.Append('\n');
                        if (i + 1 < end && _xml[i + 1] == '\n')
                        {
                            i++;
                        }
                    }
                    else if (c == '&')
                    {
                        if (!ReadReference(ref i, end, out var expanded))
                        {
                            return Refuse();
                        }

                        _decoded.Append(expanded);
                    }
                    else
                    {
                        _decoded.Append(c);
                    }
                }

                value = _decoded.ToString();
                if (!whitespaceOnly && IsBlank(value))
                {
                    // Whether XmlReader calls text made of references to blanks Text or Whitespace is its business.
                    return Refuse();
                }
            }

            NodeType = whitespaceOnly ? XmlNodeType.Whitespace : XmlNodeType.Text;
            LocalName = string.Empty;
            Value = value;
            _pos = end;
            return true;
        }

        private string? ReadAttributeValue(int start, int end)
        {
            var xml = _xml;
            var plain = true;
            uint sum = 0, sumOfSums = 0;
            for (var i = start; i < end; i++)
            {
                var c = xml[i];
                sum += c;
                sumOfSums += sum;
                if (c == '<' || IsRefusedChar(c))
                {
                    return null;
                }

                if (c == '&' || c == '\r' || c == '\n' || c == '\t')
                {
                    plain = false;
                }
            }

            if (plain)
            {
                return _pool.Get(xml, start, end - start, Hash(sum, sumOfSums));
            }

            // Attribute-value normalisation: each literal line end (CRLF counts once) or tab becomes a space;
            // characters written as references are kept as they are.
            _decoded.Clear();
            for (var i = start; i < end; i++)
            {
                var c = _xml[i];
                if (c == '\r')
                {
                    _decoded.Append(' ');
                    if (i + 1 < end && _xml[i + 1] == '\n')
                    {
                        i++;
                    }
                }
                else if (c == '\n' || c == '\t')
                {
                    _decoded.Append(' ');
                }
                else if (c == '&')
                {
                    if (!ReadReference(ref i, end, out var expanded))
                    {
                        return null;
                    }

                    _decoded.Append(expanded);
                }
                else
                {
                    _decoded.Append(c);
                }
            }

            return _decoded.ToString();
        }

        /// <summary>
        /// Expands the reference at <paramref name="i"/> (left on its ';'): the five predefined entities and
        /// character references to ordinary characters. Anything else is refused.
        /// </summary>
        private bool ReadReference(ref int i, int end, out char expanded)
        {
            expanded = '\0';
            var semicolon = _xml.IndexOf(';', i + 1, Math.Min(12, end - i - 1));
            if (semicolon < 0)
            {
                return false;
            }

            var start = i + 1;
            var length = semicolon - start;
            if (length >= 2 && _xml[start] == '#')
            {
                var hex = _xml[start + 1] == 'x';
                var digitsStart = start + (hex ? 2 : 1);
                if (semicolon == digitsStart || semicolon - digitsStart > 6)
                {
                    return false;
                }

                var code = 0;
                for (var d = digitsStart; d < semicolon; d++)
                {
                    var c = _xml[d];
                    int digit;
                    if (c >= '0' && c <= '9')
                    {
                        digit = c - '0';
                    }
                    else if (hex && c >= 'a' && c <= 'f')
                    {
                        digit = c - 'a' + 10;
                    }
                    else if (hex && c >= 'A' && c <= 'F')
                    {
                        digit = c - 'A' + 10;
                    }
                    else
                    {
                        return false;
                    }

                    code = (code * (hex ? 16 : 10)) + digit;
                }

                if (code > 0xFFFF || IsRefusedChar((char)code))
                {
                    return false;
                }

                expanded = (char)code;
            }
            else
            {
                expanded = length switch
                {
                    2 when _xml[start] == 'l' && _xml[start + 1] == 't' => '<',
                    2 when _xml[start] == 'g' && _xml[start + 1] == 't' => '>',
                    3 when string.CompareOrdinal(_xml, start, "amp", 0, 3) == 0 => '&',
                    4 when string.CompareOrdinal(_xml, start, "quot", 0, 4) == 0 => '"',
                    4 when string.CompareOrdinal(_xml, start, "apos", 0, 4) == 0 => '\'',
                    _ => '\0',
                };
                if (expanded == '\0')
                {
                    return false;
                }
            }

            i = semicolon;
            return true;
        }

        private static bool IsBlank(string text)
        {
            foreach (var c in text)
            {
                if (!IsWhitespace(c))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
