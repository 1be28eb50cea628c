#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What only PowerShell can show for Get-WsusSyncDiagnosis / Export-WsusSyncEvidence: binding, the views,
# -Verbose, -WhatIf, errors, help. Runs against the built module in out/WsusRemediation on the evidence
# fixtures of the engine tests (Fixtures/Evidence/README.md). Needs no WSUS, IIS or MECM.

BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '..\..\out\WsusRemediation\WsusRemediation.psd1'
    Import-Module $modulePath -Force
    $evidence = Join-Path $PSScriptRoot '..\WsusRemediation.Engine.Tests\Fixtures\Evidence'
    $guide = Join-Path $evidence 'GuideCase'
    $proxy = Join-Path $evidence 'ProxyCase'
    $healthy = Join-Path $evidence 'HealthyAfterFix'
    $secrets = Join-Path $evidence 'SecretsCase'
}

Describe 'Get-WsusSyncDiagnosis -EvidencePath' {
    It 'names the guide''s chain, cause first' {
        $findings = Get-WsusSyncDiagnosis -EvidencePath $guide
        $findings[0].Id | Should -Be 'PoolTuningNotCompliant'
        $findings[0].CausedBy | Should -BeNullOrEmpty
        ($findings | Where-Object Id -eq 'SyncFailureStreak').CausedBy | Should -Be 'WsusApiUnavailable'
        ($findings | Where-Object Id -eq 'PoolDisabledByRapidFailProtection').Severity | Should -Be 'Critical'
    }

    It 'gives no Error on the healthy server' {
        @(Get-WsusSyncDiagnosis -EvidencePath $healthy | Where-Object { $_.Severity -ge [WsusRemediation.Engine.Diagnosis.FindingSeverity]::Error }) | Should -BeNullOrEmpty
    }

    It 'names the proxy password, not WCM, for HTTP 407' {
        $first = Get-WsusSyncDiagnosis -EvidencePath $proxy | Select-Object -First 1
        $first.Id | Should -Be 'ProxyAuthenticationFailed'
        $first.Fix | Should -Match 'Proxy tab'
        $first.RepairStep | Should -Be 'Manual'
    }

    It 'reads a German server''s evidence: localized 503s, SCM words and a semicolon service list' {
        $localized = Join-Path $evidence 'LocalizedCase'
        $findings = Get-WsusSyncDiagnosis -EvidencePath $localized
        $findings.Id | Should -Be @('BitsNotUsable', 'SmsServiceNotRunning', 'WsusApiUnavailable', 'SyncFailureStreak')
        ($findings | Where-Object Id -eq 'SyncFailureStreak').CausedBy | Should -Be 'WsusApiUnavailable'
        (Get-WsusRepairPlan -EvidencePath $localized).Name | Should -Contain 'RestartPool'
        (Get-WsusSyncDiagnosis -EvidencePath (Join-Path $evidence 'LocalizedServices')).Id | Should -Be @('BitsNotUsable', 'SmsServiceNotRunning')
    }

    It 'resolves a relative path from the current location and takes Get-Item output' {
        Push-Location $evidence
        try { $relative = @(Get-WsusSyncDiagnosis -EvidencePath .\ProxyCase) }
        finally { Pop-Location }
        $relative.Count | Should -Be 3
        @(Get-Item $proxy | Get-WsusSyncDiagnosis).Count | Should -Be 3
    }

    It 'lists every check in -Verbose, and says which could not run' {
        $verbose = Get-WsusSyncDiagnosis -EvidencePath $guide -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        @($verbose | Where-Object { $_ -like 'Check *' }).Count | Should -Be 22
        $verbose | Should -Contain "Check ContentFolderAccessDenied: not run (missing evidence): the content folder's access rules (icacls <folder> /save) are not in the evidence"
    }

    It 'shows severity and Id within 80 columns, and the chain at 120' {
        # An 80-column console prints at most 79 characters a line (the host keeps the last column free), so 80 columns means 79 here.
        $narrow = Get-WsusSyncDiagnosis -EvidencePath $guide | Out-String -Width 79
        $narrow | Should -Match 'Severity Id\s+Title'
        $narrow | Should -Match 'Critical PoolDisabledByRapidFailProtection '
        @($narrow -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 79 }) | Should -BeNullOrEmpty
        $wide = Get-WsusSyncDiagnosis -EvidencePath $guide | Format-Table -View Chain | Out-String -Width 120
        $wide | Should -Match 'HttpAppOffline\s+PoolDisabledByRapidFailProtection\s+HTTP\.sys answered'
        @($wide -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 120 }) | Should -BeNullOrEmpty
    }

    It 'shows the chain at 80 columns without squeezing the title under a wrapped header' {
        # Before: Title got the last 3 columns, 'Tit' and 'le' on two header lines and 'Ws…' as values.
        $narrow = Get-WsusSyncDiagnosis -EvidencePath $guide | Format-Table -View Chain | Out-String -Width 79
        $narrow | Should -Match 'Severity\s+Id\s+CausedBy\s*\r?\n'
        $narrow | Should -Match 'HttpAppOffline\s+PoolDisabledByRapidFailProtection'
        $narrow | Should -Not -Match 'Tit'
        @($narrow -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 79 }) | Should -BeNullOrEmpty
    }

    It 'reports a missing path with a stable id and goes on' {
        $out = Get-WsusSyncDiagnosis -EvidencePath (Join-Path $TestDrive 'nope') -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'EvidencePathNotFound,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'names -EvidencePath when run live off Windows' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
        Get-WsusSyncDiagnosis -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'LiveAccessRequiresWindows,WsusRemediation.Commands.GetWsusSyncDiagnosisCommand'
        $err[0].Exception.Message | Should -Match '-EvidencePath'
    }

    It 'has help with examples' {
        $help = Get-Help Get-WsusSyncDiagnosis -Full
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        $help.Synopsis | Should -Match 'causes'
    }
}

