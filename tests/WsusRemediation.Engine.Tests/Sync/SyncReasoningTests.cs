using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Sync;

public class SyncReasoningTests
{
    private static readonly DateTime Now = new(2026, 11, 10, 8, 0, 0, DateTimeKind.Utc);

    private static DateTime Utc(int day, int hour, int minute = 0, int second = 0) => new(2026, 11, day, hour, minute, second, DateTimeKind.Utc);

    private static SyncHistoryEntry Entry(SyncResult result, DateTime start, string? error = null) => new(start, start.AddMinutes(7), result, error);

    private static WsusSyncStatus FromLogs(params string[] fixtures)
    {
        var evidence = new SyncLogFiles(fixtures.Select(f => TempFolder.Fixture("Sync/" + f)));
        return new SyncStatusService(new VirtualClock(new DateTimeOffset(Now)), evidence: evidence).Read(SyncSource.Log, null, CancellationToken.None);
    }

    [Theory]
    [InlineData("NeverRun", SyncResult.NeverRun)]
    [InlineData("Succeeded", SyncResult.Succeeded)]
    [InlineData("Failed", SyncResult.Failed)]
    [InlineData("Canceled", SyncResult.Cancelled)]
    [InlineData("3", SyncResult.Cancelled)]
    [InlineData("Unknown", SyncResult.Unknown)]
    [InlineData("4", SyncResult.Unknown)]
    [InlineData(null, SyncResult.Unknown)]
    public void WSUS_results_map_by_name_and_number(string? wsus, SyncResult expected) => Assert.Equal(expected, SyncReasoning.MapWsusResult(wsus));

    [Theory]
    [InlineData(6701, SyncState.Running, "Starting", SyncResult.Unknown)]
    [InlineData(6702, SyncState.Idle, null, SyncResult.Succeeded)]
    [InlineData(6703, SyncState.Idle, null, SyncResult.Failed)]
    [InlineData(6704, SyncState.Running, "Synchronizing WSUS server", SyncResult.Unknown)]
    [InlineData(6705, SyncState.Running, "Synchronizing site database", SyncResult.Unknown)]
    [InlineData(6706, SyncState.Running, "Synchronizing Internet-facing WSUS server", SyncResult.Unknown)]
    [InlineData(6707, SyncState.Idle, null, SyncResult.Unknown)]
    [InlineData(6708, SyncState.Idle, null, SyncResult.Succeeded)]
    [InlineData(0, SyncState.Idle, null, SyncResult.Unknown)]
    public void MECM_LastSyncState_maps_to_state_phase_and_result(int code, SyncState state, string? phase, SyncResult result)
    {
        var mapped = SyncReasoning.MapConfigMgrSyncState(code);
        Assert.Equal(state, mapped.State);
        Assert.Equal(phase, mapped.Phase);
        Assert.Equal(result, mapped.Result);
    }

    [Fact]
    public void The_streak_counts_cancelled_and_failed_from_the_newest_and_skips_unknown()
    {
        var history = new[]
        {
            Entry(SyncResult.Cancelled, Utc(9, 10)),
            Entry(SyncResult.Unknown, Utc(9, 9, 30)),
            Entry(SyncResult.Failed, Utc(9, 9)),
            Entry(SyncResult.Cancelled, Utc(9, 8)),
            Entry(SyncResult.Succeeded, Utc(9, 3)),
            Entry(SyncResult.Cancelled, Utc(8, 3)),
        };
        Assert.Equal(3, SyncReasoning.CountCancelledOrFailedStreak(history));
        Assert.Equal(0, SyncReasoning.CountCancelledOrFailedStreak(history.Skip(4).Take(1)));
        Assert.Equal(0, SyncReasoning.CountCancelledOrFailedStreak(Array.Empty<SyncHistoryEntry>()));
    }

    [Fact]
    public void Three_cancelled_in_a_row_and_MECM_with_0_updates_is_unhealthy_and_says_both()
    {
        var status = new WsusSyncStatus
        {
            LastResult = SyncResult.Cancelled,
            CancelledOrFailedStreak = 3,
            History = new[] { Entry(SyncResult.Cancelled, Utc(9, 10)), Entry(SyncResult.Cancelled, Utc(9, 9)), Entry(SyncResult.Cancelled, Utc(9, 8)) },
            ConfigMgrUpdateCount = 0,
        };
        var (health, reason) = SyncReasoning.Judge(status, Now);
        Assert.Equal(SyncHealth.Unhealthy, health);
        Assert.Equal("3 synchronizations in a row ended Cancelled and MECM shows 0 software updates.", reason);
    }

