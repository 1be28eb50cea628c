using System.Collections.Generic;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>A record that could not be read and was skipped.</summary>
    public sealed class SkippedRecord
    {
        /// <summary>Creates a skipped-record note.</summary>
        public SkippedRecord(string file, long line, string reason)
        {
            File = file;
            Line = line;
            Reason = reason;
        }

        /// <summary>The file.</summary>
        public string File { get; }

        /// <summary>1-based line where the bad record starts.</summary>
        public long Line { get; }

        /// <summary>Why it was skipped.</summary>
        public string Reason { get; }

        /// <inheritdoc />
        public override string ToString() => $"{File}:{Line}: {Reason}";
    }

    /// <summary>
    /// What a read did: files, entries, and the records it skipped. Filled in while the entries are
    /// enumerated, so it is complete once the enumeration ends.
    /// </summary>
    public sealed class LogReadSummary
    {
        /// <summary>At most this many skipped records are kept with their position; all are counted.</summary>
        public const int MaxSkippedKept = 1000;

        private readonly List<SkippedRecord> _skipped = new List<SkippedRecord>();
        private readonly List<string> _files = new List<string>();

        /// <summary>Files read, in order.</summary>
        public IReadOnlyList<string> Files => _files;

        /// <summary>Entries parsed (before filtering).</summary>
        public long EntriesRead { get; internal set; }

        /// <summary>Entries that passed the filter.</summary>
        public long EntriesReturned { get; internal set; }

        /// <summary>Records skipped as corrupt, truncated, binary or too long.</summary>
        public long SkippedCount { get; private set; }

        /// <summary>The first <see cref="MaxSkippedKept"/> skipped records, with position and reason.</summary>
        public IReadOnlyList<SkippedRecord> Skipped => _skipped;

        internal void AddFile(string path) => _files.Add(path);

        /// <summary>Takes over what a partial read found, its line numbers moved by the lines before where it started.</summary>
        internal void Absorb(LogReadSummary part, long linesBefore)
        {
            foreach (var file in part._files)
            {
                AddFile(file);
            }

            EntriesRead += part.EntriesRead;
            foreach (var skipped in part._skipped)
            {
                AddSkipped(skipped.File, skipped.Line + linesBefore, skipped.Reason);
            }

            // Skips beyond those kept with their position are still counted.
            SkippedCount += part.SkippedCount - part._skipped.Count;
        }

        internal void AddSkipped(string file, long line, string reason)
        {
            SkippedCount++;
            if (_skipped.Count < MaxSkippedKept)
            {
                _skipped.Add(new SkippedRecord(file, line, reason));
            }
        }
    }
}
