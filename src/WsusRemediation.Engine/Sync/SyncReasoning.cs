using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// Pure functions that turn what each source says into one status: result and state mappings,
    /// history merging, the Cancelled/Failed streak and the health verdict.
    /// </summary>
    public static class SyncReasoning
    {
        /// <summary>This many Cancelled/Failed syncs in a row is the guide's symptom, not bad luck.</summary>
        public const int UnhealthyStreak = 3;

        /// <summary>How many history entries a status keeps.</summary>
        public const int DefaultHistoryCount = 20;

        /// <summary>A success older than this is worth a warning (WSUS on MECM syncs at least weekly).</summary>
        public static readonly TimeSpan StaleSuccessAge = TimeSpan.FromDays(7);

        /// <summary>Two sources' entries that end this close together describe the same synchronization.</summary>
        public static readonly TimeSpan SameSyncTolerance = TimeSpan.FromMinutes(5);

        /// <summary>Maps a WSUS SynchronizationResult (name or number) onto the model.</summary>
        public static SyncResult MapWsusResult(string? result)
        {
            switch ((result ?? string.Empty).Trim().ToUpperInvariant())
            {
                case "NEVERRUN":
                case "0":
                    return SyncResult.NeverRun;
                case "SUCCEEDED":
                case "1":
                    return SyncResult.Succeeded;
                case "FAILED":
                case "2":
                    return SyncResult.Failed;
                case "CANCELED":
                case "CANCELLED":
                case "3":
                    return SyncResult.Cancelled;
                default:
                    return SyncResult.Unknown;
            }
        }

        /// <summary>
        /// What an SMS_SUPSyncStatus.LastSyncState means: 6701 started, 6702 done, 6703 failed,
        /// 6704–6706 running phases, 6707 content out of sync, 6708 done with license terms pending.
        /// </summary>
        public static (SyncState State, string? Phase, SyncResult Result, string? Note) MapConfigMgrSyncState(int lastSyncState)
        {
            switch (lastSyncState)
            {
                case 6701: return (SyncState.Running, "Starting", SyncResult.Unknown, null);
                case 6702: return (SyncState.Idle, null, SyncResult.Succeeded, null);
                case 6703: return (SyncState.Idle, null, SyncResult.Failed, null);
                case 6704: return (SyncState.Running, "Synchronizing WSUS server", SyncResult.Unknown, null);
                case 6705: return (SyncState.Running, "Synchronizing site database", SyncResult.Unknown, null);
                case 6706: return (SyncState.Running, "Synchronizing Internet-facing WSUS server", SyncResult.Unknown, null);
                case 6707: return (SyncState.Idle, null, SyncResult.Unknown, "Content of the WSUS server is out of sync with the upstream server (6707).");
                case 6708: return (SyncState.Idle, null, SyncResult.Succeeded, "Synchronization complete, with pending license terms downloads (6708).");
                default: return (SyncState.Idle, null, SyncResult.Unknown, null);
            }
        }

        /// <summary>MECM's LastSyncErrorCode as the usual 0x… HRESULT text; empty for 0.</summary>
        public static string? FormatErrorCode(long code) =>
            code == 0 ? null : "0x" + unchecked((uint)code).ToString("X8", CultureInfo.InvariantCulture);

        /// <summary>How many of the newest finished syncs in a row ended Cancelled or Failed. Unknown results neither count nor break the streak.</summary>
        public static int CountCancelledOrFailedStreak(IEnumerable<SyncHistoryEntry> newestFirst)
        {
            var streak = 0;
            foreach (var entry in newestFirst)
            {
                if (entry.Result == SyncResult.Cancelled || entry.Result == SyncResult.Failed)
                {
                    streak++;
                }
                else if (entry.Result != SyncResult.Unknown)
                {
                    break;
                }
            }

            return streak;
        }

        internal static SyncObservation FromWsus(WsusSyncSnapshot snapshot, int historyCount = DefaultHistoryCount)
        {
            var running = IsWsusRunning(snapshot.Status);
            var history = snapshot.History
                .Select(ToEntry)
                .Where(e => e.Result != SyncResult.NeverRun)
                .OrderByDescending(e => e.StartTime ?? e.EndTime ?? DateTime.MinValue)
                .Take(historyCount)
                .ToList();
            var last = snapshot.LastSynchronization is null ? null : ToEntry(snapshot.LastSynchronization);
            if (last is not null && last.Result != SyncResult.NeverRun && !history.Any(e => e.StartTime == last.StartTime))
            {
                history.Insert(0, last);
            }

            var phase = string.Equals(snapshot.Status, "Stopping", StringComparison.OrdinalIgnoreCase) ? "Stopping"
                : string.IsNullOrEmpty(snapshot.Phase) || string.Equals(snapshot.Phase, "NotProcessing", StringComparison.OrdinalIgnoreCase) ? null
                : snapshot.Phase;
            return new SyncObservation
            {
                Source = SyncSource.Wsus,
                ComputerName = string.IsNullOrEmpty(snapshot.ServerName) ? null : snapshot.ServerName,
                State = running ? SyncState.Running : SyncState.Idle,
                Phase = running ? phase ?? "Running" : null,
                ProcessedItems = running && snapshot.TotalItems > 0 ? snapshot.ProcessedItems : null,
                TotalItems = running && snapshot.TotalItems > 0 ? snapshot.TotalItems : null,
                ProgressPercent = running ? Percent(snapshot.ProcessedItems, snapshot.TotalItems) : null,
                LastResult = history.Count > 0 ? history[0].Result : last?.Result ?? SyncResult.NeverRun,
                LastStartTime = history.Count > 0 ? history[0].StartTime : null,
                LastSuccessTime = LatestSuccess(history),
                History = history,
            };
        }

        private static bool IsWsusRunning(string? status) =>
            string.Equals(status, "Running", StringComparison.OrdinalIgnoreCase) || status == "1"
            || string.Equals(status, "Stopping", StringComparison.OrdinalIgnoreCase) || status == "2";

        private static SyncHistoryEntry ToEntry(WsusSyncInfo info)
        {
            var result = MapWsusResult(info.Result);
            // The API reports DateTime.MinValue for a sync that never ran.
            DateTime? start = info.StartTime is { } s && s > DateTime.MinValue.AddDays(1) ? s : null;
            DateTime? end = info.EndTime is { } e && e > DateTime.MinValue.AddDays(1) ? e : null;
            var error = string.IsNullOrEmpty(info.Error) || string.Equals(info.Error, "NotApplicable", StringComparison.OrdinalIgnoreCase) ? null : info.Error;
            return new SyncHistoryEntry(start, end, result, error, string.IsNullOrEmpty(info.ErrorText) ? null : info.ErrorText, info.StartedManually);
        }

        internal static SyncObservation FromConfigMgr(ConfigMgrSyncSnapshot snapshot, string? computerName)
        {
            var point = PickUpdatePoint(snapshot.UpdatePoints, computerName);
            if (point is null)
            {
                return new SyncObservation
                {
                    Source = SyncSource.ConfigMgr,
                    LastResult = SyncResult.NeverRun,
                    UpdateCount = snapshot.UpdateCount,
                    SiteCode = snapshot.SiteCode,
                };
            }

            var (state, phase, result, note) = MapConfigMgrSyncState(point.LastSyncState);
            var history = new List<SyncHistoryEntry>();
            if (state == SyncState.Idle && result != SyncResult.Unknown)
            {
                var failed = result == SyncResult.Failed;
                history.Add(new SyncHistoryEntry(null, point.LastSyncStateTime, result, failed ? FormatErrorCode(point.LastSyncErrorCode) : null, note));
            }
            else if (state == SyncState.Idle && note is not null)
            {
                history.Add(new SyncHistoryEntry(null, point.LastSyncStateTime, SyncResult.Unknown, FormatErrorCode(point.LastSyncErrorCode), note));
            }

            // The last success is a second, older data point: without it one failure would look like the whole story.
            if (point.LastSuccessfulSyncTime is { } success && (history.Count == 0 || history[0].EndTime is null || success < history[0].EndTime - SameSyncTolerance))
            {
                history.Add(new SyncHistoryEntry(null, success, SyncResult.Succeeded));
            }

            return new SyncObservation
            {
                Source = SyncSource.ConfigMgr,
                ComputerName = point.WsusServerName,
                State = state,
                Phase = phase,
                LastResult = history.Count > 0 ? history[0].Result : SyncResult.Unknown,
                LastStartTime = point.LastSyncState == 6701 ? point.LastSyncStateTime : null,
                LastSuccessTime = point.LastSuccessfulSyncTime,
                History = history,
                UpdateCount = snapshot.UpdateCount,
                ConfigMgrSyncState = point.LastSyncState,
                SiteCode = snapshot.SiteCode,
                SyncCatalogVersion = point.SyncCatalogVersion,
            };
        }

        /// <summary>The SMS_SUPSyncStatus row for the computer asked about, else the most recently changed one.</summary>
        internal static SupSyncStatus? PickUpdatePoint(IReadOnlyList<SupSyncStatus> points, string? computerName)
        {
            if (points.Count == 0)
            {
                return null;
            }

            if (!string.IsNullOrEmpty(computerName))
            {
                var shortName = computerName!.Split('.')[0];
                var match = points.FirstOrDefault(p => string.Equals(p.WsusServerName, computerName, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(p.WsusServerName.Split('.')[0], shortName, StringComparison.OrdinalIgnoreCase));
                if (match is not null)
                {
                    return match;
                }
            }

            return points.OrderByDescending(p => p.LastSyncStateTime ?? DateTime.MinValue).First();
        }

        internal static SyncObservation FromEvidence(IReadOnlyList<SyncLogEvent> events)
        {
            var mecm = SyncLogRuns.Build(events.Where(e => e.Log == SyncLogKind.Wsyncmgr));
            var wsus = SyncLogRuns.Build(events.Where(e => e.Log == SyncLogKind.SoftwareDistribution));
            var finished = MergeHistories(
                wsus.Where(r => r.IsFinished).Select(r => r.ToEntry()).ToList(),
                mecm.Where(r => r.IsFinished).Select(r => r.ToEntry()).ToList(),
                refineFailedToCancelled: true);

            var open = mecm.Concat(wsus).Where(r => !r.IsFinished).OrderByDescending(r => r.LastEventTime).FirstOrDefault();
            var newestEnd = finished.Count > 0 ? finished[0].EndTime ?? finished[0].StartTime : null;
            var running = open is not null && (newestEnd is null || open.LastEventTime > newestEnd);

            // Every finished run is kept: Merge counts the streak and finds the last success on all of
            // them before it cuts the history to historyCount (a long streak hides the last success).
            var history = finished;
            return new SyncObservation
            {
                Source = SyncSource.Log,
                ComputerName = events.Select(e => e.ComputerName).FirstOrDefault(n => !string.IsNullOrEmpty(n)),
                State = running ? SyncState.Running : SyncState.Idle,
                Phase = running ? open!.Phase ?? "Starting" : null,
                ProcessedItems = running ? open!.ProcessedItems : null,
                TotalItems = running ? open!.TotalItems : null,
                ProgressPercent = running ? open!.Percent : null,
                LastResult = history.Count > 0 ? history[0].Result : SyncResult.Unknown,
                LastStartTime = running ? open!.StartTime : history.Count > 0 ? history[0].StartTime : null,
                LastSuccessTime = LatestSuccess(history),
                History = history,
            };
        }

        /// <summary>
        /// Merges two sources' finished syncs, newest first. Entries of <paramref name="detailed"/> win;
        /// an entry of <paramref name="other"/> is added only when none of the detailed ones describes
        /// the same sync. With <paramref name="refineFailedToCancelled"/>, a Failed entry of the other
        /// source that matches a detailed Cancelled one is the same sync: MECM reports WSUS's cancel as a failure.
        /// </summary>
        internal static List<SyncHistoryEntry> MergeHistories(IReadOnlyList<SyncHistoryEntry> detailed, IReadOnlyList<SyncHistoryEntry> other, bool refineFailedToCancelled = false)
        {
            var merged = new List<SyncHistoryEntry>(detailed);
            foreach (var entry in other)
            {
                var same = detailed.FirstOrDefault(d => SameSync(d, entry));
                if (same is null)
                {
                    merged.Add(entry);
                    continue;
                }

                // WSUS records every start MECM asks for as manual (event 382); only MECM's side knows
                // whether the schedule or a person asked, so its answer wins when it has one.
                var startedManually = entry.StartedManually ?? same.StartedManually;
                if (refineFailedToCancelled && entry.StartTime is not null && same.StartTime is not null && entry.StartTime < same.StartTime)
                {
                    // The MECM run began before WSUS's sync; keep its wider window and WSUS's result.
                    merged.Remove(same);
                    merged.Add(new SyncHistoryEntry(entry.StartTime, Latest(entry.EndTime, same.EndTime), same.Result, same.Error ?? entry.Error, same.ErrorText ?? entry.ErrorText, startedManually));
                }
                else if (startedManually != same.StartedManually)
                {
                    merged.Remove(same);
                    merged.Add(new SyncHistoryEntry(same.StartTime, same.EndTime, same.Result, same.Error, same.ErrorText, startedManually));
                }
            }

            return merged.OrderByDescending(e => e.EndTime ?? e.StartTime ?? DateTime.MinValue).ToList();
        }

        private static bool SameSync(SyncHistoryEntry a, SyncHistoryEntry b)
        {
            if (a.EndTime is { } ae && b.EndTime is { } be && Math.Abs((ae - be).TotalMinutes) <= SameSyncTolerance.TotalMinutes)
            {
                return true;
            }

            // One inside the other's window: WSUS's sync runs inside MECM's run.
            return Within(a, b) || Within(b, a);
        }

        private static bool Within(SyncHistoryEntry inner, SyncHistoryEntry outer) =>
            outer.StartTime is { } os && outer.EndTime is { } oe
            && (inner.StartTime ?? inner.EndTime) is { } s && (inner.EndTime ?? inner.StartTime) is { } e
            && s >= os - SameSyncTolerance && e <= oe + SameSyncTolerance;

        private static DateTime? Latest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

        private static DateTime? LatestSuccess(IEnumerable<SyncHistoryEntry> history) =>
            history.Where(e => e.Result == SyncResult.Succeeded).Select(e => e.EndTime ?? e.StartTime).Where(t => t.HasValue).DefaultIfEmpty(null).Max();

        internal static int? Percent(long? processed, long? total) =>
            processed is { } p && total is { } t && t > 0 ? (int)Math.Max(0, Math.Min(100, p * 100 / t)) : null;

        /// <summary>
        /// Merges the sources into one status and judges it, as of <paramref name="judgedAt"/> when given (collected logs),
        /// else <paramref name="now"/>; <paramref name="fallbackName"/> names the server when neither the caller nor a source does.
        /// </summary>
        internal static WsusSyncStatus Merge(string? computerName, IReadOnlyList<SyncObservation> observations, DateTime now, IReadOnlyList<string>? logPaths = null, int historyCount = DefaultHistoryCount, DateTime? judgedAt = null, string? fallbackName = null)
        {
            if (observations.Count == 0)
            {
                throw new ArgumentException("At least one observation is needed.", nameof(observations));
            }

            var configMgr = observations.FirstOrDefault(o => o.Source == SyncSource.ConfigMgr);
            var wsus = observations.FirstOrDefault(o => o.Source == SyncSource.Wsus);
            var log = observations.FirstOrDefault(o => o.Source == SyncSource.Log);
            var primary = configMgr ?? wsus ?? log!;

            // History detail: WSUS knows Cancelled from Failed and has the error text; logs next; MECM last.
            var byDetail = new[] { wsus, log, configMgr }.Where(o => o is not null).Select(o => o!).ToList();
            var history = new List<SyncHistoryEntry>(byDetail[0].History);
            foreach (var next in byDetail.Skip(1))
            {
                history = MergeHistories(history, next.History, refineFailedToCancelled: true);
            }

            // The streak, the last success and the verdict are judged on everything known; only the shown history is cut.
            var known = history.OrderByDescending(e => e.EndTime ?? e.StartTime ?? DateTime.MinValue).ToList();
            history = known.Take(historyCount).ToList();

            var runningSources = observations.Where(o => o.State == SyncState.Running).ToList();
            var running = runningSources.Count > 0;
            var withItems = runningSources.FirstOrDefault(o => o.TotalItems is > 0);
            var phaseSource = runningSources.FirstOrDefault(o => o.Source == SyncSource.ConfigMgr) ?? runningSources.FirstOrDefault();
            var phase = phaseSource?.Phase;
            if (withItems is not null && phaseSource is not null && withItems != phaseSource && !string.IsNullOrEmpty(withItems.Phase))
            {
                phase = $"{phase}: {withItems.Phase}";
            }

            var last = history.FirstOrDefault();
            var lastResult = last?.Result
                ?? (observations.Any(o => o.LastResult == SyncResult.NeverRun) ? SyncResult.NeverRun : SyncResult.Unknown);
            var lastSuccess = observations.Select(o => o.LastSuccessTime).Concat(new[] { LatestSuccess(known) }).Where(t => t.HasValue).DefaultIfEmpty(null).Max();
            var streak = CountCancelledOrFailedStreak(known);
            var sources = observations.Select(o => o.Source).Distinct().ToList();

            var computer = !string.IsNullOrEmpty(computerName) ? computerName! : observations.Select(o => o.ComputerName).FirstOrDefault(n => !string.IsNullOrEmpty(n)) ?? fallbackName ?? string.Empty;
            var lastStart = running ? runningSources.Select(o => o.LastStartTime).Where(t => t.HasValue).DefaultIfEmpty(null).Max() ?? last?.StartTime : last?.StartTime;

            // The verdict is judged on the finished status, so the status is built once to judge and once to return.
            WsusSyncStatus Build(IReadOnlyList<SyncHistoryEntry> shown, SyncHealth health, string reason) => new WsusSyncStatus
            {
                ComputerName = computer,
                Source = primary.Source,
                Sources = sources,
                State = running ? SyncState.Running : SyncState.Idle,
                Phase = running ? phase : null,
                ProcessedItems = withItems?.ProcessedItems,
                TotalItems = withItems?.TotalItems,
                ProgressPercent = withItems?.ProgressPercent ?? runningSources.Select(o => o.ProgressPercent).FirstOrDefault(p => p.HasValue),
                LastResult = lastResult,
                LastStartTime = lastStart,
                LastEndTime = last?.EndTime,
                LastError = last?.Error,
                ErrorText = last?.ErrorText,
                LastSuccessTime = lastSuccess,
                History = shown,
                CancelledOrFailedStreak = streak,
                ConfigMgrUpdateCount = configMgr?.UpdateCount,
                ConfigMgrSyncState = configMgr?.ConfigMgrSyncState,
                SiteCode = configMgr?.SiteCode,
                SyncCatalogVersion = configMgr?.SyncCatalogVersion,
                LogFiles = logPaths ?? Array.Empty<string>(),
                CollectedAt = now,
                Health = health,
                HealthReason = reason,
            };

            var (verdict, why) = Judge(Build(known, SyncHealth.Healthy, string.Empty), judgedAt ?? now);
            return Build(history, verdict, why);
        }

        /// <summary>
        /// The verdict. Unhealthy: <see cref="UnhealthyStreak"/> or more Cancelled/Failed syncs in a row,
        /// or MECM with 0 updates after a sync that did not succeed. Warning: a shorter streak, 0 updates
        /// after a success, no finished sync known, MECM state 6707/6708, or no success for
        /// <see cref="StaleSuccessAge"/>. Healthy otherwise.
        /// </summary>
        public static (SyncHealth Health, string Reason) Judge(WsusSyncStatus status, DateTime now)
        {
            if (status is null)
            {
                throw new ArgumentNullException(nameof(status));
            }

            var noUpdates = status.ConfigMgrUpdateCount == 0;
            var runningNote = status.State == SyncState.Running ? $"A synchronization is running ({status.Phase ?? "starting"}). " : string.Empty;
            if (status.CancelledOrFailedStreak >= UnhealthyStreak)
            {
                var results = status.History.Take(status.CancelledOrFailedStreak + status.History.Count(e => e.Result == SyncResult.Unknown))
                    .Where(e => e.Result == SyncResult.Cancelled || e.Result == SyncResult.Failed).Select(e => e.Result).Distinct().ToList();
                var what = results.Count == 1 ? results[0].ToString() : "Cancelled or Failed";
                return (SyncHealth.Unhealthy, $"{runningNote}{status.CancelledOrFailedStreak} synchronizations in a row ended {what}{(noUpdates ? " and MECM shows 0 software updates" : string.Empty)}{LastErrorEnding(status)}");
            }

            if (noUpdates && status.LastResult != SyncResult.Succeeded)
            {
                return status.State == SyncState.Running && status.LastResult is SyncResult.NeverRun or SyncResult.Unknown
                    ? (SyncHealth.Warning, $"{runningNote}MECM shows 0 software updates; the first synchronization has not finished yet.")
                    : (SyncHealth.Unhealthy, $"{runningNote}MECM shows 0 software updates and the last synchronization ended {status.LastResult}{LastErrorEnding(status)}");
            }

            if (noUpdates)
            {
                return (SyncHealth.Warning, $"{runningNote}MECM shows 0 software updates although the last synchronization succeeded: check the products and classifications selected for the site.");
            }

            if (status.CancelledOrFailedStreak > 0)
            {
                return (SyncHealth.Warning, $"{runningNote}The last {(status.CancelledOrFailedStreak == 1 ? "synchronization" : status.CancelledOrFailedStreak + " synchronizations")} ended {status.LastResult}{LastErrorEnding(status)}");
            }

            if (status.ConfigMgrSyncState is 6707 or 6708)
            {
                return (SyncHealth.Warning, runningNote + MapConfigMgrSyncState(status.ConfigMgrSyncState.Value).Note);
            }

            if (status.LastResult == SyncResult.NeverRun || (status.LastResult == SyncResult.Unknown && status.LastSuccessTime is null))
            {
                return (SyncHealth.Warning, $"{runningNote}No finished synchronization is known{(status.LastResult == SyncResult.NeverRun ? ": it has never run" : string.Empty)}.");
            }

            if (status.LastSuccessTime is { } success && now - success > StaleSuccessAge)
            {
                return (SyncHealth.Warning, $"{runningNote}No synchronization has succeeded since {success.ToString("u", CultureInfo.InvariantCulture)}.");
            }

            var count = status.ConfigMgrUpdateCount is { } n ? $"; MECM has {n} software updates" : string.Empty;
            var when = status.LastSuccessTime is { } t ? $" at {t.ToString("u", CultureInfo.InvariantCulture)}" : string.Empty;
            return (SyncHealth.Healthy, $"{runningNote}The last synchronization succeeded{when}{count}.");
        }

        /// <summary>
        /// The end of a reason: ": " and the last error's first line, then a period; a line longer than 160
        /// characters is cut at the last space before that and ends with one ellipsis instead.
        /// </summary>
        private static string LastErrorEnding(WsusSyncStatus status)
        {
            var text = status.ErrorText ?? status.LastError;
            if (string.IsNullOrEmpty(text))
            {
                return ".";
            }

            // The reason is the error's first line: wsyncmgr's "~~" stack frames and WSUS's stack traces
            // follow it and would crowd it out of the table's column. "Sync failed:" repeats the verdict.
            text = text!.Trim();
            var lineEnd = text.IndexOfAny(new[] { '\r', '\n' });
            if (lineEnd > 0)
            {
                text = text.Substring(0, lineEnd);
            }

            const string failedPrefix = "Sync failed:";
            if (text.StartsWith(failedPrefix, StringComparison.OrdinalIgnoreCase) && text.Length > failedPrefix.Length + 1)
            {
                text = text.Substring(failedPrefix.Length);
            }

            text = text.Trim().TrimEnd('.', ' ');
            if (text.Length <= MaximumErrorInReason)
            {
                return ": " + text + ".";
            }

            var space = text.LastIndexOf(' ', MaximumErrorInReason);
            var cut = space > MaximumErrorInReason / 2 ? space : MaximumErrorInReason;
            return ": " + text.Substring(0, cut).TrimEnd(' ', '.', ',', ';', ':') + "\u2026";
        }

        private const int MaximumErrorInReason = 160;
    }
}
