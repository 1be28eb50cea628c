using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Xml;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>
    /// applicationHost.config as read from disk: the exact bytes, the decoded text, and the element
    /// tree of the parts this module reads (application pools and sites) with text offsets. Edits are
    /// splices into the text, so everything else in the file (comments, other pools, whitespace,
    /// line endings, BOM) stays byte for byte as it was.
    /// </summary>
    public sealed class ApplicationHostDocument
    {
        private static readonly byte[] Utf8Bom = { 0xEF, 0xBB, 0xBF };

        private ApplicationHostDocument(string path, byte[] bytes, string text, Encoding encoding, int preambleLength, ConfigElement root)
        {
            Path = path;
            Bytes = bytes;
            Text = text;
            Encoding = encoding;
            PreambleLength = preambleLength;
            Root = root;
            ApplicationPools = root.Descendant("system.applicationHost/applicationPools")
                ?? throw NotApplicationHost(path, "it has no <system.applicationHost><applicationPools> section");
            Sites = root.Descendant("system.applicationHost/sites");
        }

        /// <summary>The file the document was read from.</summary>
        public string Path { get; }

        /// <summary>The file's bytes as read (used to detect a change made by someone else before writing).</summary>
        internal byte[] Bytes { get; }

        internal string Text { get; }

        internal Encoding Encoding { get; }

        internal int PreambleLength { get; }

        internal ConfigElement Root { get; }

        internal ConfigElement ApplicationPools { get; }

        internal ConfigElement? Sites { get; }

        internal ConfigElement? PoolDefaults => ApplicationPools.Child("applicationPoolDefaults");

        /// <summary>The names of the pools defined in the file, in file order.</summary>
        public IReadOnlyList<string> PoolNames
        {
            get
            {
                var names = new List<string>();
                foreach (var child in ApplicationPools.Children)
                {
                    if (child.Name == "add" && child.GetAttribute("name") is string name)
                    {
                        names.Add(name);
                    }
                }

                return names;
            }
        }

        /// <summary>Reads and parses a file. Throws <c>NotApplicationHostConfig</c> for anything else.</summary>
        public static ApplicationHostDocument Parse(string path, byte[] bytes)
        {
            var (encoding, preamble) = DetectEncoding(bytes);
            string text;
            try
            {
                text = encoding.GetString(bytes, preamble, bytes.Length - preamble);
            }
            catch (DecoderFallbackException ex)
            {
                throw NotApplicationHost(path, "it is not text", ex);
            }

            return new ApplicationHostDocument(path, bytes, text, encoding, preamble, ParseTree(path, text));
        }

        /// <summary>Finds a pool's <c>add</c> element (IIS pool names are case-insensitive).</summary>
        internal ConfigElement? FindPool(string name)
        {
            foreach (var child in ApplicationPools.Children)
            {
                if (child.Name == "add" && string.Equals(child.GetAttribute("name"), name, StringComparison.OrdinalIgnoreCase))
                {
                    return child;
                }
            }

            return null;
        }

        /// <summary>The encoded bytes of a new text, with this file's encoding and BOM.</summary>
        internal byte[] Encode(string text)
        {
            var body = Encoding.GetBytes(text);
            if (PreambleLength == 0)
            {
                return body;
            }

            var result = new byte[PreambleLength + body.Length];
            Array.Copy(Bytes, result, PreambleLength);
            Array.Copy(body, 0, result, PreambleLength, body.Length);
            return result;
        }

        internal static WsusRemediationException NotApplicationHost(string path, string why, Exception? inner = null) =>
            new WsusRemediationException(
                "NotApplicationHostConfig",
                EngineErrorKind.InvalidData,
                $"'{path}' is not an IIS applicationHost.config file: {why}.",
                path,
                inner)
            {
                RecommendedAction = "Pass the applicationHost.config from %windir%\\System32\\inetsrv\\config (or a copy of it) to -ConfigurationPath.",
            };

        private static (Encoding Encoding, int Preamble) DetectEncoding(byte[] bytes)
        {
            if (bytes.Length >= 3 && bytes[0] == Utf8Bom[0] && bytes[1] == Utf8Bom[1] && bytes[2] == Utf8Bom[2])
            {
                return (new UTF8Encoding(false, true), 3);
            }

            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            {
                return (new UnicodeEncoding(false, false, true), 2);
            }

            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
            {
                return (new UnicodeEncoding(true, false, true), 2);
            }

            return (new UTF8Encoding(false, true), 0);
        }

        private static ConfigElement ParseTree(string path, string text)
        {
            var lineStarts = LineStarts(text);
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };

            ConfigElement? root = null;
            var stack = new Stack<ConfigElement>();
            try
            {
                using var reader = XmlReader.Create(new StringReader(text), settings);
                var info = (IXmlLineInfo)reader;
                while (reader.Read())
                {
                    if (reader.NodeType == XmlNodeType.Element)
                    {
                        // LinePosition points at the name; '<' is the character before it.
                        var nameOffset = Offset(lineStarts, info.LineNumber, info.LinePosition);
                        var element = new ConfigElement(reader.Name, stack.Count > 0 ? stack.Peek() : null, nameOffset - 1)
                        {
                            IsEmpty = reader.IsEmptyElement,
                        };
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                element.Attributes.Add(new ConfigAttribute(reader.Name, reader.Value, Offset(lineStarts, info.LineNumber, info.LinePosition)));
                            }
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }

                        element.StartTagEndOffset = FindStartTagEnd(text, nameOffset);
                        if (stack.Count > 0)
                        {
                            stack.Peek().Children.Add(element);
                        }
                        else
                        {
                            root = element;
                        }

                        if (!element.IsEmpty)
                        {
                            stack.Push(element);
                        }
                    }
                    else if (reader.NodeType == XmlNodeType.EndElement)
                    {
                        stack.Pop();
                    }
                }
            }
            catch (XmlException ex)
            {
                throw NotApplicationHost(path, $"it is not well-formed XML ({ex.Message})", ex);
            }

            if (root is null || root.Name != "configuration")
            {
                throw NotApplicationHost(path, "its root element is not <configuration>");
            }

            return root;
        }

        /// <summary>Offsets of the first character of each line; XML counts CRLF, LF and a lone CR as one break.</summary>
        private static List<int> LineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                {
                    starts.Add(i + 1);
                }
            }

            return starts;
        }

        private static int Offset(List<int> lineStarts, int line, int position) => lineStarts[line - 1] + position - 1;

        private static int FindStartTagEnd(string text, int from)
        {
            var quote = '\0';
            for (var i = from; i < text.Length; i++)
            {
                var c = text[i];
                if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (c == '"' || c == '\'')
                {
                    quote = c;
                }
                else if (c == '>')
                {
                    return i;
                }
            }

            return text.Length - 1;
        }
    }
}
