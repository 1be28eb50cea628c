using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace WsusRemediation.HelpBuilder
{
    /// <summary>
    /// Reads docs/about_X.md (a '# about_X' title and '## HEADING' sections, SHORT DESCRIPTION first)
    /// and renders the plain-text layout PowerShell's own about_*.help.txt files use: headings at the
    /// margin, text indented by four and wrapped to fit an 80-column console.
    /// </summary>
    public static class AboutTopicConverter
    {
        /// <summary>
        /// The longest line: an 80-column console prints 79 characters a line, and Get-Help wrapped a line of 80
        /// with its last letter alone on the next line ('software updat' / 'e').
        /// </summary>
        public const int Width = 79;
        private const string Indent = "    ";

        private static readonly Regex ListItem = new(@"^(?<marker>[-*+]|\d+\.)\s+(?<text>.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex InlineLink = new(@"\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)", RegexOptions.CultureInvariant);

        public static AboutTopic ParseFile(string path) => Parse(File.ReadAllText(path), path);

        public static AboutTopic Parse(string text, string path)
        {
            var lines = MarkdownLines.Split(text);
            if (lines.Count > 0 && lines[0].Text == "---")
            {
                var end = lines.Skip(1).FirstOrDefault(l => l.Text == "---");
                if (end.Number == 0)
                {
                    throw new HelpFormatException(path, 1, "The front matter is never closed with '---'.");
                }

                lines = lines.Where(l => l.Number > end.Number).ToList();
            }

            var (preamble, sections) = MarkdownLines.SplitSections(lines, "## ", path);
            var title = preamble.FirstOrDefault(l => l.Text.Trim().Length > 0);
            var expected = Path.GetFileNameWithoutExtension(path);
            if (title.Number == 0 || title.Text.Trim() != "# " + expected)
            {
                throw new HelpFormatException(path, title.Number, $"An about topic starts with '# {expected}' (the file name).");
            }

            if (sections.Count == 0 || sections[0].Heading != "SHORT DESCRIPTION")
            {
                throw new HelpFormatException(path, title.Number, "The first section of an about topic must be '## SHORT DESCRIPTION'.");
            }

            var shortDescription = MarkdownLines.ToParagraphs(sections[0].Body);
            if (shortDescription.Count != 1)
            {
                throw new HelpFormatException(path, sections[0].Line, "SHORT DESCRIPTION must be one paragraph.");
            }

            if (!sections.Any(s => s.Heading == "LONG DESCRIPTION"))
            {
                throw new HelpFormatException(path, 0, "An about topic needs a '## LONG DESCRIPTION' section.");
            }

            var duplicate = sections.GroupBy(s => s.Heading, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new HelpFormatException(path, duplicate.Last().Line, $"The section '## {duplicate.Key}' appears twice.");
            }

            return new AboutTopic
            {
                Name = expected,
                ShortDescription = shortDescription[0],
                Sections = sections.Select(s => new AboutSection { Heading = s.Heading, Lines = s.Body.Select(l => l.Text).ToList() }).ToList(),
            };
        }

        public static string Render(AboutTopic topic)
        {
            var output = new List<string> { "TOPIC", Indent + topic.Name, string.Empty };
            foreach (var section in topic.Sections)
            {
                output.Add(section.Heading.ToUpperInvariant());
                output.AddRange(RenderBody(section.Lines));
                output.Add(string.Empty);
            }

            while (output.Count > 0 && output[^1].Length == 0)
            {
                output.RemoveAt(output.Count - 1);
            }

            return string.Join("\n", output) + "\n";
        }

        private static IEnumerable<string> RenderBody(IReadOnlyList<string> lines)
        {
            var output = new List<string>();
            var paragraph = new List<string>();
            var table = new List<string[]>();
            var inFence = false;

            void Blank()
            {
                if (output.Count > 0 && output[^1].Length != 0)
                {
                    output.Add(string.Empty);
                }
            }

            void FlushTable()
            {
                if (table.Count == 0)
                {
                    return;
                }

                var widths = Enumerable.Range(0, table.Max(r => r.Length))
                    .Select(c => table.Max(r => c < r.Length ? r[c].Length : 0))
                    .ToArray();
                string Row(string[] cells) =>
                    (Indent + string.Join("  ", widths.Select((w, c) => (c < cells.Length ? cells[c] : string.Empty).PadRight(w)))).TrimEnd();
                output.Add(Row(table[0]));
                output.Add(Row(widths.Select(w => new string('-', w)).ToArray()));
                output.AddRange(table.Skip(1).Select(Row));
                table.Clear();
            }

            void FlushParagraph()
            {
                FlushTable();
                if (paragraph.Count == 0)
                {
                    return;
                }

                var first = paragraph[0].Trim();
                var item = ListItem.Match(first);
                if (item.Success)
                {
                    var marker = item.Groups["marker"].Value is "*" or "+" ? "-" : item.Groups["marker"].Value;
                    var text = string.Join(" ", new[] { item.Groups["text"].Value }.Concat(paragraph.Skip(1).Select(l => l.Trim())));
                    output.AddRange(Wrap(Inline(text), Indent + marker + " ", Indent + new string(' ', marker.Length + 1)));
                }
                else
                {
                    output.AddRange(Wrap(Inline(string.Join(" ", paragraph.Select(l => l.Trim()))), Indent, Indent));
                }

                paragraph.Clear();
            }

            foreach (var raw in lines)
            {
                if (MarkdownLines.IsFence(raw))
                {
                    FlushParagraph();
                    if (!inFence)
                    {
                        Blank();
                    }

                    inFence = !inFence;
                    continue;
                }

                if (inFence)
                {
                    output.Add(raw.Length == 0 ? string.Empty : Indent + Indent + raw);
                    continue;
                }

                var line = raw.Trim();
                if (line.Length == 0)
                {
                    FlushParagraph();
                    Blank();
                }
                else if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    FlushParagraph();
                    Blank();
                    var heading = line.Substring(4).Trim();
                    output.Add(Indent + heading);
                    output.Add(Indent + new string('-', heading.Length));
                }
                else if (line.StartsWith('|'))
                {
                    if (paragraph.Count > 0)
                    {
                        FlushParagraph();
                    }

                    // The |---| line under a markdown table header is markup, not content.
                    if (!Regex.IsMatch(line, @"^\|[\s:|-]+\|$"))
                    {
                        table.Add(line.Trim('|').Split('|').Select(cell => Inline(cell.Trim())).ToArray());
                    }
                }
                else if (ListItem.IsMatch(line))
                {
                    // Each list item is its own paragraph; continuation lines join it.
                    FlushParagraph();
                    paragraph.Add(line);
                }
                else
                {
                    paragraph.Add(line);
                }
            }

            FlushParagraph();
            while (output.Count > 0 && output[0].Length == 0)
            {
                output.RemoveAt(0);
            }

            while (output.Count > 0 && output[^1].Length == 0)
            {
                output.RemoveAt(output.Count - 1);
            }

            return output;
        }

        /// <summary>Plain text has no markup: drop emphasis, show links as "text (uri)".</summary>
        private static string Inline(string text)
        {
            text = InlineLink.Replace(text, m => m.Groups["uri"].Value.Length == 0 ? m.Groups["text"].Value : $"{m.Groups["text"].Value} ({m.Groups["uri"].Value})");
            return text.Replace("**", string.Empty, StringComparison.Ordinal);
        }

        private static IEnumerable<string> Wrap(string text, string firstIndent, string nextIndent)
        {
            var lines = new List<string>();
            var current = new StringBuilder(firstIndent);
            var empty = true;
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && current.Length + 1 + word.Length > Width)
                {
                    lines.Add(current.ToString());
                    current.Clear().Append(nextIndent);
                    empty = true;
                }

                if (!empty)
                {
                    current.Append(' ');
                }

                current.Append(word);
                empty = false;
            }

            lines.Add(current.ToString());
            return lines;
        }
    }
}
