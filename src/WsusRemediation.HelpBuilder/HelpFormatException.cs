using System;

namespace WsusRemediation.HelpBuilder
{
    /// <summary>A help page that does not follow the platyPS format; says which file and line.</summary>
    public sealed class HelpFormatException : Exception
    {
        public HelpFormatException(string path, int line, string message)
            : base(message)
        {
            SourcePath = path;
            Line = line;
        }

        public string SourcePath { get; }

        /// <summary>1-based line, or 0 when the problem is the file as a whole.</summary>
        public int Line { get; }

        /// <summary>The MSBuild canonical error format, so the build output links to the page.</summary>
        public string ToBuildMessage() =>
            Line > 0
                ? $"{SourcePath}({Line}): error HELP001: {Message}"
                : $"{SourcePath}: error HELP001: {Message}";
    }
}
