using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace WsusRemediation.Module.Tests.Infrastructure
{
    /// <summary>
    /// Reads the top-level keys of a module manifest (.psd1) as text: 'Key = value' and
    /// 'Key = @(...)' with quoted items. Enough for the export lists and versions, not a parser.
    /// </summary>
    public sealed class ManifestFile
    {
        private static readonly Regex Entry = new(
            @"^[ \t]{0,4}(?<key>[A-Za-z]+)\s*=\s*(?:@\((?<list>[^)]*)\)|'(?<value>[^']*)'|""(?<value>[^""]*)"")",
            RegexOptions.Multiline | RegexOptions.CultureInvariant);

        private static readonly Regex Quoted = new(@"'(?<v>[^']*)'|""(?<v>[^""]*)""", RegexOptions.CultureInvariant);

        private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, IReadOnlyList<string>> _lists = new(StringComparer.OrdinalIgnoreCase);

        public ManifestFile(string path)
        {
            Path = path;
            foreach (Match match in Entry.Matches(File.ReadAllText(path)))
            {
                var key = match.Groups["key"].Value;
                if (match.Groups["list"].Success)
                {
                    var items = match.Groups["list"].Value.Split('\n')
                        .Select(line => line.Split('#')[0])
                        .SelectMany(line => Quoted.Matches(line).Select(m => m.Groups["v"].Value))
                        .ToList();
                    _lists.TryAdd(key, items);
                }
                else
                {
                    _values.TryAdd(key, match.Groups["value"].Value);
                }
            }
        }

        public string Path { get; }

        /// <summary>A scalar value, or a one-item list; null when the key is absent.</summary>
        public string? Value(string key) =>
            _values.TryGetValue(key, out var value) ? value : _lists.TryGetValue(key, out var list) && list.Count == 1 ? list[0] : null;

        /// <summary>A list value (a scalar counts as a one-item list); null when the key is absent.</summary>
        public IReadOnlyList<string>? List(string key) =>
            _lists.TryGetValue(key, out var list) ? list : _values.TryGetValue(key, out var value) ? new[] { value } : null;
    }
}
