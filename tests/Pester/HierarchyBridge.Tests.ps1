#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The SMS Provider bridge script of Get-SoftwareUpdatePoint (SiteHierarchyAdapter), run for real as the
# child runs it: the engine's runner pointed at this PowerShell, the CimCmdlets stand-ins of Bridge.Tests.ps1
# answering like the SMS Provider, the printed document parsed by the engine's contract code and turned
# into software update points by the engine's discovery.

BeforeAll {
    $out = Join-Path $PSScriptRoot '../../out/WsusRemediation'
    $engine = [Reflection.Assembly]::LoadFrom((Resolve-Path (Join-Path $out 'WsusRemediation.Engine.dll')).ProviderPath)
    $pwsh = (Get-Process -Id $PID).Path
    $runnerType = $engine.GetType('WsusRemediation.Engine.Windows.WindowsPowerShellProcess')
    $runner = $runnerType.GetConstructor([Reflection.BindingFlags]'NonPublic, Instance', $null, [type[]]@([string]), $null).Invoke(@([string]$pwsh))
    $calls = Join-Path $TestDrive 'calls.txt'
    $none = [Threading.CancellationToken]::None

    function Invoke-Discovery([string] $SiteServer, [string] $Scenario = 'Site', [string] $SiteCode) {
        $settings = @{
            COMPUTERNAME          = 'CM01'
            PSModulePath          = (Join-Path $PSScriptRoot 'BridgeStandIns') + [IO.Path]::PathSeparator + $env:PSModulePath
            WSUSREM_STANDIN_CALLS = $calls
            WSUSREM_CIM_SCENARIO  = $Scenario
        }
        $saved = @{}
        foreach ($key in $settings.Keys) {
            $saved[$key] = [Environment]::GetEnvironmentVariable($key)
            [Environment]::SetEnvironmentVariable($key, $settings[$key])
        }
        Remove-Item -LiteralPath $calls -ErrorAction SilentlyContinue
        try {
            $snapshot = [WsusRemediation.Engine.Windows.SiteHierarchyAdapter]::new($runner).Read($SiteServer, $none)
            [WsusRemediation.Engine.Hierarchy.SoftwareUpdatePointDiscovery]::Discover($snapshot, $SiteCode)
        }
        finally {
            foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
        }
    }
}

Describe 'The hierarchy bridge script, run as the child runs it' {
    It 'reads the sites, roles, component and sync status into software update points' {
        $points = @(Invoke-Discovery $null)

        @($points.ComputerName) | Should -Be @('CM01.contoso.com', 'SUP02.contoso.com', 'SEC01.contoso.com')
        $points[0].SiteCode | Should -Be 'PS1'
        $points[0].SiteType | Should -Be 'Primary'
        $points[0].UseSsl | Should -BeTrue
        $points[0].WsusPort | Should -Be 8531
        $points[0].SyncSource | Should -Be 'MicrosoftUpdate'
        $points[0].SmsProvider | Should -Be 'CM01.contoso.com'
        $points[1].WsusPort | Should -Be 80
        $points[1].InternetFacing | Should -BeTrue
        $points[1].UpstreamServer | Should -Be 'CM01.contoso.com'
        $points[2].SiteType | Should -Be 'Secondary'
        $points[2].ParentSiteCode | Should -Be 'PS1'
        $points[2].UpstreamServer | Should -Be 'CM01.contoso.com'
        $points[2].WsusHttpsPort | Should -Be 8531
    }

    It 'queries the namespace of the local site with the documented filters' {
        $null = Invoke-Discovery $null
        $log = Get-Content -LiteralPath $calls
        $log | Should -Contain 'Get-CimInstance local root\SMS SMS_ProviderLocation timeout=0'
        $log | Should -Contain 'Get-CimInstance local root\SMS\site_PS1 SMS_SCI_SysResUse timeout=0'
        $log | Should -Contain 'Get-CimInstance local root\SMS\site_PS1 SMS_SCI_Component timeout=0'
        $log | Should -Contain 'Get-CimInstance local root\SMS\site_PS1 SMS_Site timeout=0'
    }

    It 'reaches a named site server through a DCOM session' {
        $null = Invoke-Discovery 'CM01.contoso.com'
        Get-Content -LiteralPath $calls | Should -Contain 'New-CimSession CM01.contoso.com Dcom'
    }

    It 'keeps one site with -SiteCode' {
        @((Invoke-Discovery $null -SiteCode 'SEC').ComputerName) | Should -Be @('SEC01.contoso.com')
    }

    It 'maps <Scenario> to <ErrorId>' -ForEach @(
        @{ Scenario = 'AccessDenied'; ErrorId = 'ConfigMgrAccessDenied' }
        @{ Scenario = 'NoLocalProvider'; ErrorId = 'ConfigMgrProviderUnavailable' }
    ) {
        $caught = $null
        try { $null = Invoke-Discovery $null -Scenario $Scenario } catch { $caught = $_.Exception }
        while ($null -ne $caught -and $caught -isnot [WsusRemediation.Engine.Common.WsusRemediationException]) { $caught = $caught.InnerException }
        $caught.ErrorId | Should -Be $ErrorId
    }
}
