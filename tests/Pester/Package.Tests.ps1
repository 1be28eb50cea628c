#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2' }
# build.ps1 -Task Package: one .nupkg per module, opened as a zip and checked the way PSResourceGet
# and PowerShellGet read it (nuspec, module files at the root, the packaging parts), then
# "installed" as PSResourceGet installs from a folder repository and imported in a child process.

BeforeAll {
    $repoRoot = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $outFolder = Join-Path $repoRoot 'out'
    $packages = Join-Path $TestDrive 'packages'
    & (Join-Path $repoRoot 'build.ps1') -Task Package -PackagePath $packages 6>$null

    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $nugetParts = '[Content_Types].xml', '_rels/.rels'

    function Read-Package {
        param([string] $Id)
        $version = (Import-PowerShellDataFile -Path (Join-Path $outFolder "$Id/$Id.psd1")).ModuleVersion
        $path = Join-Path $packages "$Id.$version.nupkg"
        $zip = [IO.Compression.ZipFile]::OpenRead($path)
        try {
            $entries = @{}
            foreach ($entry in $zip.Entries) {
                $stream = $entry.Open()
                $memory = [IO.MemoryStream]::new()
                try { $stream.CopyTo($memory) } finally { $stream.Dispose() }
                $entries[$entry.FullName] = $memory.ToArray()
            }
        }
        finally { $zip.Dispose() }
        $nuspec = [xml][Text.Encoding]::UTF8.GetString($entries["$Id.nuspec"])
        [pscustomobject]@{ Path = $path; Version = $version; Entries = $entries; Nuspec = $nuspec; Metadata = $nuspec.package.metadata }
    }

    # The CHANGELOG.md section of a version, read here independently of the build.
    function Get-ChangelogSection {
        param([string] $Version)
        $text = (Get-Content -LiteralPath (Join-Path $repoRoot 'CHANGELOG.md') -Raw) -replace "`r", ''
        $match = [regex]::Match($text, '(?ms)^## \[?' + [regex]::Escape($Version) + '\]?[^\n]*\n(.*?)(?=^## |\z)')
        $match.Groups[1].Value.Trim()
    }
}

