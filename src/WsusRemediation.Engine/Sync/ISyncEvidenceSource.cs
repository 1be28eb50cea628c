using System;
using System.Collections.Generic;
using System.Threading;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// Synchronization events found in logs. A port, so the reasoning does not care where they come
    /// from: collected files today (<see cref="SyncLogFiles"/> over the general evidence readers),
    /// a live follower or the event log later.
    /// </summary>
    public interface ISyncEvidenceSource
    {
        /// <summary>The files the events come from.</summary>
        IReadOnlyList<string> Paths { get; }

        /// <summary>Reads every synchronization event, oldest first.</summary>
        IReadOnlyList<SyncLogEvent> ReadEvents(CancellationToken cancellationToken);
    }

    /// <summary>Which log wrote a synchronization event.</summary>
    public enum SyncLogKind
    {
        /// <summary>MECM's wsyncmgr.log (SMS_WSUS_SYNC_MANAGER, site server).</summary>
        Wsyncmgr,
        /// <summary>WSUS's SoftwareDistribution.log (WSUS server).</summary>
        SoftwareDistribution,
    }

    /// <summary>What a synchronization line means.</summary>
    public enum SyncLogEventKind
    {
        /// <summary>A synchronization started (wsyncmgr "Starting Sync"/6701; WSUS 381/382).</summary>
        Started,
        /// <summary>A new phase began.</summary>
        Phase,
        /// <summary>Items processed so far.</summary>
        Progress,
        /// <summary>It succeeded (wsyncmgr "Sync succeeded"/6702; WSUS 384).</summary>
        Succeeded,
        /// <summary>It failed (wsyncmgr "Sync failed"/6703; WSUS 386).</summary>
        Failed,
        /// <summary>It was cancelled (WSUS 387).</summary>
        Cancelled,
        /// <summary>wsyncmgr's "Sync time:" line, written when a run ends either way.</summary>
        Finished,
    }

    /// <summary>One synchronization line from a log.</summary>
    public sealed class SyncLogEvent
    {
        /// <summary>When, UTC.</summary>
        public DateTime Time { get; init; }

        /// <summary>Which log.</summary>
        public SyncLogKind Log { get; init; }

        /// <summary>What it means.</summary>
        public SyncLogEventKind Kind { get; init; }

        /// <summary>The line's message.</summary>
        public string Message { get; init; } = string.Empty;

        /// <summary>For Phase and Progress events: the phase.</summary>
        public string? Phase { get; init; }

        /// <summary>For Progress events.</summary>
        public long? ProcessedItems { get; init; }

        /// <summary>For Progress events.</summary>
        public long? TotalItems { get; init; }

        /// <summary>For Progress events.</summary>
        public int? Percent { get; init; }

        /// <summary>For Failed/Cancelled: the error's name, when the line has one (e.g. UssCommunicationError).</summary>
        public string? Error { get; init; }

        /// <summary>For Started: true for a manual start (382, "local request").</summary>
        public bool? StartedManually { get; init; }

        /// <summary>The server the line names (STATMSG SYS=), when it does.</summary>
        public string? ComputerName { get; init; }

        /// <summary>The file and line number.</summary>
        public string Location { get; init; } = string.Empty;
    }
}
