using System;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>The end of a watch.</summary>
    public sealed class SyncWatchResult
    {
        /// <summary>Creates the result.</summary>
        public SyncWatchResult(WsusSyncStatus status, bool completed, bool started)
        {
            Status = status;
            Completed = completed;
            Started = started;
        }

        /// <summary>The last status read.</summary>
        public WsusSyncStatus Status { get; }

        /// <summary>True when the synchronization ended within the timeout.</summary>
        public bool Completed { get; }

        /// <summary>True when the synchronization was seen to start (or to have ended after the request).</summary>
        public bool Started { get; }
    }

    /// <summary>
    /// Follows a requested synchronization to its end by polling the status: first until it starts
    /// (MECM picks a request up after a while), then until it is idle again. A timeout or
    /// cancellation stops the watching only; the synchronization goes on.
    /// </summary>
    public sealed class SyncWatcher
    {
        /// <summary>A sync that ended this long before the request (clock skew between machines) still counts as the requested one.</summary>
        public static readonly TimeSpan ClockSkewTolerance = TimeSpan.FromSeconds(30);

        private readonly Func<bool, CancellationToken, WsusSyncStatus> _read;
        private readonly IClock _clock;

        /// <summary>Creates a watcher that reads the status with <paramref name="read"/>.</summary>
        public SyncWatcher(Func<CancellationToken, WsusSyncStatus> read, IClock clock)
            : this(read is null ? throw new ArgumentNullException(nameof(read)) : (_, token) => read(token), clock)
        {
        }

        /// <summary>
        /// Creates a watcher whose <paramref name="read"/> is told whether this is the final read: polls
        /// pass false (cheap: no update count), the read after the end passes true (the full status).
        /// </summary>
        public SyncWatcher(Func<bool, CancellationToken, WsusSyncStatus> read, IClock clock)
        {
            _read = read ?? throw new ArgumentNullException(nameof(read));
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        }

        /// <summary>Waits for the synchronization <paramref name="trigger"/> requested to end; see the other overload.</summary>
        public SyncWatchResult WaitForCompletion(SyncTriggerResult trigger, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken, Action<WaitProgress, WsusSyncStatus?>? progress = null) =>
            WaitForCompletion((trigger ?? throw new ArgumentNullException(nameof(trigger))).RequestedAt, trigger.PreviousEndTime, timeout, pollInterval, cancellationToken, progress);

        /// <summary>
        /// Waits for the synchronization requested at <paramref name="requestedAt"/> to end: it is
        /// idle again after being seen running, or shows an end later than <paramref name="previousEndTime"/>
        /// (the last end known before the request). Read
        /// failures (WSUS answering 503 while its pool is down) are reported as the state and
        /// polling goes on. Throws the last read failure when no status could be read at all.
        /// </summary>
        public SyncWatchResult WaitForCompletion(DateTime requestedAt, DateTime? previousEndTime, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken, Action<WaitProgress, WsusSyncStatus?>? progress = null)
        {
            WsusSyncStatus? last = null;
            WsusRemediationException? lastFailure = null;
            var seenRunning = false;
            var done = false;

            bool IsDone()
            {
                try
                {
                    last = _read(false, cancellationToken);
                    lastFailure = null;
                }
                catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped && ex.Kind != EngineErrorKind.PermissionDenied)
                {
                    lastFailure = ex;
                    return false;
                }

                seenRunning |= last.State == SyncState.Running;
                done = last.State == SyncState.Idle && (seenRunning || EndedAfter(last, requestedAt, previousEndTime));
                return done;
            }

            var completed = Wait.Until(
                IsDone,
                timeout,
                pollInterval,
                _clock,
                cancellationToken,
                "Synchronization",
                () => Describe(last, lastFailure, seenRunning, done),
                progress is null ? null : p => progress(p, last));

            if (last is null)
            {
                throw lastFailure ?? new WsusRemediationException("SyncStatusUnavailable", EngineErrorKind.ResourceUnavailable, "The synchronization status could not be read.");
            }

            if (completed)
            {
                try
                {
                    last = _read(true, cancellationToken);
                }
                catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
                {
                    // The polled status already says how it ended; only the extras (update count) are missing.
                }
            }

            return new SyncWatchResult(last, completed, seenRunning || EndedAfter(last, requestedAt, previousEndTime));
        }

        /// <summary>
        /// True when the status shows a synchronization that ended after the request: later than the last
        /// end known before it or, when that is unknown, no earlier than the request less the clock skew.
        /// </summary>
        public static bool EndedAfter(WsusSyncStatus status, DateTime requestedAt, DateTime? previousEndTime = null) =>
            status?.LastEndTime is { } end && (previousEndTime is { } previous ? end > previous : end >= requestedAt - ClockSkewTolerance);

        /// <summary>The state in words, for Write-Progress.</summary>
        public static string Describe(WsusSyncStatus? status, Exception? readFailure, bool seenRunning, bool done)
        {
            if (readFailure is not null)
            {
                return "Status not readable: " + readFailure.Message;
            }

            if (status is null)
            {
                return "Reading the status";
            }

            if (status.State == SyncState.Running)
            {
                var phase = status.Phase ?? "Running";
                return status.TotalItems is > 0
                    ? $"{phase}: {status.ProcessedItems} of {status.TotalItems} items ({status.ProgressPercent ?? SyncReasoning.Percent(status.ProcessedItems, status.TotalItems)}%)"
                    : status.ProgressPercent is { } p ? $"{phase} ({p}%)" : phase;
            }

            return done || seenRunning ? $"Finished: {status.LastResult}" : "Waiting for the synchronization to start";
        }
    }
}
