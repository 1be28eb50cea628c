using System.Collections.Generic;

namespace WsusRemediation.HelpBuilder
{
    /// <summary>One cmdlet's help page as read from platyPS-format markdown.</summary>
    public sealed class CommandHelp
    {
        public required string SourcePath { get; init; }
        public required string ExternalHelpFile { get; init; }
        public required string ModuleName { get; init; }
        public string OnlineVersion { get; init; } = string.Empty;
        public required string Name { get; init; }
        public string Verb => Name.Substring(0, Name.IndexOf('-', System.StringComparison.Ordinal));
        public string Noun => Name.Substring(Name.IndexOf('-', System.StringComparison.Ordinal) + 1);
        public required string Synopsis { get; init; }
        public required IReadOnlyList<SyntaxHelp> Syntax { get; init; }
        public required IReadOnlyList<string> Description { get; init; }
        public required IReadOnlyList<ExampleHelp> Examples { get; init; }
        public required IReadOnlyList<ParameterHelp> Parameters { get; init; }
        public required bool HasCommonParameters { get; init; }
        public required IReadOnlyList<TypeHelp> Inputs { get; init; }
        public required IReadOnlyList<TypeHelp> Outputs { get; init; }
        public required IReadOnlyList<string> Notes { get; init; }
        public required IReadOnlyList<LinkHelp> RelatedLinks { get; init; }
    }

    /// <summary>One parameter set's syntax line under SYNTAX.</summary>
    public sealed class SyntaxHelp
    {
        /// <summary>The set name as written in the heading, without " (Default)".</summary>
        public required string ParameterSetName { get; init; }
        public required bool IsDefault { get; init; }
        public required string Text { get; init; }

        /// <summary>The parameter names in the order the syntax line shows them (no CommonParameters).</summary>
        public required IReadOnlyList<string> ParameterNames { get; init; }
    }

    /// <summary>One example: a title, the code, and what it does.</summary>
    public sealed class ExampleHelp
    {
        /// <summary>The heading text, e.g. "Example 1: Read the pool settings".</summary>
        public required string Title { get; init; }
        public required string Code { get; init; }
        public required IReadOnlyList<string> Remarks { get; init; }
    }

    /// <summary>One documented parameter, with one or more yaml blocks (platyPS writes one per differing set).</summary>
    public sealed class ParameterHelp
    {
        public required string Name { get; init; }
        public required IReadOnlyList<string> Description { get; init; }
        public required IReadOnlyList<ParameterMetadata> Metadata { get; init; }

        /// <summary>The block that applies to a set: one that names it, else one that says (All).</summary>
        public ParameterMetadata? ForSet(string parameterSetName)
        {
            foreach (var block in Metadata)
            {
                foreach (var set in block.ParameterSets)
                {
                    if (string.Equals(set, parameterSetName, System.StringComparison.OrdinalIgnoreCase))
                    {
                        return block;
                    }
                }
            }

            foreach (var block in Metadata)
            {
                if (block.AppliesToAllSets)
                {
                    return block;
                }
            }

            return null;
        }
    }

    /// <summary>A parameter's yaml block.</summary>
    public sealed class ParameterMetadata
    {
        public required int Line { get; init; }
        public required string Type { get; init; }

        /// <summary>The set names; empty when the block says (All).</summary>
        public required IReadOnlyList<string> ParameterSets { get; init; }
        public bool AppliesToAllSets => ParameterSets.Count == 0;

        /// <summary>Alias names; empty when the block says None.</summary>
        public required IReadOnlyList<string> Aliases { get; init; }
        public required bool Required { get; init; }

        /// <summary>The position, or null when the block says Named.</summary>
        public required int? Position { get; init; }
        public required string DefaultValue { get; init; }
        public required bool ByValue { get; init; }
        public required bool ByPropertyName { get; init; }
        public required bool AcceptsWildcards { get; init; }
        public required IReadOnlyList<string> AcceptedValues { get; init; }

        /// <summary>The pipeline text exactly as platyPS writes it: "False" or "True (ByPropertyName, ByValue)".</summary>
        public string PipelineInputText
        {
            get
            {
                if (!ByValue && !ByPropertyName)
                {
                    return "False";
                }

                if (ByValue && ByPropertyName)
                {
                    return "True (ByPropertyName, ByValue)";
                }

                return ByValue ? "True (ByValue)" : "True (ByPropertyName)";
            }
        }

        public bool IsSwitch => string.Equals(Type, "SwitchParameter", System.StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An INPUTS or OUTPUTS entry.</summary>
    public sealed class TypeHelp
    {
        public required string TypeName { get; init; }
        public required IReadOnlyList<string> Description { get; init; }
    }

    /// <summary>A RELATED LINKS entry.</summary>
    public sealed class LinkHelp
    {
        public required string Text { get; init; }
        public required string Uri { get; init; }
    }

    /// <summary>An about_ topic: its name, the short description and its sections in order.</summary>
    public sealed class AboutTopic
    {
        public required string Name { get; init; }
        public required string ShortDescription { get; init; }
        public required IReadOnlyList<AboutSection> Sections { get; init; }
    }

    /// <summary>A "## HEADING" section of an about topic, with its markdown body lines.</summary>
    public sealed class AboutSection
    {
        public required string Heading { get; init; }
        public required IReadOnlyList<string> Lines { get; init; }
    }
}
