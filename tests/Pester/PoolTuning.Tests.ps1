#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What only PowerShell can show for the pool-tuning cmdlets: binding, -WhatIf, errors as ErrorRecords.
# Runs against the built module in out/WsusRemediation (build.ps1 -Task Test).

BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '..\..\out\WsusRemediation\WsusRemediation.psd1'
    Import-Module $modulePath -Force
    $fixture = Join-Path $PSScriptRoot '..\WsusRemediation.Engine.Tests\Fixtures\PoolTuning\applicationHost.siteserver.config'
}

Describe 'Pool tuning cmdlets' {
    BeforeEach {
        $config = Join-Path $TestDrive 'applicationHost.config'
        Copy-Item $fixture $config -Force
        $before = [IO.File]::ReadAllBytes($config)
    }

    It 'reads a collected file with a relative path from the current location' {
        Push-Location $TestDrive
        try { $tuning = Get-WsusPoolTuning -ConfigurationPath .\applicationHost.config }
        finally { Pop-Location }
        $tuning.PoolName | Should -Be 'WsusPool'
        $tuning.QueueLength | Should -Be 1000
        $tuning.RegularTimeInterval | Should -Be ([TimeSpan]::FromHours(29))
        $tuning.IsCompliant | Should -BeFalse
    }

    It '-WhatIf lists one change per setting and writes nothing' {
        # "What if:" lines go to the host, not to a stream: a transcript reads them.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { Set-WsusPoolTuning -ConfigurationPath $config -WhatIf }
        finally { Stop-Transcript | Out-Null }
        $target = 'on target "WsusPool ({0})".' -f (Resolve-Path $config).ProviderPath
        @(Get-Content $transcript | Where-Object { $_ -like 'What if:*' }) | Should -Be @(
            "What if: Performing the operation `"Set queueLength: 1000 -> 2000`" $target"
            "What if: Performing the operation `"Set processModel.idleTimeout: 00:20:00 -> 00:00:00`" $target"
            "What if: Performing the operation `"Set processModel.pingingEnabled: True -> False`" $target"
            "What if: Performing the operation `"Set recycling.periodicRestart.privateMemory: 1843200 KB -> 0 KB`" $target"
            "What if: Performing the operation `"Set recycling.periodicRestart.time: 1.05:00:00 -> 00:00:00`" $target"
        )
        [IO.File]::ReadAllBytes($config) | Should -Be $before
        Get-ChildItem $TestDrive -Exclude 'applicationHost.config', 'whatif.txt' | Should -BeNullOrEmpty
    }

    It 'pipes Get- into Set- and Test- by property name' {
        Get-WsusPoolTuning -ConfigurationPath $config | Set-WsusPoolTuning -Confirm:$false
        Get-WsusPoolTuning -ConfigurationPath $config | Test-WsusPoolTuning | Should -BeTrue
        (Get-ChildItem $TestDrive -Filter *.bak).Count | Should -Be 1
    }

    It 'reads 29:00:00 as 29 hours when given as a string' {
        Set-WsusPoolTuning -ConfigurationPath $config -RegularTimeInterval '30:00:00' -Confirm:$false
        (Get-WsusPoolTuning -ConfigurationPath $config).RegularTimeInterval | Should -Be ([TimeSpan]::FromHours(30))
    }

    It 'takes a file piped from Get-ChildItem as the configuration, not its name as a pool' {
        $tuning = Get-ChildItem $config | Get-WsusPoolTuning
        $tuning.PoolName | Should -Be 'WsusPool'
    }

    It 'refuses a bare number of minutes for a time span, and takes 0' {
        { Set-WsusPoolTuning -ConfigurationPath $config -IdleTimeout 20 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        Set-WsusPoolTuning -ConfigurationPath $config -IdleTimeout 0 -Confirm:$false
        (Get-WsusPoolTuning -ConfigurationPath $config).IdleTimeout | Should -Be ([TimeSpan]::Zero)
    }

    It 'refuses a queue length of <Value> with QueueLengthOutOfRange and changes nothing' -ForEach @(
        @{ Value = 0 }, @{ Value = 9 }, @{ Value = 65536 }, @{ Value = -1 }
    ) {
        { Set-WsusPoolTuning -ConfigurationPath $config -QueueLength $Value -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'QueueLengthOutOfRange,WsusRemediation.Commands.SetWsusPoolTuningCommand'
        [IO.File]::ReadAllBytes($config) | Should -Be $before
    }

    It 'refuses Enable32BitAppOnWin64 = $true without -Force' {
        { Set-WsusPoolTuning -ConfigurationPath $config -Enable32BitAppOnWin64 $true -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'Enable32BitRequiresForce,WsusRemediation.Commands.SetWsusPoolTuningCommand'
    }

    It 'reports an unknown pool as a non-terminating PoolNotFound error' {
        $result = Get-WsusPoolTuning -ConfigurationPath $config -PoolName NoSuchPool -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'PoolNotFound,WsusRemediation.Commands.GetWsusPoolTuningCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'Test-WsusPoolTuning answers $false when a wildcard matches no pool' {
        Test-WsusPoolTuning -ConfigurationPath $config -PoolName 'NoSuchPool*' | Should -BeFalse
    }

    It 'reports a path on a drive that does not exist as a non-terminating InvalidConfigurationPath error' {
        $result = Get-WsusPoolTuning -ConfigurationPath 'NoSuchDrive:\applicationHost.config' -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidConfigurationPath,WsusRemediation.Commands.GetWsusPoolTuningCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'Test-WsusPoolTuning -Detailed returns the settings that are off' {
        $off = Test-WsusPoolTuning -ConfigurationPath $config -Detailed
        $off.Name | Should -Contain 'queueLength'
        $off | ForEach-Object { $_.IsCompliant | Should -BeFalse }
    }

    It 'shows each file''s pools under its path, long pool names whole, at 80 columns' {
        # Two files in one pipeline: offline rows have no ComputerName, so only the group tells them apart.
        $second = Join-Path $TestDrive 'cm02 [copy].config'
        Copy-Item -LiteralPath $config -Destination $second
        $tunings = Get-Item -LiteralPath $config, $second | Get-WsusPoolTuning -PoolName *
        # (The group line is free text: wide enough here for the test drive's long path on one line.)
        $tunings | Out-String -Width 200 | ForEach-Object { $_ -split '\r?\n' } | Where-Object { $_ -like '*ConfigurationPath: *' } |
            ForEach-Object { $_.Trim() } |
            Should -Be @("ConfigurationPath: $((Resolve-Path -LiteralPath $config).ProviderPath)", "ConfigurationPath: $((Resolve-Path -LiteralPath $second).ProviderPath)")
        # An 80-column console prints at most 79 characters a line (the host keeps the last column free), so 80 columns means 79 here.
        $text = $tunings | Out-String -Width 79
        $lines = $text -split '\r?\n'
        @($lines | Where-Object { $_ -match '^CCM Client Deployment Pool +False +1000 ' }).Count | Should -Be 2
        @($lines | Where-Object { $_ -match '^SMS Management Point Pool +False ' }).Count | Should -Be 2
        # The last value is whole too: WSUS's default recycle time, 1.05:00:00, was cut to '1.05:00:…' in a real 80-column console.
        @($lines | Where-Object { $_ -match '^WsusPool +False +1000 .* 1\.05:00:00$' }).Count | Should -Be 2
        @($lines | Where-Object { $_.TrimEnd().Length -gt 79 }) | Should -BeNullOrEmpty
        # The last column shown at 80 is whole (a column squeezed into the last characters wraps its header).
        @($lines | Where-Object { $_ -match '^PoolName +Compliant Queue IdleTime Ping +PrivateKB Recycle$' }).Count | Should -Be 2
    }
}
