#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The two bridge scripts the engine embeds (WSUS API, SMS Provider), run for real. The script text comes
# from the engine; it runs in a child PowerShell started by the engine's own runner with the engine's own
# start info (here pwsh instead of powershell.exe, the only difference); what Windows would provide is
# stood in for: a compiled Microsoft.UpdateServices.Administration with the API's names, and CimCmdlets
# functions answering like the SMS Provider. What the child prints is parsed by the engine's contract code.
# A last block checks that the scripts use nothing newer than Windows PowerShell 5.1.

BeforeAll {
    $out = Join-Path $PSScriptRoot '../../out/WsusRemediation'
    $engine = [Reflection.Assembly]::LoadFrom((Resolve-Path (Join-Path $out 'WsusRemediation.Engine.dll')).ProviderPath)
    $instance = [Reflection.BindingFlags]'NonPublic, Instance'
    $static = [Reflection.BindingFlags]'NonPublic, Static'
    $none = [Threading.CancellationToken]::None

    # The engine's runner, pointed at this PowerShell: Run, CreateStartInfo, the preamble and the timeout
    # handling are the product's.
    $pwsh = (Get-Process -Id $PID).Path
    $runnerType = $engine.GetType('WsusRemediation.Engine.Windows.WindowsPowerShellProcess')
    $runner = $runnerType.GetConstructor($instance, $null, [type[]]@([string]), $null).Invoke(@([string]$pwsh))

    # Where the script looks for the WSUS API: $env:ProgramFiles\Update Services\Api.
    $programFiles = Join-Path $TestDrive 'Program Files'
    $api = New-Item -ItemType Directory -Path (Join-Path $programFiles 'Update Services/Api') -Force
    $standInSource = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'BridgeStandIns/UpdateServicesAdministration.cs')
    Add-Type -TypeDefinition $standInSource -OutputAssembly (Join-Path $api 'Microsoft.UpdateServices.Administration.dll') -OutputType Library
    $standInModules = Join-Path $PSScriptRoot 'BridgeStandIns'
    $calls = Join-Path $TestDrive 'calls.txt'

    function New-WsusAdapter([string] $ComputerName, [int] $Port = 8530, [bool] $UseSsl = $false) {
        [WsusRemediation.Engine.Windows.WsusApiAdapter]::new($ComputerName, $runner, $false, $Port, $UseSsl)
    }

    function New-ConfigMgrAdapter([string] $ComputerName) {
        [WsusRemediation.Engine.Windows.ConfigMgrProviderAdapter]::new($ComputerName, $runner)
    }

    # The exact text the adapter hands to the child (internal Script method), for the raw-output tests.
    function Get-BridgeScript($Adapter, [object[]] $Arguments) {
        $Adapter.GetType().GetMethod('Script', $instance).Invoke($Adapter, $Arguments)
    }

    # Runs $StandInAction with the child's Windows stand-ins in the environment it inherits, then puts it back.
    function Invoke-WithStandIns([hashtable] $Environment, [scriptblock] $StandInAction) {
        $settings = @{
            ProgramFiles              = $programFiles
            COMPUTERNAME              = 'CM01'
            TZ                        = 'Europe/Berlin'
            PSModulePath              = $standInModules + [IO.Path]::PathSeparator + $env:PSModulePath
            WSUSREM_STANDIN_CALLS     = $calls
            WSUSREM_STANDIN_SCENARIO  = 'Idle'
            WSUSREM_CIM_SCENARIO      = 'Site'
        }
        foreach ($key in $Environment.Keys) { $settings[$key] = $Environment[$key] }
        $saved = @{}
        foreach ($key in $settings.Keys) {
            $saved[$key] = [Environment]::GetEnvironmentVariable($key)
            [Environment]::SetEnvironmentVariable($key, $settings[$key])
        }
        Remove-Item -LiteralPath $calls -ErrorAction SilentlyContinue
        try { & $StandInAction }
        finally {
            foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
        }
    }

    function Get-Calls { if (Test-Path -LiteralPath $calls) { @(Get-Content -LiteralPath $calls) } else { @() } }

    # The engine error inside the MethodInvocationException PowerShell wraps it in.
    function Get-EngineError([scriptblock] $Action) {
        try { & $Action; $null }
        catch {
            $e = $_.Exception
            while ($null -ne $e -and $e -isnot [WsusRemediation.Engine.Common.WsusRemediationException]) { $e = $e.InnerException }
            $e
        }
    }
}

