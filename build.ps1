<#
.SYNOPSIS
    Builds, tests, documents and packages the WsusRemediation module.

.DESCRIPTION
    The same build as 'dotnet build' (which lays out out/WsusRemediation), plus what needs PowerShell:
    the Pester tests in tests/Pester, an optional check of the help with platyPS, and a .nupkg per
    module. Runs in Windows PowerShell 5.1 and PowerShell 7.

.PARAMETER Task
    Build   dotnet build: out/WsusRemediation (manifest, both DLLs, format file, en-US help).
    Help    docs/*.md -> en-US/ (MAML and about topics), copied into out/WsusRemediation/en-US;
            with platyPS 0.14 installed, also compares against platyPS's own MAML.
    Test    dotnet test (engine, module and in-process tests), then Pester on tests/Pester; fails
            when either fails. The test command CI runs (.ci/run).
    Pester  Only the Pester tests: every *.Tests.ps1 under tests/Pester, Pester 5.2 or later, in a
            child process against out/WsusRemediation (so the module's DLL is not left loaded here).
    Package out/WsusRemediation.<version>.nupkg and out/WsusRemediationDsc.<version>.nupkg for a
            PowerShell repository (Install-PSResource / Install-Module from a folder repository):
            nuspec from each manifest (id, version, authors, description, release notes from
            CHANGELOG.md, tags, dependencies), the module's files at the package root, LICENSE;
            after Test-ModuleManifest on both.
    All     Build, Help, Test, Package.

.PARAMETER PackagePath
    Where Package writes the .nupkg files; default: out/.

.PARAMETER ResultsPath
    A folder for machine-readable results: dotnet test's .trx files, Pester's NUnit XML
    (pester.xml) and Pester's counts (pester-summary.txt: passed=N failed=N skipped=N). .ci/run
    reads them to print one total.

.EXAMPLE
    ./build.ps1 -Task Build, Test

.EXAMPLE
    ./build.ps1 -Task Package
    Register-PSResourceRepository -Name Local -Uri (Resolve-Path ./out) -Trusted
    Install-PSResource -Name WsusRemediationDsc -Repository Local    # installs WsusRemediation too
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Help', 'Test', 'Pester', 'Package', 'All')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [string] $ResultsPath,

    [string] $PackagePath
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
    foreach ($file in 'WsusRemediation.psd1', 'WsusRemediation.dll', 'WsusRemediation.Engine.dll', 'WsusRemediation.Format.ps1xml', 'WsusRemediation.Types.ps1xml') {
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

    # The same split as the build: the DSC topic belongs to WsusRemediationDsc's folder, not to the module's.
    $layout = @{
        $moduleFolder = { $_.Name -ne 'about_WsusRemediationDsc.help.txt' }
        (Join-Path $root "out/WsusRemediationDsc") = { $_.Name -eq 'about_WsusRemediationDsc.help.txt' }
    }
    foreach ($folder in $layout.Keys) {
        if (-not (Test-Path -LiteralPath $folder)) {
            continue
        }
        $target = Join-Path $folder 'en-US'
        if (Test-Path -LiteralPath $target) {
            Remove-Item -LiteralPath $target -Recurse -Force
        }
        $null = New-Item -ItemType Directory -Path $target
        Get-ChildItem -LiteralPath $enUS -File | Where-Object $layout[$folder] | Copy-Item -Destination $target
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

# The licence of both packages, as an SPDX expression; LICENSE (shipped in each package) holds its text.
$licenseExpression = 'MIT'

function Get-ReleaseNotes {
    param([hashtable] $Manifest)
    $notes = $Manifest['PrivateData']['PSData']['ReleaseNotes']
    if ($notes -is [array]) { $notes = $notes -join "`n" }
    [string] $notes
}

function Get-PackageTags {
    # The manifest's own tags plus the ones PowerShellGet adds when it publishes a module, so that
    # Find-Module/Find-PSResource -CommandName/-DscResourceName can find these packages by content.
    param([hashtable] $Manifest)
    $tags = [Collections.Generic.List[string]]::new()
    $tags.Add('PSModule')
    foreach ($tag in @($Manifest['PrivateData']['PSData']['Tags'])) { if ($tag) { $tags.Add($tag) } }
    $cmdlets = @($Manifest['CmdletsToExport'] | Where-Object { $_ -and $_ -ne '*' })
    if ($cmdlets) { $tags.Add('PSIncludes_Cmdlet') }
    foreach ($name in $cmdlets) { $tags.Add("PSCmdlet_$name") }
    foreach ($name in $cmdlets + @($Manifest['AliasesToExport'] | Where-Object { $_ -and $_ -ne '*' })) { $tags.Add("PSCommand_$name") }
    $resources = @($Manifest['DscResourcesToExport'] | Where-Object { $_ })
    if ($resources) { $tags.Add('PSIncludes_DscResource') }
    foreach ($name in $resources) { $tags.Add("PSDscResource_$name") }
    $spaced = @($tags | Where-Object { $_ -match '\s' })
    if ($spaced) { throw "Package tags cannot contain spaces: $($spaced -join ', ')." }
    @($tags | Select-Object -Unique)
}

function Get-PackageDependencies {
    # RequiredModules as NuGet dependencies: a name alone depends on the version built beside it
    # when the module is one of ours (they ship together), else on any version.
    param([hashtable] $Manifest, [hashtable] $BuiltVersions)
    foreach ($required in @($Manifest['RequiredModules'] | Where-Object { $_ })) {
        if ($required -is [hashtable]) {
            $range = if ($required['RequiredVersion']) { '[{0}]' -f $required['RequiredVersion'] }
                elseif ($required['ModuleVersion'] -and $required['MaximumVersion']) { '[{0},{1}]' -f $required['ModuleVersion'], $required['MaximumVersion'] }
                elseif ($required['ModuleVersion']) { [string] $required['ModuleVersion'] }
                elseif ($required['MaximumVersion']) { '(,{0}]' -f $required['MaximumVersion'] }
                else { '' }
            [pscustomobject]@{ Id = $required['ModuleName']; Version = $range }
        }
        else {
            [pscustomobject]@{ Id = [string] $required; Version = [string] $BuiltVersions[[string] $required] }
        }
    }
}

function New-Nuspec {
    param([string] $Id, [hashtable] $Manifest, [hashtable] $BuiltVersions)
    $ns = 'http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd'
    $document = [xml]::new()
    $null = $document.AppendChild($document.CreateXmlDeclaration('1.0', 'utf-8', $null))
    $package = $document.AppendChild($document.CreateElement('package', $ns))
    $metadata = $package.AppendChild($document.CreateElement('metadata', $ns))
    $add = {
        param([string] $Name, [string] $Text)
        $element = $metadata.AppendChild($document.CreateElement($Name, $ns))
        $element.InnerText = $Text
        $element
    }
    $version = [string] $Manifest['ModuleVersion']
    if ($Manifest['PrivateData']['PSData']['Prerelease']) { $version += '-' + $Manifest['PrivateData']['PSData']['Prerelease'] }
    $null = & $add 'id' $Id
    $null = & $add 'version' $version
    $null = & $add 'authors' $Manifest['Author']
    if ($Manifest['CompanyName']) { $null = & $add 'owners' $Manifest['CompanyName'] }
    $null = & $add 'requireLicenseAcceptance' 'false'
    $license = & $add 'license' $licenseExpression
    $license.SetAttribute('type', 'expression')
    # What NuGet itself writes beside a licence expression, for clients that read only licenseUrl.
    $null = & $add 'licenseUrl' ('https://licenses.nuget.org/' + $licenseExpression)
    # A URI only when it is real: the manifest names none today.
    foreach ($pair in @(@('ProjectUri', 'projectUrl'), @('IconUri', 'iconUrl'))) {
        $uri = $Manifest['PrivateData']['PSData'][$pair[0]]
        if ($uri) { $null = & $add $pair[1] $uri }
    }
    $null = & $add 'description' $Manifest['Description']
    $null = & $add 'releaseNotes' (Get-ReleaseNotes $Manifest)
    $null = & $add 'copyright' $Manifest['Copyright']
    $null = & $add 'tags' ((Get-PackageTags $Manifest) -join ' ')
    $dependencies = @(Get-PackageDependencies $Manifest $BuiltVersions)
    if ($dependencies) {
        $list = $metadata.AppendChild($document.CreateElement('dependencies', $ns))
        foreach ($dependency in $dependencies) {
            $element = $list.AppendChild($document.CreateElement('dependency', $ns))
            $element.SetAttribute('id', $dependency.Id)
            if ($dependency.Version) { $element.SetAttribute('version', $dependency.Version) }
        }
    }
    $document
}

function ConvertTo-Utf8Bytes {
    param([xml] $Document)
    $stream = [IO.MemoryStream]::new()
    $settings = [Xml.XmlWriterSettings]::new()
    $settings.Encoding = [Text.UTF8Encoding]::new($false)
    $settings.Indent = $true
    $writer = [Xml.XmlWriter]::Create($stream, $settings)
    $Document.Save($writer)
    $writer.Dispose()
    $stream.ToArray()
}

function New-ModulePackage {
    # A .nupkg as nuget pack lays it out: the module's files at the root (PSResourceGet and
    # PowerShellGet install the package root as the module folder), <id>.nuspec, and the Open
    # Packaging Conventions parts ([Content_Types].xml, _rels/.rels, the core properties) that
    # both clients expect and delete after installing.
    param([string] $ModuleFolder, [string] $Destination, [hashtable] $BuiltVersions)
    $id = Split-Path -Leaf $ModuleFolder
    $manifestPath = Join-Path $ModuleFolder "$id.psd1"
    $null = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
    $manifest = Import-PowerShellDataFile -Path $manifestPath
    foreach ($key in 'Author', 'Description', 'ModuleVersion') {
        if (-not $manifest[$key]) { throw "$manifestPath has no $key, which a package needs." }
    }
    if (-not (Get-ReleaseNotes $manifest)) { throw "$manifestPath has no release notes (they come from CHANGELOG.md)." }
    if (-not (Test-Path -LiteralPath (Join-Path $ModuleFolder 'LICENSE'))) { throw "$ModuleFolder has no LICENSE." }

    $nuspec = New-Nuspec -Id $id -Manifest $manifest -BuiltVersions $BuiltVersions
    $version = $nuspec.package.metadata.version
    $path = Join-Path $Destination ('{0}.{1}.nupkg' -f $id, $version)
    if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Force }

    $base = (Resolve-Path -LiteralPath $ModuleFolder).ProviderPath.TrimEnd('\', '/')
    $files = @(Get-ChildItem -LiteralPath $base -Recurse -File | Sort-Object FullName | ForEach-Object {
        # Zip entry names use '/', whatever the OS.
        [pscustomobject]@{ Path = $_.FullName; Entry = $_.FullName.Substring($base.Length + 1).Replace('\', '/') }
    })
    $corePropertiesName = 'package/services/metadata/core-properties/{0}.psmdcp' -f ([guid]::NewGuid().ToString('N'))
    $extensions = @($files | ForEach-Object { [IO.Path]::GetExtension($_.Entry).TrimStart('.') } | Where-Object { $_ } | Sort-Object -Unique)
    $contentTypes = [Text.StringBuilder]::new()
    $null = $contentTypes.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
    $null = $contentTypes.AppendLine('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">')
    $null = $contentTypes.AppendLine('  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />')
    $null = $contentTypes.AppendLine('  <Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" />')
    $null = $contentTypes.AppendLine('  <Default Extension="nuspec" ContentType="application/octet" />')
    foreach ($extension in $extensions | Where-Object { $_ -notin 'rels', 'psmdcp', 'nuspec' }) {
        $null = $contentTypes.AppendLine(('  <Default Extension="{0}" ContentType="application/octet" />' -f [Security.SecurityElement]::Escape($extension)))
    }
    foreach ($file in $files | Where-Object { -not [IO.Path]::GetExtension($_.Entry) }) {
        $null = $contentTypes.AppendLine(('  <Override PartName="/{0}" ContentType="application/octet" />' -f [Security.SecurityElement]::Escape($file.Entry)))
    }
    $null = $contentTypes.AppendLine('</Types>')
    $relationships = @"
<?xml version="1.0" encoding="utf-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/$id.nuspec" Id="R$([guid]::NewGuid().ToString('N').Substring(0, 16))" />
  <Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="/$corePropertiesName" Id="R$([guid]::NewGuid().ToString('N').Substring(0, 16))" />
</Relationships>
"@
    $escape = { param([string] $Text) [Security.SecurityElement]::Escape($Text) }
    $coreProperties = @"
<?xml version="1.0" encoding="utf-8"?>
<coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">
  <dc:creator>$(& $escape $manifest['Author'])</dc:creator>
  <dc:description>$(& $escape $manifest['Description'])</dc:description>
  <dc:identifier>$id</dc:identifier>
  <version>$version</version>
  <keywords>$(& $escape $nuspec.package.metadata.tags)</keywords>
  <lastModifiedBy>build.ps1</lastModifiedBy>
</coreProperties>
"@

    Add-Type -AssemblyName System.IO.Compression
    $utf8 = [Text.UTF8Encoding]::new($false)
    $stream = [IO.File]::Open($path, [IO.FileMode]::CreateNew)
    try {
        $zip = [IO.Compression.ZipArchive]::new($stream, [IO.Compression.ZipArchiveMode]::Create)
        try {
            $write = {
                param([string] $Name, [byte[]] $Bytes)
                $entryStream = $zip.CreateEntry($Name, [IO.Compression.CompressionLevel]::Optimal).Open()
                try { $entryStream.Write($Bytes, 0, $Bytes.Length) } finally { $entryStream.Dispose() }
            }
            & $write '_rels/.rels' $utf8.GetBytes($relationships)
            & $write "$id.nuspec" (ConvertTo-Utf8Bytes $nuspec)
            foreach ($file in $files) {
                & $write $file.Entry ([IO.File]::ReadAllBytes($file.Path))
            }
            & $write '[Content_Types].xml' $utf8.GetBytes($contentTypes.ToString())
            & $write $corePropertiesName $utf8.GetBytes($coreProperties)
        }
        finally { $zip.Dispose() }
    }
    finally { $stream.Dispose() }
    $path
}

function Invoke-TaskPackage {
    Assert-Built
    $destination = if ($PackagePath) { $PackagePath } else { Join-Path $root 'out' }
    $null = New-Item -ItemType Directory -Path $destination -Force
    $destination = (Resolve-Path -LiteralPath $destination).ProviderPath
    $outFolder = Join-Path $root 'out'
    $modules = @('WsusRemediation', 'WsusRemediationDsc') | ForEach-Object { Join-Path $outFolder $_ }
    $builtVersions = @{}
    foreach ($module in $modules) {
        $builtVersions[(Split-Path -Leaf $module)] = (Import-PowerShellDataFile -Path (Join-Path $module ((Split-Path -Leaf $module) + '.psd1'))).ModuleVersion
    }

    # Test-ModuleManifest resolves WsusRemediationDsc's RequiredModules by name, as an install would.
    $savedModulePath = $env:PSModulePath
    $env:PSModulePath = $outFolder + [IO.Path]::PathSeparator + $env:PSModulePath
    try {
        foreach ($module in $modules) {
            $package = New-ModulePackage -ModuleFolder $module -Destination $destination -BuiltVersions $builtVersions
            Write-Host "Package: $package" -ForegroundColor Green
        }
    }
    finally {
        $env:PSModulePath = $savedModulePath
    }
}

$order = 'Build', 'Help', 'Test', 'Pester', 'Package'
# Test already includes Pester.
$selected = if ($Task -contains 'All') { $order | Where-Object { $_ -ne 'Pester' } } else { $order | Where-Object { $Task -contains $_ } }
if ($selected -contains 'Test') { $selected = $selected | Where-Object { $_ -ne 'Pester' } }
foreach ($step in $selected) {
    Write-Host "== $step ==" -ForegroundColor Yellow
    & "Invoke-Task$step"
}
