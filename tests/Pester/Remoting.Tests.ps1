#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2' }
# Remoting-ready objects: Invoke-Command serializes what a cmdlet returns, as Export-Clixml does. Every
# output type must come back with the same table (the views also select Deserialized.<type>) and bind
# to the next cmdlet exactly as the live object does. Runs against the built module in out/WsusRemediation.

BeforeDiscovery {
    $manifestPath = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'WsusRemediation', 'WsusRemediation.psd1')
    Import-Module $manifestPath -Force
    # Every type an exported cmdlet declares in [OutputType], except .NET's own.
    $outputTypes = @(Get-Command -Module WsusRemediation -CommandType Cmdlet |
        ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_.FullName -like 'WsusRemediation.*' } |
        ForEach-Object FullName | Sort-Object -Unique | ForEach-Object { @{ TypeName = $_ } })
    # Types that travel inside an output object and have a view of their own.
    $outputTypes += @{ TypeName = 'WsusRemediation.Engine.Sync.SyncHistoryEntry' }

    # Every enum a property of an output type (or of an object inside one) can hold.
    $reachable = @{}
    $pending = [System.Collections.Generic.Queue[type]]::new()
    Get-Command -Module WsusRemediation -CommandType Cmdlet | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ } | ForEach-Object { $pending.Enqueue($_) }
    while ($pending.Count -gt 0) {
        $type = $pending.Dequeue()
        if ($type.FullName -notlike 'WsusRemediation.*' -or $reachable.ContainsKey($type.FullName)) { continue }
        $reachable[$type.FullName] = $type
        foreach ($property in $type.GetProperties()) {
            $propertyType = $property.PropertyType
            $inner = @(if ($propertyType.IsArray) { $propertyType.GetElementType() } elseif ($propertyType.IsGenericType) { $propertyType.GetGenericArguments() } else { $propertyType })
            foreach ($candidate in $inner) { $pending.Enqueue($candidate) }
        }
    }
    $enums = @($reachable.Values | Where-Object IsEnum | Sort-Object FullName | ForEach-Object { @{ EnumName = $_.FullName } })
}