Describe 'The WSUS-settings script for another server, run as the child runs it' {
    It 'reads the settings through the WSUS API at the update point''s port and scheme, and leaves the content folder to the server' {
        $inspector = [WsusRemediation.Engine.Windows.WsusServerInspector]::new($runner, 'sup01.contoso.com', 8531, $true)
        $facts = Invoke-WithStandIns @{} { $inspector.Read($none) }

        Get-Calls | Should -Be @('GetUpdateServer(sup01.contoso.com,True,8531)', 'GetConfiguration()')
        $facts.Configuration.UpstreamServerName | Should -Be 'cas01.contoso.com'
        $facts.Configuration.UpstreamServerPort | Should -Be 8531
        $facts.Configuration.UpstreamServerUseSsl | Should -BeTrue
        $facts.Configuration.UseProxy | Should -BeFalse
        $facts.ContentFolderSddl | Should -BeNullOrEmpty
        $facts.Notes | Should -Be @('Content folder: its access rules are read on the server itself; run the command there.')
        $inspector.Endpoint | Should -Be 'https://sup01.contoso.com:8531'
    }

    It 'names the address it tried when the server does not answer there' {
        $inspector = [WsusRemediation.Engine.Windows.WsusServerInspector]::new($runner, 'sup01.contoso.com', 8530, $false)
        $facts = Invoke-WithStandIns @{ WSUSREM_STANDIN_SCENARIO = 'Unreachable' } { $inspector.Read($none) }

        $facts.Configuration | Should -BeNullOrEmpty
        $facts.Notes[0] | Should -BeLike 'WSUS API (http://sup01.contoso.com:8530): *Unable to connect to the remote server*'
    }

    It 'reads this computer''s WSUS through its own default connection' {
        $facts = Invoke-WithStandIns @{} { [WsusRemediation.Engine.Windows.WsusServerInspector]::new($runner).Read($none) }

        Get-Calls | Should -Be @('GetUpdateServer()', 'GetConfiguration()')
        $facts.Configuration.UpstreamServerName | Should -Be 'cas01.contoso.com'
    }
}