    [Theory]
    [InlineData(SyncResult.Succeeded, 0, 5000, SyncHealth.Healthy)]
    [InlineData(SyncResult.Failed, 1, 5000, SyncHealth.Warning)]
    [InlineData(SyncResult.Cancelled, 2, 5000, SyncHealth.Warning)]
    [InlineData(SyncResult.Failed, 3, 5000, SyncHealth.Unhealthy)]
    [InlineData(SyncResult.Failed, 1, 0, SyncHealth.Unhealthy)]
    [InlineData(SyncResult.Succeeded, 0, 0, SyncHealth.Warning)]
    [InlineData(SyncResult.NeverRun, 0, null, SyncHealth.Warning)]
    public void The_verdict_follows_streak_result_and_update_count(SyncResult last, int streak, int? updates, SyncHealth expected)
    {
        var status = new WsusSyncStatus
        {
            LastResult = last,
            CancelledOrFailedStreak = streak,
            ConfigMgrUpdateCount = updates,
            LastSuccessTime = last == SyncResult.NeverRun ? null : Utc(9, 22),
            History = Enumerable.Range(0, streak).Select(i => Entry(last, Utc(9, 10 - i))).ToList(),
        };
        Assert.Equal(expected, SyncReasoning.Judge(status, Now).Health);
    }

    [Fact]
    public void A_success_older_than_a_week_is_a_warning()
    {
        var status = new WsusSyncStatus { LastResult = SyncResult.Succeeded, LastSuccessTime = Now.AddDays(-8), ConfigMgrUpdateCount = 100 };
        var (health, reason) = SyncReasoning.Judge(status, Now);
        Assert.Equal(SyncHealth.Warning, health);
        Assert.Contains("since 2026-11-02", reason);
    }

    [Theory]
    [InlineData(-1, SyncHealth.Healthy)]   // 6 days 23:59:59 ago
    [InlineData(0, SyncHealth.Healthy)]    // exactly 7 days: not yet older than a week
    [InlineData(1, SyncHealth.Warning)]    // 7 days and a second
    public void The_week_rule_turns_to_a_warning_only_after_exactly_seven_days(int secondsPastAWeek, SyncHealth expected)
    {
        var status = new WsusSyncStatus
        {
            LastResult = SyncResult.Succeeded,
            LastSuccessTime = Now - TimeSpan.FromDays(7) - TimeSpan.FromSeconds(secondsPastAWeek),
            ConfigMgrUpdateCount = 100,
        };

        Assert.Equal(expected, SyncReasoning.Judge(status, Now).Health);
    }

    [Fact]
    public void WSUS_snapshot_running_gives_phase_items_and_percent_and_history_newest_first()
    {
        var snapshot = new WsusSyncSnapshot
        {
            ServerName = "CM01",
            Status = "Running",
            Phase = "Updates",
            ProcessedItems = 250,
            TotalItems = 1000,
            LastSynchronization = new WsusSyncInfo { StartTime = Utc(9, 10), EndTime = Utc(9, 10, 6), Result = "Canceled", Error = "UserCanceled" },
            History = new[]
            {
                new WsusSyncInfo { StartTime = Utc(9, 3), EndTime = Utc(9, 3, 4), Result = "Succeeded", Error = "NotApplicable" },
                new WsusSyncInfo { StartTime = Utc(9, 10), EndTime = Utc(9, 10, 6), Result = "Canceled", Error = "UserCanceled" },
                new WsusSyncInfo { StartTime = Utc(9, 9), EndTime = Utc(9, 9, 6), Result = "Canceled", Error = "UserCanceled" },
            },
        };
        var status = SyncReasoning.Merge(null, new[] { SyncReasoning.FromWsus(snapshot) }, Now);
        Assert.Equal(SyncState.Running, status.State);
        Assert.Equal("Updates", status.Phase);
        Assert.Equal(25, status.ProgressPercent);
        Assert.Equal(SyncResult.Cancelled, status.LastResult);
        Assert.Equal("UserCanceled", status.LastError);
        Assert.Equal(2, status.CancelledOrFailedStreak);
        Assert.Equal(Utc(9, 3, 4), status.LastSuccessTime);
        Assert.Equal(3, status.History.Count);
        Assert.Equal("CM01", status.ComputerName);
        Assert.Equal(SyncSource.Wsus, status.Source);
    }

