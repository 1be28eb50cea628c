#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What only PowerShell can show for Get-WsusSyncStatus / Invoke-WsusSync: binding, -WhatIf, errors, the view.
# Runs against the built module in out/WsusRemediation (build.ps1 -Task Test). Needs no WSUS and no MECM.

BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '..\..\out\WsusRemediation\WsusRemediation.psd1'
    Import-Module $modulePath -Force
    $fixtures = Join-Path $PSScriptRoot '..\WsusRemediation.Engine.Tests\Fixtures\Sync'
    $streakLog = Join-Path $fixtures 'wsyncmgr.cancelled-streak.log'
}

Describe 'Get-WsusSyncStatus -LogPath' {
    It 'reads collected logs offline and judges the streak' {
        $status = Get-WsusSyncStatus -LogPath $streakLog, (Join-Path $fixtures 'SoftwareDistribution.log')
        $status.Source | Should -Be 'Log'
        $status.LastResult | Should -Be 'Cancelled'
        $status.CancelledOrFailedStreak | Should -Be 3
        $status.Health | Should -Be 'Unhealthy'
        $status.ComputerName | Should -Be 'CM01.CONTOSO.COM'
    }

    It 'resolves a relative folder from the current location' {
        Push-Location $fixtures
        try { $status = Get-WsusSyncStatus -LogPath . }
        finally { Pop-Location }
        $status.LogFiles.Count | Should -Be 4
    }

    It 'reads files piped from Get-ChildItem together as one server' {
        $status = @(Get-ChildItem $fixtures -Filter *.log | Get-WsusSyncStatus)
        $status.Count | Should -Be 1
        $status[0].LogFiles.Count | Should -Be 4
    }

    It 'shows the table view with identity and verdict at 80 columns and the reason at 120' {
        $status = Get-WsusSyncStatus -LogPath $streakLog
        # An 80-column console prints at most 79 characters a line (the host keeps the last column free), so 80 columns means 79 here.
        $narrow = $status | Format-Table | Out-String -Width 79
        $narrow | Should -Match 'ComputerName\s+Health\s+LastResult\s+Streak'
        $narrow | Should -Match 'CM01\.CONTOSO\.COM\s+Unhealthy\s+Failed\s+3'
        @($narrow -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 79 }) | Should -BeNullOrEmpty
        $wide = $status | Format-Table | Out-String -Width 120
        $wide | Should -Match 'HealthReason'
        $wide | Should -Match ([regex]::Escape($status.HealthReason.Substring(0, 20)))
    }

    It 'reports a missing file as a non-terminating LogFileNotFound error' {
        $result = Get-WsusSyncStatus -LogPath (Join-Path $TestDrive 'nope.log') -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'LogFileNotFound,WsusRemediation.Commands.GetWsusSyncStatusCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports a path on a drive that does not exist as InvalidLogPath and reads the other paths' {
        $status = Get-WsusSyncStatus -LogPath 'NoSuchDrive:\wsyncmgr.log', $streakLog -ErrorVariable errors -ErrorAction SilentlyContinue
        # wsyncmgr.log alone records each of the three runs as failed (STATMSG 6703); only WSUS's
        # SoftwareDistribution.log says they were cancelled (event 387), and it is not read here.
        $status.LastResult | Should -Be 'Failed'
        $status.CancelledOrFailedStreak | Should -Be 3
        $status.LogFiles | Should -Be @((Resolve-Path $streakLog).ProviderPath)
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidLogPath,WsusRemediation.Commands.GetWsusSyncStatusCommand'
    }

    It 'refuses -Source Log for another computer without -LogPath' {
        { Get-WsusSyncStatus -Source Log -ComputerName 'CM99.contoso.com' -ErrorAction Stop } |
            Should -Throw -ErrorId 'LogPathRequired,WsusRemediation.Commands.GetWsusSyncStatusCommand'
    }
}

Describe 'Invoke-WsusSync' {
    It 'binds ComputerName and Source from a status piped in, and -WhatIf contacts nothing' {
        # Source Wsus and another server: both must reach the cmdlet, as the what-if line shows.
        $status = [WsusRemediation.Engine.Sync.WsusSyncStatus]@{ ComputerName = 'CM02.contoso.com'; Source = 'Wsus' }
        $transcript = Join-Path $TestDrive 'bind.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { $result = $status | Invoke-WsusSync -WhatIf -ErrorVariable errors }
        finally { Stop-Transcript | Out-Null }
        $result | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
        @(Get-Content $transcript | Where-Object { $_ -like 'What if:*' }) |
            Should -Be @('What if: Performing the operation "Start a synchronization through the WSUS API" on target "CM02.contoso.com".')
    }

    It 'says what it would do with -WhatIf' {
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { Get-WsusSyncStatus -LogPath $streakLog | Invoke-WsusSync -FullSync -WhatIf }
        finally { Stop-Transcript | Out-Null }
        Get-Content $transcript -Raw | Should -Match 'Start a full synchronization .* on target "CM01\.CONTOSO\.COM"'
    }

    It 'off Windows says it needs Windows without pointing to an offline parameter it does not have' {
        if (-not ($IsLinux -or $IsMacOS)) { Set-ItResult -Skipped -Because 'on Windows the sync is requested for real' }
        $null = Invoke-WsusSync -ComputerName CM01 -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'LiveAccessRequiresWindows,WsusRemediation.Commands.InvokeWsusSyncCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'NotInstalled'
        $failed[0].Exception.Message | Should -Not -Match '-LogPath'
        $failed[0].ErrorDetails.RecommendedAction | Should -Not -Match '-LogPath'
        $failed[0].TargetObject | Should -Be 'CM01'
    }

    It 'refuses a zero timeout' {
        { Invoke-WsusSync -Wait -Timeout 0 -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'TimeoutOutOfRange,WsusRemediation.Commands.InvokeWsusSyncCommand'
    }

    It 'takes a plain number for -Timeout as seconds' {
        (Get-Command Invoke-WsusSync).Parameters['Timeout'].Attributes.TypeId.Name | Should -Contain 'SecondsOrTimeSpanTransformationAttribute'
    }

    It 'declares ShouldProcess and its output type' {
        $command = Get-Command Invoke-WsusSync
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.OutputType.Name | Should -Contain 'WsusRemediation.Engine.Sync.WsusSyncStatus'
    }
}