BeforeAll {
    $manifestPath = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'WsusRemediation', 'WsusRemediation.psd1')
    Import-Module $manifestPath -Force
    $fixtures = [IO.Path]::Combine($PSScriptRoot, '..', 'WsusRemediation.Engine.Tests', 'Fixtures')
    $streakLog = Join-Path $fixtures 'Sync/wsyncmgr.cancelled-streak.log'
    $runningLog = Join-Path $fixtures 'Sync/wsyncmgr.running.cmtrace.log'
    $siteServerConfig = Join-Path $fixtures 'PoolTuning/applicationHost.siteserver.config'

    # One real object per output type, made by the cmdlet that returns it where that works on any
    # OS; the Windows-only results (services, pool) are built from the engine's own types.
    $samples = @{
        'WsusRemediation.Engine.PoolTuning.WsusPoolTuning'    = { Get-WsusPoolTuning -ConfigurationPath $siteServerConfig }
        'WsusRemediation.Engine.PoolTuning.PoolSettingStatus' = { Test-WsusPoolTuning -ConfigurationPath $siteServerConfig -Detailed }
        'WsusRemediation.Engine.Logs.LogEntry'                = { Get-WsusSyncLog -Path (Join-Path $fixtures 'Logs/httperr1.log'), (Join-Path $fixtures 'Logs/wsyncmgr.log') | Select-Object -First 12 }
        'WsusRemediation.Engine.Sync.WsusSyncStatus'          = { Get-WsusSyncStatus -LogPath $streakLog; Get-WsusSyncStatus -LogPath $runningLog }
        'WsusRemediation.Engine.Sync.SyncHistoryEntry'        = { (Get-WsusSyncStatus -LogPath $streakLog).History }
        'WsusRemediation.Engine.Services.SiteServiceStatus'   = {
            [WsusRemediation.Engine.Services.SiteServiceStatus]@{ ComputerName = 'CM01.contoso.com'; Name = 'SMS_SITE_COMPONENT_MANAGER'; DisplayName = 'SMS Site Component Manager'; Kind = 'Service'; Role = 'MECM'; Present = $true; Status = 'StopPending'; StartType = 'Automatic'; Healthy = $false; Note = 'Stopped although its start type is Automatic.' }
            [WsusRemediation.Engine.Services.SiteServiceStatus]@{ ComputerName = 'CM01.contoso.com'; Name = 'WsusPool'; DisplayName = 'WsusPool'; Kind = 'ApplicationPool'; Role = 'WSUS'; Present = $true; Status = 'Started'; Healthy = $true }
            # The longest role and a long note, as SiteServiceInspector writes them.
            [WsusRemediation.Engine.Services.SiteServiceStatus]@{ ComputerName = 'CM01.contoso.com'; Name = 'SMS_NOTIFICATION_SERVER'; DisplayName = 'SMS_NOTIFICATION_SERVER'; Kind = 'Service'; Role = 'MECM management point'; Present = $false; Status = 'NotPresent'; Healthy = $true; Note = 'Not installed on this computer (it may run on another site system).' }
        }
        'WsusRemediation.Engine.Services.ServiceRestartResult' = {
            # The longest real names and texts, so the 80-column check sees the widest table.
            [WsusRemediation.Engine.Services.ServiceRestartResult]@{ ComputerName = 'CM01.contoso.com'; Name = 'SMS_SITE_COMPONENT_MANAGER'; DisplayName = 'SMS Site Component Manager'; Present = $true; StatusBefore = 'Running'; StatusAfter = 'Running'; StartType = 'Automatic'; Action = 'AlreadyRunning'; Duration = [TimeSpan]::FromSeconds(12.5); Error = 'SMS_SITE_COMPONENT_MANAGER did not reach Running within 00:03:00.' }
            [WsusRemediation.Engine.Services.ServiceRestartResult]@{ ComputerName = 'CM01.contoso.com'; Name = 'W3SVC'; DisplayName = 'World Wide Web Publishing Service'; Present = $true; StatusBefore = 'Running'; StatusAfter = 'Running'; StartType = 'Automatic'; Action = 'Restarted'; Duration = [TimeSpan]::FromSeconds(4.5); Note = 'Stopped before WAS and started after it.' }
        }
        'WsusRemediation.Engine.Repair.WsusRepairStep' = { Get-WsusRepairPlan -EvidencePath (Join-Path $fixtures 'Evidence/GuideCase') }
        'WsusRemediation.Engine.Repair.WsusRepairResult' = {
            $steps = [WsusRemediation.Engine.Repair.RepairStepResult[]]@(
                [WsusRemediation.Engine.Repair.RepairStepResult]@{ Order = 1; Name = 'TunePool'; Outcome = 'Done'; Before = 'queueLength=1000'; After = 'queueLength=2000' }
                [WsusRemediation.Engine.Repair.RepairStepResult]@{ Order = 2; Name = 'RestartSmsServices'; Outcome = 'Failed'; Duration = [TimeSpan]::FromSeconds(180); Error = 'SMS_EXECUTIVE did not start.'; ErrorId = 'ServiceStartFailed' }
            )
            [WsusRemediation.Engine.Repair.WsusRepairResult]@{ ComputerName = 'CM01.contoso.com'; Succeeded = $false; Steps = $steps; UpdateCount = 0; Summary = 'The repair of CM01.contoso.com did not succeed: RestartSmsServices failed.' }
        }
        'WsusRemediation.Engine.Hierarchy.SoftwareUpdatePoint' = {
            [WsusRemediation.Engine.Hierarchy.SoftwareUpdatePoint]@{ ComputerName = 'CAS01.corp.contoso.com'; SiteCode = 'CAS'; SiteType = 'CentralAdministrationSite'; WsusPort = 8531; UseSsl = $true; WsusHttpPort = 8530; WsusHttpsPort = 8531; SyncSource = 'MicrosoftUpdate'; SmsProvider = 'CAS01.corp.contoso.com' }
            [WsusRemediation.Engine.Hierarchy.SoftwareUpdatePoint]@{ ComputerName = 'SUP02.corp.contoso.com'; SiteCode = 'P02'; SiteType = 'Primary'; ParentSiteCode = 'CAS'; WsusPort = 80; WsusHttpPort = 80; WsusHttpsPort = 443; SyncSource = 'UpstreamServer'; UpstreamServer = 'CAS01.corp.contoso.com'; SmsProvider = 'CAS01.corp.contoso.com' }
        }
        'WsusRemediation.Engine.Diagnosis.WsusSyncFinding'    = { Get-WsusSyncDiagnosis -EvidencePath (Join-Path $fixtures 'Evidence/GuideCase') }
        'WsusRemediation.Engine.Diagnosis.WsusEvidenceBundle' = { Export-WsusSyncEvidence -Path (Join-Path $TestDrive 'remoting.zip') -SourcePath (Join-Path $fixtures 'Evidence/ProxyCase') -Force }
        'WsusRemediation.Engine.Iis.WsusPoolState' = {
            [WsusRemediation.Engine.Iis.WsusPoolState]@{ ComputerName = 'CM01.contoso.com'; PoolName = 'WsusPool'; StateBefore = 'Stopped'; State = 'Started'; WasStopped = $true; RapidFailProtection = $true; Action = 'Started'; Duration = [TimeSpan]::FromSeconds(3); Message = 'Found stopped (rapid-fail protection), started.' }
        }
    }

    function ConvertTo-Deserialized {
        param([Parameter(ValueFromPipeline)] $InputObject)
        begin { $items = [System.Collections.Generic.List[object]]::new() }
        process { $items.Add($InputObject) }
        end {
            $file = Join-Path $TestDrive ('{0}.clixml' -f [guid]::NewGuid().ToString('N'))
            $items | Export-Clixml -LiteralPath $file
            Import-Clixml -LiteralPath $file
        }
    }

    # "What if:" lines go to the host; a transcript is the way to read them in the same session.
    function Get-WhatIfLine {
        param([scriptblock] $Script)
        $transcript = Join-Path $TestDrive ('{0}.txt' -f [guid]::NewGuid().ToString('N'))
        Start-Transcript -LiteralPath $transcript | Out-Null
        try { & $Script | Out-Null }
        finally { Stop-Transcript | Out-Null }
        @(Get-Content -LiteralPath $transcript | Where-Object { $_ -like 'What if:*' })
    }
}

