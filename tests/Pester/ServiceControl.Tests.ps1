#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What only PowerShell can show for the service and pool cmdlets: import, the alias, binding, -WhatIf
# (one line per service, nothing changed). Runs against the built module in out/WsusRemediation
# (build.ps1 -Task Test) on Windows; -WhatIf never changes a service, so it is safe on any machine.

BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '..\..\out\WsusRemediation\WsusRemediation.psd1'
    Import-Module $modulePath -Force
    $module = Get-Module WsusRemediation

    # "What if:" lines go to the host, so they are captured from a child PowerShell.
    $shell = (Get-Process -Id $PID).Path
    function Invoke-WhatIf([string] $command) {
        & $shell -NoProfile -NonInteractive -Command "Import-Module '$modulePath'; $command" 2>&1 | Out-String
    }
}

Describe 'Service and pool cmdlets' {
    It 'exports <Name>' -ForEach @(
        @{ Name = 'Restart-SmsService' }, @{ Name = 'Restart-IisService' }, @{ Name = 'Restart-WsusPool' }, @{ Name = 'Get-WsusServiceStatus' }
    ) {
        $module.ExportedCmdlets.Keys | Should -Contain $Name
    }

    It 'resolves the guide''s name Restart-SmsServices to Restart-SmsService' {
        $alias = Get-Alias Restart-SmsServices
        $alias.ResolvedCommand.Name | Should -Be 'Restart-SmsService'
        $alias.ModuleName | Should -Be 'WsusRemediation'
    }

    It 'restarts with ConfirmImpact High' -ForEach @(
        @{ Name = 'Restart-SmsService' }, @{ Name = 'Restart-IisService' }, @{ Name = 'Restart-WsusPool' }
    ) {
        $type = (Get-Command $Name).ImplementingType
        $attribute = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
        $attribute.SupportsShouldProcess | Should -BeTrue
    }

    It 'takes -PoolName and -ComputerName by property name' {
        $parameters = (Get-Command Restart-WsusPool).Parameters
        $parameters.PoolName.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Contain $true
        $parameters.ComputerName.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Contain $true
        $parameters.PoolName.Aliases | Should -Contain 'Name'
    }

    It 'shows Restart-WsusPool''s results by server, every column whole at 80 columns' {
        # Restart-WsusPool -ComputerName CM01, SUP02 as it returns on Windows. Before, the view had no widths:
        # at 80 columns Duration wrapped one header piece per line ('Dur', 'ati', 'on') and showed '… s'.
        $text = @(
            [WsusRemediation.Engine.Iis.WsusPoolState]@{ ComputerName = 'CM01.contoso.com'; PoolName = 'WsusPool'; StateBefore = 'Stopped'; State = 'Started'; WasStopped = $true; Action = 'Started'; Duration = [TimeSpan]::FromSeconds(14.5) }
            [WsusRemediation.Engine.Iis.WsusPoolState]@{ ComputerName = 'SUP02.fabrikam.contoso.com'; PoolName = 'SMS Management Point Pool'; StateBefore = 'Started'; State = 'Started'; Action = 'Restarted'; Duration = [TimeSpan]::FromSeconds(9.1) }
        ) | Out-String -Width 79

        $text | Should -Match 'ComputerName: SUP02\.fabrikam\.contoso\.com'
        $text | Should -Match 'PoolName\s+StateBefore\s+State\s+WasStopped\s+Action\s+Duration'
        $text | Should -Match 'SMS Management Point Pool\s+Started\s+Started\s+False\s+Restarted\s+9\.1 s'
        @($text -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 79 }) | Should -BeNullOrEmpty
    }
}

Describe 'On a Windows machine' -Skip:(-not $IsWindows -and $PSVersionTable.PSEdition -eq 'Core') {
    It 'Get-WsusServiceStatus lists every service that matters, installed or not' {
        $rows = Get-WsusServiceStatus -PoolName ''
        $rows.Name | Should -Be @('WsusService', 'W3SVC', 'WAS', 'BITS', 'SMS_EXECUTIVE', 'SMS_SITE_COMPONENT_MANAGER', 'SMS_NOTIFICATION_SERVER', 'CcmExec')
        ($rows | Where-Object Name -eq 'BITS').Present | Should -BeTrue
    }

    It 'Restart-SmsService -WhatIf lists each service it would change and changes nothing' {
        $before = (Get-Service BITS).Status
        $text = Invoke-WhatIf 'Restart-SmsService -IncludeBits -IncludeWsus -WhatIf'
        if ($before -eq 'Running') {
            $text | Should -Match 'What if: Performing the operation "Restart service \(stop, then start\)" on target "BITS'
        }
        else {
            $text | Should -Match 'What if: Performing the operation "Start service" on target "BITS'
        }
        foreach ($name in 'SMS_EXECUTIVE', 'SMS_SITE_COMPONENT_MANAGER', 'WsusService') {
            if (Get-Service $name -ErrorAction SilentlyContinue) { $text | Should -Match "on target `"$name" }
        }
        (Get-Service BITS).Status | Should -Be $before
    }

    It 'Restart-IisService -WhatIf lists W3SVC and WAS when IIS is installed' -Skip:(-not (Get-Command Get-Service -ErrorAction SilentlyContinue) -or -not (Get-Service W3SVC -ErrorAction SilentlyContinue)) {
        $text = Invoke-WhatIf 'Restart-IisService -WhatIf'
        $text | Should -Match 'on target "W3SVC'
        $text | Should -Match 'on target "WAS'
    }

    It 'reports an unreachable computer as ComputerUnreachable, per computer' {
        $null = Get-WsusServiceStatus -ComputerName 'no-such-host.invalid' -PoolName '' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'ComputerUnreachable,WsusRemediation.Commands.GetWsusServiceStatusCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}