Describe 'The WSUS bridge script, run as the child runs it' {
    It 'reads status, progress, last synchronization and history into the engine snapshot' {
        $snapshot = Invoke-WithStandIns @{ WSUSREM_STANDIN_SCENARIO = 'Running' } { (New-WsusAdapter 'wsus01.contoso.com' 8531 $true).Read(2, $none) }

        $snapshot.ServerName | Should -Be 'wsus01.contoso.com'
        $snapshot.Status | Should -Be 'Running'
        $snapshot.Phase | Should -Be 'Updates'
        $snapshot.ProcessedItems | Should -Be 3100
        $snapshot.TotalItems | Should -Be 9873
        # The stand-in hands out its history oldest first; the script sorts it and keeps the newest two.
        $snapshot.History.Count | Should -Be 2
        $snapshot.History[0].Result | Should -Be 'Canceled'
        $snapshot.History[0].Error | Should -Be 'UserCanceled'
        $snapshot.History[0].StartedManually | Should -BeTrue
        $snapshot.History[1].Result | Should -Be 'Failed'
        $snapshot.LastSynchronization.Result | Should -Be 'Canceled'
        Get-Calls | Should -Contain 'GetUpdateServer(wsus01.contoso.com,True,8531)'
    }

    It 'keeps the API''s UTC times as they are, whatever the child''s time zone' {
        $snapshot = Invoke-WithStandIns @{} { (New-WsusAdapter 'CM01').Read(5, $none) }

        $snapshot.Status | Should -Be 'NotProcessing'
        $snapshot.ProcessedItems | Should -Be 0
        $snapshot.LastSynchronization.StartTime | Should -Be ([datetime]::new(2026, 11, 9, 10, 0, 5, 311, [DateTimeKind]::Utc))
        $snapshot.LastSynchronization.StartTime.Kind | Should -Be 'Utc'
        $snapshot.LastSynchronization.EndTime | Should -Be ([datetime]::new(2026, 11, 9, 10, 6, 45, 18, [DateTimeKind]::Utc))
        $snapshot.History.Count | Should -Be 3
        $snapshot.History[2].Result | Should -Be 'Succeeded'
        $snapshot.History[2].EndTime | Should -Be ([datetime]::new(2026, 11, 8, 3, 4, 12, 500, [DateTimeKind]::Utc))
    }

    It 'prints one line of pure ASCII that carries non-ASCII text intact' {
        $script = Get-BridgeScript (New-WsusAdapter 'CM01') @('Read', 5)
        $printed = Invoke-WithStandIns @{} { $runner.Run($script, [TimeSpan]::FromMinutes(1), $none) }

        $lines = @($printed -split '\r?\n' | Where-Object { $_ })
        $lines.Count | Should -Be 1
        $lines[0] | Should -Match '^[\x20-\x7E]+$'
        $snapshot = [WsusRemediation.Engine.Sync.SyncBridgeContract]::ParseWsusStatus($printed, 'CM01')
        $snapshot.History[1].ErrorText | Should -BeLike "*(`u{2026}) `u{2014} `u{00AB} Zürich `u{00BB} `u{1F600}"
    }

    It 'reports a server that never synchronized without inventing times' {
        $snapshot = Invoke-WithStandIns @{ WSUSREM_STANDIN_SCENARIO = 'NeverRun' } { (New-WsusAdapter $null).Read(5, $none) }

        $snapshot.ServerName | Should -Be 'CM01'
        $snapshot.LastSynchronization.Result | Should -Be 'NeverRun'
        $snapshot.LastSynchronization.StartTime | Should -BeNullOrEmpty
        $snapshot.History.Count | Should -Be 0
        Get-Calls | Should -Contain 'GetUpdateServer()'
    }

    It 'starts a synchronization' {
        Invoke-WithStandIns @{} { (New-WsusAdapter 'CM01').StartSynchronization($none) }

        Get-Calls | Should -Be @('GetUpdateServer(CM01,False,8530)', 'GetSubscription()', 'StartSynchronization()')
    }

    It 'maps <Scenario> at <Call> to <ErrorId>' -ForEach @(
        @{ Scenario = 'SavingConfiguration'; Call = 'Start'; ErrorId = 'WsusSyncStartRefused'; Kind = 'ResourceBusy' }
        @{ Scenario = 'Unauthorized'; Call = 'Start'; ErrorId = 'WsusAccessDenied'; Kind = 'PermissionDenied' }
        @{ Scenario = 'ConnectUnauthorized'; Call = 'Read'; ErrorId = 'WsusAccessDenied'; Kind = 'PermissionDenied' }
        @{ Scenario = 'PoolDown'; Call = 'Read'; ErrorId = 'WsusServerUnreachable'; Kind = 'ConnectionError' }
        @{ Scenario = 'Unreachable'; Call = 'Read'; ErrorId = 'WsusServerUnreachable'; Kind = 'ConnectionError' }
    ) {
        $adapter = New-WsusAdapter 'CM01'
        $failure = Invoke-WithStandIns @{ WSUSREM_STANDIN_SCENARIO = $Scenario } {
            Get-EngineError { if ($Call -eq 'Start') { $adapter.StartSynchronization($none) } else { $null = $adapter.Read(5, $none) } }
        }

        $failure | Should -Not -BeNullOrEmpty
        $failure.ErrorId | Should -Be $ErrorId
        $failure.Kind | Should -Be $Kind
    }

    It 'says the API is not installed when its assembly is missing' {
        $failure = Invoke-WithStandIns @{ ProgramFiles = (Join-Path $TestDrive 'empty') } { Get-EngineError { (New-WsusAdapter 'CM01').Read(5, $none) } }

        $failure.ErrorId | Should -Be 'WsusApiNotInstalled'
    }
}

