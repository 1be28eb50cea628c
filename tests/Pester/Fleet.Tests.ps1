#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2' }
# Several servers at once: Get-SoftwareUpdatePoint's objects (live or after a remoting round trip) feed
# ComputerName, WsusPort and UseSsl to the read cmdlets, which read every server of the pipeline with at
# most -ThrottleLimit at a time and report a server that fails as one error with the server as its target.
# The servers named here do not exist, so every read fails (here off Windows: LiveAccessRequiresWindows;
# on Windows: the server cannot be reached) - which is what shows one error per server, none stopping the rest.

BeforeAll {
    $manifestPath = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'WsusRemediation', 'WsusRemediation.psd1')
    Import-Module $manifestPath -Force
    $names = 'CAS01.nowhere.invalid', 'SUP01.nowhere.invalid', 'SUP02.nowhere.invalid'
    $points = foreach ($name in $names) {
        [WsusRemediation.Engine.Hierarchy.SoftwareUpdatePoint]@{ ComputerName = $name; SiteCode = 'P01'; SiteType = 'Primary'; WsusPort = 8531; UseSsl = $true; WsusHttpPort = 8530; WsusHttpsPort = 8531 }
    }
}

Describe 'Reading several servers at once' {
    It 'Get-WsusSyncStatus gives one error per unreachable server and goes on to the others' {
        $output = $points | Get-WsusSyncStatus -Source Wsus -ThrottleLimit 2 -ErrorVariable failed -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        @($failed).Count | Should -Be 3
        @($failed | ForEach-Object TargetObject | Sort-Object) | Should -Be $names
    }

    It 'Get-WsusPoolTuning takes several computers and reports each that fails' {
        $null = Get-WsusPoolTuning -ComputerName $names -ThrottleLimit 1 -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed | ForEach-Object TargetObject | Sort-Object) | Should -Be $names
    }

    It 'Test-WsusPoolTuning reads several servers and answers $false when one cannot be read' {
        $answer = $points | Test-WsusPoolTuning -ThrottleLimit 3 -ErrorVariable failed -ErrorAction SilentlyContinue
        $answer | Should -BeExactly $false
        @($failed | ForEach-Object TargetObject | Sort-Object) | Should -Be $names
    }

    It 'Get-WsusSyncDiagnosis diagnoses several servers and reports each that fails' {
        $null = $points | Get-WsusSyncDiagnosis -SkipNetworkCheck -ThrottleLimit 2 -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed | ForEach-Object TargetObject | Sort-Object) | Should -Be $names
    }

    It 'binds WsusPort and UseSsl from a software update point, also after a remoting round trip' {
        $file = Join-Path $TestDrive 'points.clixml'
        $points | Export-Clixml -LiteralPath $file
        $copy = @(Import-Clixml -LiteralPath $file)[0]
        $copy.PSTypeNames[0] | Should -Be 'Deserialized.WsusRemediation.Engine.Hierarchy.SoftwareUpdatePoint'
        $traceFile = Join-Path $TestDrive 'binding.txt'
        Trace-Command -Name ParameterBinding -FilePath $traceFile -Expression {
            $copy | Get-WsusSyncStatus -Source Wsus -ErrorAction SilentlyContinue
        }
        $trace = Get-Content -LiteralPath $traceFile -Raw
        $trace | Should -Match 'BIND arg \[CAS01\.nowhere\.invalid\] to parameter \[ComputerName\]'
        $trace | Should -Match 'BIND arg \[8531\] to parameter \[WsusPort\]'
        $trace | Should -Match 'BIND arg \[True\] to parameter \[UseSsl\]'
    }

    It 'refuses a throttle limit of <Limit>' -ForEach @(@{ Limit = 0 }, @{ Limit = 257 }) {
        { Get-WsusServiceStatus -ComputerName $names -ThrottleLimit $Limit } | Should -Throw -ErrorId 'ParameterArgumentValidationError,WsusRemediation.Commands.GetWsusServiceStatusCommand'
    }
}

Describe 'Get-SoftwareUpdatePoint' {
    It 'says it needs Windows and the SMS Provider when there is no Windows here' {
        if (-not ($IsLinux -or $IsMacOS)) { Set-ItResult -Skipped -Because 'on Windows the SMS Provider is asked for real' }
        $null = Get-SoftwareUpdatePoint -SiteServer CAS01 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'LiveAccessRequiresWindows,WsusRemediation.Commands.GetSoftwareUpdatePointCommand'
        $failed[0].TargetObject | Should -Be 'CAS01'
        # It has no offline mode: the message must not send the admin to -LogPath, which it does not have.
        $failed[0].Exception.Message | Should -Not -Match '-LogPath'
        $failed[0].ErrorDetails.RecommendedAction | Should -Not -Match '-LogPath'
    }

    It 'refuses a site code that is not three letters or digits' {
        { Get-SoftwareUpdatePoint -SiteCode 'P0-1' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,WsusRemediation.Commands.GetSoftwareUpdatePointCommand'
    }
}
