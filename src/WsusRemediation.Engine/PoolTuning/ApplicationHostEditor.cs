using System;
using System.Collections.Generic;
using System.Text;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>
    /// Produces the new text of applicationHost.config for a set of pool attribute changes. Each
    /// change is one splice: replace an attribute's value, add an attribute to an existing element,
    /// or add the missing child elements. The document is re-parsed after each splice, so offsets
    /// are always fresh and nothing outside the spliced characters moves.
    /// </summary>
    internal static class ApplicationHostEditor
    {
        public static string Apply(ApplicationHostDocument document, string poolName, IEnumerable<KeyValuePair<PoolSettingDefinition, object>> changes)
        {
            var current = document;
            foreach (var change in changes)
            {
                var text = Splice(current, poolName, change.Key, change.Key.FormatStored(change.Value));
                current = ApplicationHostDocument.Parse(document.Path, current.Encode(text));
            }

            return current.Text;
        }

        private static string Splice(ApplicationHostDocument document, string poolName, PoolSettingDefinition setting, string value)
        {
            var text = document.Text;
            var pool = document.FindPool(poolName) ?? throw PoolTuningService.PoolNotFound(poolName, document);
            var escaped = Escape(value);

            var element = pool.Descendant(setting.ElementPath);
            if (element is not null)
            {
                var attribute = element.FindAttribute(setting.Attribute);
                if (attribute is not null)
                {
                    var (start, end) = ValueSpan(text, attribute);
                    return text.Substring(0, start) + escaped + text.Substring(end);
                }

                var insertAt = AfterLastAttribute(text, element);
                return text.Substring(0, insertAt) + " " + setting.Attribute + "=\"" + escaped + "\"" + text.Substring(insertAt);
            }

            // Walk down to the deepest element that exists, then add the rest of the path under it.
            var parent = pool;
            var parts = setting.ElementPath.Split('/');
            var index = 0;
            while (parent.Child(parts[index]) is ConfigElement next)
            {
                parent = next;
                index++;
            }

            var newLine = DetectNewLine(text);
            var parentIndent = IndentOf(text, parent.OpenOffset);
            var unit = IndentUnit(text, parent, parentIndent);
            var markup = new StringBuilder();
            var depth = 1;
            for (var i = index; i < parts.Length; i++, depth++)
            {
                markup.Append(newLine).Append(parentIndent).Append(Repeat(unit, depth)).Append('<').Append(parts[i]);
                if (i == parts.Length - 1)
                {
                    markup.Append(' ').Append(setting.Attribute).Append("=\"").Append(escaped).Append("\" />");
                }
                else
                {
                    markup.Append('>');
                }
            }

            for (var i = parts.Length - 2; i >= index; i--)
            {
                depth--;
                markup.Append(newLine).Append(parentIndent).Append(Repeat(unit, depth - 1)).Append("</").Append(parts[i]).Append('>');
            }

            if (parent.IsEmpty)
            {
                // <add name="WsusPool" /> becomes <add name="WsusPool"> ... </add>.
                var cut = AfterLastAttribute(text, parent);
                return text.Substring(0, cut) + ">" + markup + newLine + parentIndent + "</" + parent.Name + ">" + text.Substring(parent.StartTagEndOffset + 1);
            }

            return text.Substring(0, parent.StartTagEndOffset + 1) + markup + text.Substring(parent.StartTagEndOffset + 1);
        }

        private static (int Start, int End) ValueSpan(string text, ConfigAttribute attribute)
        {
            var i = attribute.NameOffset + attribute.Name.Length;
            while (text[i] != '=')
            {
                i++;
            }

            i++;
            while (text[i] != '"' && text[i] != '\'')
            {
                i++;
            }

            var quote = text[i];
            var start = i + 1;
            var end = text.IndexOf(quote, start);
            return (start, end);
        }

        /// <summary>Offset just after the last attribute's closing quote (or the element name).</summary>
        private static int AfterLastAttribute(string text, ConfigElement element)
        {
            if (element.Attributes.Count == 0)
            {
                return element.OpenOffset + 1 + element.Name.Length;
            }

            var last = element.Attributes[0];
            foreach (var attribute in element.Attributes)
            {
                if (attribute.NameOffset > last.NameOffset)
                {
                    last = attribute;
                }
            }

            return ValueSpan(text, last).End + 1;
        }

        private static string DetectNewLine(string text)
        {
            var lf = text.IndexOf('\n');
            return lf > 0 && text[lf - 1] == '\r' ? "\r\n" : lf >= 0 ? "\n" : "\r\n";
        }

        private static string IndentOf(string text, int offset)
        {
            var start = offset;
            while (start > 0 && (text[start - 1] == ' ' || text[start - 1] == '\t'))
            {
                start--;
            }

            // Only whitespace that starts a line is indentation.
            return start == 0 || text[start - 1] == '\n' || text[start - 1] == '\r' ? text.Substring(start, offset - start) : string.Empty;
        }

        /// <summary>The file's own indentation step, learned from the parent's children or its ancestors.</summary>
        private static string IndentUnit(string text, ConfigElement parent, string parentIndent)
        {
            foreach (var child in parent.Children)
            {
                var childIndent = IndentOf(text, child.OpenOffset);
                if (childIndent.Length > parentIndent.Length && childIndent.StartsWith(parentIndent, StringComparison.Ordinal))
                {
                    return childIndent.Substring(parentIndent.Length);
                }
            }

            if (parent.Parent is ConfigElement grand)
            {
                var grandIndent = IndentOf(text, grand.OpenOffset);
                if (parentIndent.Length > grandIndent.Length && parentIndent.StartsWith(grandIndent, StringComparison.Ordinal))
                {
                    return parentIndent.Substring(grandIndent.Length);
                }
            }

            return "    ";
        }

        private static string Repeat(string unit, int count)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                builder.Append(unit);
            }

            return builder.ToString();
        }

        private static string Escape(string value) =>
            value.Replace("&", "&amp;").Replace("\"", "&quot;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
