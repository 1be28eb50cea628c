using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace WsusRemediation.HelpBuilder
{
    /// <summary>A source line and its 1-based number.</summary>
    public readonly record struct SourceLine(int Number, string Text);

    /// <summary>A heading and the lines under it, up to the next heading of the same level.</summary>
    public sealed class MarkdownSection
    {
        public required string Heading { get; init; }
        public required int Line { get; init; }
        public required IReadOnlyList<SourceLine> Body { get; init; }
    }

    /// <summary>A fenced code block.</summary>
    public sealed class CodeFence
    {
        public required string Info { get; init; }
        public required int Line { get; init; }
        public required string Content { get; init; }
    }

    /// <summary>The small part of markdown that platyPS pages use: headings, fences, paragraphs, lists.</summary>
    public static class MarkdownLines
    {
        private static readonly Regex ListItem = new(@"^\s*([-*+]|\d+\.)\s+", RegexOptions.CultureInvariant);

        public static IReadOnlyList<SourceLine> Split(string text)
        {
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text.Substring(1);
            }

            var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
            return raw.Select((line, index) => new SourceLine(index + 1, line.TrimEnd())).ToList();
        }

        public static bool IsFence(string line) => line.TrimStart().StartsWith("```", StringComparison.Ordinal);

        /// <summary>Splits at headings that start with <paramref name="marker"/> ("## " or "### "), ignoring code fences.</summary>
        public static (IReadOnlyList<SourceLine> Preamble, IReadOnlyList<MarkdownSection> Sections) SplitSections(
            IReadOnlyList<SourceLine> lines, string marker, string path)
        {
            var preamble = new List<SourceLine>();
            var sections = new List<MarkdownSection>();
            string? heading = null;
            var headingLine = 0;
            var body = new List<SourceLine>();
            var inFence = false;
            var fenceLine = 0;

            foreach (var line in lines)
            {
                if (IsFence(line.Text))
                {
                    inFence = !inFence;
                    fenceLine = line.Number;
                }
                else if (!inFence && line.Text.StartsWith(marker, StringComparison.Ordinal))
                {
                    if (heading is not null)
                    {
                        sections.Add(new MarkdownSection { Heading = heading, Line = headingLine, Body = body });
                    }

                    heading = line.Text.Substring(marker.Length).Trim();
                    headingLine = line.Number;
                    body = new List<SourceLine>();
                    continue;
                }

                (heading is null ? preamble : body).Add(line);
            }

            if (inFence)
            {
                throw new HelpFormatException(path, fenceLine, "A code fence (```) is opened here and never closed.");
            }

            if (heading is not null)
            {
                sections.Add(new MarkdownSection { Heading = heading, Line = headingLine, Body = body });
            }

            return (preamble, sections);
        }

        /// <summary>Separates the fenced code blocks from the other lines.</summary>
        public static (IReadOnlyList<CodeFence> Fences, IReadOnlyList<SourceLine> Text) SplitFences(IReadOnlyList<SourceLine> lines)
        {
            var fences = new List<CodeFence>();
            var text = new List<SourceLine>();
            CodeFence? open = null;
            var content = new StringBuilder();

            foreach (var line in lines)
            {
                if (IsFence(line.Text))
                {
                    if (open is null)
                    {
                        open = new CodeFence { Info = line.Text.Trim().Substring(3).Trim(), Line = line.Number, Content = string.Empty };
                        content.Clear();
                    }
                    else
                    {
                        fences.Add(new CodeFence { Info = open.Info, Line = open.Line, Content = content.ToString().TrimEnd('\n') });
                        open = null;
                    }

                    continue;
                }

                if (open is not null)
                {
                    content.Append(line.Text).Append('\n');
                }
                else
                {
                    text.Add(line);
                }
            }

            return (fences, text);
        }

        /// <summary>
        /// Paragraphs for MAML: prose lines are joined with spaces; lists, tables and code keep their
        /// line breaks so Get-Help shows them as written.
        /// </summary>
        public static IReadOnlyList<string> ToParagraphs(IReadOnlyList<SourceLine> lines)
        {
            var paragraphs = new List<string>();
            var block = new List<string>();
            var inFence = false;

            void Flush()
            {
                if (block.Count == 0)
                {
                    return;
                }

                var keepBreaks = block.Any(l => ListItem.IsMatch(l) || l.TrimStart().StartsWith('|'));
                paragraphs.Add(keepBreaks
                    ? string.Join("\n", block)
                    : string.Join(" ", block.Select(l => l.Trim())));
                block.Clear();
            }

            foreach (var line in lines)
            {
                if (IsFence(line.Text))
                {
                    if (inFence)
                    {
                        paragraphs.Add(string.Join("\n", block));
                        block.Clear();
                    }
                    else
                    {
                        Flush();
                    }

                    inFence = !inFence;
                    continue;
                }

                if (!inFence && line.Text.Trim().Length == 0)
                {
                    Flush();
                    continue;
                }

                block.Add(line.Text);
            }

            Flush();
            return paragraphs;
        }

        public static bool IsBlank(IReadOnlyList<SourceLine> lines) => lines.All(l => l.Text.Trim().Length == 0);

        public static int FirstLine(IReadOnlyList<SourceLine> lines, int fallback) =>
            lines.FirstOrDefault(l => l.Text.Trim().Length > 0).Number is var n && n > 0 ? n : fallback;

        public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