    [Fact]
    public void A_WSUS_that_never_synchronized_says_NeverRun()
    {
        var snapshot = new WsusSyncSnapshot { LastSynchronization = new WsusSyncInfo { StartTime = DateTime.MinValue, EndTime = DateTime.MinValue, Result = "NeverRun" } };
        var status = SyncReasoning.Merge("WSUS1", new[] { SyncReasoning.FromWsus(snapshot) }, Now);
        Assert.Equal(SyncResult.NeverRun, status.LastResult);
        Assert.Null(status.LastStartTime);
        Assert.Empty(status.History);
        Assert.Equal(SyncHealth.Warning, status.Health);
    }

    [Fact]
    public void MECM_6703_is_Failed_with_the_error_code_as_hex()
    {
        var snapshot = new ConfigMgrSyncSnapshot
        {
            SiteCode = "PS1",
            UpdateCount = 0,
            UpdatePoints = new[] { new SupSyncStatus { WsusServerName = "CM01.contoso.com", LastSyncState = 6703, LastSyncStateTime = Utc(9, 10, 7), LastSyncErrorCode = -2146233088, LastSuccessfulSyncTime = Utc(9, 3, 8), SyncCatalogVersion = 58 } },
        };
        var status = SyncReasoning.Merge("CM01", new[] { SyncReasoning.FromConfigMgr(snapshot, "CM01") }, Now);
        Assert.Equal(SyncState.Idle, status.State);
        Assert.Equal(SyncResult.Failed, status.LastResult);
        Assert.Equal("0x80131500", status.LastError);
        Assert.Equal(6703, status.ConfigMgrSyncState);
        Assert.Equal(58, status.SyncCatalogVersion);
        Assert.Equal(Utc(9, 3, 8), status.LastSuccessTime);
        Assert.Equal(1, status.CancelledOrFailedStreak);
        Assert.Equal(SyncHealth.Unhealthy, status.Health); // 0 updates after a failure
    }

    [Theory]
    [InlineData(6704, "Synchronizing WSUS server")]
    [InlineData(6705, "Synchronizing site database")]
    [InlineData(6706, "Synchronizing Internet-facing WSUS server")]
    public void MECM_running_states_give_the_phase(int code, string phase)
    {
        var snapshot = new ConfigMgrSyncSnapshot { UpdateCount = 4000, UpdatePoints = new[] { new SupSyncStatus { WsusServerName = "CM01", LastSyncState = code, LastSyncStateTime = Utc(10, 7, 50) } } };
        var status = SyncReasoning.Merge(null, new[] { SyncReasoning.FromConfigMgr(snapshot, null) }, Now);
        Assert.Equal(SyncState.Running, status.State);
        Assert.Equal(phase, status.Phase);
    }

    [Fact]
    public void MECM_failure_and_WSUS_cancel_of_the_same_sync_merge_into_one_Cancelled_entry()
    {
        var mecm = SyncReasoning.FromConfigMgr(new ConfigMgrSyncSnapshot
        {
            UpdateCount = 0,
            UpdatePoints = new[] { new SupSyncStatus { WsusServerName = "CM01", LastSyncState = 6703, LastSyncStateTime = Utc(9, 10, 6, 52), LastSyncErrorCode = -2146233088, LastSuccessfulSyncTime = Utc(9, 3, 7) } },
        }, "CM01");
        var wsus = SyncReasoning.FromWsus(new WsusSyncSnapshot
        {
            History = new[]
            {
                new WsusSyncInfo { StartTime = Utc(9, 10, 0, 5), EndTime = Utc(9, 10, 6, 45), Result = "Canceled", Error = "UserCanceled" },
                new WsusSyncInfo { StartTime = Utc(9, 9, 0, 5), EndTime = Utc(9, 9, 6, 45), Result = "Canceled", Error = "UserCanceled" },
                new WsusSyncInfo { StartTime = Utc(9, 8, 0, 5), EndTime = Utc(9, 8, 6, 45), Result = "Canceled", Error = "UserCanceled" },
                new WsusSyncInfo { StartTime = Utc(9, 3, 0, 3), EndTime = Utc(9, 3, 3, 50), Result = "Succeeded" },
            },
        });
        var status = SyncReasoning.Merge("CM01", new[] { mecm, wsus }, Now);
        Assert.Equal(SyncSource.ConfigMgr, status.Source);
        Assert.Equal(new[] { SyncSource.ConfigMgr, SyncSource.Wsus }, status.Sources);
        Assert.Equal(4, status.History.Count);
        Assert.Equal(SyncResult.Cancelled, status.LastResult);
        Assert.Equal(3, status.CancelledOrFailedStreak);
        Assert.Equal(SyncHealth.Unhealthy, status.Health);
        Assert.StartsWith("3 synchronizations in a row ended Cancelled and MECM shows 0 software updates", status.HealthReason);
    }

