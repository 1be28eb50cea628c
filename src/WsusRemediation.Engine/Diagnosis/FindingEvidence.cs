using System;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// One piece of evidence behind a finding: a log line, an event, a setting or a service state.
    /// </summary>
    public sealed class FindingEvidence
    {
        /// <summary>Where it comes from: a file path, or a place such as <c>WsusPool/queueLength</c> or <c>service BITS</c>.</summary>
        public string Source { get; init; } = string.Empty;

        /// <summary>The line (or event record number) in <see cref="Source"/>, when it is a file.</summary>
        public long? Line { get; init; }

        /// <summary>When it happened or was read, UTC; empty for settings.</summary>
        public DateTime? TimeUtc { get; init; }

        /// <summary>The text as found (a log message, <c>queueLength = 1000 (expected 2000)</c>, <c>Stopped, Disabled</c>).</summary>
        public string Text { get; init; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() =>
            Line is long line ? $"{Source}({line}): {Text}" : $"{Source}: {Text}";
    }
}
