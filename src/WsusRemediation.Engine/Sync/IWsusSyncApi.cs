using System;
using System.Collections.Generic;
using System.Threading;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// The WSUS administration API's subscription, as far as synchronization goes. One read returns
    /// status, progress, last info and history together, because under PowerShell 7 each call costs
    /// a child powershell.exe.
    /// </summary>
    public interface IWsusSyncApi
    {
        /// <summary>Reads ISubscription's status, progress, last synchronization info and the latest <paramref name="historyCount"/> history entries.</summary>
        WsusSyncSnapshot Read(int historyCount, CancellationToken cancellationToken);

        /// <summary>ISubscription.StartSynchronization(). Throws SyncAlreadyRunning when WSUS refuses because one runs.</summary>
        void StartSynchronization(CancellationToken cancellationToken);
    }

    /// <summary>What the WSUS API says, with the API's own names (SynchronizationStatus, SynchronizationResult…).</summary>
    public sealed class WsusSyncSnapshot
    {
        /// <summary>The WSUS server's name.</summary>
        public string ServerName { get; init; } = string.Empty;

        /// <summary>SynchronizationStatus: NotProcessing, Running or Stopping.</summary>
        public string Status { get; init; } = "NotProcessing";

        /// <summary>SynchronizationProgress.Phase: NotProcessing, Categories, Updates, Approvals.</summary>
        public string? Phase { get; init; }

        /// <summary>SynchronizationProgress.ProcessedItems (0 when not synchronizing).</summary>
        public long ProcessedItems { get; init; }

        /// <summary>SynchronizationProgress.TotalItems (0 when not synchronizing).</summary>
        public long TotalItems { get; init; }

        /// <summary>GetLastSynchronizationInfo().</summary>
        public WsusSyncInfo? LastSynchronization { get; init; }

        /// <summary>GetSynchronizationHistory(), any order.</summary>
        public IReadOnlyList<WsusSyncInfo> History { get; init; } = Array.Empty<WsusSyncInfo>();
    }

    /// <summary>ISynchronizationInfo.</summary>
    public sealed class WsusSyncInfo
    {
        /// <summary>StartTime, UTC; DateTime.MinValue (or empty) when never run.</summary>
        public DateTime? StartTime { get; init; }

        /// <summary>EndTime, UTC.</summary>
        public DateTime? EndTime { get; init; }

        /// <summary>SynchronizationResult name: NeverRun, Succeeded, Failed, Canceled, Unknown (or its number).</summary>
        public string Result { get; init; } = "Unknown";

        /// <summary>SynchronizationError name (NotApplicable when none).</summary>
        public string? Error { get; init; }

        /// <summary>ErrorText.</summary>
        public string? ErrorText { get; init; }

        /// <summary>StartedManually.</summary>
        public bool? StartedManually { get; init; }
    }
}