Describe 'The SMS Provider bridge script, run as the child runs it' {
    It 'finds the local site, reads every update point and counts the updates' {
        $snapshot = Invoke-WithStandIns @{} { (New-ConfigMgrAdapter $null).Read($true, $none) }

        $snapshot.SiteCode | Should -Be 'PS1'
        $snapshot.ProviderMachine | Should -Be 'CM01.contoso.com'
        $snapshot.UpdateCount | Should -Be 130
        $snapshot.UpdateCountError | Should -BeNullOrEmpty
        $snapshot.UpdatePoints.Count | Should -Be 2
        $top = $snapshot.UpdatePoints | Where-Object WsusServerName -EQ 'CM01.contoso.com'
        $top.WsusSourceServer | Should -Be 'Microsoft Update'
        $top.LastSyncState | Should -Be 6703
        $top.LastSyncErrorCode | Should -Be 2148734208
        $top.SyncCatalogVersion | Should -Be 58
        $calls = Get-Calls
        $calls | Should -Contain 'Get-CimInstance local root\SMS SMS_ProviderLocation timeout=0'
        $calls | Should -Contain 'Get-CimInstance local root\SMS\site_PS1 SMS_SUPSyncStatus timeout=0'
        $calls | Where-Object { $_ -like '*SELECT CI_ID FROM SMS_SoftwareUpdate*' } | Should -Match 'timeout=90$'
    }

    # The rule the script applies, stated and tested: CIM hands WMI datetimes over as DateTime values; a
    # Utc one is kept, any other (Local: CIM converted it to the reader's zone; Unspecified: no offset was
    # given) is read as the child's local time and converted with the zone's rules for that date.
    It 'converts SMS_SUPSyncStatus times to UTC by the stated rule' {
        $snapshot = Invoke-WithStandIns @{} { (New-ConfigMgrAdapter $null).Read($false, $none) }

        $top = $snapshot.UpdatePoints | Where-Object WsusServerName -EQ 'CM01.contoso.com'
        $child = $snapshot.UpdatePoints | Where-Object WsusServerName -EQ 'SUP02.contoso.com'
        # Local 11:06:52 in Berlin (UTC+1 in November) is 10:06:52 UTC.
        $top.LastSyncStateTime | Should -Be ([datetime]::new(2026, 11, 9, 10, 6, 52, [DateTimeKind]::Utc))
        # Unspecified 04:08:03 is read as Berlin time too.
        $top.LastSuccessfulSyncTime | Should -Be ([datetime]::new(2026, 11, 8, 3, 8, 3, [DateTimeKind]::Utc))
        # Utc stays.
        $child.LastSyncStateTime | Should -Be ([datetime]::new(2026, 11, 8, 3, 10, 0, [DateTimeKind]::Utc))
        $child.LastSuccessfulSyncTime | Should -BeNullOrEmpty
        $snapshot.UpdateCount | Should -BeNullOrEmpty
        Get-Calls | Where-Object { $_ -like '*SMS_SoftwareUpdate*' } | Should -BeNullOrEmpty
    }

    It 'leaves the count out and says why when counting outlasts its limit, and still returns the status' {
        $adapter = New-ConfigMgrAdapter $null
        $adapter.GetType().GetProperty('CountTimeout').SetValue($adapter, [TimeSpan]::Zero)

        $snapshot = Invoke-WithStandIns @{ WSUSREM_CIM_SCENARIO = 'SlowCount' } { $adapter.Read($true, $none) }

        $snapshot.UpdateCount | Should -BeNullOrEmpty
        $snapshot.UpdateCountError | Should -Match 'Counting SMS_SoftwareUpdate took over 0 s'
        $snapshot.UpdatePoints.Count | Should -Be 2
    }

    It 'reaches an SMS Provider on another machine through a DCOM session' {
        $snapshot = Invoke-WithStandIns @{ WSUSREM_CIM_SCENARIO = 'ProviderElsewhere' } { (New-ConfigMgrAdapter $null).Read($false, $none) }

        $snapshot.ProviderMachine | Should -Be 'SMSPROV02.contoso.com'
        $calls = Get-Calls
        $calls | Should -Contain 'New-CimSession SMSPROV02.contoso.com Dcom'
        $calls | Should -Contain 'Get-CimInstance SMSPROV02.contoso.com root\SMS\site_PS1 SMS_SUPSyncStatus timeout=0'
    }

    It 'tells a child site by the site codes of its update points, and Invoke through the engine names the top-level site' {
        $snapshot = Invoke-WithStandIns @{ WSUSREM_CIM_SCENARIO = 'ChildSite' } { (New-ConfigMgrAdapter $null).Read($false, $none) }

        ($snapshot.UpdatePoints | ForEach-Object SiteCode) | Should -Be @('CS1', 'PS1')
        [WsusRemediation.Engine.Sync.SiteHierarchy]::TopLevelSiteOfChild($snapshot) | Should -Be 'CS1'

        $service = [WsusRemediation.Engine.Sync.SyncStatusService]::new([WsusRemediation.Engine.Common.SystemClock]::Instance, $null, (New-ConfigMgrAdapter $null), $null, $null)
        $trigger = Invoke-WithStandIns @{ WSUSREM_CIM_SCENARIO = 'ChildSite' } { $service.Start('ConfigMgr', $false, $null, $none, $null) }
        $trigger.Method | Should -Be 'SyncNow'
        $trigger.TopLevelSiteCode | Should -Be 'CS1'
    }

    It 'calls SyncNow with fullSync as a Boolean: <FullSync>' -ForEach @(@{ FullSync = $true }, @{ FullSync = $false }) {
        Invoke-WithStandIns @{} { (New-ConfigMgrAdapter $null).SyncNow($FullSync, $none) }

        Get-Calls | Should -Be @('Get-CimInstance local root\SMS SMS_ProviderLocation timeout=0', "Invoke-CimMethod local root\SMS\site_PS1 SMS_SoftwareUpdate.SyncNow fullSync=$FullSync (System.Boolean)")
    }

    It 'reaches a named site server through a DCOM session' {
        Invoke-WithStandIns @{} { (New-ConfigMgrAdapter 'CM01.contoso.com').SyncNow($false, $none) }

        Get-Calls | Should -Be @('New-CimSession CM01.contoso.com Dcom', 'Get-CimInstance CM01.contoso.com root\SMS SMS_ProviderLocation timeout=0', 'Invoke-CimMethod CM01.contoso.com root\SMS\site_PS1 SMS_SoftwareUpdate.SyncNow fullSync=False (System.Boolean)')
    }

    It 'maps <Scenario> to <ErrorId>' -ForEach @(
        @{ Scenario = 'AccessDenied'; ErrorId = 'ConfigMgrAccessDenied'; Operation = 'Read' }
        @{ Scenario = 'NoLocalProvider'; ErrorId = 'ConfigMgrProviderUnavailable'; Operation = 'Read' }
        @{ Scenario = 'SyncNowRefused'; ErrorId = 'ConfigMgrSyncNowFailed'; Operation = 'SyncNow' }
    ) {
        $adapter = New-ConfigMgrAdapter $null
        $failure = Invoke-WithStandIns @{ WSUSREM_CIM_SCENARIO = $Scenario } {
            Get-EngineError { if ($Operation -eq 'SyncNow') { $adapter.SyncNow($false, $none) } else { $null = $adapter.Read($false, $none) } }
        }

        $failure.ErrorId | Should -Be $ErrorId
    }
}

