using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace WsusRemediation.HelpBuilder
{
    /// <summary>A file the compiler produces: its name in the output folder and its bytes.</summary>
    public sealed class HelpOutput
    {
        public required string FileName { get; init; }
        public required byte[] Content { get; init; }
    }

    /// <summary>
    /// docs/ to en-US/: every Verb-Noun.md into the MAML file its front matter names, every
    /// about_X.md into about_X.help.txt. The output folder holds only what the docs produce.
    /// </summary>
    public static class HelpCompiler
    {
        public static readonly Encoding TextEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

        public static IReadOnlyList<CommandHelp> ReadCommands(string docsDirectory) =>
            Directory.GetFiles(docsDirectory, "*.md")
                .Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(MarkdownHelpParser.ParseFile)
                .ToList();

        public static IReadOnlyList<AboutTopic> ReadAboutTopics(string docsDirectory) =>
            Directory.GetFiles(docsDirectory, "about_*.md")
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(AboutTopicConverter.ParseFile)
                .ToList();

        /// <summary>Everything the docs folder produces, in memory.</summary>
        public static IReadOnlyList<HelpOutput> Compile(string docsDirectory)
        {
            var outputs = new List<HelpOutput>();
            foreach (var group in ReadCommands(docsDirectory).GroupBy(c => c.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
            {
                var names = group.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
                if (names is not null)
                {
                    throw new HelpFormatException(names.Last().SourcePath, 0, $"{names.Key} is documented twice.");
                }

                outputs.Add(new HelpOutput { FileName = group.First().ExternalHelpFile, Content = MamlWriter.Write(group) });
            }

            foreach (var topic in ReadAboutTopics(docsDirectory))
            {
                outputs.Add(new HelpOutput
                {
                    FileName = topic.Name + ".help.txt",
                    Content = TextEncoding.GetPreamble().Concat(TextEncoding.GetBytes(AboutTopicConverter.Render(topic))).ToArray(),
                });
            }

            return outputs;
        }

        /// <summary>Writes the outputs, touching only files whose bytes change, and removes stale help files.</summary>
        public static IReadOnlyList<string> WriteTo(IReadOnlyList<HelpOutput> outputs, string outputDirectory)
        {
            Directory.CreateDirectory(outputDirectory);
            var changes = new List<string>();
            foreach (var output in outputs)
            {
                var path = Path.Combine(outputDirectory, output.FileName);
                if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(output.Content))
                {
                    File.WriteAllBytes(path, output.Content);
                    changes.Add("wrote " + path);
                }
            }

            var produced = new HashSet<string>(outputs.Select(o => o.FileName), StringComparer.OrdinalIgnoreCase);
            var stale = Directory.GetFiles(outputDirectory, "*-Help.xml")
                .Concat(Directory.GetFiles(outputDirectory, "about_*.help.txt"))
                .Where(f => !produced.Contains(Path.GetFileName(f)))
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (var path in stale)
            {
                File.Delete(path);
                changes.Add("removed " + path);
            }

            return changes;
        }
    }
}
