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
    Test    dotnet test (engine, module and in-process tests), then Pester on tests/Pester; fails
            when either fails. The test command CI runs (.ci/run).
    Pester  Only the Pester tests: every *.Tests.ps1 under tests/Pester, Pester 5.2 or later, in a
            child process against out/WsusRemediation (so the module's DLL is not left loaded here).
    Package out/WsusRemediation-<version>.zip after Test-ModuleManifest.
    All     Build, Help, Test, Package.

.PARAMETER ResultsPath
    A folder for machine-readable results: dotnet test's .trx files, Pester's NUnit XML
    (pester.xml) and Pester's counts (pester-summary.txt: passed=N failed=N skipped=N). .ci/run
    reads them to print one total.

.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Help', 'Test', 'Pester', 'Package', 'All')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [string] $ResultsPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
$solution = Join-Path $root 'WsusRemediation.sln'
$moduleFolder = Join-Path (Join-Path $root 'out') 'WsusRemediation'
$builtManifest = Join-Path $moduleFolder 'WsusRemediation.psd1'

function Invoke-Tool {
    param([string] $FilePath, [string[]] $ArgumentList)
    # An encoded command is thousands of characters of base64: show its start only.
    $shown = foreach ($argument in $ArgumentList) { if ($argument.Length -gt 120) { $argument.Substring(0, 40) + '...' } else { $argument } }
    Write-Host "> $FilePath $($shown -join ' ')" -ForegroundColor Cyan
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
    # Both suites run even when the first fails, so one run reports every failure.
    $failures = @()
    $arguments = @('test', $solution, '-c', $Configuration, '--no-build')
    if ($ResultsPath) {
        $arguments += @('--logger', 'trx;LogFilePrefix=dotnet', '--results-directory', $ResultsPath)
    }
    try { Invoke-Tool dotnet $arguments } catch { $failures += $_.Exception.Message }
    try { Invoke-TaskPester } catch { $failures += $_.Exception.Message }
    if ($failures) {
        throw ($failures -join ' ')
    }
}

function Invoke-TaskPester {
    Assert-Built
    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.2' } |
        Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        throw 'Pester 5.2 or later is not installed, so tests/Pester cannot run (Install-Module Pester -MinimumVersion 5.2 -Scope CurrentUser).'
    }

    $tests = Join-Path $root 'tests/Pester'
    $results = if ($ResultsPath) { $ResultsPath } else { Join-Path (Join-Path $root 'out') 'TestResults' }
    $null = New-Item -ItemType Directory -Path $results -Force
    $results = (Resolve-Path -LiteralPath $results).ProviderPath
    $quote = { param([string] $Text) "'" + $Text.Replace("'", "''") + "'" }
    # The child writes Pester's own counts from its result object; skipped tests are not failures,
    # a block or file that fails before its tests run is.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module $(& $quote $pester.Path)
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = $(& $quote $tests)
`$configuration.Run.PassThru = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$configuration.TestResult.Enabled = `$true
`$configuration.TestResult.OutputFormat = 'NUnitXml'
`$configuration.TestResult.OutputPath = $(& $quote (Join-Path $results 'pester.xml'))
`$result = Invoke-Pester -Configuration `$configuration
`$failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount
Set-Content -LiteralPath $(& $quote (Join-Path $results 'pester-summary.txt')) -Value ('passed={0} failed={1} skipped={2}' -f `$result.PassedCount, `$failed, `$result.SkippedCount)
if (`$failed -gt 0 -or `$result.Result -ne 'Passed') { exit 1 }
exit 0
"@
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
    $shell = (Get-Process -Id $PID).Path
    # -OutputFormat Text: without it the child writes its host, warning and progress records to the
    # redirected streams as CLIXML, which this session prints raw.
    Invoke-Tool $shell @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded)
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

$order = 'Build', 'Help', 'Test', 'Pester', 'Package'
# Test already includes Pester.
$selected = if ($Task -contains 'All') { $order | Where-Object { $_ -ne 'Pester' } } else { $order | Where-Object { $Task -contains $_ } }
if ($selected -contains 'Test') { $selected = $selected | Where-Object { $_ -ne 'Pester' } }
foreach ($step in $selected) {
    Write-Host "== $step ==" -ForegroundColor Yellow
    & "Invoke-Task$step"
}
