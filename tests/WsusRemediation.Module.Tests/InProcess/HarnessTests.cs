using System.Linq;
using System.Management.Automation;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests.InProcess
{
    /// <summary>The in-process harness itself: it must see each stream, or the cmdlet tests prove nothing.</summary>
    public class HarnessTests
    {
        [Fact]
        public void Captures_output_errors_warnings_verbose_and_host_text_separately()
        {
            // Write-Warning and friends are Utility cmdlets, not in the package: an advanced function writes instead.
            var run = InProcessPowerShell.Run(
                "function Speak { [CmdletBinding()] param() " +
                "  'out'; " +
                "  $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Exception]::new('bad'), 'Bad.Id', 'InvalidData', $null)); " +
                "  $PSCmdlet.WriteWarning('careful'); $PSCmdlet.WriteVerbose('story'); $Host.UI.WriteLine('to the host') } " +
                "Speak -Verbose");

            Assert.Equal(new object[] { "out" }, run.Output.Select(o => o.BaseObject).ToArray());
            Assert.Equal("Bad.Id,Speak", run.Errors.Single().FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, run.Errors.Single().CategoryInfo.Category);
            Assert.Equal(new[] { "careful" }, run.Warnings);
            Assert.Equal(new[] { "story" }, run.Verbose);
            Assert.Contains("to the host", run.HostText);
            Assert.Null(run.TerminatingError);
            Assert.Equal("Bad.Id,Speak", run.RecordedErrors.Single().FullyQualifiedErrorId);
        }

        [Fact]
        public void Records_errors_that_SilentlyContinue_keeps_off_the_stream()
        {
            var run = InProcessPowerShell.Run("Get-Command -Name 'No-SuchCommand' -ErrorAction SilentlyContinue; 'after'");

            Assert.Empty(run.Errors);
            Assert.Equal("CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand", run.RecordedErrors.Single().FullyQualifiedErrorId);
            Assert.Equal("after", run.Output.Single().BaseObject);
        }

        [Fact]
        public void Passes_variables_and_reports_what_stopped_the_script()
        {
            var run = InProcessPowerShell.Run("$value; Get-Command -Name 'No-SuchCommand' -ErrorAction Stop; 'never'", ("value", 42));

            Assert.Equal(42, run.Output.Single().BaseObject);
            Assert.Equal("CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand", run.TerminatingError?.FullyQualifiedErrorId);
        }

        [Fact]
        public void Imports_the_built_module()
        {
            var run = InProcessPowerShell.Run("(Get-Module WsusRemediation).Path; (Get-Command -Module WsusRemediation).Count").AssertNoErrors();

            Assert.EndsWith("WsusRemediation.dll", (string)run.Output[0].BaseObject, System.StringComparison.Ordinal);
            Assert.True((int)run.Output[1].BaseObject >= 10);
        }

        [Fact]
        public void Refuses_a_confirmation_prompt_instead_of_hanging()
        {
            var run = InProcessPowerShell.Run("function Ask { [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')] param() if ($PSCmdlet.ShouldProcess('x')) { 'done' } }; Ask");

            // A script function turns the host's refusal into an error record; a compiled cmdlet stops.
            Assert.Empty(run.Output);
            var refusal = Assert.Single(run.Errors.Append(run.TerminatingError).OfType<ErrorRecord>());
            Assert.Contains("asked the host for input", refusal.Exception.ToString(), System.StringComparison.Ordinal);
        }
    }
}
