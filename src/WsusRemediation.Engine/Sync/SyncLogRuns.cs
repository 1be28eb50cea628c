using System;
using System.Collections.Generic;
using System.Linq;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>Groups one log's synchronization events into runs (start, phases, end).</summary>
    internal sealed class SyncLogRuns
    {
        /// <summary>A second terminal line this close after a run ended belongs to it ("Sync failed. Will retry in 60 minutes").</summary>
        private static readonly TimeSpan TrailingLineWindow = TimeSpan.FromMinutes(2);

        public DateTime? StartTime { get; private set; }

        public DateTime? EndTime { get; private set; }

        public DateTime LastEventTime { get; private set; }

        public SyncResult Result { get; private set; } = SyncResult.Unknown;

        public bool IsFinished { get; private set; }

        public string? Phase { get; private set; }

        public long? ProcessedItems { get; private set; }

        public long? TotalItems { get; private set; }

        public int? Percent { get; private set; }

        public string? Error { get; private set; }

        public string? ErrorText { get; private set; }

        public bool? StartedManually { get; private set; }

        private bool _sawWork;

        public SyncHistoryEntry ToEntry() => new SyncHistoryEntry(StartTime, EndTime, Result, Error, ErrorText, StartedManually);

        /// <summary>Builds the runs of one log, oldest first. A run without a start (log rolled over) has no StartTime.</summary>
        public static List<SyncLogRuns> Build(IEnumerable<SyncLogEvent> events)
        {
            var runs = new List<SyncLogRuns>();
            SyncLogRuns? open = null;
            foreach (var e in events.OrderBy(e => e.Time))
            {
                switch (e.Kind)
                {
                    case SyncLogEventKind.Started:
                        // wsyncmgr writes several start lines per run; a start after work was seen is a new run
                        // (the previous one was abandoned, e.g. the service restarted).
                        if (open is not null && open._sawWork)
                        {
                            open.Close(e.Time, SyncResult.Unknown, null, null, abandoned: true);
                            open = null;
                        }

                        if (open is null)
                        {
                            open = new SyncLogRuns { StartTime = e.Time };
                            runs.Add(open);
                        }

                        open.StartedManually ??= e.StartedManually;
                        open.LastEventTime = e.Time;
                        break;

                    case SyncLogEventKind.Phase:
                    case SyncLogEventKind.Progress:
                        if (open is null)
                        {
                            open = new SyncLogRuns();
                            runs.Add(open);
                        }

                        open._sawWork = true;
                        open.Phase = e.Phase ?? open.Phase;
                        if (e.Kind == SyncLogEventKind.Progress)
                        {
                            open.ProcessedItems = e.ProcessedItems;
                            open.TotalItems = e.TotalItems;
                            open.Percent = e.Percent ?? SyncReasoning.Percent(e.ProcessedItems, e.TotalItems);
                        }
                        else
                        {
                            open.ProcessedItems = null;
                            open.TotalItems = null;
                            open.Percent = null;
                        }

                        open.LastEventTime = e.Time;
                        break;

                    case SyncLogEventKind.Succeeded:
                    case SyncLogEventKind.Failed:
                    case SyncLogEventKind.Cancelled:
                        var result = e.Kind == SyncLogEventKind.Succeeded ? SyncResult.Succeeded : e.Kind == SyncLogEventKind.Failed ? SyncResult.Failed : SyncResult.Cancelled;
                        if (open is null)
                        {
                            var previous = runs.LastOrDefault();
                            if (previous is not null && previous.IsFinished && previous.EndTime is { } end && e.Time - end <= TrailingLineWindow)
                            {
                                if (result != SyncResult.Succeeded && previous.Result != SyncResult.Succeeded && TellsMore(e.Message, previous.ErrorText))
                                {
                                    // wsyncmgr may write status message 6703 before its "Sync failed: <reason>" line:
                                    // the reason line says more than the status message's insertion strings.
                                    previous.ErrorText = e.Message;
                                    previous.Error = e.Error ?? previous.Error;
                                }
                                else
                                {
                                    previous.ErrorText ??= result == SyncResult.Succeeded ? null : e.Message;
                                    previous.Error ??= e.Error;
                                }

                                continue;
                            }

                            open = new SyncLogRuns();
                            runs.Add(open);
                        }

                        open.Close(e.Time, result, e.Error, result == SyncResult.Succeeded ? null : e.Message, abandoned: false);
                        open = null;
                        break;

                    case SyncLogEventKind.Finished:
                        if (open is not null)
                        {
                            open.Close(e.Time, SyncResult.Unknown, null, null, abandoned: false);
                            open = null;
                        }

                        break;
                }
            }

            return runs;
        }

        /// <summary>True when a trailing failure line is the reason itself and the run so far has only a status message's text.</summary>
        private static bool TellsMore(string message, string? current) =>
            current is not null
            && current.StartsWith(SyncLogParser.StatusMessageFailurePrefix.TrimEnd(' ', ':'), StringComparison.Ordinal)
            && message.StartsWith("Sync failed:", StringComparison.OrdinalIgnoreCase);

        private void Close(DateTime time, SyncResult result, string? error, string? errorText, bool abandoned)
        {
            IsFinished = true;
            EndTime = abandoned ? LastEventTime : time;
            LastEventTime = abandoned ? LastEventTime : time;
            Result = result;
            Error = error;
            ErrorText = errorText;
        }
    }
}
