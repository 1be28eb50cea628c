#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What only PowerShell can show for Get-WsusRepairPlan / Repair-WsusSync: binding (findings and plans,
# also after Export-/Import-Clixml), -WhatIf, -Confirm's metadata, errors, the views, and the repair log
# read back by Get-WsusSyncLog. Runs against the built module; touches no server (every repair here is
# -WhatIf, or runs where there is no Windows to repair).

BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '..\..\out\WsusRemediation\WsusRemediation.psd1'
    Import-Module $modulePath -Force

    function New-Finding([string] $Id, [string] $Severity, [string] $Step, [string] $Fix = '') {
        [WsusRemediation.Engine.Diagnosis.WsusSyncFinding]@{ ComputerName = 'CM01'; Id = $Id; Severity = $Severity; RepairStep = $Step; Title = "$Id (title)"; Fix = $Fix }
    }

    # The guide's server: WsusPool's limits recycle it, rapid-fail protection disables it, syncs are cancelled, MECM has 0 updates.
    $script:guide = @(
        New-Finding PoolTuningNotCompliant Error TunePool
        New-Finding PoolDisabledByRapidFailProtection Critical RestartPool
        New-Finding WsusApiUnavailable Error RestartPool
        New-Finding SyncFailureStreak Error StartSync
        New-Finding ConfigMgrHasNoUpdates Error StartSync
    )
    $script:proxy = @(
        New-Finding ProxyAuthenticationFailed Critical Manual 'Update the proxy account password in the MECM console (software update point, Proxy and Account Settings).'
        New-Finding SyncFailureStreak Error StartSync
    )

    function Get-WhatIfLine([scriptblock] $Script) {
        $transcript = Join-Path $TestDrive ("whatif-{0}.txt" -f [guid]::NewGuid())
        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try { $null = & $Script } finally { Stop-Transcript | Out-Null }
        @(Get-Content $transcript | Where-Object { $_ -like 'What if:*' })
    }
}

Describe 'Get-WsusRepairPlan -EvidencePath (offline, any OS)' {
    BeforeAll {
        $evidence = Join-Path $PSScriptRoot '..\WsusRemediation.Engine.Tests\Fixtures\Evidence'
    }

    It 'plans the guide''s sequence from the guide''s evidence, with the tuning read from its applicationHost.config' {
        $plan = Get-WsusRepairPlan -EvidencePath (Join-Path $evidence 'GuideCase')
        @($plan.Name) | Should -Be @('TunePool', 'RestartPool', 'RestartIis', 'RestartSmsServices', 'StartSync', 'WaitForSync', 'VerifyUpdates')
        $plan[0].Changes | Should -Contain 'queueLength 1000 → 2000'
        $plan[0].ComputerName | Should -Be 'CM01.CONTOSO.COM'
    }

    It 'plans only the verification from the evidence of the fixed server' {
        @((Get-WsusRepairPlan -EvidencePath (Join-Path $evidence 'HealthyAfterFix')).Name) | Should -Be @('VerifyUpdates')
    }

    It 'plans the TechNet proxy case as Manual steps that block the sync, with nothing restarted' {
        $plan = Get-WsusRepairPlan -EvidencePath (Join-Path $evidence 'ProxyCase')
        ($plan | Where-Object Name -eq 'Manual' | Where-Object BlocksSync).Reason | Should -Contain 'ProxyAuthenticationFailed'
        @($plan | Where-Object { [string]$_.Impact -eq 'Restart' }) | Should -BeNullOrEmpty
    }

    It 'plans the TechNet downstream case: BITS repaired, folder permissions and the upstream as Manual steps' {
        $plan = Get-WsusRepairPlan -EvidencePath (Join-Path $evidence 'DownstreamCase')
        $plan[0].Name | Should -Be 'RepairBits'
        @($plan | Where-Object Name -eq 'Manual' | ForEach-Object { $_.Reason }) | Should -Be @('ContentFolderAccessDenied', 'UpstreamMissingUpdates')
    }

    It 'exports the plan for a change request as the help''s example does, with readable reasons and changes' {
        # Help example 5 with the evidence instead of the live server. Before, it piped straight into Export-Csv, and
        # Reason and Changes were written as 'System.Collections.Generic.List`1[System.String]'.
        $example = (Get-Help Get-WsusRepairPlan -Examples).examples.example | Where-Object title -like '*change request*'
        $code = ($example.code -replace '^PS C:\\> ', '') -replace 'Get-WsusRepairPlan -All', 'Get-WsusRepairPlan -EvidencePath $guideEvidence -All' -replace '\.\\repair-plan\.csv', '$csv'
        $guideEvidence = Join-Path $evidence 'GuideCase'
        $csv = Join-Path $TestDrive 'repair-plan.csv'
        & ([scriptblock]::Create($code))

        $rows = Import-Csv $csv
        $rows[0].Name | Should -Be 'TunePool'
        $rows[0].Changes | Should -BeLike 'queueLength 1000 → 30000; *'
        $rows[0].Reason | Should -BeLike 'PoolTuningNotCompliant; *'
        Get-Content $csv -Raw | Should -Not -Match 'System\.Collections'
    }

    It 'reports a path that does not exist as EvidencePathNotFound' {
        $plan = Get-WsusRepairPlan -EvidencePath (Join-Path $TestDrive 'nope') -ErrorVariable errors -ErrorAction SilentlyContinue
        $plan | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'EvidencePathNotFound,WsusRemediation.Commands.GetWsusRepairPlanCommand'
    }
}