Describe 'Output types after Export-Clixml / Import-Clixml' {
    It 'has a round-trip sample for <TypeName>' -ForEach $outputTypes {
        $samples.Keys | Should -Contain $TypeName -Because 'every output type needs a sample in $samples (tests/Pester/Remoting.Tests.ps1) so its round trip is tested'
    }

    It '<TypeName> comes back as Deserialized.<TypeName> with the same table at 80 and 120 columns' -ForEach $outputTypes {
        $live = @(& $samples[$TypeName])
        $live.Count | Should -BeGreaterThan 0
        $live[0].GetType().FullName | Should -Be $TypeName
        $copy = @($live | ConvertTo-Deserialized)

        $copy.Count | Should -Be $live.Count
        $copy[0].PSTypeNames[0] | Should -Be "Deserialized.$TypeName"
        foreach ($width in 80, 120) {
            $expected = $live | Format-Table | Out-String -Width $width
            $copy | Format-Table | Out-String -Width $width | Should -Be $expected
        }
    }

    It 'the table of <TypeName> fits 80 columns without a wrapped header' -ForEach $outputTypes {
        # An 80-column console prints at most 79 characters a line (the host keeps the last column free), so 80 columns means 79 here.
        $text = @(& $samples[$TypeName]) | Format-Table | Out-String -Width 79
        $lines = $text -split '\r?\n'
        @($lines | Where-Object { $_.TrimEnd().Length -gt 79 }) | Should -BeNullOrEmpty
        # A header too wide for its column wraps onto more lines (e.g. one letter per line): the line
        # above each header must be empty, or a group line ("   PoolName: WsusPool") followed by one.
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^-+( +-+)* *$') {
                $lines[$i - 2].Trim() | Should -BeNullOrEmpty -Because "the header of $TypeName must be one line at 80 columns:`n$text"
            }
        }
    }

    It 'turns a deserialized <EnumName> back into the enum (WsusRemediation.Types.ps1xml)' -ForEach $enums {
        $typeData = Get-TypeData -TypeName "Deserialized.$EnumName"
        $entry = "  <Type><Name>Deserialized.$EnumName</Name><Members><MemberSet><Name>PSStandardMembers</Name><Members><NoteProperty><Name>TargetTypeForDeserialization</Name><Value>$EnumName</Value></NoteProperty></Members></MemberSet></Members></Type>"
        $typeData | Should -Not -BeNullOrEmpty -Because "every enum reachable from an output type needs this entry in src/WsusRemediation/WsusRemediation.Types.ps1xml:`n$entry`n"
        $typeData.TargetTypeForDeserialization.FullName | Should -Be $EnumName
    }

    It 'compares enum properties of a deserialized status with their names, as scripts do' {
        $copy = Get-WsusSyncStatus -LogPath $streakLog | ConvertTo-Deserialized
        $copy.Health | Should -BeOfType ([WsusRemediation.Engine.Sync.SyncHealth])
        $copy.Health -eq 'Unhealthy' | Should -BeTrue
        $copy.LastResult -eq 'Failed' | Should -BeTrue
        ($copy.History | Where-Object Result -EQ 'Failed').Count | Should -Be 3
    }

    It 'keeps the typed setting values: numbers compare as numbers, time spans as TimeSpan' {
        $settings = @((Get-WsusPoolTuning -ConfigurationPath $siteServerConfig).Settings | ConvertTo-Deserialized)
        $queue = $settings | Where-Object Name -EQ 'queueLength'
        $queue.Current | Should -BeOfType [long]
        $queue.Current -lt $queue.Recommended | Should -BeTrue   # 1000 < 2000; as text '1000' -lt '2000' would hide a 900
        ($settings | Where-Object Name -EQ 'recycling.periodicRestart.time').Current | Should -Be ([TimeSpan]::FromHours(29))
        ($settings | Where-Object Name -EQ 'processModel.pingingEnabled').Recommended | Should -BeFalse
        ($settings | Where-Object Name -EQ 'recycling.periodicRestart.privateMemory').Unit | Should -Be 'KB'
    }
}

