using System.Management.Automation;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests.InProcess
{
    /// <summary>
    /// The service and pool cmdlets in a real runspace: bad input stops them before they touch a
    /// service (on any OS), and off Windows they say so with a stable id.
    /// </summary>
    public class ServiceInProcessTests
    {
        [Theory]
        [InlineData("Restart-SmsService", "0")]
        [InlineData("Restart-IisService", "'02:00:00'")]
        [InlineData("Restart-WsusPool", "-5")]
        public void A_timeout_out_of_range_stops_the_restart_before_it_plans_anything(string cmdlet, string timeout)
        {
            var run = InProcessPowerShell.RunStatement($"{cmdlet} -Timeout {timeout} -Confirm:$false -ErrorAction SilentlyContinue");

            Assert.Equal($"TimeoutOutOfRange,WsusRemediation.Commands.{cmdlet.Replace("-", string.Empty, System.StringComparison.Ordinal)}Command", run.TerminatingError?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, run.TerminatingError!.CategoryInfo.Category);
            Assert.Empty(run.Output);
            Assert.Empty(run.WhatIfLines);
        }

        [OffWindowsFact]
        public void Off_Windows_a_status_piped_into_Restart_SmsService_stops_with_LiveAccessRequiresWindows()
        {
            var run = InProcessPowerShell.RunStatement(
                "[WsusRemediation.Engine.Services.SiteServiceStatus]@{ ComputerName = 'CM01.contoso.com'; Name = 'SMS_EXECUTIVE'; Present = $true; Status = 'Stopped' } | Restart-SmsService -WhatIf");

            Assert.Equal("LiveAccessRequiresWindows,WsusRemediation.Commands.RestartSmsServiceCommand", run.TerminatingError?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.NotInstalled, run.TerminatingError!.CategoryInfo.Category);
            Assert.Empty(run.WhatIfLines);
        }

        [OffWindowsFact]
        public void Off_Windows_Get_WsusServiceStatus_says_it_needs_Windows_and_what_to_do()
        {
            var run = InProcessPowerShell.RunStatement("Get-WsusServiceStatus");

            Assert.Equal("LiveAccessRequiresWindows,WsusRemediation.Commands.GetWsusServiceStatusCommand", run.TerminatingError?.FullyQualifiedErrorId);
            Assert.False(string.IsNullOrEmpty(run.TerminatingError!.ErrorDetails?.RecommendedAction));
        }
    }
}
