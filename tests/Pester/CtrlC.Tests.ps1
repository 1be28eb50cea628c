#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What Ctrl+C does to a cmdlet of this module, in a real PowerShell: once PowerShell stops a command, every
# Write* throws PipelineStoppedException. The module's base cmdlet must still let the engine's clean-up run
# (verbose and progress hooks drop their lines instead of throwing) and still tell the user what the clean-up
# did (a warning through the host, which a hosted runspace keeps in its warning stream). A small cmdlet on the
# module's base class stands in for Restart-SmsService, whose SCM calls need Windows.

BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '..\..\out\WsusRemediation\WsusRemediation.psd1'
    Import-Module $modulePath -Force
    $moduleAssembly = [WsusRemediation.Common.WsusRemediationCmdlet].Assembly
    $engineAssembly = [WsusRemediation.Engine.Common.StoppedAfterCleanUpException].Assembly
    if (-not ('WsusRemediationTests.StopProbeCommand' -as [type])) {
        Add-Type -ReferencedAssemblies $moduleAssembly.Location, $engineAssembly.Location, ([psobject].Assembly.Location), 'netstandard' -IgnoreWarnings -WarningAction SilentlyContinue -TypeDefinition @'
namespace WsusRemediationTests
{
    using System.Management.Automation;
    using WsusRemediation.Engine.Common;

    public sealed class ProbeStopped : StoppedAfterCleanUpException
    {
        public ProbeStopped() : base("stopped", null) { }
        public override string Summary { get { return "Stopped by the user on CM01. SMS_EXECUTIVE: started again, now Running."; } }
    }

    [Cmdlet("Invoke", "StopProbe")]
    public sealed class StopProbeCommand : WsusRemediation.Common.WsusRemediationCmdlet
    {
        public static string HookOutcome = "not reached";

        protected override void ProcessRecord()
        {
            WriteWarning("waiting");
            CancellationToken.WaitHandle.WaitOne(30000);
            var verbose = UntilStopped<string>(WriteVerbose);
            var progress = UntilStopped<ProgressRecord>(WriteProgress);
            try
            {
                verbose("after Ctrl+C");
                progress(new ProgressRecord(4, "Stopping SMS_EXECUTIVE", "done") { RecordType = ProgressRecordType.Completed });
                HookOutcome = "hooks returned";
            }
            catch (PipelineStoppedException)
            {
                HookOutcome = "hooks threw";
            }

            StopAfterCleanUp(new ProbeStopped());
        }
    }
}
'@
    }
}

Describe 'Ctrl+C in a cmdlet of the module' {
    It 'lets the clean-up run and tells the user what it did, although PowerShell refuses output once stopping' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript('Import-Module -Assembly ([WsusRemediationTests.StopProbeCommand].Assembly); Invoke-StopProbe -Verbose')
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ($shell.Streams.Warning.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $shell.Stop()
            $ended = try { $shell.EndInvoke($async); 'returned' } catch { $_.Exception.InnerException.GetType().Name }
            $ended | Should -Be 'PipelineStoppedException'

            [WsusRemediationTests.StopProbeCommand]::HookOutcome | Should -Be 'hooks returned'
            $shell.Streams.Warning.Message | Should -Be @('waiting', 'Stopped by the user on CM01. SMS_EXECUTIVE: started again, now Running.')
            $shell.Streams.Verbose.Message | Should -Not -Contain 'after Ctrl+C'
        }
        finally {
            $shell.Dispose()
        }
    }
}