Describe 'The bridge scripts use nothing newer than Windows PowerShell 5.1' {
    BeforeAll {
        # What PowerShell 6 and 7 added to the language, and the cmdlet parameters and members that only exist
        # there, found in a script's syntax tree. Windows PowerShell 5.1 runs the bridge scripts, so any of
        # these would break them there while they pass every test here.
        $newParameters = @{
            'ForEach-Object'  = 'Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob'
            'ConvertTo-Json'  = 'AsArray', 'EnumsAsStrings', 'EscapeHandling'
            'ConvertFrom-Json' = 'AsHashtable', 'Depth', 'NoEnumerate', 'DateKind'
            'Sort-Object'     = 'Top', 'Bottom', 'Stable'
            'Get-Date'        = 'AsUTC', 'UnixTimeSeconds', 'FromUnixTime'
            'Join-Path'       = 'AdditionalChildPath'
            'Split-Path'      = 'Extension', 'LeafBase'
            'Get-Content'     = 'AsByteStream'
            'Set-Content'     = 'AsByteStream'
            'Select-Object'   = 'SkipIndex', 'CaseInsensitive'
            'Where-Object'    = 'Not'
        }
        $newCommands = 'Join-String', 'Get-Error', 'Test-Json', 'ConvertFrom-Markdown', 'Get-Uptime', 'Remove-Alias', 'Remove-Service', 'Get-PSSubsystem', 'ConvertTo-CliXml', 'ConvertFrom-CliXml'
        $newVariables = 'IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle', 'PSNativeCommandUseErrorActionPreference', 'PSNativeCommandArgumentPassing', 'EnabledExperimentalFeatures'
        $newMembers = 'ReplaceLineEndings', 'ThrowIfNull', 'ThrowIfNullOrEmpty', 'ProcessPath', 'IsWindows', 'Clamp', 'GetValueOrDefault', 'TryAdd', 'AsSpan'
        $newTypes = 'semver', 'System.Management.Automation.SemanticVersion', 'HashCode', 'OperatingSystem', 'System.Text.Json.JsonSerializer', 'System.Range', 'System.Index'

        function Find-NewerThan51([string] $Script) {
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($Script, [ref] $tokens, [ref] $errors)
            foreach ($e in $errors) { "parse error: $($e.Message)" }
            $found = $ast.FindAll({ $true }, $true)
            foreach ($node in $found) {
                $text = $node.Extent.Text
                switch ($node.GetType().Name) {
                    'TernaryExpressionAst' { "ternary operator: $text" }
                    'PipelineChainAst' { "pipeline chain && / ||: $text" }
                    'BinaryExpressionAst' {
                        if ($node.Operator -eq 'QuestionQuestion') { "?? operator: $text" }
                        if ($node.Operator -match 'replace$' -and $node.Right -is [System.Management.Automation.Language.ArrayLiteralAst] -and
                            $node.Right.Elements.Count -eq 2 -and $node.Right.Elements[1] -is [System.Management.Automation.Language.ScriptBlockExpressionAst]) { "-replace with a script block: $text" }
                    }
                    'AssignmentStatementAst' { if ($node.Operator -eq 'QuestionQuestionEquals') { "??= operator: $text" } }
                    'MemberExpressionAst' {
                        if ($node.NullConditional) { "?. operator: $text" }
                        if ($node.Member.Value -in $newMembers) { "member only in .NET Core / PowerShell 7: $text" }
                    }
                    'InvokeMemberExpressionAst' {
                        if ($node.NullConditional) { "?. operator: $text" }
                        if ($node.Member.Value -in $newMembers) { "member only in .NET Core / PowerShell 7: $text" }
                    }
                    'IndexExpressionAst' { if ($node.NullConditional) { "?[] operator: $text" } }
                    'NamedBlockAst' { if ($node.BlockKind -eq 'Clean') { "clean block: $text" } }
                    'PipelineAst' { if ($node.Background) { "background operator &: $text" } }
                    'TypeExpressionAst' { if ($node.TypeName.FullName -in $newTypes) { "type only in PowerShell 7: $text" } }
                    'TypeConstraintAst' { if ($node.TypeName.FullName -in $newTypes) { "type only in PowerShell 7: $text" } }
                    'VariableExpressionAst' { if ($node.VariablePath.UserPath -in $newVariables) { "variable only in PowerShell 6+: $text" } }
                    'ConstantExpressionAst' { if ($text -match '^0[xb]?[0-9a-f]+(u|ul|us|uy|y|s|n)$' -or $text -match '^[0-9]+(u|ul|us|uy|y|s|n)$' -or $text -match '^0b[01]+') { "numeric literal suffix or binary literal: $text" } }
                    'StringConstantExpressionAst' { if ($node.StringConstantType -ne 'SingleQuoted' -and $text -match '`(u\{|e)') { ('escape `u{} or `e: ' + $text) } }
                    'ExpandableStringExpressionAst' { if ($text -match '`(u\{|e)') { ('escape `u{} or `e: ' + $text) } }
                    'CommandAst' {
                        $name = $node.GetCommandName()
                        if ($name -in $newCommands) { "cmdlet only in PowerShell 6+: $text" }
                        if ($name -and $newParameters.ContainsKey($name)) {
                            foreach ($p in $node.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                                foreach ($new in $newParameters[$name]) {
                                    # A parameter may be abbreviated to any unique prefix.
                                    if ($new.StartsWith($p.ParameterName, [StringComparison]::OrdinalIgnoreCase) -and $p.ParameterName.Length -ge 2) { "$name -$new is PowerShell 6+: $text" }
                                }
                            }
                        }
                    }
                }
            }
        }

        $wsus = New-WsusAdapter 'wsus01.contoso.com' 8531 $true
        $configMgr = New-ConfigMgrAdapter 'CM01.contoso.com'
        $preamble = $runnerType.GetField('Preamble', $static).GetValue($null)
        $scripts = [ordered]@{
            'preamble'         = $preamble
            'WSUS Read'        = Get-BridgeScript $wsus @('Read', 5)
            'WSUS Start'       = Get-BridgeScript $wsus @('Start', 0)
            'ConfigMgr Read'   = Get-BridgeScript $configMgr @('Read', $false, $true)
            'ConfigMgr SyncNow' = Get-BridgeScript $configMgr @('SyncNow', $true, $false)
            'WSUS settings'    = [WsusRemediation.Engine.Windows.WsusServerInspector].GetProperty('ScriptText', $instance).GetValue([WsusRemediation.Engine.Windows.WsusServerInspector]::new($runner, 'sup01.contoso.com', 8531, $true))
        }
    }

    It 'finds every construct it looks for in a sample written for PowerShell 7' {
        $sample = @'
$a = $x ? 1 : 2
$b = $y ?? 3
$c ??= 4
$d = ${o}?.Name
$e = ${o}?[0]
Get-Item . && Get-Item .
1..3 | ForEach-Object -Parallel { $_ }
$f = 'x' -replace 'x', { $_.Value }
$g = 'a' | ConvertTo-Json -AsArray
$h = 'a' | Join-String
$i = $IsWindows
$j = "`e[0m"
$k = 10u
$l = 'a'.ReplaceLineEndings()
$m = [semver]'1.0.0'
function f { begin { } clean { } }
Start-Sleep 1 &
$n = Get-Date -AsUTC
'@
        $found = @(Find-NewerThan51 $sample)

        foreach ($construct in 'ternary', '\?\? operator', '\?\?= operator', '\?\. operator', '\?\[\] operator', 'pipeline chain', 'ForEach-Object -Parallel',
            '-replace with a script block', 'ConvertTo-Json -AsArray', 'Join-String', 'IsWindows', 'escape', 'numeric literal', 'ReplaceLineEndings', 'semver', 'clean block',
            'background operator', 'Get-Date -AsUTC') {
            @($found -match $construct).Count | Should -BeGreaterThan 0 -Because "the sample uses $construct"
        }
    }

    It 'finds none of them in the <Name> script' -ForEach @(
        @{ Name = 'preamble' }, @{ Name = 'WSUS Read' }, @{ Name = 'WSUS Start' }, @{ Name = 'ConfigMgr Read' }, @{ Name = 'ConfigMgr SyncNow' }
    ) {
        $scripts[$Name] | Should -Not -BeNullOrEmpty
        @(Find-NewerThan51 ($preamble + $scripts[$Name])) | Should -BeNullOrEmpty
    }
}
