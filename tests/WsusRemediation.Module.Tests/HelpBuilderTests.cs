using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using WsusRemediation.HelpBuilder;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>The converter on a page of its own, independent of which cmdlets exist.</summary>
    public class HelpBuilderTests
    {
        private const string Path = "docs/Get-Sample.md";

        private static readonly XNamespace Command = MamlWriter.CommandNamespace;
        private static readonly XNamespace Maml = MamlWriter.MamlNamespace;
        private static readonly XNamespace Dev = MamlWriter.DevNamespace;

        private const string Page = """
            ---
            external help file: WsusRemediation.dll-Help.xml
            Module Name: WsusRemediation
            online version:
            schema: 2.0.0
            ---

            # Get-Sample

            ## SYNOPSIS
            Gets a sample.

            ## SYNTAX

            ### ByName (Default)
            ```
            Get-Sample [[-Name] <String[]>] [-Force] [<CommonParameters>]
            ```

            ### ByPath
            ```
            Get-Sample -ConfigurationPath <String> [-Force] [<CommonParameters>]
            ```

            ## DESCRIPTION
            The first paragraph
            spans two lines.

            - a list item
            - another

            ## EXAMPLES

            ### Example 1: By name
            ```powershell
            PS C:\> Get-Sample -Name WsusPool
            ```

            Reads WsusPool & shows <it>.

            ### Example 2: By path
            ```powershell
            PS C:\> Get-Sample -ConfigurationPath .\applicationHost.config
            ```

            Reads a collected file.

            ## PARAMETERS

            ### -Name
            The pool names.

            ```yaml
            Type: String[]
            Parameter Sets: ByName
            Aliases: PoolName

            Required: False
            Position: 0
            Default value: None
            Accept pipeline input: True (ByPropertyName, ByValue)
            Accept wildcard characters: True
            ```

            ### -ConfigurationPath
            A file.

            ```yaml
            Type: String
            Parameter Sets: ByPath
            Aliases: None

            Required: True
            Position: Named
            Default value: None
            Accept pipeline input: True (ByPropertyName)
            Accept wildcard characters: False
            ```

            ### -Force
            Goes on.

            ```yaml
            Type: SwitchParameter
            Parameter Sets: (All)
            Aliases: None

            Required: False
            Position: Named
            Default value: False
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### CommonParameters
            This cmdlet supports the common parameters.

            ## INPUTS

            ### System.String

            ## OUTPUTS

            ### WsusRemediation.Engine.Sample
            One per pool.

            ## NOTES
            A note.

            ## RELATED LINKS

            [about_WsusRemediation](about_WsusRemediation.md)
            """;

        [Fact]
        public void Parses_every_part_of_a_platyPS_page()
        {
            var help = MarkdownHelpParser.Parse(Page, Path);

            Assert.Equal("Get-Sample", help.Name);
            Assert.Equal(("Get", "Sample"), (help.Verb, help.Noun));
            Assert.Equal("Gets a sample.", help.Synopsis);
            Assert.Equal(new[] { "The first paragraph spans two lines.", "- a list item\n- another" }, help.Description);
            Assert.Equal(new[] { "ByName", "ByPath" }, help.Syntax.Select(s => s.ParameterSetName));
            Assert.True(help.Syntax[0].IsDefault);
            Assert.Equal(new[] { "Name", "Force" }, help.Syntax[0].ParameterNames);
            Assert.Equal(2, help.Examples.Count);
            Assert.Equal("PS C:\\> Get-Sample -Name WsusPool", help.Examples[0].Code);

            var name = help.Parameters.Single(p => p.Name == "Name").Metadata.Single();
            Assert.Equal("String[]", name.Type);
            Assert.Equal(new[] { "PoolName" }, name.Aliases);
            Assert.Equal(0, name.Position);
            Assert.True(name.ByValue && name.ByPropertyName && name.AcceptsWildcards && !name.Required);
            Assert.True(help.Parameters.Single(p => p.Name == "Force").Metadata.Single().AppliesToAllSets);
            Assert.True(help.HasCommonParameters);
            Assert.Equal("System.String", help.Inputs.Single().TypeName);
            Assert.Equal(new[] { "One per pool." }, help.Outputs.Single().Description);
            Assert.Equal("about_WsusRemediation", help.RelatedLinks.Single().Text);
        }

        [Fact]
        public void Writes_MAML_in_the_platyPS_layout()
        {
            var bytes = MamlWriter.Write(new[] { MarkdownHelpParser.Parse(Page, Path) });
            var document = XDocument.Parse(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'));

            Assert.Equal(XName.Get("helpItems", "http://msh"), document.Root!.Name);
            var command = document.Root.Element(Command + "command")!;
            Assert.Equal("Get-Sample", command.Element(Command + "details")!.Element(Command + "name")!.Value);
            Assert.Equal("Gets a sample.", command.Element(Command + "details")!.Element(Maml + "description")!.Element(Maml + "para")!.Value);
            Assert.Equal(2, command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Count());

            var parameters = command.Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
            var name = parameters.Single(p => p.Element(Maml + "name")!.Value == "Name");
            Assert.Equal("false", (string?)name.Attribute("required"));
            Assert.Equal("true", (string?)name.Attribute("globbing"));
            Assert.Equal("True (ByPropertyName, ByValue)", (string?)name.Attribute("pipelineInput"));
            Assert.Equal("0", (string?)name.Attribute("position"));
            Assert.Equal("PoolName", (string?)name.Attribute("aliases"));
            Assert.Equal("String[]", name.Element(Command + "parameterValue")!.Value);
            Assert.Equal("String[]", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal("None", name.Element(Dev + "defaultValue")!.Value);

            // A switch takes no value.
            var force = parameters.Single(p => p.Element(Maml + "name")!.Value == "Force");
            Assert.Null(force.Element(Command + "parameterValue"));
            Assert.Equal("named", (string?)force.Attribute("position"));
            Assert.Equal("none", (string?)force.Attribute("aliases"));

            var example = command.Element(Command + "examples")!.Elements(Command + "example").First();
            Assert.Equal("-------------------------- Example 1: By name --------------------------", example.Element(Maml + "title")!.Value);
            Assert.Equal("PS C:\\> Get-Sample -Name WsusPool", example.Element(Dev + "code")!.Value);
            Assert.Equal("Reads WsusPool & shows <it>.", example.Element(Dev + "remarks")!.Element(Maml + "para")!.Value);

            Assert.Equal("System.String", command.Element(Command + "inputTypes")!.Descendants(Maml + "name").Single().Value);
            Assert.Equal("WsusRemediation.Engine.Sample", command.Element(Command + "returnValues")!.Descendants(Maml + "name").Single().Value);
            Assert.Equal("A note.", command.Element(Maml + "alertSet")!.Descendants(Maml + "para").Single().Value);
            Assert.Equal("about_WsusRemediation", command.Element(Command + "relatedLinks")!.Descendants(Maml + "linkText").Single().Value);
        }

        [Fact]
        public void The_same_pages_give_the_same_bytes()
        {
            var first = MamlWriter.Write(new[] { MarkdownHelpParser.Parse(Page, Path) });
            var second = MamlWriter.Write(new[] { MarkdownHelpParser.Parse(Page.Replace("\n", "\r\n", StringComparison.Ordinal), Path) });
            Assert.Equal(first, second);
        }

        [Theory]
        [InlineData("## SYNOPSIS\nGets a sample.\n", "", "Missing section(s): ## SYNOPSIS")]
        [InlineData("```yaml\nType: String\nParameter Sets: ByPath\nAliases: None\n\nRequired: True\nPosition: Named\nDefault value: None\nAccept pipeline input: True (ByPropertyName)\nAccept wildcard characters: False\n```\n", "", "-ConfigurationPath has no ```yaml block")]
        [InlineData("Position: 0", "Position: first", "must be Named or a number")]
        [InlineData("Accept pipeline input: False", "Accept pipeline input: Yes", "must be False, True (ByValue)")]
        [InlineData("Required: False\nPosition: 0", "Position: 0", "has no 'Required:' value")]
        [InlineData("Get-Sample [[-Name] <String[]>] [-Force]", "Get-Sample [[-Name] <String[]>] [-Force] [-Bogus]", "shows -Bogus, which PARAMETERS does not document")]
        [InlineData("# Get-Sample", "# Get-Other", "does not match the file name")]
        [InlineData("### Example 2: By path\n```powershell\nPS C:\\> Get-Sample -ConfigurationPath .\\applicationHost.config\n```\n", "### Example 2: By path\nNo code.\n", "has no code block")]
        [InlineData("## NOTES", "## REMARKS", "Unknown section '## REMARKS'")]
        [InlineData("schema: 2.0.0", "schema: 3.0.0", "schema 2.0.0")]
        public void A_malformed_page_is_refused_with_file_line_and_reason(string find, string replace, string expected)
        {
            Assert.Contains(find, Page, StringComparison.Ordinal);
            var broken = Page.Replace(find, replace, StringComparison.Ordinal);
            var error = Assert.Throws<HelpFormatException>(() => MarkdownHelpParser.Parse(broken, Path));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.StartsWith(Path, error.ToBuildMessage(), StringComparison.Ordinal);
            Assert.Contains("error HELP001", error.ToBuildMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void An_about_topic_becomes_indented_plain_text()
        {
            const string about = "# about_Sample\n\n## SHORT DESCRIPTION\nA short one.\n\n## LONG DESCRIPTION\nText with a [link](https://example.org) and **bold**.\n\n### Part\n- item one\n- item two\n\n| A | B |\n| --- | --- |\n| 1 | 22 |\n\n```powershell\nGet-Sample\n```\n";
            var topic = AboutTopicConverter.Parse(about, "docs/about_Sample.md");
            var text = AboutTopicConverter.Render(topic);

            Assert.Equal(
                "TOPIC\n    about_Sample\n\nSHORT DESCRIPTION\n    A short one.\n\nLONG DESCRIPTION\n" +
                "    Text with a link (https://example.org) and bold.\n\n    Part\n    ----\n    - item one\n    - item two\n\n" +
                "    A  B\n    -  --\n    1  22\n\n        Get-Sample\n",
                text);
            Assert.All(text.Split('\n'), line => Assert.True(line.Length <= AboutTopicConverter.Width, line));
        }

        [Fact]
        public void An_about_topic_without_a_short_description_is_refused()
        {
            var error = Assert.Throws<HelpFormatException>(() => AboutTopicConverter.Parse("# about_Sample\n\n## LONG DESCRIPTION\nText.\n", "docs/about_Sample.md"));
            Assert.Contains("SHORT DESCRIPTION", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Writing_removes_stale_help_and_leaves_unchanged_files_alone()
        {
            var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "helpbuilder-" + Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(folder);
                File.WriteAllText(System.IO.Path.Combine(folder, "about_Gone.help.txt"), "old");
                var outputs = new[] { new HelpOutput { FileName = "about_Sample.help.txt", Content = Encoding.UTF8.GetBytes("new") } };

                var first = HelpCompiler.WriteTo(outputs, folder);
                var second = HelpCompiler.WriteTo(outputs, folder);

                Assert.Equal(2, first.Count);
                Assert.Empty(second);
                Assert.Equal(new[] { "about_Sample.help.txt" }, Directory.GetFiles(folder).Select(System.IO.Path.GetFileName));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