    [Fact]
    public void A_MECM_failure_WSUS_never_saw_is_added_to_the_history()
    {
        // WsusPool down: MECM gets HTTP 503 and WSUS never starts, so only MECM knows of the failure.
        var mecm = SyncReasoning.FromConfigMgr(new ConfigMgrSyncSnapshot
        {
            UpdateCount = 4000,
            UpdatePoints = new[] { new SupSyncStatus { WsusServerName = "CM01", LastSyncState = 6703, LastSyncStateTime = Utc(9, 14), LastSyncErrorCode = -2146233088, LastSuccessfulSyncTime = Utc(9, 3, 7) } },
        }, "CM01");
        var wsus = SyncReasoning.FromWsus(new WsusSyncSnapshot { History = new[] { new WsusSyncInfo { StartTime = Utc(9, 3, 0, 3), EndTime = Utc(9, 3, 3, 50), Result = "Succeeded" } } });
        var status = SyncReasoning.Merge("CM01", new[] { mecm, wsus }, Now);
        Assert.Equal(SyncResult.Failed, status.LastResult);
        Assert.Equal(2, status.History.Count);
        Assert.Equal(1, status.CancelledOrFailedStreak);
        Assert.Equal(SyncHealth.Warning, status.Health);
    }

    [Fact]
    public void The_wsyncmgr_log_alone_shows_three_failures_after_a_success()
    {
        var status = FromLogs("wsyncmgr.cancelled-streak.log");
        Assert.Equal(SyncSource.Log, status.Source);
        Assert.Equal("CM01.CONTOSO.COM", status.ComputerName);
        Assert.Equal(SyncState.Idle, status.State);
        Assert.Equal(4, status.History.Count);
        Assert.Equal(SyncResult.Failed, status.LastResult);
        Assert.Equal("UssCommunicationError", status.LastError);
        Assert.Contains("HTTP status 503", status.ErrorText);
        Assert.Equal(Utc(9, 10, 0, 3).AddMilliseconds(127), status.LastStartTime);
        Assert.Equal(Utc(9, 10, 6, 52).AddMilliseconds(441), status.LastEndTime);
        Assert.Equal(3, status.CancelledOrFailedStreak);
        Assert.Equal(Utc(9, 3, 7, 40).AddMilliseconds(923), status.LastSuccessTime);
        Assert.Equal(SyncHealth.Unhealthy, status.Health);
        Assert.Null(status.ConfigMgrUpdateCount);
    }

    [Fact]
    public void Both_logs_together_show_that_WSUS_cancelled_what_MECM_calls_failed()
    {
        var status = FromLogs("wsyncmgr.cancelled-streak.log", "SoftwareDistribution.log");
        Assert.Equal(4, status.History.Count);
        Assert.Equal(new[] { SyncResult.Cancelled, SyncResult.Cancelled, SyncResult.Cancelled, SyncResult.Succeeded }, status.History.Select(h => h.Result));
        Assert.Equal(Utc(9, 10, 0, 3).AddMilliseconds(127), status.History[0].StartTime); // MECM's wider window
        // The newest run was "Performing sync on regular schedule" in wsyncmgr.log, although WSUS logged 382 (manual).
        Assert.Equal(false, status.History[0].StartedManually);
        Assert.Equal(2, status.LogFiles.Count);
        Assert.Equal("3 synchronizations in a row ended Cancelled: Synchronization was canceled.", status.HealthReason);
    }

    [Fact]
    public void A_long_error_in_the_reason_is_cut_at_a_word_with_one_ellipsis_and_no_period_after_it()
    {
        // A real one-line WSUS error longer than the reason allows (SoftwareDistribution.log, proxy refusing the upstream).
        const string Error = "WebException: The remote server returned an error: (407) Proxy Authentication Required. ---> System.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required. at System.Net.HttpWebRequest.GetResponse()";
        var status = new WsusSyncStatus
        {
            LastResult = SyncResult.Failed,
            CancelledOrFailedStreak = 3,
            ErrorText = Error,
            History = new[] { Entry(SyncResult.Failed, Utc(9, 10)), Entry(SyncResult.Failed, Utc(9, 9)), Entry(SyncResult.Failed, Utc(9, 8)) },
        };

        var (_, reason) = SyncReasoning.Judge(status, Now);

        Assert.Equal("3 synchronizations in a row ended Failed: WebException: The remote server returned an error: (407) Proxy Authentication Required. ---> System.Net.WebException: The remote server returned an error: (407)\u2026", reason);
        Assert.DoesNotContain("...", reason);
    }

