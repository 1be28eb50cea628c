using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// A tiny JSON reader for the documents the child powershell.exe prints (ConvertTo-Json output).
    /// Objects become case-insensitive dictionaries, arrays lists, numbers doubles. Hand-written
    /// because the module takes no runtime package dependencies.
    /// </summary>
    internal sealed class BridgeJson
    {
        private readonly string _text;
        private int _at;

        private BridgeJson(string text) => _text = text;

        public static object? Parse(string text)
        {
            var reader = new BridgeJson(text ?? throw new ArgumentNullException(nameof(text)));
            reader.SkipSpace();
            var value = reader.ReadValue();
            reader.SkipSpace();
            if (reader._at != reader._text.Length)
            {
                throw reader.Error("unexpected text after the document");
            }

            return value;
        }

        private object? ReadValue()
        {
            if (_at >= _text.Length)
            {
                throw Error("unexpected end");
            }

            switch (_text[_at])
            {
                case '{': return ReadObject();
                case '[': return ReadArray();
                case '"': return ReadString();
                case 't': Expect("true"); return true;
                case 'f': Expect("false"); return false;
                case 'n': Expect("null"); return null;
                default: return ReadNumber();
            }
        }

        private Dictionary<string, object?> ReadObject()
        {
            var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            _at++;
            SkipSpace();
            if (Peek('}'))
            {
                _at++;
                return result;
            }

            while (true)
            {
                SkipSpace();
                var key = ReadString();
                SkipSpace();
                Consume(':');
                SkipSpace();
                result[key] = ReadValue();
                SkipSpace();
                if (Peek(','))
                {
                    _at++;
                    continue;
                }

                Consume('}');
                return result;
            }
        }

        private List<object?> ReadArray()
        {
            var result = new List<object?>();
            _at++;
            SkipSpace();
            if (Peek(']'))
            {
                _at++;
                return result;
            }

            while (true)
            {
                SkipSpace();
                result.Add(ReadValue());
                SkipSpace();
                if (Peek(','))
                {
                    _at++;
                    continue;
                }

                Consume(']');
                return result;
            }
        }

        private string ReadString()
        {
            Consume('"');
            var builder = new StringBuilder();
            while (true)
            {
                if (_at >= _text.Length)
                {
                    throw Error("unterminated string");
                }

                var c = _text[_at++];
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (_at >= _text.Length)
                {
                    throw Error("unterminated escape");
                }

                var e = _text[_at++];
                switch (e)
                {
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_at + 4 > _text.Length || !int.TryParse(_text.Substring(_at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            throw Error("bad \\u escape");
                        }

                        builder.Append((char)code);
                        _at += 4;
                        break;
                    default: builder.Append(e); break;
                }
            }
        }

        private double ReadNumber()
        {
            var start = _at;
            while (_at < _text.Length && "+-0123456789.eE".IndexOf(_text[_at]) >= 0)
            {
                _at++;
            }

            if (start == _at || !double.TryParse(_text.Substring(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw Error("a value was expected");
            }

            return number;
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _at, word, 0, word.Length) != 0)
            {
                throw Error($"'{word}' was expected");
            }

            _at += word.Length;
        }

        private bool Peek(char c) => _at < _text.Length && _text[_at] == c;

        private void Consume(char c)
        {
            if (!Peek(c))
            {
                throw Error($"'{c}' was expected");
            }

            _at++;
        }

        private void SkipSpace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
            {
                _at++;
            }
        }

        private FormatException Error(string what) => new FormatException($"Invalid JSON at position {_at}: {what}.");
    }
}
