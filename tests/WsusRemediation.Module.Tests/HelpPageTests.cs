using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WsusRemediation.HelpBuilder;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>docs/&lt;Verb-Noun&gt;.md agrees with the cmdlet's attributes, for every cmdlet.</summary>
    public class HelpPageTests
    {
        private static BuiltModule Module => BuiltModule.Current;

        /// <summary>The parameters a page documents for a cmdlet: its own, plus -WhatIf/-Confirm with ShouldProcess.</summary>
        public static IReadOnlyList<string> ExpectedParameters(CmdletInfo cmdlet) =>
            cmdlet.Parameters.Select(p => p.Name)
                .Concat(cmdlet.SupportsShouldProcess ? new[] { "WhatIf", "Confirm" } : Array.Empty<string>())
                .ToList();

        /// <summary>Reads a cmdlet's page, or says why it cannot.</summary>
        public static CommandHelp? ReadPage(CmdletInfo cmdlet, List<string> failures)
        {
            var path = Path.Combine(Module.DocsFolder, cmdlet.Name + ".md");
            if (!File.Exists(path))
            {
                failures.Add($"{cmdlet.Name}: docs/{cmdlet.Name}.md is missing");
                return null;
            }

            try
            {
                return MarkdownHelpParser.ParseFile(path);
            }
            catch (HelpFormatException ex)
            {
                failures.Add(ex.ToBuildMessage());
                return null;
            }
        }

        [Fact]
        public void Every_cmdlet_has_a_page_with_at_least_two_examples()
        {
            var failures = new List<string>();
            foreach (var cmdlet in Module.Cmdlets)
            {
                var page = ReadPage(cmdlet, failures);
                if (page is null)
                {
                    continue;
                }

                if (page.Examples.Count < 2)
                {
                    failures.Add($"{cmdlet.Name}: {page.Examples.Count} example(s), at least 2 needed");
                }

                if (page.ExternalHelpFile != "WsusRemediation.dll-Help.xml" || page.ModuleName != BuiltModule.ModuleName)
                {
                    failures.Add($"{cmdlet.Name}: front matter should say 'external help file: WsusRemediation.dll-Help.xml' and 'Module Name: WsusRemediation'");
                }

                if (!page.HasCommonParameters)
                {
                    failures.Add($"{cmdlet.Name}: no '### CommonParameters' under PARAMETERS");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_page_documents_exactly_the_parameters_of_its_cmdlet()
        {
            var failures = new List<string>();
            foreach (var cmdlet in Module.Cmdlets)
            {
                var page = ReadPage(cmdlet, failures);
                if (page is null)
                {
                    continue;
                }

                var expected = ExpectedParameters(cmdlet);
                var documented = page.Parameters.Select(p => p.Name).ToList();
                failures.AddRange(expected.Except(documented, StringComparer.OrdinalIgnoreCase).Select(n => $"{cmdlet.Name}: -{n} is not documented"));
                failures.AddRange(documented.Except(expected, StringComparer.OrdinalIgnoreCase).Select(n => $"{cmdlet.Name}: the page documents -{n}, which the cmdlet does not have"));
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_documented_parameter_matches_its_type_aliases_position_mandatory_and_pipeline_input()
        {
            var failures = new List<string>();
            foreach (var cmdlet in Module.Cmdlets)
            {
                var page = ReadPage(cmdlet, failures);
                if (page is null)
                {
                    continue;
                }

                foreach (var parameter in cmdlet.Parameters)
                {
                    var doc = page.Parameters.FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
                    if (doc is not null)
                    {
                        CompareParameter(cmdlet, page, parameter, doc, failures);
                    }
                }

                if (cmdlet.SupportsShouldProcess)
                {
                    CompareShouldProcessSwitch(cmdlet, page, "WhatIf", "wi", failures);
                    CompareShouldProcessSwitch(cmdlet, page, "Confirm", "cf", failures);
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_page_shows_one_syntax_per_parameter_set_and_names_the_output_types()
        {
            var failures = new List<string>();
            foreach (var cmdlet in Module.Cmdlets)
            {
                var page = ReadPage(cmdlet, failures);
                if (page is null)
                {
                    continue;
                }

                var sets = cmdlet.ParameterSetNames;
                if (sets.Count == 1)
                {
                    if (page.Syntax.Count != 1)
                    {
                        failures.Add($"{cmdlet.Name}: one parameter set, but SYNTAX shows {page.Syntax.Count}");
                    }
                }
                else
                {
                    var shown = page.Syntax.Select(s => s.ParameterSetName).ToList();
                    if (!new HashSet<string>(shown, StringComparer.OrdinalIgnoreCase).SetEquals(sets))
                    {
                        failures.Add($"{cmdlet.Name}: SYNTAX shows sets [{string.Join(", ", shown)}], the cmdlet has [{string.Join(", ", sets)}]");
                    }

                    var marked = page.Syntax.FirstOrDefault(s => s.IsDefault)?.ParameterSetName;
                    if (!string.Equals(marked, cmdlet.DefaultParameterSetName, StringComparison.OrdinalIgnoreCase))
                    {
                        failures.Add($"{cmdlet.Name}: SYNTAX marks '{marked}' (Default), the cmdlet's default set is '{cmdlet.DefaultParameterSetName}'");
                    }
                }

                var outputs = page.Outputs.Select(o => o.TypeName).ToList();
                foreach (var output in cmdlet.OutputTypes.Select(o => o.TypeName).Distinct())
                {
                    var shortName = output.Substring(output.LastIndexOf('.') + 1);
                    if (!outputs.Contains(output, StringComparer.Ordinal) && !outputs.Contains(shortName, StringComparer.Ordinal))
                    {
                        failures.Add($"{cmdlet.Name}: OUTPUTS does not name [OutputType] {output}");
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_page_in_docs_belongs_to_a_cmdlet_or_is_an_about_topic()
        {
            var names = Module.Cmdlets.Select(c => c.Name).ToList();
            var strays = Directory.GetFiles(Module.DocsFolder, "*.md")
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .Where(n => !n.StartsWith("about_", StringComparison.OrdinalIgnoreCase) && !names.Contains(n, StringComparer.OrdinalIgnoreCase))
                .ToList();

            // Before the first cmdlet is compiled, pages may be written ahead of their code.
            if (names.Count > 0)
            {
                Assert.True(strays.Count == 0, "pages for cmdlets that do not exist: " + string.Join(", ", strays));
            }

            Assert.True(File.Exists(Path.Combine(Module.DocsFolder, "about_WsusRemediation.md")));
        }

        private static void CompareParameter(CmdletInfo cmdlet, CommandHelp page, CmdletParameterInfo parameter, ParameterHelp doc, List<string> failures)
        {
            var where = $"{cmdlet.Name} -{parameter.Name}";
            foreach (var block in doc.Metadata)
            {
                if (block.Type != parameter.TypeDisplayName && block.Type != TypeNames.FullDisplay(parameter.Type))
                {
                    failures.Add($"{where}: documented Type {block.Type}, the property is {parameter.TypeDisplayName}");
                }

                if (!new HashSet<string>(block.Aliases, StringComparer.OrdinalIgnoreCase).SetEquals(parameter.Aliases))
                {
                    failures.Add($"{where}: documented Aliases [{string.Join(", ", block.Aliases)}], [Alias] says [{string.Join(", ", parameter.Aliases)}]");
                }

                if (block.AcceptsWildcards != parameter.SupportsWildcards)
                {
                    failures.Add($"{where}: 'Accept wildcard characters: {block.AcceptsWildcards}', [SupportsWildcards] is {(parameter.SupportsWildcards ? "present" : "absent")}");
                }

                if (block.AcceptedValues.Count > 0 && !new HashSet<string>(block.AcceptedValues, StringComparer.OrdinalIgnoreCase).SetEquals(parameter.ValidValues))
                {
                    failures.Add($"{where}: documented Accepted values [{string.Join(", ", block.AcceptedValues)}], [ValidateSet] says [{string.Join(", ", parameter.ValidValues)}]");
                }

                var inEverySet = parameter.InAllSets || cmdlet.ParameterSetNames.All(s => parameter.SetFor(s) is not null);
                if (block.AppliesToAllSets && !inEverySet)
                {
                    failures.Add($"{where}: documented for (All) parameter sets, but it is only in [{string.Join(", ", parameter.Sets.Select(s => s.Name))}]");
                }

                foreach (var set in block.ParameterSets.Where(s => parameter.SetFor(s) is null && cmdlet.ParameterSetNames.Count > 1))
                {
                    failures.Add($"{where}: documented for parameter set {set}, which it is not in");
                }
            }

            foreach (var set in cmdlet.ParameterSetNames)
            {
                var attribute = parameter.SetFor(set);
                if (attribute is null)
                {
                    continue;
                }

                var block = page.Syntax.Count == 1 ? doc.Metadata[0] : doc.ForSet(set);
                if (block is null)
                {
                    failures.Add($"{where}: no yaml block covers parameter set {set}");
                    continue;
                }

                var position = attribute.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named";
                var documentedPosition = block.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named";
                if (position != documentedPosition)
                {
                    failures.Add($"{where} ({set}): documented Position {documentedPosition}, [Parameter] says {position}");
                }

                if (block.Required != attribute.Mandatory)
                {
                    failures.Add($"{where} ({set}): documented Required {block.Required}, [Parameter] Mandatory is {attribute.Mandatory}");
                }

                if (block.ByValue != attribute.ValueFromPipeline || block.ByPropertyName != attribute.ValueFromPipelineByPropertyName)
                {
                    var actual = new ParameterMetadataText(attribute.ValueFromPipeline, attribute.ValueFromPipelineByPropertyName);
                    failures.Add($"{where} ({set}): documented 'Accept pipeline input: {block.PipelineInputText}', [Parameter] says {actual}");
                }
            }
        }

        private static void CompareShouldProcessSwitch(CmdletInfo cmdlet, CommandHelp page, string name, string alias, List<string> failures)
        {
            var doc = page.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (doc is null)
            {
                return;
            }

            foreach (var block in doc.Metadata)
            {
                if (!block.IsSwitch || block.Required || block.Position is not null || block.ByValue || block.ByPropertyName || !block.AppliesToAllSets
                    || block.Aliases.Count != 1 || !string.Equals(block.Aliases[0], alias, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{cmdlet.Name} -{name}: document it as Type: SwitchParameter, Parameter Sets: (All), Aliases: {alias}, Required: False, Position: Named, Accept pipeline input: False");
                }
            }
        }

        /// <summary>Shows attribute pipeline flags the way the page writes them.</summary>
        private readonly record struct ParameterMetadataText(bool ByValue, bool ByPropertyName)
        {
            public override string ToString() =>
                !ByValue && !ByPropertyName ? "False"
                : ByValue && ByPropertyName ? "True (ByPropertyName, ByValue)"
                : ByValue ? "True (ByValue)" : "True (ByPropertyName)";
        }
    }
}
