using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests.InProcess
{
    /// <summary>
    /// Get-WsusSyncStatus, Invoke-WsusSync and Get-WsusSyncLog in a real runspace, on the collected-log
    /// fixtures: binding between them, -WhatIf, and which errors are per item and which stop the command.
    /// </summary>
    public class SyncInProcessTests
    {
        private const string StatusId = "WsusRemediation.Commands.GetWsusSyncStatusCommand";
        private const string InvokeId = "WsusRemediation.Commands.InvokeWsusSyncCommand";
        private const string LogId = "WsusRemediation.Commands.GetWsusSyncLogCommand";
        private static readonly string Fixtures = Path.Combine(InProcessPowerShell.RepoRoot, "tests", "WsusRemediation.Engine.Tests", "Fixtures");
        private static readonly string StreakLog = Path.Combine(Fixtures, "Sync", "wsyncmgr.cancelled-streak.log");
        private static readonly string WsusLog = Path.Combine(Fixtures, "Sync", "SoftwareDistribution.log");

        [Fact]
        public void Both_logs_together_give_the_cancelled_streak_and_the_unhealthy_verdict()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncStatus -LogPath $a, $b", ("a", StreakLog), ("b", WsusLog)).AssertNoErrors();

            var status = Assert.Single(run.Output);
            Assert.Equal("WsusRemediation.Engine.Sync.WsusSyncStatus", status.BaseObject.GetType().FullName);
            Assert.Equal("Cancelled", status.Properties["LastResult"].Value.ToString());
            Assert.Equal(3, status.Properties["CancelledOrFailedStreak"].Value);
            Assert.Equal("Unhealthy", status.Properties["Health"].Value.ToString());
            Assert.Equal(2, ((System.Collections.ICollection)status.Properties["LogFiles"].Value).Count);
        }

        [Fact]
        public void A_status_piped_into_Invoke_WsusSync_WhatIf_brings_its_server_and_source_and_starts_nothing()
        {
            var run = InProcessPowerShell.Run(
                "[WsusRemediation.Engine.Sync.WsusSyncStatus]@{ ComputerName = 'CM02.contoso.com'; Source = 'Wsus' } | Invoke-WsusSync -WhatIf").AssertNoErrors();

            Assert.Empty(run.Output);
            Assert.Equal(new[] { "What if: Performing the operation \"Start a synchronization through the WSUS API\" on target \"CM02.contoso.com\"." }, run.WhatIfLines);
        }

        [Fact]
        public void A_status_read_from_logs_goes_back_to_its_server_through_either_MECM_or_WSUS()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncStatus -LogPath $a | Invoke-WsusSync -FullSync -WhatIf", ("a", StreakLog)).AssertNoErrors();

            Assert.Equal(new[] { "What if: Performing the operation \"Start a full synchronization through MECM if its SMS Provider answers, else the WSUS API\" on target \"CM01.CONTOSO.COM\"." }, run.WhatIfLines);
        }

        [Fact]
        public void A_missing_log_is_a_per_item_error_and_the_other_is_still_read()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncStatus -LogPath $missing, $a", ("missing", Path.Combine(Fixtures, "Sync", "nope.log")), ("a", StreakLog));

            Assert.Null(run.TerminatingError);
            var error = Assert.Single(run.Errors);
            Assert.Equal("LogFileNotFound," + StatusId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("Failed", Assert.Single(run.Output).Properties["LastResult"].Value.ToString());
        }

        [Fact]
        public void ErrorAction_Stop_makes_the_missing_log_stop_the_command_with_the_same_id()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncStatus -LogPath $missing -ErrorAction Stop", ("missing", Path.Combine(Fixtures, "Sync", "nope.log")));

            Assert.Equal("LogFileNotFound," + StatusId, run.TerminatingError?.FullyQualifiedErrorId);
            Assert.Empty(run.Output);
        }

        [Fact]
        public void Source_Log_for_another_computer_without_LogPath_stops_whatever_the_error_action()
        {
            var run = InProcessPowerShell.RunStatement("Get-WsusSyncStatus -Source Log -ComputerName CM99 -ErrorAction SilentlyContinue");

            Assert.Equal("LogPathRequired," + StatusId, run.TerminatingError?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, run.TerminatingError!.CategoryInfo.Category);
            Assert.Empty(run.Output);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("'8.00:00:00'")]
        public void A_timeout_out_of_range_stops_Invoke_WsusSync_before_it_contacts_anything(string timeout)
        {
            var run = InProcessPowerShell.RunStatement($"Invoke-WsusSync -Wait -Timeout {timeout} -WhatIf");

            Assert.Equal("TimeoutOutOfRange," + InvokeId, run.TerminatingError?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, run.TerminatingError!.CategoryInfo.Category);
            Assert.Empty(run.WhatIfLines);
        }

        [Fact]
        public void Get_WsusSyncLog_filters_typed_entries_by_kind()
        {
            var run = InProcessPowerShell.Run("Get-WsusSyncLog -Path $log -Kind QueueFull, AppOffline", ("log", Path.Combine(Fixtures, "Logs", "httperr1.log"))).AssertNoErrors();

            var kinds = run.Output.Select(e => e.Properties["Kind"].Value.ToString()).ToList();
            Assert.All(run.Output, e => Assert.Equal("WsusRemediation.Engine.Logs.LogEntry", e.BaseObject.GetType().FullName));
            Assert.All(kinds, k => Assert.Contains(k, new[] { "QueueFull", "AppOffline" }));
            Assert.Contains("QueueFull", kinds);
            Assert.Contains("AppOffline", kinds);
        }

        [Fact]
        public void Get_WsusSyncLog_SilentlyContinue_keeps_the_error_off_the_stream_but_records_it()
        {
            var run = InProcessPowerShell.Run(
                "Get-WsusSyncLog -Path $missing, $log -ErrorAction SilentlyContinue | Where-Object Kind -EQ QueueFull",
                ("missing", Path.Combine(Fixtures, "Logs", "nope.log")), ("log", Path.Combine(Fixtures, "Logs", "httperr1.log")));

            Assert.Empty(run.Errors);
            Assert.Equal("LogFileNotFound," + LogId, Assert.Single(run.RecordedErrors).FullyQualifiedErrorId);
            Assert.NotEmpty(run.Output);
        }

        [Fact]
        public void Get_WsusSyncLog_refuses_a_zero_poll_interval_before_reading()
        {
            var run = InProcessPowerShell.RunStatement("Get-WsusSyncLog -Path $log -Wait -PollInterval 0 -Timeout 1", ("log", Path.Combine(Fixtures, "Logs", "httperr1.log")));

            Assert.Equal("InvalidWaitSettings," + LogId, run.TerminatingError?.FullyQualifiedErrorId);
            Assert.Empty(run.Output);
        }
    }
}
