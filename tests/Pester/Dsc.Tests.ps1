#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2' }
# The WsusPoolTuning DSC resource (out/WsusRemediationDsc) called as the DSC engines call it:
# a new instance, properties set, then Get(), Test() or Set(), on copies of real-shaped
# applicationHost.config files. Also what DSC discovery reads from the manifest.

BeforeAll {
    $outFolder = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out'))
    $dscManifestPath = [IO.Path]::Combine($outFolder, 'WsusRemediationDsc', 'WsusRemediationDsc.psd1')
    $mainManifestPath = [IO.Path]::Combine($outFolder, 'WsusRemediation', 'WsusRemediation.psd1')
    $fixtures = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', 'WsusRemediation.Engine.Tests', 'Fixtures', 'PoolTuning'))

    # RequiredModules = 'WsusRemediation' is resolved by name, as on a node: both modules on PSModulePath.
    $savedModulePath = $env:PSModulePath
    $env:PSModulePath = $outFolder + [IO.Path]::PathSeparator + $env:PSModulePath
    $dscModule = Import-Module -Name $dscManifestPath -Force -PassThru
    $resourceType = & $dscModule { [WsusPoolTuning] }

    function New-Resource {
        param([hashtable] $Property)
        $resource = $resourceType::new()
        foreach ($name in $Property.Keys) {
            $resource.$name = $Property[$name]
        }
        $resource
    }

    # Base64 of the file: compares every byte, in one string comparison instead of one per byte.
    function Get-Bytes([string] $Path) {
        [Convert]::ToBase64String([IO.File]::ReadAllBytes($Path))
    }

    function Copy-Fixture {
        param([string] $Name)
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $path = Join-Path $folder 'applicationHost.config'
        Copy-Item -LiteralPath (Join-Path $fixtures $Name) -Destination $path
        $path
    }
}

AfterAll {
    Remove-Module -Name WsusRemediationDsc, WsusRemediation -Force -ErrorAction SilentlyContinue
    $env:PSModulePath = $savedModulePath
}

Describe 'The WsusRemediationDsc manifest' {
    It 'is found by DSC discovery with the WsusPoolTuning resource (ExportedDscResources)' {
        $available = Get-Module -ListAvailable -Name $dscManifestPath
        @($available.ExportedDscResources) | Should -Be @('WsusPoolTuning')
    }

    It 'requires WsusRemediation, exports the resource, and has the same version as WsusRemediation' {
        $manifest = Import-PowerShellDataFile -Path $dscManifestPath
        $manifest.RootModule | Should -Be 'WsusRemediationDsc.psm1'
        @($manifest.RequiredModules) | Should -Be @('WsusRemediation')
        @($manifest.DscResourcesToExport) | Should -Be @('WsusPoolTuning')
        $manifest.ModuleVersion | Should -Be (Import-PowerShellDataFile -Path $mainManifestPath).ModuleVersion
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
    }

    It 'does not declare AliasesToExport, which would empty ExportedDscResources' {
        (Import-PowerShellDataFile -Path $dscManifestPath).ContainsKey('AliasesToExport') | Should -BeFalse
    }

    It 'passes Test-ModuleManifest, like the WsusRemediation manifest' {
        foreach ($path in $dscManifestPath, $mainManifestPath) {
            $warnings = $null
            { Test-ModuleManifest -Path $path -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue } | Should -Not -Throw
            $warnings | Should -BeNullOrEmpty -Because $path
        }
    }

    It 'names no URI that does not exist (no ProjectUri or LicenseUri)' {
        foreach ($path in $dscManifestPath, $mainManifestPath) {
            $psData = (Import-PowerShellDataFile -Path $path).PrivateData.PSData
            $psData.Keys | Should -Not -Contain 'ProjectUri'
            $psData.Keys | Should -Not -Contain 'LicenseUri'
            $psData.ReleaseNotes | Should -Not -BeNullOrEmpty
        }
    }

    It 'has the about_WsusRemediationDsc topic with a configuration for each engine' {
        $about = Get-Help -Name about_WsusRemediationDsc | Out-String
        $about | Should -Match 'Import-DscResource -ModuleName WsusRemediationDsc'
        $about | Should -Match 'Invoke-DscResource'
        $about | Should -Match 'type: WsusRemediationDsc/WsusPoolTuning'
    }

    It 'ships a LICENSE in each module folder' {
        Join-Path $outFolder 'WsusRemediation/LICENSE' | Should -Exist
        Join-Path $outFolder 'WsusRemediationDsc/LICENSE' | Should -Exist
    }
}