Describe 'Export-WsusSyncEvidence' {
    It 'writes a zip without one secret, lists the redactions, and pipes into the diagnosis' {
        $zip = Join-Path $TestDrive 'secrets.zip'
        $bundle = Export-WsusSyncEvidence -Path $zip -SourcePath $secrets
        $bundle.RedactionCount | Should -Be 5
        $bundle.Excluded.From | Should -Match 'System\.evtx$'
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $unpacked = Join-Path $TestDrive 'unpacked'
        [System.IO.Compression.ZipFile]::ExtractToDirectory($zip, $unpacked)
        foreach ($file in Get-ChildItem $unpacked -Recurse -File) {
            $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
            foreach ($text in [System.Text.Encoding]::UTF8.GetString($bytes), [System.Text.Encoding]::Unicode.GetString($bytes)) {
                $text | Should -Not -Match 'Pl@inText-Secret1|PlainVdirSecret7|Secret-Proxy-Pass9|Reg-Stored-Secret4|hAZBQ2Vjb3Jk'
            }
        }
        (Get-Content (Join-Path $unpacked 'manifest.json') -Raw | ConvertFrom-Json).redactions.Count | Should -Be 5
        ($bundle | Get-WsusSyncDiagnosis).Id | Should -Contain 'SyncFailureStreak'
    }

    It 'says what it would write under -WhatIf and writes nothing' {
        $zip = Join-Path $TestDrive 'whatif.zip'
        Export-WsusSyncEvidence -Path $zip -SourcePath $proxy -WhatIf
        Test-Path $zip | Should -BeFalse
    }

    It 'refuses to overwrite without -Force' {
        $zip = Join-Path $TestDrive 'exists.zip'
        Set-Content -Path $zip -Value 'keep me'
        Export-WsusSyncEvidence -Path $zip -SourcePath $proxy -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'EvidenceBundleExists,WsusRemediation.Commands.ExportWsusSyncEvidenceCommand'
        Get-Content $zip | Should -Be 'keep me'
        (Export-WsusSyncEvidence -Path $zip -SourcePath $proxy -Force).FileCount | Should -BeGreaterThan 0
    }

    It 'stops before collecting when the zip''s folder does not exist, and says which folder' {
        $zip = Join-Path $TestDrive 'no such folder/cm01.zip'
        Export-WsusSyncEvidence -Path $zip -SourcePath $proxy -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'EvidenceBundleFolderNotFound,WsusRemediation.Commands.ExportWsusSyncEvidenceCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -BeLike "*'$(Join-Path $TestDrive 'no such folder')'*"
        $err[0].Exception.Message | Should -Not -Match '\.tmp'
        Test-Path (Join-Path $TestDrive 'no such folder') | Should -BeFalse
    }

    It 'writes a -Path without an extension as a .zip' {
        $bundle = Export-WsusSyncEvidence -Path (Join-Path $TestDrive 'CM02-evidence') -SourcePath $proxy
        $bundle.Path | Should -Be (Join-Path $TestDrive 'CM02-evidence.zip')
        Test-Path -LiteralPath (Join-Path $TestDrive 'CM02-evidence.zip') -PathType Leaf | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $TestDrive 'CM02-evidence') | Should -BeFalse
    }

    It 'names the source that does not exist as the error''s target, not the zip' {
        Export-WsusSyncEvidence -Path (Join-Path $TestDrive 'target.zip') -SourcePath (Join-Path $TestDrive 'nothing here') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'EvidencePathNotFound,WsusRemediation.Commands.ExportWsusSyncEvidenceCommand'
        $err[0].TargetObject | Should -Be (Join-Path $TestDrive 'nothing here')
    }

    It 'shows the bundle in 80 columns' {
        $text = Export-WsusSyncEvidence -Path (Join-Path $TestDrive 'view.zip') -SourcePath $proxy | Out-String -Width 79
        $text | Should -Match 'SourceComputer\s+Files\s+Redacted'
        $text | Should -Match 'CM02\.FABRIKAM\.COM'
        @($text -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 79 }) | Should -BeNullOrEmpty
    }

    It 'names -SourcePath when run live off Windows' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
        Export-WsusSyncEvidence -Path (Join-Path $TestDrive 'live.zip') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'LiveAccessRequiresWindows,WsusRemediation.Commands.ExportWsusSyncEvidenceCommand'
        $err[0].Exception.Message | Should -Match '-SourcePath'
    }
}
