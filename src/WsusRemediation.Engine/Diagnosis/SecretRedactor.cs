using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// Takes secrets out of evidence text before it enters a bundle: IIS's encrypted values
    /// (<c>[enc:…:enc]</c>), every attribute or key whose name holds "password" (XML, INI, .reg, JSON),
    /// and connection-string passwords (<c>Password=…;</c>, <c>Pwd=…</c>). Each removal is reported by
    /// place (line and kind of value), never by value.
    /// </summary>
    public static class SecretRedactor
    {
        /// <summary>What replaces a secret.</summary>
        public const string Replacement = "REDACTED";

        private static readonly Regex Encrypted = new Regex(@"\[enc:[^\]\r\n]*?:enc\]", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        // password="…" / proxyPassword='…' (XML attributes), "ProxyPassword"="…" (.reg), "password": "…" (JSON).
        private static readonly Regex QuotedAttribute = new Regex(
            @"(?<name>[\w.:-]*(?:password|pwd)[\w.:-]*)(?<sep>""?\s*[=:]\s*)(?<q>[""'])(?<value>[^""'\r\n]*)\k<q>",
            RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        // Password=secret; / Pwd=secret / ProxyPassword = secret (connection strings, INI, key=value lines).
        private static readonly Regex BareValue = new Regex(
            @"(?<name>\b[\w.-]*(?:password|pwd)[\w.-]*)(?<sep>\s*=\s*)(?![""'\s])(?<value>[^;""'<>\s][^;""'<>\r\n]*?)(?=\s*(?:;|$|[""'<>]))",
            RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Multiline);

        // Each piece keeps its own line break, so the text comes back byte for byte where nothing is secret.
        private static readonly Regex LineSplit = new Regex("(?<=\n)", RegexOptions.Compiled);

        /// <summary>Redacts <paramref name="text"/>; <paramref name="place"/> names the file in each redaction.</summary>
        public static string Redact(string text, string place, ICollection<ManifestRedaction> redactions)
        {
            if (text is null || redactions is null)
            {
                throw new ArgumentNullException(text is null ? nameof(text) : nameof(redactions));
            }

            var result = new StringBuilder(text.Length);
            var lineNumber = 0;
            foreach (var line in LineSplit.Split(text))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                lineNumber++;
                result.Append(RedactLine(line, place, lineNumber, redactions));
            }

            return result.ToString();
        }

        private static string RedactLine(string line, string place, int lineNumber, ICollection<ManifestRedaction> redactions)
        {
            if (line.IndexOf("enc:", StringComparison.Ordinal) < 0 && line.IndexOf("pass", StringComparison.OrdinalIgnoreCase) < 0 && line.IndexOf("pwd", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return line;
            }

            line = Encrypted.Replace(line, m =>
            {
                redactions.Add(new ManifestRedaction { Path = place, Line = lineNumber, What = "[enc:...:enc] encrypted value" });
                return "[enc:" + Replacement + ":enc]";
            });
            line = QuotedAttribute.Replace(line, m =>
            {
                var value = m.Groups["value"].Value;
                if (value.Length == 0 || value == Replacement || value.StartsWith("[enc:", StringComparison.Ordinal))
                {
                    return m.Value;
                }

                redactions.Add(new ManifestRedaction { Path = place, Line = lineNumber, What = "value of " + m.Groups["name"].Value.Trim('"') });
                return m.Groups["name"].Value + m.Groups["sep"].Value + m.Groups["q"].Value + Replacement + m.Groups["q"].Value;
            });
            line = BareValue.Replace(line, m =>
            {
                var value = m.Groups["value"].Value.TrimEnd();
                if (value.Length == 0 || value == Replacement)
                {
                    return m.Value;
                }

                redactions.Add(new ManifestRedaction { Path = place, Line = lineNumber, What = "value of " + m.Groups["name"].Value });
                return m.Groups["name"].Value + m.Groups["sep"].Value + Replacement;
            });
            return line;
        }
    }
}