Describe 'Get-WsusRepairPlan' {
    It 'plans the guide''s sequence from the guide''s findings, each step with its reason and command' {
        $plan = $guide | Get-WsusRepairPlan
        @($plan.Name) | Should -Be @('TunePool', 'RestartPool', 'RestartIis', 'RestartSmsServices', 'StartSync', 'WaitForSync', 'VerifyUpdates')
        @($plan.Order) | Should -Be @(1, 2, 3, 4, 5, 6, 7)
        $plan[1].Reason | Should -Be @('PoolDisabledByRapidFailProtection', 'WsusApiUnavailable')
        $plan[1].Command | Should -Be 'Restart-WsusPool -ComputerName CM01'
        [string]$plan[0].Impact | Should -Be 'Change'
        $plan | ForEach-Object { $_ | Should -BeOfType ([WsusRemediation.Engine.Repair.WsusRepairStep]) }
    }

    It 'plans only the verification for a healthy server, and the whole sequence with -All' {
        @(New-Finding PoolWorkerFailed Information RestartPool | Get-WsusRepairPlan).Name | Should -Be 'VerifyUpdates'
        @($guide | Get-WsusRepairPlan -All).Count | Should -Be 9
    }

    It 'lists a proxy blocker as a Manual step right before the sync' {
        $plan = $proxy | Get-WsusRepairPlan
        $plan[0].Name | Should -Be 'Manual'
        $plan[0].BlocksSync | Should -BeTrue
        $plan[0].Command | Should -Match 'proxy account password'
        $plan[1].Name | Should -Be 'StartSync'
    }

    It 'passes LargeEnvironment on to the tuning step' {
        ($guide | Get-WsusRepairPlan -Profile LargeEnvironment)[0].Command | Should -BeLike '*-Profile LargeEnvironment'
    }

    It 'plans from findings saved with Export-Clixml and read back' {
        $file = Join-Path $TestDrive 'findings.xml'
        $guide | Export-Clixml $file
        @(Import-Clixml $file | Get-WsusRepairPlan).Name | Should -Be @($guide | Get-WsusRepairPlan).Name
    }

    It 'shows the step, impact and changes at 80 columns and the command at 120' {
        $plan = $guide | Get-WsusRepairPlan
        # An 80-column console prints at most 79 characters a line (the host keeps the last column free), so 80 columns means 79 here.
        $narrow = $plan | Format-Table | Out-String -Width 79
        $narrow | Should -Match 'Order\s+Name\s+Impact\s+Changes'
        $narrow | Should -Match '1 TunePool\s+Change'
        @($narrow -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 79 }) | Should -BeNullOrEmpty
        ($plan | Format-Table | Out-String -Width 120) | Should -Match 'Set-WsusPoolTuning -ComputerName CM01'
    }
}

