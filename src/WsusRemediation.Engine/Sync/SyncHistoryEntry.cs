using System;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>One past synchronization.</summary>
    public sealed class SyncHistoryEntry
    {
        /// <summary>Creates an entry. Times are UTC.</summary>
        public SyncHistoryEntry(DateTime? startTime, DateTime? endTime, SyncResult result, string? error = null, string? errorText = null, bool? startedManually = null)
        {
            StartTime = startTime;
            EndTime = endTime;
            Result = result;
            Error = error;
            ErrorText = errorText;
            StartedManually = startedManually;
        }

        /// <summary>When it started, UTC; empty when the source does not say.</summary>
        public DateTime? StartTime { get; }

        /// <summary>When it ended, UTC; empty while it runs or when the source does not say.</summary>
        public DateTime? EndTime { get; }

        /// <summary>How it ended.</summary>
        public SyncResult Result { get; }

        /// <summary>The error's name or code (WSUS SynchronizationError such as UssCommunicationError, MECM's 0x… code).</summary>
        public string? Error { get; }

        /// <summary>The error's text.</summary>
        public string? ErrorText { get; }

        /// <summary>True when someone started it by hand (WSUS API and SoftwareDistribution.log event 382 say so).</summary>
        public bool? StartedManually { get; }

        /// <summary>How long it took, when both times are known.</summary>
        public TimeSpan? Duration => StartTime.HasValue && EndTime.HasValue && EndTime >= StartTime ? EndTime - StartTime : null;

        /// <inheritdoc />
        public override string ToString() => $"{StartTime:u} {Result}";
    }
}