Describe 'The WsusPoolTuning class' {
    It 'has a DSC property for every setting Set-WsusPoolTuning takes, with the same name' {
        $settingNames = (Get-WsusPoolTuning -ConfigurationPath (Join-Path $fixtures 'applicationHost.siteserver.config')).Settings |
            ForEach-Object { $_.Definition.PropertyName }
        $dscProperties = $resourceType.GetProperties() |
            Where-Object { $_.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $false) } |
            ForEach-Object Name
        $setParameters = (Get-Command Set-WsusPoolTuning).Parameters.Keys
        foreach ($name in $settingNames) {
            $dscProperties | Should -Contain $name
            $setParameters | Should -Contain $name
        }
    }

    It 'has the key Name and the read-only IsCompliant and Reasons' {
        $attribute = { param($name) $resourceType.GetProperty($name).GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $false)[0] }
        (& $attribute 'Name').Key | Should -BeTrue
        (& $attribute 'IsCompliant').NotConfigurable | Should -BeTrue
        (& $attribute 'Reasons').NotConfigurable | Should -BeTrue
        (& $attribute 'Profile').Key | Should -BeFalse
    }
}

Describe 'WsusPoolTuning on the site server configuration' {
    BeforeEach {
        $config = Copy-Fixture 'applicationHost.siteserver.config'
        $folder = Split-Path $config
        $before = (Get-Bytes $config)
    }

    It 'is not compliant, Set makes it compliant after one backup, and Get tells what differed' {
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config }
        $state = $resource.Get()
        $state.IsCompliant | Should -BeFalse
        $state.QueueLength | Should -Be 1000
        $state.IdleTimeout | Should -Be '00:20:00'
        @($state.Reasons.Code) | Should -Contain 'WsusPoolTuning:WsusPoolTuning:QueueLength'
        ($state.Reasons | Where-Object Code -Like '*QueueLength').Phrase | Should -Match '1000.*2000'
        $resource.Test() | Should -BeFalse

        $resource.Set()

        $resource.Test() | Should -BeTrue
        $after = $resource.Get()
        $after.IsCompliant | Should -BeTrue
        @($after.Reasons) | Should -HaveCount 0
        $after.QueueLength | Should -Be 2000
        @(Get-ChildItem -LiteralPath $folder -File | Where-Object Name -ne 'applicationHost.config') | Should -HaveCount 1
        # The backup holds the file as it was.
        $backup = Get-ChildItem -LiteralPath $folder -File | Where-Object Name -ne 'applicationHost.config'
        (Get-Bytes $backup.FullName) | Should -Be $before
    }

    It 'changes no byte and makes no backup on a second Set' {
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config; Profile = 'LargeEnvironment' }
        $resource.Set()
        $afterFirst = (Get-Bytes $config)
        $filesAfterFirst = @(Get-ChildItem -LiteralPath $folder -File).Count

        $resource.Set()

        (Get-Bytes $config) | Should -Be $afterFirst
        @(Get-ChildItem -LiteralPath $folder -File).Count | Should -Be $filesAfterFirst
        $resource.Get().QueueLength | Should -Be 30000
    }

    It 'Get and Test change nothing' {
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config }
        $null = $resource.Get()
        $null = $resource.Test()
        (Get-Bytes $config) | Should -Be $before
        @(Get-ChildItem -LiteralPath $folder -File) | Should -HaveCount 1
    }

    It 'manages only the explicit settings when no profile is given' {
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config; QueueLength = 25000; RegularTimeInterval = '30:00:00' }
        $resource.Test() | Should -BeFalse
        @($resource.Get().Reasons.Code) | Should -Be @('WsusPoolTuning:WsusPoolTuning:QueueLength', 'WsusPoolTuning:WsusPoolTuning:RegularTimeInterval')

        $resource.Set()

        $resource.Test() | Should -BeTrue
        $tuning = Get-WsusPoolTuning -ConfigurationPath $config
        $tuning.QueueLength | Should -Be 25000
        $tuning.RegularTimeInterval | Should -Be ([TimeSpan]::FromHours(30))
        # Unmanaged: the idle time-out and the memory limit keep their values.
        $tuning.IdleTimeout | Should -Be ([TimeSpan]::FromMinutes(20))
        $tuning.PrivateMemoryLimitKB | Should -Be 1843200
    }

    It 'lets explicit settings override the profile' {
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config; Profile = 'Recommended'; QueueLength = 4000 }
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $tuning = Get-WsusPoolTuning -ConfigurationPath $config
        $tuning.QueueLength | Should -Be 4000
        $tuning.IdleTimeout | Should -Be ([TimeSpan]::Zero)
    }

    It 'refuses Enable32BitAppOnWin64 = true without Force and changes nothing' {
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config; Enable32BitAppOnWin64 = $true }
        $resource.Test() | Should -BeFalse
        { $resource.Set() } | Should -Throw '*Force*'
        (Get-Bytes $config) | Should -Be $before
        @(Get-ChildItem -LiteralPath $folder -File) | Should -HaveCount 1
    }

    It 'sets Enable32BitAppOnWin64 = true only with Force' {
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config; Enable32BitAppOnWin64 = $true; Force = $true }
        $resource.Set() 3>$null
        (Get-WsusPoolTuning -ConfigurationPath $config 3>$null).Enable32BitAppOnWin64 | Should -BeTrue
        $resource.Test() | Should -BeTrue
    }

    It 'refuses a queue length of 5 with the module''s own message, in Test and in Set, and changes nothing' {
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config; QueueLength = 5 }
        { $resource.Test() } | Should -Throw '*between 10 and 65535*'
        { $resource.Set() } | Should -Throw
        (Get-Bytes $config) | Should -Be $before
    }

    It 'fails on a pool that does not exist and changes nothing' {
        $resource = New-Resource @{ Name = 'NoSuchPool'; ConfigurationPath = $config }
        { $resource.Get() } | Should -Throw
        { $resource.Set() } | Should -Throw
        (Get-Bytes $config) | Should -Be $before
    }

    It 'manages another pool by its literal name and leaves WsusPool alone' {
        $resource = New-Resource @{ Name = 'DefaultAppPool'; ConfigurationPath = $config; QueueLength = 3000 }
        $resource.Set()
        (Get-WsusPoolTuning -ConfigurationPath $config -PoolName DefaultAppPool).QueueLength | Should -Be 3000
        (Get-WsusPoolTuning -ConfigurationPath $config -PoolName WsusPool).QueueLength | Should -Be 1000
    }

    It 'puts the backup in BackupPath when given' {
        $backupFolder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $backupFolder
        (New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config; BackupPath = $backupFolder }).Set()
        @(Get-ChildItem -LiteralPath $backupFolder -File) | Should -HaveCount 1
        @(Get-ChildItem -LiteralPath $folder -File) | Should -HaveCount 1
    }
}

