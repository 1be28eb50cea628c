<#
.SYNOPSIS
    Builds, tests, documents and packages the WsusRemediation module.

.DESCRIPTION
    The same build as 'dotnet build' (which lays out out/WsusRemediation), plus what needs PowerShell:
    the Pester tests in tests/Pester, an optional check of the help with platyPS, and a zip of the
    module folder. Runs in Windows PowerShell 5.1 and PowerShell 7.

.PARAMETER Task
    Build   dotnet build: out/WsusRemediation (manifest, both DLLs, format file, en-US help).
    Help    docs/*.md -> en-US/ (MAML and about topics), copied into out/WsusRemediation/en-US;
            with platyPS 0.14 installed, also compares against platyPS's own MAML.
    Test    dotnet test (engine and module tests), then Pester 5 on tests/Pester in a child
            process against out/WsusRemediation.
    Package out/WsusRemediation-<version>.zip after Test-ModuleManifest.
    All     Build, Help, Test, Package.

.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Help', 'Test', 'Package', 'All')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
$solution = Join-Path $root 'WsusRemediation.sln'
$moduleFolder = Join-Path (Join-Path $root 'out') 'WsusRemediation'
$builtManifest = Join-Path $moduleFolder 'WsusRemediation.psd1'

function Invoke-Tool {
    param([string] $FilePath, [string[]] $ArgumentList)
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor Cyan
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath exited with code $LASTEXITCODE."
    }
}

function Assert-Built {
    if (-not (Test-Path -LiteralPath $builtManifest)) {
        Invoke-TaskBuild
    }
}

function Invoke-TaskBuild {
    Invoke-Tool dotnet @('build', $solution, '-c', $Configuration)
    foreach ($file in 'WsusRemediation.psd1', 'WsusRemediation.dll', 'WsusRemediation.Engine.dll', 'WsusRemediation.Format.ps1xml') {
        if (-not (Test-Path -LiteralPath (Join-Path $moduleFolder $file))) {
            throw "The build did not produce $file in $moduleFolder."
        }
    }
    Write-Host "Module folder: $moduleFolder" -ForegroundColor Green
}

function Invoke-TaskHelp {
    $project = Join-Path $root 'src/WsusRemediation.HelpBuilder/WsusRemediation.HelpBuilder.csproj'
    Invoke-Tool dotnet @('build', $project, '-c', $Configuration)
    $builder = Join-Path $root "src/WsusRemediation.HelpBuilder/bin/$Configuration/net10.0/WsusRemediation.HelpBuilder.dll"
    $enUS = Join-Path $root 'en-US'
    Invoke-Tool dotnet @($builder, (Join-Path $root 'docs'), $enUS)

    if (Test-Path -LiteralPath $moduleFolder) {
        $target = Join-Path $moduleFolder 'en-US'
        if (Test-Path -LiteralPath $target) {
            Remove-Item -LiteralPath $target -Recurse -Force
        }
        Copy-Item -LiteralPath $enUS -Destination $target -Recurse
    }

    $platyPS = Get-Module -ListAvailable -Name platyPS | Where-Object { $_.Version.Major -eq 0 } |
        Sort-Object Version -Descending | Select-Object -First 1
    if (-not $platyPS) {
        Write-Host 'platyPS 0.x not installed: the help was built by the HelpBuilder only (Install-Module platyPS -MaximumVersion 0.99 to cross-check).'
        return
    }

    # platyPS builds its own MAML from the same pages; the commands and parameters must agree.
    $scratch = Join-Path ([IO.Path]::GetTempPath()) ("WsusRemediation-platyPS-" + [guid]::NewGuid().ToString('N'))
    try {
        Import-Module $platyPS.Path
        $null = New-ExternalHelp -Path (Join-Path $root 'docs') -OutputPath $scratch -Force
        $theirs = [xml](Get-Content -LiteralPath (Join-Path $scratch 'WsusRemediation.dll-Help.xml') -Raw)
        $ours = [xml](Get-Content -LiteralPath (Join-Path $enUS 'WsusRemediation.dll-Help.xml') -Raw)
        $describe = {
            param([xml] $Maml)
            Set-StrictMode -Off
            foreach ($command in $Maml.helpItems.command) {
                $names = @($command.parameters.parameter | ForEach-Object { $_.name }) | Sort-Object
                '{0}: {1}; examples {2}' -f $command.details.name, ($names -join ','), @($command.examples.example).Count
            }
        }
        $difference = Compare-Object @(& $describe $theirs) @(& $describe $ours)
        if ($difference) {
            $difference | Format-Table -AutoSize | Out-String | Write-Host
            throw 'The HelpBuilder MAML and the platyPS MAML disagree (above: <= platyPS only, => HelpBuilder only).'
        }
        Write-Host "platyPS $($platyPS.Version) agrees with the HelpBuilder on commands, parameters and examples." -ForegroundColor Green
    }
    finally {
        if (Test-Path -LiteralPath $scratch) {
            Remove-Item -LiteralPath $scratch -Recurse -Force
        }
    }
}

function Invoke-TaskTest {
    Assert-Built
    Invoke-Tool dotnet @('test', $solution, '-c', $Configuration, '--no-build')

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.2' } |
        Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5.2 or later is not installed: tests/Pester skipped (Install-Module Pester -MinimumVersion 5.2 -Scope CurrentUser).'
        return
    }

    # A child process, so the module's DLL is not left loaded (and locked) in this session.
    $tests = Join-Path $root 'tests/Pester'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($pester.Path.Replace("'", "''"))'
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = '$($tests.Replace("'", "''"))'
`$configuration.Run.Exit = `$true
`$configuration.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration `$configuration
"@
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
    $shell = (Get-Process -Id $PID).Path
    Invoke-Tool $shell @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)
}

function Invoke-TaskPackage {
    Assert-Built
    $manifest = Test-ModuleManifest -Path $builtManifest
    $zip = Join-Path (Join-Path $root 'out') ("WsusRemediation-{0}.zip" -f $manifest.Version)
    if (Test-Path -LiteralPath $zip) {
        Remove-Item -LiteralPath $zip -Force
    }

    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    [IO.Compression.ZipFile]::CreateFromDirectory($moduleFolder, $zip, [IO.Compression.CompressionLevel]::Optimal, $true)
    Write-Host "Package: $zip" -ForegroundColor Green
}

$order = 'Build', 'Help', 'Test', 'Package'
$selected = if ($Task -contains 'All') { $order } else { $order | Where-Object { $Task -contains $_ } }
foreach ($step in $selected) {
    Write-Host "== $step ==" -ForegroundColor Yellow
    & "Invoke-Task$step"
}
