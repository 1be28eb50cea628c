using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>WsusRemediation.Format.ps1xml: a table view for every output type, and no stale view.</summary>
    public class FormatTests
    {
        private static BuiltModule Module => BuiltModule.Current;

        private static XDocument Format => XDocument.Load(Path.Combine(Module.ModuleFolder, "WsusRemediation.Format.ps1xml"));

        private static Dictionary<string, List<XElement>> ViewsByType() =>
            Format.Descendants("View")
                .SelectMany(view => view.Elements("ViewSelectedBy").Elements("TypeName").Select(t => (Type: t.Value.Trim(), View: view)))
                .GroupBy(x => x.Type, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(x => x.View).ToList(), StringComparer.Ordinal);

        [Fact]
        public void Every_output_type_has_a_table_view()
        {
            var views = ViewsByType();
            var failures = Module.Cmdlets
                .SelectMany(c => c.OutputTypes.Where(o => !o.IsPrimitive).Select(o => (Cmdlet: c, Output: o)))
                .Where(x => !views.TryGetValue(x.Output.TypeName, out var list) || !list.Any(v => v.Element("TableControl") is not null))
                .Select(x => $"{x.Cmdlet.Name}: [OutputType] {x.Output.TypeName} has no table view in WsusRemediation.Format.ps1xml")
                .Distinct()
                .ToList();
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_view_is_for_a_type_the_module_has_and_has_a_unique_name()
        {
            var failures = new List<string>();
            foreach (var type in ViewsByType().Keys.Where(t => Module.FindType(t) is null))
            {
                failures.Add($"a view selects {type}, which is not a type of the module");
            }

            var names = Format.Descendants("View").Select(v => (string?)v.Element("Name") ?? "(no Name)").ToList();
            failures.AddRange(names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"two views are named {g.Key}"));
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        /// <summary>
        /// A console of 80 or 120 columns prints one character less a line (the host keeps the last column free), so
        /// columns whose widths add up to exactly 80 or 120 lose a character of the last one: WSUS's recycle time
        /// 1.05:00:00 read '1.05:00:…' in an 80-column console although `Out-String -Width 80` showed it whole.
        /// </summary>
        [Theory]
        [InlineData(80)]
        [InlineData(120)]
        public void No_table_view_fills_a_console_width_to_the_last_character(int consoleWidth)
        {
            var failures = new List<string>();
            foreach (var view in Format.Descendants("View").Where(v => v.Element("TableControl") is not null))
            {
                var used = -1;
                foreach (var header in view.Element("TableControl")!.Element("TableHeaders")!.Elements("TableColumnHeader"))
                {
                    var width = (int?)header.Element("Width");
                    if (width is null)
                    {
                        break;
                    }

                    used += width.Value + 1;
                    if (used == consoleWidth)
                    {
                        failures.Add($"{(string?)view.Element("Name")}: the columns up to {(string?)header.Element("Label")} take {consoleWidth} characters; a console of {consoleWidth} columns prints {consoleWidth - 1}");
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Table_views_have_as_many_headers_as_columns_and_name_real_properties()
        {
            var failures = new List<string>();
            foreach (var view in Format.Descendants("View").Where(v => v.Element("TableControl") is not null))
            {
                var name = (string?)view.Element("Name");
                var table = view.Element("TableControl")!;
                var headers = table.Element("TableHeaders")?.Elements("TableColumnHeader").Count() ?? 0;
                var typeName = view.Element("ViewSelectedBy")?.Element("TypeName")?.Value.Trim();
                var type = typeName is null ? null : Module.FindType(typeName);
                foreach (var row in table.Descendants("TableRowEntry"))
                {
                    var items = row.Element("TableColumnItems")?.Elements("TableColumnItem").ToList() ?? new List<XElement>();
                    if (headers != 0 && items.Count != headers)
                    {
                        failures.Add($"view {name}: {headers} headers but {items.Count} columns");
                    }

                    foreach (var property in items.Select(i => i.Element("PropertyName")?.Value.Trim()).OfType<string>())
                    {
                        if (type is not null && type.GetProperty(property) is null)
                        {
                            failures.Add($"view {name}: {typeName} has no property {property}");
                        }
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Script_block_columns_name_real_properties_and_module_types()
        {
            // A misspelt $_.Property in a script block shows an empty column, like a wrong PropertyName.
            var failures = new List<string>();
            foreach (var view in Format.Descendants("View").Where(v => v.Element("TableControl") is not null))
            {
                var name = (string?)view.Element("Name");
                var typeName = view.Element("ViewSelectedBy")?.Element("TypeName")?.Value.Trim();
                var type = typeName is null ? null : Module.FindType(typeName);
                foreach (var script in view.Descendants("ScriptBlock").Select(e => e.Value))
                {
                    foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(script, @"\$_\.(?<p>[A-Za-z_][A-Za-z0-9_]*)"))
                    {
                        var property = m.Groups["p"].Value;
                        if (type is not null && type.GetProperty(property) is null)
                        {
                            failures.Add($"view {name}: {typeName} has no property {property} (script block {script.Trim()})");
                        }
                    }

                    foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(script, @"\[(?<t>WsusRemediation\.[A-Za-z0-9_.]+)\]::(?<m>[A-Za-z0-9_]+)"))
                    {
                        var referenced = Module.FindType(m.Groups["t"].Value);
                        if (referenced is null || referenced.GetMethods().All(x => x.Name != m.Groups["m"].Value || !x.IsStatic || !x.IsPublic))
                        {
                            failures.Add($"view {name}: {m.Value} is not a public static method of the module");
                        }
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }
    }
}
