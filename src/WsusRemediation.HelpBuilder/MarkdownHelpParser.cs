using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace WsusRemediation.HelpBuilder
{
    /// <summary>Reads a platyPS-format (schema 2.0.0) cmdlet page into a <see cref="CommandHelp"/>.</summary>
    public static class MarkdownHelpParser
    {
        public static readonly IReadOnlyList<string> RequiredSections = new[]
        {
            "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS",
        };

        private static readonly Regex CommandName = new(@"^[A-Za-z]+-[A-Za-z0-9]+$", RegexOptions.CultureInvariant);
        private static readonly Regex SyntaxParameter = new(@"(?<![\w-])-(?<name>[A-Za-z][A-Za-z0-9]*)", RegexOptions.CultureInvariant);
        private static readonly Regex Link = new(@"^\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)$", RegexOptions.CultureInvariant);
        private static readonly Regex Pipeline = new(@"^True \((?<kinds>[A-Za-z, ]+)\)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private static readonly string[] YamlKeys =
        {
            "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
            "Accept pipeline input", "Accept wildcard characters",
        };

        public static CommandHelp ParseFile(string path) => Parse(File.ReadAllText(path), path);

        public static CommandHelp Parse(string text, string path)
        {
            var lines = MarkdownLines.Split(text);
            var (frontMatter, rest) = ReadFrontMatter(lines, path);

            var (preamble, sections) = MarkdownLines.SplitSections(rest, "## ", path);
            var title = preamble.FirstOrDefault(l => l.Text.Trim().Length > 0);
            if (title.Number == 0 || !title.Text.StartsWith("# ", StringComparison.Ordinal))
            {
                throw new HelpFormatException(path, title.Number, "The page must start (after the front matter) with '# <Verb-Noun>'.");
            }

            var name = title.Text.Substring(2).Trim();
            if (!CommandName.IsMatch(name))
            {
                throw new HelpFormatException(path, title.Number, $"'{name}' is not a Verb-Noun command name.");
            }

            var expectedName = Path.GetFileNameWithoutExtension(path);
            if (!string.Equals(name, expectedName, StringComparison.Ordinal))
            {
                throw new HelpFormatException(path, title.Number, $"The title '{name}' does not match the file name '{expectedName}.md'.");
            }

            var stray = preamble.FirstOrDefault(l => l.Number > title.Number && l.Text.Trim().Length > 0);
            if (stray.Number > 0)
            {
                throw new HelpFormatException(path, stray.Number, "Text between the title and '## SYNOPSIS' is not part of the platyPS format.");
            }

            var byName = new Dictionary<string, MarkdownSection>(StringComparer.Ordinal);
            foreach (var section in sections)
            {
                if (!RequiredSections.Contains(section.Heading, StringComparer.Ordinal))
                {
                    throw new HelpFormatException(path, section.Line,
                        $"Unknown section '## {section.Heading}'. The sections are: {string.Join(", ", RequiredSections)}.");
                }

                if (byName.ContainsKey(section.Heading))
                {
                    throw new HelpFormatException(path, section.Line, $"The section '## {section.Heading}' appears twice.");
                }

                byName.Add(section.Heading, section);
            }

            var missing = RequiredSections.Where(s => !byName.ContainsKey(s)).ToList();
            if (missing.Count > 0)
            {
                throw new HelpFormatException(path, 0, $"Missing section(s): {string.Join(", ", missing.Select(m => "## " + m))}.");
            }

            var synopsis = ParseSynopsis(byName["SYNOPSIS"], path);
            var syntax = ParseSyntax(byName["SYNTAX"], path);
            var description = MarkdownLines.ToParagraphs(byName["DESCRIPTION"].Body);
            if (description.Count == 0)
            {
                throw new HelpFormatException(path, byName["DESCRIPTION"].Line, "DESCRIPTION is empty.");
            }

            var examples = ParseExamples(byName["EXAMPLES"], path);
            var (parameters, hasCommon) = ParseParameters(byName["PARAMETERS"], path);
            CheckSyntaxAgainstParameters(syntax, parameters, byName["SYNTAX"], path);

            return new CommandHelp
            {
                SourcePath = path,
                ExternalHelpFile = frontMatter["external help file"],
                ModuleName = frontMatter["Module Name"],
                OnlineVersion = frontMatter.TryGetValue("online version", out var online) ? online : string.Empty,
                Name = name,
                Synopsis = synopsis,
                Syntax = syntax,
                Description = description,
                Examples = examples,
                Parameters = parameters,
                HasCommonParameters = hasCommon,
                Inputs = ParseTypes(byName["INPUTS"], path),
                Outputs = ParseTypes(byName["OUTPUTS"], path),
                Notes = MarkdownLines.ToParagraphs(byName["NOTES"].Body),
                RelatedLinks = ParseLinks(byName["RELATED LINKS"], path),
            };
        }

        private static (Dictionary<string, string> Values, IReadOnlyList<SourceLine> Body) ReadFrontMatter(IReadOnlyList<SourceLine> lines, string path)
        {
            if (lines.Count == 0 || lines[0].Text != "---")
            {
                throw new HelpFormatException(path, 1, "The page must start with the platyPS front matter ('---', 'external help file: ...', ..., '---').");
            }

            var end = -1;
            for (var i = 1; i < lines.Count; i++)
            {
                if (lines[i].Text == "---")
                {
                    end = i;
                    break;
                }
            }

            if (end < 0)
            {
                throw new HelpFormatException(path, 1, "The front matter is never closed with '---'.");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; i < end; i++)
            {
                var text = lines[i].Text;
                if (text.Trim().Length == 0)
                {
                    continue;
                }

                var colon = text.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new HelpFormatException(path, lines[i].Number, $"Front matter line '{text}' is not 'key: value'.");
                }

                values[text.Substring(0, colon).Trim()] = text.Substring(colon + 1).Trim();
            }

            foreach (var key in new[] { "external help file", "Module Name", "schema" })
            {
                if (!values.TryGetValue(key, out var value) || value.Length == 0)
                {
                    throw new HelpFormatException(path, 1, $"The front matter has no '{key}'.");
                }
            }

            if (!values["external help file"].EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase))
            {
                throw new HelpFormatException(path, 2, $"'external help file: {values["external help file"]}' must name a *-Help.xml file.");
            }

            if (values["schema"] != "2.0.0")
            {
                throw new HelpFormatException(path, 1, $"Only platyPS schema 2.0.0 is supported, not '{values["schema"]}'.");
            }

            return (values, lines.Skip(end + 1).ToList());
        }

        private static string ParseSynopsis(MarkdownSection section, string path)
        {
            var paragraphs = MarkdownLines.ToParagraphs(section.Body);
            if (paragraphs.Count == 0)
            {
                throw new HelpFormatException(path, section.Line, "SYNOPSIS is empty.");
            }

            if (paragraphs.Count > 1)
            {
                throw new HelpFormatException(path, section.Line, "SYNOPSIS must be one paragraph.");
            }

            return paragraphs[0];
        }

        private static List<SyntaxHelp> ParseSyntax(MarkdownSection section, string path)
        {
            var (preamble, sets) = MarkdownLines.SplitSections(section.Body, "### ", path);
            if (!MarkdownLines.IsBlank(preamble) || sets.Count == 0)
            {
                throw new HelpFormatException(path, section.Line, "SYNTAX must hold one '### <ParameterSetName>' heading per parameter set, each with a code block.");
            }

            var result = new List<SyntaxHelp>();
            foreach (var set in sets)
            {
                var isDefault = set.Heading.EndsWith("(Default)", StringComparison.Ordinal);
                var setName = isDefault ? set.Heading.Substring(0, set.Heading.Length - "(Default)".Length).Trim() : set.Heading;
                var (fences, text) = MarkdownLines.SplitFences(set.Body);
                if (fences.Count != 1 || !MarkdownLines.IsBlank(text) || fences[0].Content.Trim().Length == 0)
                {
                    throw new HelpFormatException(path, set.Line, $"The syntax of '{setName}' must be exactly one code block with the syntax line.");
                }

                var line = string.Join(" ", fences[0].Content.Split('\n').Select(l => l.Trim())).Trim();
                var names = SyntaxParameter.Matches(line).Select(m => m.Groups["name"].Value).ToList();
                result.Add(new SyntaxHelp { ParameterSetName = setName, IsDefault = isDefault, Text = line, ParameterNames = names });
            }

            if (result.Select(r => r.ParameterSetName).Distinct(StringComparer.OrdinalIgnoreCase).Count() != result.Count)
            {
                throw new HelpFormatException(path, section.Line, "A parameter set appears twice under SYNTAX.");
            }

            if (result.Count > 1 && result.Count(r => r.IsDefault) != 1)
            {
                throw new HelpFormatException(path, section.Line, "With several parameter sets, exactly one heading must say '(Default)'.");
            }

            return result;
        }

        private static List<ExampleHelp> ParseExamples(MarkdownSection section, string path)
        {
            var (preamble, items) = MarkdownLines.SplitSections(section.Body, "### ", path);
            if (!MarkdownLines.IsBlank(preamble))
            {
                throw new HelpFormatException(path, MarkdownLines.FirstLine(preamble, section.Line), "EXAMPLES must hold only '### Example N: Title' sections.");
            }

            var result = new List<ExampleHelp>();
            foreach (var item in items)
            {
                var (fences, text) = MarkdownLines.SplitFences(item.Body);
                if (fences.Count == 0)
                {
                    throw new HelpFormatException(path, item.Line, $"The example '{item.Heading}' has no code block.");
                }

                result.Add(new ExampleHelp
                {
                    Title = item.Heading,
                    Code = string.Join("\n\n", fences.Select(f => f.Content)),
                    Remarks = MarkdownLines.ToParagraphs(text),
                });
            }

            return result;
        }

        private static (List<ParameterHelp> Parameters, bool HasCommon) ParseParameters(MarkdownSection section, string path)
        {
            var (preamble, items) = MarkdownLines.SplitSections(section.Body, "### ", path);
            if (!MarkdownLines.IsBlank(preamble))
            {
                throw new HelpFormatException(path, MarkdownLines.FirstLine(preamble, section.Line), "PARAMETERS must hold only '### -Name' sections and '### CommonParameters'.");
            }

            var result = new List<ParameterHelp>();
            var hasCommon = false;
            foreach (var item in items)
            {
                if (item.Heading == "CommonParameters")
                {
                    hasCommon = true;
                    continue;
                }

                if (!item.Heading.StartsWith('-') || item.Heading.Length < 2 || item.Heading.Contains(' ', StringComparison.Ordinal))
                {
                    throw new HelpFormatException(path, item.Line, $"'### {item.Heading}' is not a parameter heading ('### -Name').");
                }

                var name = item.Heading.Substring(1);
                if (result.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new HelpFormatException(path, item.Line, $"The parameter -{name} is documented twice.");
                }

                var (fences, text) = MarkdownLines.SplitFences(item.Body);
                var yaml = fences.Where(f => string.Equals(f.Info, "yaml", StringComparison.OrdinalIgnoreCase)).ToList();
                if (yaml.Count == 0)
                {
                    throw new HelpFormatException(path, item.Line, $"The parameter -{name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, ...).");
                }

                var description = MarkdownLines.ToParagraphs(text);
                if (description.Count == 0)
                {
                    throw new HelpFormatException(path, item.Line, $"The parameter -{name} has no description.");
                }

                result.Add(new ParameterHelp
                {
                    Name = name,
                    Description = description,
                    Metadata = yaml.Select(y => ParseYaml(y, name, path)).ToList(),
                });
            }

            return (result, hasCommon);
        }

        private static ParameterMetadata ParseYaml(CodeFence fence, string parameter, string path)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var lineNumber = fence.Line;
            foreach (var line in fence.Content.Split('\n'))
            {
                lineNumber++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var key = colon > 0 ? line.Substring(0, colon).Trim() : string.Empty;
                if (!YamlKeys.Contains(key, StringComparer.Ordinal))
                {
                    throw new HelpFormatException(path, lineNumber, $"-{parameter}: '{line.Trim()}' is not one of the yaml keys ({string.Join(", ", YamlKeys)}).");
                }

                if (values.ContainsKey(key))
                {
                    throw new HelpFormatException(path, lineNumber, $"-{parameter}: '{key}' appears twice.");
                }

                values.Add(key, line.Substring(colon + 1).Trim());
            }

            string Get(string key)
            {
                if (!values.TryGetValue(key, out var value) || value.Length == 0)
                {
                    throw new HelpFormatException(path, fence.Line, $"-{parameter}: the yaml block has no '{key}:' value.");
                }

                return value;
            }

            bool GetBool(string key)
            {
                var value = Get(key);
                if (string.Equals(value, "True", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                if (string.Equals(value, "False", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                throw new HelpFormatException(path, fence.Line, $"-{parameter}: '{key}: {value}' must be True or False.");
            }

            int? position = null;
            var positionText = Get("Position");
            if (!string.Equals(positionText, "Named", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(positionText, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                {
                    throw new HelpFormatException(path, fence.Line, $"-{parameter}: 'Position: {positionText}' must be Named or a number.");
                }

                position = p;
            }

            bool byValue = false, byPropertyName = false;
            var pipeline = Get("Accept pipeline input");
            if (!string.Equals(pipeline, "False", StringComparison.OrdinalIgnoreCase))
            {
                var match = Pipeline.Match(pipeline);
                if (!match.Success)
                {
                    throw new HelpFormatException(path, fence.Line,
                        $"-{parameter}: 'Accept pipeline input: {pipeline}' must be False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue).");
                }

                foreach (var kind in match.Groups["kinds"].Value.Split(',').Select(k => k.Trim()))
                {
                    if (string.Equals(kind, "ByValue", StringComparison.OrdinalIgnoreCase))
                    {
                        byValue = true;
                    }
                    else if (string.Equals(kind, "ByPropertyName", StringComparison.OrdinalIgnoreCase))
                    {
                        byPropertyName = true;
                    }
                    else
                    {
                        throw new HelpFormatException(path, fence.Line, $"-{parameter}: unknown pipeline input kind '{kind}'.");
                    }
                }
            }

            var sets = Get("Parameter Sets");
            var aliases = Get("Aliases");
            return new ParameterMetadata
            {
                Line = fence.Line,
                Type = Get("Type"),
                ParameterSets = sets == "(All)" ? Array.Empty<string>() : SplitList(sets),
                Aliases = string.Equals(aliases, "None", StringComparison.OrdinalIgnoreCase) ? Array.Empty<string>() : SplitList(aliases),
                Required = GetBool("Required"),
                Position = position,
                DefaultValue = Get("Default value"),
                ByValue = byValue,
                ByPropertyName = byPropertyName,
                AcceptsWildcards = GetBool("Accept wildcard characters"),
                AcceptedValues = values.TryGetValue("Accepted values", out var accepted) && accepted.Length > 0 ? SplitList(accepted) : Array.Empty<string>(),
            };
        }

        private static string[] SplitList(string value) =>
            value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();

        private static void CheckSyntaxAgainstParameters(List<SyntaxHelp> syntax, List<ParameterHelp> parameters, MarkdownSection section, string path)
        {
            var single = syntax.Count == 1;
            foreach (var set in syntax)
            {
                foreach (var name in set.ParameterNames)
                {
                    var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (parameter is null)
                    {
                        throw new HelpFormatException(path, section.Line, $"The syntax of '{set.ParameterSetName}' shows -{name}, which PARAMETERS does not document.");
                    }

                    if (!single && parameter.ForSet(set.ParameterSetName) is null)
                    {
                        throw new HelpFormatException(path, section.Line,
                            $"The syntax of '{set.ParameterSetName}' shows -{name}, but its yaml 'Parameter Sets' does not include '{set.ParameterSetName}' or (All).");
                    }
                }

                foreach (var parameter in parameters)
                {
                    var inSet = single || parameter.ForSet(set.ParameterSetName) is not null;
                    if (inSet && !set.ParameterNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        throw new HelpFormatException(path, section.Line, $"The syntax of '{set.ParameterSetName}' does not show -{parameter.Name}, which is documented for that set.");
                    }
                }
            }

            var knownSets = syntax.Select(s => s.ParameterSetName).ToList();
            foreach (var parameter in parameters)
            {
                foreach (var block in parameter.Metadata)
                {
                    var unknown = block.ParameterSets.Where(s => !knownSets.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
                    if (unknown.Count > 0 && !single)
                    {
                        throw new HelpFormatException(path, block.Line, $"-{parameter.Name} names parameter set(s) {string.Join(", ", unknown)} that SYNTAX does not show.");
                    }
                }
            }
        }

        private static List<TypeHelp> ParseTypes(MarkdownSection section, string path)
        {
            var (preamble, items) = MarkdownLines.SplitSections(section.Body, "### ", path);
            if (!MarkdownLines.IsBlank(preamble))
            {
                throw new HelpFormatException(path, MarkdownLines.FirstLine(preamble, section.Line), $"{section.Heading} must hold only '### TypeName' sections.");
            }

            return items.Select(i => new TypeHelp { TypeName = i.Heading, Description = MarkdownLines.ToParagraphs(i.Body) }).ToList();
        }

        private static List<LinkHelp> ParseLinks(MarkdownSection section, string path)
        {
            var result = new List<LinkHelp>();
            foreach (var line in section.Body)
            {
                var text = line.Text.Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                if (text.StartsWith("- ", StringComparison.Ordinal) || text.StartsWith("* ", StringComparison.Ordinal))
                {
                    text = text.Substring(2).Trim();
                }

                var match = Link.Match(text);
                if (match.Success)
                {
                    result.Add(new LinkHelp { Text = match.Groups["text"].Value, Uri = match.Groups["uri"].Value });
                }
                else if (text.StartsWith('#'))
                {
                    throw new HelpFormatException(path, line.Number, "RELATED LINKS is the last section; it holds only links.");
                }
                else
                {
                    result.Add(new LinkHelp { Text = text, Uri = string.Empty });
                }
            }

            return result;
        }
    }
}