Describe 'Repair-WsusSync' {
    It 'confirms each step (SupportsShouldProcess, ConfirmImpact High)' {
        $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Repair-WsusSync))
        $metadata.SupportsShouldProcess | Should -BeTrue
        [string]$metadata.ConfirmImpact | Should -Be 'High'
    }

    It '-WhatIf prints one line per step of the plan and returns nothing' {
        $output = $null
        $lines = Get-WhatIfLine { $script:output = $guide | Repair-WsusSync -WhatIf }
        $lines.Count | Should -Be 7
        $lines[0] | Should -BeLike 'What if: Performing the operation "TunePool:*'
        $lines[6] | Should -BeLike 'What if: Performing the operation "VerifyUpdates:*'
        $script:output | Should -BeNullOrEmpty
    }

    It '-WhatIf on a piped plan shows the same steps, also after the plan was saved and read back' {
        $plan = $guide | Get-WsusRepairPlan
        $direct = Get-WhatIfLine { $plan | Repair-WsusSync -WhatIf }
        $file = Join-Path $TestDrive 'plan.xml'
        $plan | Export-Clixml $file
        $approved = Get-WhatIfLine { Import-Clixml $file | Repair-WsusSync -WhatIf }
        $approved | Should -Be $direct
        $direct.Count | Should -Be 7
    }

    It 'warns about a Manual step under -WhatIf and does not list it as an operation' {
        $lines = Get-WhatIfLine { $proxy | Repair-WsusSync -WhatIf -Force -WarningVariable script:warnings -WarningAction SilentlyContinue }
        $lines.Count | Should -Be 3
        $script:warnings[0] | Should -Match 'Manual step \(ProxyAuthenticationFailed\)'
    }

    It '-WhatIf shows that a blocking Manual step stops the run before the sync, as the run itself does' {
        # Before: StartSync, WaitForSync and VerifyUpdates were listed as "What if" lines, though the run stops with
        # ManualStepRequired before the sync and does none of them.
        $lines = Get-WhatIfLine { $proxy | Repair-WsusSync -WhatIf -WarningVariable script:warnings -WarningAction SilentlyContinue }
        $lines | Should -BeNullOrEmpty
        @($script:warnings | Where-Object { $_ -like 'Would stop before the synchronization*ProxyAuthenticationFailed*-Force*' }).Count | Should -Be 1
    }

    It '-Step runs only the named steps; WaitForSync brings StartSync' {
        $lines = Get-WhatIfLine { $guide | Repair-WsusSync -Step RestartPool, WaitForSync -WhatIf }
        $lines.Count | Should -Be 3
        $lines[1] | Should -BeLike '*"StartSync:*'
    }

    It 'refuses Manual and None as -Step with InvalidRepairStep' {
        { $guide | Repair-WsusSync -Step Manual -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRepairStep,WsusRemediation.Commands.RepairWsusSyncCommand'
    }

    It 'refuses a timeout of 0 with TimeoutOutOfRange' {
        { $guide | Repair-WsusSync -Timeout 0 -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'TimeoutOutOfRange,WsusRemediation.Commands.RepairWsusSyncCommand'
    }

    It 'refuses a service or pool limit of 0 with TimeoutOutOfRange, naming the parameter' -ForEach @(
        @{ Limit = @{ ServiceTimeout = 0 }; Name = '-ServiceTimeout' }, @{ Limit = @{ PoolTimeout = 0 }; Name = '-PoolTimeout' }
    ) {
        $limit = $Limit
        { $guide | Repair-WsusSync @limit -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'TimeoutOutOfRange,WsusRemediation.Commands.RepairWsusSyncCommand' -ExpectedMessage "$Name must be more than 0*"
    }

    It 'documents -ServiceTimeout and -PoolTimeout with their defaults' {
        $help = Get-Help Repair-WsusSync -Parameter ServiceTimeout, PoolTimeout
        ($help | Where-Object name -eq 'ServiceTimeout').defaultValue | Should -Be '00:03:00'
        ($help | Where-Object name -eq 'PoolTimeout').defaultValue | Should -Be '00:01:30'
    }

    It 'refuses a report path on a drive that does not exist with InvalidReportPath' {
        { $guide | Repair-WsusSync -ReportPath 'NoSuchDrive:\r.json' -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidReportPath,WsusRemediation.Commands.RepairWsusSyncCommand'
    }

    It 'says off Windows that a live repair needs Windows, and changes nothing' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
        $result = $guide | Repair-WsusSync -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'LiveAccessRequiresWindows,WsusRemediation.Commands.RepairWsusSyncCommand'
        [string]$errors[0].CategoryInfo.Category | Should -Be 'NotInstalled'
    }
}

Describe 'The repair result' {
    It 'shows its server whole, as the group header, with the verdict at 80 columns and the summary at 120' {
        # Before: ComputerName was a 14-character column, 'CM01.contoso.…' at every width.
        $steps = [WsusRemediation.Engine.Repair.RepairStepResult[]]@(
            [WsusRemediation.Engine.Repair.RepairStepResult]@{ Order = 1; Name = 'TunePool'; Outcome = 'Done' }
            [WsusRemediation.Engine.Repair.RepairStepResult]@{ Order = 2; Name = 'RestartPool'; Outcome = 'RolledBack' }
            [WsusRemediation.Engine.Repair.RepairStepResult]@{ Order = 3; Name = 'StartSync'; Outcome = 'Skipped' }
        )
        $result = [WsusRemediation.Engine.Repair.WsusRepairResult]@{ ComputerName = 'SUP02.fabrikam.contoso.com'; Succeeded = $false; Steps = $steps; UpdateCount = 0; Summary = 'SUP02 was not repaired: WsusPool did not come back after the tuning, which was rolled back.' }

        foreach ($width in 79, 119) {
            $text = $result | Out-String -Width $width
            $text | Should -Match 'ComputerName: SUP02\.fabrikam\.contoso\.com'
            $text | Should -Match 'False\s+0 1 Done, 1 RolledBack, 1 Skipped\s+SUP02 was not'
            @($text -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt $width }) | Should -BeNullOrEmpty
        }
        $result | Out-String -Width 119 | Should -Match 'WsusPool did not come back'
    }
}

Describe 'The repair log' {
    It 'is CMTrace that Get-WsusSyncLog reads back' {
        $path = Join-Path $TestDrive 'Logs\WsusRemediation.log'
        $log = [WsusRemediation.Engine.Repair.CmTraceLog]::new($path, [WsusRemediation.Engine.Common.SystemClock]::Instance, [TimeZoneInfo]::Utc, 2MB)
        $log.Write('Step 1 TunePool on CM01: Done (0.2 s).') | Should -BeNullOrEmpty
        $log.Write('Step 4 RestartSmsServices on CM01: Failed (180.0 s).', [WsusRemediation.Engine.Repair.CmTraceSeverity]::Error) | Should -BeNullOrEmpty
        $entries = @(Get-WsusSyncLog -Path (Split-Path $path))
        $entries.Count | Should -Be 2
        $entries[0].Component | Should -Be 'WsusRemediation'
        $entries[1].Message | Should -BeLike 'Step 4 RestartSmsServices*'
        [string]$entries[1].Severity | Should -Be 'Error'
    }
}
