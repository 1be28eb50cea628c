#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What only PowerShell can show for Get-WsusSyncLog: import, path and pipeline binding, the table view,
# and the error off Windows. Reads the engine tests' log fixtures; changes nothing.

BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '..\..\out\WsusRemediation\WsusRemediation.psd1'
    Import-Module $modulePath -Force
    $fixtures = Join-Path $PSScriptRoot '..\WsusRemediation.Engine.Tests\Fixtures\Logs'
}

Describe 'Get-WsusSyncLog' {
    It 'is exported' {
        (Get-Module WsusRemediation).ExportedCmdlets.Keys | Should -Contain 'Get-WsusSyncLog'
    }

    It 'reads a .lo_ before its .log, with wildcards, as typed entries' {
        $entries = Get-WsusSyncLog -Path (Join-Path $fixtures 'wsyncmgr.lo*')
        $entries[0] | Should -BeOfType ([WsusRemediation.Engine.Logs.LogEntry])
        $entries[0].File | Should -BeLike '*wsyncmgr.lo_'
        $entries[-1].File | Should -BeLike '*wsyncmgr.log'
    }

    It 'refuses an IIS request log with a pointer to HTTPERR instead of reading it as HTTPERR' {
        $iisLog = Join-Path $fixtures 'realworld/u_ex261122.log'
        $entries = Get-WsusSyncLog -Path $iisLog -ErrorVariable problems -ErrorAction SilentlyContinue
        $entries | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LogFormatNotRecognized,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].ErrorDetails.RecommendedAction | Should -BeLike '*LogFiles\HTTPERR\httperr*.log*'
    }

    It 'takes files from Get-ChildItem through PSPath' {
        $entries = Get-ChildItem (Join-Path $fixtures 'httperr1.log') | Get-WsusSyncLog -Kind AppOffline
        $entries.Count | Should -Be 2
        $entries.Component | Should -Be @('WsusPool', 'WsusPool')
    }

    It 'filters by kind, cause and component' {
        $failed = Get-WsusSyncLog -Path (Join-Path $fixtures 'wsyncmgr.log') -Kind WsusApi503 -Component 'SMS_WSUS_*'
        $failed.Kind | Should -Be 'SyncFailed'
        $failed.Cause | Should -Be 'WsusApi503'
    }

    It 'takes a bare number for -Timeout and -PollInterval as seconds' {
        $command = Get-Command Get-WsusSyncLog
        $transform = $command.Parameters['PollInterval'].Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentTransformationAttribute] }
        $transform.Transform($ExecutionContext, 5) | Should -Be ([TimeSpan]::FromSeconds(5))
        $transform.Transform($ExecutionContext, '00:01:00') | Should -Be '00:01:00'
    }

    It 'does not read a missing -LiteralPath as a wildcard' {
        Get-WsusSyncLog -LiteralPath (Join-Path $fixtures 'wsyncmgr.lo?') -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'LogFileNotFound*'
    }

    It 'reports a path on a drive that does not exist and still reads the other paths' {
        $entries = Get-WsusSyncLog -Path 'NoSuchDrive:\wsyncmgr.log', (Join-Path $fixtures 'wsyncmgr.log') -ErrorVariable err -ErrorAction SilentlyContinue
        $entries | Should -Not -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidLogPath,WsusRemediation.Commands.GetWsusSyncLogCommand'
    }

    It 'completes -Component with the names the readers give, quoting those with a space' {
        # Before: no completion at all for -Component.
        $complete = { param($line) (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText }
        & $complete 'Get-WsusSyncLog -Component SMS_WSUS_S' | Should -Be 'SMS_WSUS_SYNC_MANAGER'
        & $complete 'Get-WsusSyncLog -Path x.log -Component Serv' | Should -Be "'Service Control Manager'"
        & $complete 'Get-WsusSyncLog -Component ' | Should -Contain 'Microsoft-Windows-WAS'
    }

    It 'says how to read an evidence bundle zip instead of only that it is not a log' {
        # Before: "'...zip' is not a MECM log, SoftwareDistribution.log, HTTPERR log or event XML file." and nothing more.
        $zip = Join-Path $TestDrive 'CM01-evidence.zip'
        $null = Export-WsusSyncEvidence -Path $zip -SourcePath (Join-Path $fixtures '..\Evidence\GuideCase')
        Get-WsusSyncLog -Path $zip -ErrorVariable logErr -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-WsusSyncStatus -LogPath $zip -ErrorVariable statusErr -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        foreach ($err in $logErr[0], $statusErr[0]) {
            $err.FullyQualifiedErrorId | Should -BeLike 'LogFormatNotRecognized,*'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Get-WsusSyncDiagnosis -EvidencePath'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Expand-Archive'
        }
    }

    It 'exports to CSV with the fields as name=value pairs' {
        # Before: the Fields column held 'WsusRemediation.Engine.Logs.LogFields'.
        $csv = Join-Path $TestDrive 'appoffline.csv'
        Get-WsusSyncLog -Path (Join-Path $fixtures 'httperr1.log') -Kind AppOffline | Export-Csv $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows[0].Fields | Should -Match '(^|; )s-reason=AppOffline(;|$)'
        $rows[0].Fields | Should -Match '(^|; )s-queuename=WsusPool(;|$)'
        $rows[0].Kind | Should -Be 'AppOffline'
    }

    It 'shows the table view' {
        $text = Get-WsusSyncLog -Path (Join-Path $fixtures 'events\events.xml') | Out-String
        $text | Should -Match 'PoolDisabledRapidFail'
        $text | Should -Match 'TimeUtc\s+Severity\s+Kind'
    }

    It 'names -Path when the default locations cannot be read' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
        { Get-WsusSyncLog -ErrorAction Stop } | Should -Throw -ErrorId 'LiveAccessRequiresWindows*'
        $Error[0].Exception.Message | Should -Match '-Path'
    }
}