Describe 'The <_> package' -ForEach 'WsusRemediation', 'WsusRemediationDsc' {
    BeforeAll {
        $id = $_
        $package = Read-Package $id
        $manifest = Import-PowerShellDataFile -Path (Join-Path $outFolder "$id/$id.psd1")
    }

    It 'is named after its id and version (Id.Version.nupkg), as folder repositories look packages up' {
        $package.Path | Should -Exist
    }

    It 'has a nuspec from the manifest: id, version, authors, description, copyright' {
        $package.Metadata.id | Should -BeExactly $id
        $package.Metadata.version | Should -Be $manifest.ModuleVersion
        $package.Metadata.authors | Should -Be $manifest.Author
        $package.Metadata.description | Should -Be $manifest.Description
        $package.Metadata.copyright | Should -Be $manifest.Copyright
        $package.Nuspec.package.NamespaceURI | Should -Be 'http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd'
    }

    It 'takes its release notes from the CHANGELOG.md section of its version' {
        $section = Get-ChangelogSection $manifest.ModuleVersion
        $section | Should -Not -BeNullOrEmpty
        ($package.Metadata.releaseNotes -replace "`r", '') | Should -BeExactly $section
        ($manifest.PrivateData.PSData.ReleaseNotes -replace "`r", '') | Should -BeExactly $section
    }

    It 'declares the MIT licence and names no invented project URI' {
        $package.Metadata.license.type | Should -Be 'expression'
        $package.Metadata.license.'#text' | Should -Be 'MIT'
        $package.Metadata.licenseUrl | Should -Be 'https://licenses.nuget.org/MIT'
        $package.Metadata.SelectSingleNode('*[local-name()="projectUrl"]') | Should -BeNullOrEmpty
    }

    It 'is tagged PSModule with the manifest tags' {
        $tags = $package.Metadata.tags -split ' '
        $tags | Should -Contain 'PSModule'
        foreach ($tag in $manifest.PrivateData.PSData.Tags) { $tags | Should -Contain $tag }
    }

    It 'holds every file of its module folder at the package root, byte for byte, LICENSE included' {
        $moduleFolder = (Resolve-Path (Join-Path $outFolder $id)).ProviderPath
        $expected = @(Get-ChildItem -LiteralPath $moduleFolder -Recurse -File | ForEach-Object {
            $_.FullName.Substring($moduleFolder.Length + 1).Replace('\', '/')
        } | Sort-Object)
        $moduleEntries = @($package.Entries.Keys | Where-Object {
            $_ -notin $nugetParts -and $_ -ne "$id.nuspec" -and $_ -notlike 'package/services/metadata/core-properties/*.psmdcp'
        } | Sort-Object)
        $moduleEntries | Should -Be $expected
        $moduleEntries | Should -Contain 'LICENSE'
        $moduleEntries | Should -Contain "$id.psd1"
        foreach ($entry in $moduleEntries) {
            [Convert]::ToBase64String($package.Entries[$entry]) |
                Should -Be ([Convert]::ToBase64String([IO.File]::ReadAllBytes((Join-Path $moduleFolder $entry)))) -Because $entry
        }
        [Text.Encoding]::UTF8.GetString($package.Entries['LICENSE']) | Should -Match '^MIT License'
    }

    It 'has the packaging parts NuGet clients expect, naming only what is in the package' {
        foreach ($part in $nugetParts) { $package.Entries.Keys | Should -Contain $part }
        $types = [xml][Text.Encoding]::UTF8.GetString($package.Entries['[Content_Types].xml'])
        $defaults = @($types.Types.Default | ForEach-Object Extension)
        # [Content_Types].xml describes the other parts; it is not a part itself.
        foreach ($entry in $package.Entries.Keys | Where-Object { $_ -ne '[Content_Types].xml' }) {
            $extension = [IO.Path]::GetExtension($entry).TrimStart('.')
            if ($extension) { $defaults | Should -Contain $extension -Because $entry }
            else { @($types.Types.Override | ForEach-Object PartName) | Should -Contain "/$entry" }
        }
        $relationships = [xml][Text.Encoding]::UTF8.GetString($package.Entries['_rels/.rels'])
        foreach ($target in $relationships.Relationships.Relationship.Target) {
            $package.Entries.Keys | Should -Contain $target.TrimStart('/')
        }
        @($package.Entries.Keys | Where-Object { $_ -match '\\' }) | Should -BeNullOrEmpty
    }
}

Describe 'Package contents that differ between the modules' {
    It 'WsusRemediation depends on nothing and is tagged with its cmdlets' {
        $package = Read-Package 'WsusRemediation'
        $package.Metadata.SelectSingleNode('*[local-name()="dependencies"]') | Should -BeNullOrEmpty
        $tags = $package.Metadata.tags -split ' '
        $tags | Should -Contain 'PSIncludes_Cmdlet'
        foreach ($cmdlet in (Import-PowerShellDataFile (Join-Path $outFolder 'WsusRemediation/WsusRemediation.psd1')).CmdletsToExport) {
            $tags | Should -Contain "PSCmdlet_$cmdlet"
            $tags | Should -Contain "PSCommand_$cmdlet"
        }
    }

    It 'WsusRemediationDsc depends on the WsusRemediation built with it and is tagged with its DSC resource' {
        $package = Read-Package 'WsusRemediationDsc'
        $dependency = @($package.Metadata.dependencies.dependency)
        $dependency | Should -HaveCount 1
        $dependency[0].id | Should -BeExactly 'WsusRemediation'
        $dependency[0].version | Should -Be (Read-Package 'WsusRemediation').Version
        $tags = $package.Metadata.tags -split ' '
        $tags | Should -Contain 'PSIncludes_DscResource'
        $tags | Should -Contain 'PSDscResource_WsusPoolTuning'
    }
}

Describe 'The packages installed as PSResourceGet installs from a folder repository' {
    It 'import by name in a new session, with the DSC resource discoverable' {
        # PSResourceGet extracts a package into <modules>/<id>/<version> and deletes the NuGet parts.
        $modules = Join-Path $TestDrive 'Modules'
        foreach ($id in 'WsusRemediation', 'WsusRemediationDsc') {
            $package = Read-Package $id
            $target = Join-Path $modules "$id/$($package.Version)"
            [IO.Compression.ZipFile]::ExtractToDirectory($package.Path, $target)
            Remove-Item -LiteralPath (Join-Path $target "$id.nuspec"), (Join-Path $target '[Content_Types].xml') -Force
            Remove-Item -LiteralPath (Join-Path $target '_rels'), (Join-Path $target 'package') -Recurse -Force
        }

        $fixture = [IO.Path]::Combine($repoRoot, 'tests', 'WsusRemediation.Engine.Tests', 'Fixtures', 'PoolTuning', 'applicationHost.siteserver.config')
        $script = {
            param($Modules, $Fixture)
            $ErrorActionPreference = 'Stop'
            $env:PSModulePath = $Modules
            $null = Test-ModuleManifest -Path (Join-Path $Modules 'WsusRemediationDsc/*/WsusRemediationDsc.psd1')
            $resources = (Get-Module -ListAvailable -Name WsusRemediationDsc).ExportedDscResources
            Import-Module WsusRemediationDsc
            $main = Get-Module WsusRemediation
            $queue = (Get-WsusPoolTuning -ConfigurationPath $Fixture).QueueLength
            '{0}|{1}|{2}' -f ($resources -join ','), $main.ModuleBase, $queue
        }
        $shell = (Get-Process -Id $PID).Path
        $output = & $shell -NoProfile -NonInteractive -OutputFormat Text -Command $script -args $modules, $fixture
        $LASTEXITCODE | Should -Be 0
        $parts = "$output".Trim() -split '\|'
        $parts[0] | Should -Be 'WsusPoolTuning'
        $parts[1] | Should -BeLike "$modules*WsusRemediation*"
        $parts[2] | Should -Be 1000
    }
}