    [Fact]
    public void A_run_still_going_in_the_log_is_Running_with_phase_and_items()
    {
        var status = FromLogs("wsyncmgr.running.cmtrace.log", "wsyncmgr.success.cmtrace.log");
        Assert.Equal(SyncState.Running, status.State);
        Assert.Equal("Synchronizing WSUS server (updates)", status.Phase);
        Assert.Equal(4936, status.ProcessedItems);
        Assert.Equal(9873, status.TotalItems);
        Assert.Equal(49, status.ProgressPercent);
        Assert.Equal(Utc(10, 7, 59, 58), status.LastStartTime?.AddTicks(-(status.LastStartTime.Value.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Equal(SyncResult.Succeeded, status.LastResult);
        Assert.Equal(SyncHealth.Healthy, status.Health);
        Assert.StartsWith("A synchronization is running (Synchronizing WSUS server (updates)).", status.HealthReason);
    }

    [Fact]
    public void A_failure_whose_status_message_comes_first_reports_the_reason_line_not_the_STATMSG()
    {
        var evidence = new SyncLogFiles(new[] { TempFolder.Fixture("Logs/realworld/wsyncmgr-statmsg-first.log") });
        var status = new SyncStatusService(new VirtualClock(new DateTimeOffset(Now)), evidence: evidence).Read(SyncSource.Log, null, CancellationToken.None);

        Assert.Equal(SyncResult.Failed, status.LastResult);
        Assert.Equal(2, status.CancelledOrFailedStreak);
        var withReasonLine = status.History[1];
        Assert.Equal(new DateTime(2026, 11, 9, 18, 0, 2, 870, DateTimeKind.Utc), withReasonLine.EndTime);
        Assert.Equal("Sync failed: The request failed with HTTP status 503: Service Unavailable. Source: Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer", withReasonLine.ErrorText);

        // Only the status message: its insertion strings, not the STATMSG line with its ids and empty fields.
        Assert.Equal(
            "WSUS Synchronization failed (status message 6703): The request failed with HTTP status 503: Service Unavailable.; Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer",
            status.ErrorText);
        Assert.DoesNotContain("STATMSG", status.HealthReason);
        Assert.DoesNotContain("ISTR", status.HealthReason);
    }

    [Fact]
    public void Collected_logs_are_judged_as_of_their_newest_entry_so_a_copy_read_weeks_later_keeps_its_verdict()
    {
        // HealthyAfterFix: the repaired server's logs, whose last synchronization succeeded on 2026-11-13 14:37:30Z.
        var evidence = new SyncLogFiles(new[] { TempFolder.Fixture("Evidence/HealthyAfterFix") });
        var monthLater = new VirtualClock(new DateTimeOffset(2026, 12, 20, 9, 0, 0, TimeSpan.Zero));

        var collected = new SyncStatusService(monthLater, evidence: evidence) { JudgeAtNewestEntry = true }.Read(SyncSource.Log, null, CancellationToken.None);
        var inPlace = new SyncStatusService(monthLater, evidence: evidence).Read(SyncSource.Log, null, CancellationToken.None);

        Assert.Equal(SyncResult.Succeeded, collected.LastResult);
        Assert.Equal(SyncHealth.Healthy, collected.Health);
        Assert.StartsWith("The last synchronization succeeded at 2026-11-13 14:37:30Z", collected.HealthReason);

        // The server's own logs read in place: a month without a success is worth the warning.
        Assert.Equal(SyncHealth.Warning, inPlace.Health);
        Assert.StartsWith("No synchronization has succeeded since 2026-11-13 14:37:30Z", inPlace.HealthReason);
    }

    [Fact]
    public void This_computers_own_logs_that_name_no_server_are_named_after_this_computer()
    {
        // ProxyCase's SoftwareDistribution.log names no server. Read in place (-Source Log) it is this computer's, and
        // the status must say so: Invoke-WsusSync and Repair-WsusSync refuse an empty name piped in.
        var evidence = new SyncLogFiles(new[] { TempFolder.Fixture("Evidence/ProxyCase") });
        var clock = new VirtualClock(new DateTimeOffset(Now));

        Assert.Equal("CM02-LOCAL", new SyncStatusService(clock, evidence: evidence) { ServerName = "CM02-LOCAL" }.Read(SyncSource.Log, null, CancellationToken.None).ComputerName);
        Assert.Equal(string.Empty, new SyncStatusService(clock, evidence: evidence).Read(SyncSource.Log, null, CancellationToken.None).ComputerName);
    }
}
