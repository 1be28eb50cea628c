#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2' }
# The module as PowerShell sees it: import in this edition, exports, and help that Get-Help reads.
# Runs against the built module in out/WsusRemediation (build.ps1 -Task Test), in either edition.

BeforeDiscovery {
    $manifestPath = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'WsusRemediation', 'WsusRemediation.psd1')
    $exportedCmdlets = @((Import-PowerShellDataFile -Path $manifestPath).CmdletsToExport)
}

BeforeAll {
    $outFolder = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out'))
    $manifestPath = Join-Path (Join-Path $outFolder 'WsusRemediation') 'WsusRemediation.psd1'
    $manifest = Import-PowerShellDataFile -Path $manifestPath

    # On PSModulePath, Get-Help also finds the module's about topic.
    $savedModulePath = $env:PSModulePath
    $env:PSModulePath = $outFolder + [IO.Path]::PathSeparator + $env:PSModulePath
    $module = Import-Module -Name $manifestPath -Force -PassThru
}

AfterAll {
    Remove-Module -Name WsusRemediation -Force -ErrorAction SilentlyContinue
    $env:PSModulePath = $savedModulePath
}

Describe 'The WsusRemediation module' {
    It 'imports in this edition of PowerShell' {
        $module.Name | Should -Be 'WsusRemediation'
        $module.Version | Should -Be ([version]$manifest.ModuleVersion)
        $PSVersionTable.PSEdition | Should -BeIn $manifest.CompatiblePSEditions
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $commands = @(Get-Command -Module WsusRemediation -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        $commands | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports exactly the aliases the manifest lists' {
        $aliases = @(Get-Command -Module WsusRemediation -CommandType Alias | ForEach-Object Name | Sort-Object)
        $aliases | Should -Be @($manifest.AliasesToExport | Sort-Object)
    }

    It 'has the about_WsusRemediation topic' {
        $about = Get-Help -Name about_WsusRemediation
        ($about | Out-String) | Should -Match 'WsusPool'
    }

    It 'wraps the about topic''s text for an 80-column console' {
        # An 80-column console prints 79 characters a line: a line of 80 left its last letter alone on the next
        # ('software updat' / 'e'). Code (indented 8) and a single long word (a URL) cannot be wrapped.
        $topic = Join-Path (Split-Path (Get-Module WsusRemediation).Path) 'en-US/about_WsusRemediation.help.txt'
        $prose = Get-Content -LiteralPath $topic -Encoding utf8 | Where-Object { $_ -notmatch '^ {8}' }
        @($prose | Where-Object { $_.Length -gt 79 -and $_.Trim().Contains(' ') }) | Should -BeNullOrEmpty
    }
}

Describe 'Help for <_>' -ForEach $exportedCmdlets {
    BeforeAll {
        $name = $_
        $help = Get-Help -Name $name -Full
        $command = Get-Command -Name $name
    }

    It 'comes from the MAML: a synopsis and a description' {
        # Without MAML, Get-Help makes up a synopsis from the syntax and has no description.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape($name) + '\s+\[')
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code' {
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.Code | Should -Not -BeNullOrEmpty
        }
    }

    It 'documents every parameter' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $expected = @($command.Parameters.Keys | Where-Object { $common -notcontains $_ })
        $documented = @($help.Parameters.Parameter | ForEach-Object Name)
        foreach ($parameter in $expected) {
            $documented | Should -Contain $parameter
        }
    }
}