Describe 'Deserialized objects piped into the next cmdlet' {
    BeforeEach {
        $config = Join-Path $TestDrive 'applicationHost.config'
        Copy-Item -LiteralPath $siteServerConfig -Destination $config -Force
        $before = [IO.File]::ReadAllBytes($config)
    }

    It 'Get-WsusPoolTuning | Set-WsusPoolTuning -WhatIf says the same changes and writes nothing' {
        $copy = Get-WsusPoolTuning -ConfigurationPath $config | ConvertTo-Deserialized
        $live = Get-WhatIfLine { Get-WsusPoolTuning -ConfigurationPath $config | Set-WsusPoolTuning -WhatIf }
        $remote = Get-WhatIfLine { $copy | Set-WsusPoolTuning -WhatIf }

        $live.Count | Should -Be 5
        $remote | Should -Be $live
        [IO.File]::ReadAllBytes($config) | Should -Be $before
    }

    It 'Export-WsusSyncEvidence | Get-WsusSyncDiagnosis reads the same bundle' {
        $bundle = Export-WsusSyncEvidence -Path (Join-Path $TestDrive 'bundle.zip') -SourcePath (Join-Path $fixtures 'Evidence/ProxyCase')
        $copy = $bundle | ConvertTo-Deserialized
        ($copy | Get-WsusSyncDiagnosis).Id | Should -Be ($bundle | Get-WsusSyncDiagnosis).Id
        ($copy | Get-WsusSyncDiagnosis)[0].Id | Should -Be 'ProxyAuthenticationFailed'
    }

    It 'Get-WsusPoolTuning | Test-WsusPoolTuning answers from the same file' {
        $copy = Get-WsusPoolTuning -ConfigurationPath $config | ConvertTo-Deserialized
        $copy | Test-WsusPoolTuning | Should -BeFalse
        Set-WsusPoolTuning -ConfigurationPath $config -Confirm:$false
        $copy | Test-WsusPoolTuning | Should -BeTrue
    }

    It 'Get-WsusSyncStatus | Invoke-WsusSync -WhatIf targets the same server' {
        $copy = Get-WsusSyncStatus -LogPath $streakLog | ConvertTo-Deserialized
        $live = Get-WhatIfLine { Get-WsusSyncStatus -LogPath $streakLog | Invoke-WsusSync -WhatIf }
        $remote = Get-WhatIfLine { $copy | Invoke-WsusSync -WhatIf }

        $live | Should -Match 'on target "CM01\.CONTOSO\.COM"'
        $remote | Should -Be $live
    }

    It 'Get-WsusServiceStatus | Restart-SmsService -WhatIf binds ComputerName by property name' {
        # A status for a named site server; on Windows Get-WsusServiceStatus would name this machine,
        # which may not be one (the sample behaves the same for the live and the deserialized object).
        $status = & $samples['WsusRemediation.Engine.Services.SiteServiceStatus']
        $copy = $status | ConvertTo-Deserialized
        $computer = @($copy)[0].ComputerName
        if ($IsLinux -or $IsMacOS) {
            # No service control here: PowerShell's own binding trace shows what the cmdlet received.
            $traceFile = Join-Path $TestDrive 'binding.txt'
            Trace-Command -Name ParameterBinding -FilePath $traceFile -Expression {
                try { $copy | Restart-SmsService -WhatIf -ErrorAction Stop } catch { $null = $_ }   # LiveAccessRequiresWindows, after binding
            }
            $trace = Get-Content -LiteralPath $traceFile -Raw
            $trace | Should -Match "ValueFromPipelineByPropertyName NO COERCION\s+(\S+\s+)*?BIND arg \[$([regex]::Escape($computer))\] to parameter \[ComputerName\]"
            $trace | Should -Not -Match 'BIND arg \[[^\]]*SiteServiceStatus\] to param \[ComputerName\] SUCCESSFUL'
        }
        else {
            # CM01.contoso.com is not reachable from a test machine: both objects must get as far, and stop alike.
            $script:liveStop = $script:remoteStop = $null
            $live = Get-WhatIfLine { try { $status | Restart-SmsService -WhatIf -ErrorAction Stop } catch { $script:liveStop = $_.FullyQualifiedErrorId } }
            $remote = Get-WhatIfLine { try { $copy | Restart-SmsService -WhatIf -ErrorAction Stop } catch { $script:remoteStop = $_.FullyQualifiedErrorId } }
            $remote | Should -Be $live
            $script:remoteStop | Should -Be $script:liveStop
        }
    }
}