Describe 'WsusPoolTuning with Name WsusPool where WSUS runs in another pool' {
    It 'manages the pool that serves WSUS and turns its Enable 32-Bit Applications off' {
        $config = Copy-Fixture 'applicationHost.custompool.config'
        $resource = New-Resource @{ Name = 'WsusPool'; ConfigurationPath = $config }
        @($resource.Get().Reasons.Code) | Should -Contain 'WsusPoolTuning:WsusPoolTuning:Enable32BitAppOnWin64'

        $resource.Set() 3>$null

        $resource.Test() | Should -BeTrue
        (Get-WsusPoolTuning -ConfigurationPath $config -PoolName WsusCustomPool).Enable32BitAppOnWin64 | Should -BeFalse
        (Get-WsusPoolTuning -ConfigurationPath $config -PoolName WsusPool).QueueLength | Should -Be 1000
    }
}

Describe 'WsusPoolTuning on the live server' {
    It 'passes no -PoolName for WsusPool (the pool that serves WSUS) and no -ConfigurationPath' {
        Mock -ModuleName WsusRemediationDsc Set-WsusPoolTuning { }
        (New-Resource @{ Name = 'WsusPool'; Profile = 'LargeEnvironment'; PrivateMemoryLimitKB = 0 }).Set()
        Should -Invoke -ModuleName WsusRemediationDsc Set-WsusPoolTuning -Times 1 -Exactly -ParameterFilter {
            -not $PSBoundParameters.ContainsKey('PoolName') -and -not $PSBoundParameters.ContainsKey('ConfigurationPath') -and
            $Profile -eq 'LargeEnvironment' -and $PrivateMemoryLimitKB -eq 0 -and -not $PSBoundParameters.ContainsKey('QueueLength') -and
            -not $Force
        }
    }

    It 'passes the pool name for any other pool' {
        Mock -ModuleName WsusRemediationDsc Set-WsusPoolTuning { }
        (New-Resource @{ Name = 'WsusCustomPool' }).Set()
        Should -Invoke -ModuleName WsusRemediationDsc Set-WsusPoolTuning -Times 1 -Exactly -ParameterFilter {
            $PoolName -eq 'WsusCustomPool' -and -not $PSBoundParameters.ContainsKey('Profile')
        }
    }
}
