using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>One registry value from an export.</summary>
    public sealed class RegistryValue
    {
        /// <summary>Creates a value.</summary>
        public RegistryValue(string key, string name, object value)
        {
            Key = key;
            Name = name;
            Value = value;
        }

        /// <summary>The key, as written in the export (<c>HKEY_LOCAL_MACHINE\SOFTWARE\...</c>).</summary>
        public string Key { get; }

        /// <summary>The value's name.</summary>
        public string Name { get; }

        /// <summary>A string or a DWORD (as long).</summary>
        public object Value { get; }

        /// <inheritdoc />
        public override string ToString() => $@"{Key}\{Name} = {Value}";
    }

    /// <summary>
    /// Reads and writes the registry export format (regedit, <c>reg export</c>): <c>[key]</c> lines, then
    /// <c>"name"="string"</c> and <c>"name"=dword:0000000a</c> values. Other value types are skipped.
    /// </summary>
    public static class RegistryExport
    {
        /// <summary>The values, in file order.</summary>
        public static IReadOnlyList<RegistryValue> Parse(string text)
        {
            var values = new List<RegistryValue>();
            string? key = null;
            foreach (var raw in (text ?? throw new ArgumentNullException(nameof(text))).Split('\n'))
            {
                var line = raw.Trim().TrimStart('\uFEFF');
                if (line.StartsWith("[", StringComparison.Ordinal) && line.EndsWith("]", StringComparison.Ordinal))
                {
                    key = line.Substring(1, line.Length - 2);
                    continue;
                }

                if (key is null || !line.StartsWith("\"", StringComparison.Ordinal))
                {
                    continue;
                }

                var nameEnd = FindClosingQuote(line, 1);
                if (nameEnd < 0 || nameEnd + 1 >= line.Length || line[nameEnd + 1] != '=')
                {
                    continue;
                }

                var name = Unescape(line.Substring(1, nameEnd - 1));
                var data = line.Substring(nameEnd + 2);
                if (data.StartsWith("dword:", StringComparison.OrdinalIgnoreCase)
                    && long.TryParse(data.Substring(6), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var dword))
                {
                    values.Add(new RegistryValue(key, name, dword));
                }
                else if (data.StartsWith("\"", StringComparison.Ordinal))
                {
                    var end = FindClosingQuote(data, 1);
                    if (end > 0)
                    {
                        values.Add(new RegistryValue(key, name, Unescape(data.Substring(1, end - 1))));
                    }
                }
            }

            return values;
        }

        /// <summary>Writes values as a regedit export (the caller saves it as UTF-16 LE, as regedit does).</summary>
        public static string Write(IEnumerable<RegistryValue> values)
        {
            var text = new StringBuilder("Windows Registry Editor Version 5.00\r\n");
            foreach (var group in (values ?? throw new ArgumentNullException(nameof(values))).GroupBy(v => v.Key, StringComparer.OrdinalIgnoreCase))
            {
                text.Append("\r\n[").Append(group.Key).Append("]\r\n");
                foreach (var value in group)
                {
                    text.Append('"').Append(Escape(value.Name)).Append("\"=");
                    if (value.Value is long or int)
                    {
                        text.Append("dword:").Append(Convert.ToInt64(value.Value, CultureInfo.InvariantCulture).ToString("x8", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append('"').Append(Escape(Convert.ToString(value.Value, CultureInfo.InvariantCulture) ?? string.Empty)).Append('"');
                    }

                    text.Append("\r\n");
                }
            }

            return text.ToString();
        }

        /// <summary>A value by key (ending with <paramref name="keySuffix"/>, case-insensitive) and name.</summary>
        public static RegistryValue? Find(IEnumerable<RegistryValue> values, string keySuffix, string name) =>
            values.LastOrDefault(v => v.Key.EndsWith(keySuffix, StringComparison.OrdinalIgnoreCase) && string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));

        private static int FindClosingQuote(string text, int from)
        {
            for (var i = from; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == '"')
                {
                    return i;
                }
            }

            return -1;
        }

        private static string Unescape(string text) => text.Replace("\\\\", "\u0001").Replace("\\\"", "\"").Replace("\u0001", "\\");

        private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }
}
