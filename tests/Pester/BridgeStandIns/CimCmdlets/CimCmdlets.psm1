# Stand-ins for the CimCmdlets the ConfigMgr bridge script calls, answering with objects shaped like the
# SMS Provider's (root\SMS and root\SMS\site_<code>). Found by command discovery through PSModulePath,
# as the real module is on Windows. WSUSREM_CIM_SCENARIO chooses the answers; every call is appended to
# the file WSUSREM_STANDIN_CALLS.

function Write-StandInCall([string] $Call) {
    if ($env:WSUSREM_STANDIN_CALLS) { Add-Content -LiteralPath $env:WSUSREM_STANDIN_CALLS -Value $Call }
}

function Get-Scenario { if ($env:WSUSREM_CIM_SCENARIO) { $env:WSUSREM_CIM_SCENARIO } else { 'Site' } }

function New-CimSessionOption {
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidateSet('Dcom', 'Wsman', 'Default')][string] $Protocol)
    [pscustomobject]@{ PSTypeName = 'StandIn.CimSessionOption'; Protocol = $Protocol }
}

function New-CimSession {
    [CmdletBinding()]
    param([string[]] $ComputerName, [object] $SessionOption)
    Write-StandInCall "New-CimSession $($ComputerName -join ',') $($SessionOption.Protocol)"
    [pscustomobject]@{ PSTypeName = 'StandIn.CimSession'; ComputerName = $ComputerName[0] }
}

function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassName')]
    param(
        [object] $CimSession,
        [string] $Namespace = 'root\cimv2',
        [Parameter(ParameterSetName = 'ClassName', Mandatory)][string] $ClassName,
        [Parameter(ParameterSetName = 'Query', Mandatory)][string] $Query,
        [string] $Filter,
        [uint32] $OperationTimeoutSec
    )
    $on = if ($CimSession) { $CimSession.ComputerName } else { 'local' }
    $what = if ($Query) { $Query } else { $ClassName }
    Write-StandInCall "Get-CimInstance $on $Namespace $what timeout=$OperationTimeoutSec"
    $scenario = Get-Scenario
    if ($scenario -eq 'AccessDenied') { throw [UnauthorizedAccessException]::new('Access denied ') }

    switch -Regex ($what) {
        '^SMS_ProviderLocation$' {
            if ($scenario -eq 'NoLocalProvider') {
                [pscustomobject]@{ Machine = 'CAS01.contoso.com'; NamespacePath = '\\CAS01.contoso.com\root\sms\site_CAS'; ProviderForLocalSite = $false; SiteCode = 'CAS' }
                return
            }
            $machine = if ($scenario -eq 'ProviderElsewhere') { 'SMSPROV02.contoso.com' } else { 'CM01.contoso.com' }
            [pscustomobject]@{ Machine = 'CAS01.contoso.com'; NamespacePath = '\\CAS01.contoso.com\root\sms\site_CAS'; ProviderForLocalSite = $false; SiteCode = 'CAS' }
            [pscustomobject]@{ Machine = $machine; NamespacePath = "\\$machine\root\sms\site_PS1"; ProviderForLocalSite = $true; SiteCode = 'PS1' }
        }
        '^SMS_SUPSyncStatus$' {
            if ($scenario -eq 'ChildSite') {
                # A child primary (PS1) whose update point synchronizes from the CAS's (CS1).
                [pscustomobject]@{ SiteCode = 'CS1'; WSUSServerName = 'CAS01.contoso.com'; WSUSSourceServer = 'Microsoft Update'; LastSyncState = [uint32]6702
                                   LastSyncStateTime = [datetime]::new(2026, 11, 9, 2, 0, 0, [DateTimeKind]::Utc); LastSyncErrorCode = [uint32]0; LastSuccessfulSyncTime = $null; SyncCatalogVersion = [uint32]58 }
                [pscustomobject]@{ SiteCode = 'PS1'; WSUSServerName = 'CM01.contoso.com'; WSUSSourceServer = 'CAS01.contoso.com'; LastSyncState = [uint32]6702
                                   LastSyncStateTime = [datetime]::new(2026, 11, 9, 2, 30, 0, [DateTimeKind]::Utc); LastSyncErrorCode = [uint32]0; LastSuccessfulSyncTime = $null; SyncCatalogVersion = [uint32]58 }
                return
            }
            # CIM hands WMI datetimes over as DateTime values; the three kinds a caller can meet.
            [pscustomobject]@{
                SiteCode = 'PS1'; WSUSServerName = 'CM01.contoso.com'; WSUSSourceServer = 'Microsoft Update'
                LastSyncState = [uint32]6703; LastSyncStateTime = [datetime]::new(2026, 11, 9, 11, 6, 52, [DateTimeKind]::Local)
                LastSyncErrorCode = [uint32]2148734208; LastSuccessfulSyncTime = [datetime]::new(2026, 11, 8, 4, 8, 3, [DateTimeKind]::Unspecified)
                SyncCatalogVersion = [uint32]58; ReplicationLinkStatus = [uint32]0; LastReplicationLinkCheckTime = $null
            }
            [pscustomobject]@{
                SiteCode = 'PS1'; WSUSServerName = 'SUP02.contoso.com'; WSUSSourceServer = 'CM01.contoso.com'
                LastSyncState = [uint32]6702; LastSyncStateTime = [datetime]::new(2026, 11, 8, 3, 10, 0, [DateTimeKind]::Utc)
                LastSyncErrorCode = [uint32]0; LastSuccessfulSyncTime = $null
                SyncCatalogVersion = [uint32]58; ReplicationLinkStatus = [uint32]0; LastReplicationLinkCheckTime = $null
            }
        }
        # The hierarchy Get-SoftwareUpdatePoint reads: a stand-alone primary PS1 with two software update
        # points, a secondary site SEC under it with one. Props are SMS_EmbeddedProperty instances.
        '^SMS_Site$' {
            [pscustomobject]@{ SiteCode = 'PS1'; ReportingSiteCode = ''; Type = [uint32]2; ServerName = 'CM01.contoso.com'; SiteName = 'Primary' }
            [pscustomobject]@{ SiteCode = 'SEC'; ReportingSiteCode = 'PS1'; Type = [uint32]1; ServerName = 'SEC01.contoso.com'; SiteName = 'Branch' }
        }
        '^SMS_SCI_SysResUse$' {
            if ($Filter -ne "RoleName = 'SMS Software Update Point'") { throw "The stand-in answers SMS_SCI_SysResUse only for the SUP role, not: $Filter" }
            function Prop([string] $Name, [uint32] $Value, [string] $Value2 = '') { [pscustomobject]@{ PropertyName = $Name; Value = $Value; Value1 = ''; Value2 = $Value2 } }
            [pscustomobject]@{ SiteCode = 'PS1'; RoleName = 'SMS Software Update Point'; NetworkOSPath = '\\CM01.contoso.com'
                Props = @((Prop 'WSUSIISPort' 8530), (Prop 'WSUSIISSSLPort' 8531), (Prop 'SSLWSUS' 1), (Prop 'IsINF' 0), (Prop 'UseParentWSUS' 0)) }
            [pscustomobject]@{ SiteCode = 'PS1'; RoleName = 'SMS Software Update Point'; NetworkOSPath = '\\SUP02.contoso.com'
                Props = @((Prop 'WSUSIISPort' 80), (Prop 'WSUSIISSSLPort' 443), (Prop 'SSLWSUS' 0), (Prop 'IsINF' 1)) }
            [pscustomobject]@{ SiteCode = 'SEC'; RoleName = 'SMS Software Update Point'; NetworkOSPath = '\\SEC01.contoso.com'
                Props = (Prop 'WSUSIISPort' 8530) }
        }
        '^SMS_SCI_Component$' {
            if ($Filter -ne "ComponentName = 'SMS_WSUS_CONFIGURATION_MANAGER'") { throw "The stand-in answers SMS_SCI_Component only for the SUP component, not: $Filter" }
            [pscustomobject]@{ SiteCode = 'PS1'; ComponentName = 'SMS_WSUS_CONFIGURATION_MANAGER'
                Props = @([pscustomobject]@{ PropertyName = 'ParentWSUS'; Value = [uint32]0; Value1 = ''; Value2 = '' }) }
        }
        'FROM SMS_SoftwareUpdate' {
            $count = if ($scenario -eq 'NoUpdates') { 0 } else { 130 }
            for ($i = 1; $i -le $count; $i++) {
                if ($scenario -eq 'SlowCount') { Start-Sleep -Milliseconds 20 }
                [pscustomobject]@{ CI_ID = [uint32](16777000 + $i) }
            }
        }
        default { throw "The stand-in has no answer for $what" }
    }
}

function Invoke-CimMethod {
    [CmdletBinding()]
    param(
        [object] $CimSession,
        [string] $Namespace = 'root\cimv2',
        [Parameter(Mandatory)][string] $ClassName,
        [Parameter(Mandatory)][string] $MethodName,
        [System.Collections.IDictionary] $Arguments
    )
    $on = if ($CimSession) { $CimSession.ComputerName } else { 'local' }
    $list = @($Arguments.Keys | Sort-Object | ForEach-Object { "$_=$($Arguments[$_]) ($($Arguments[$_].GetType().FullName))" }) -join ' '
    Write-StandInCall "Invoke-CimMethod $on $Namespace $ClassName.$MethodName $list"
    # SyncNow returns 0 on success (memdocs syncnow-method-in-class-sms_softwareupdate).
    $code = if ((Get-Scenario) -eq 'SyncNowRefused') { 1 } else { 0 }
    [pscustomobject]@{ ReturnValue = [uint32]$code }
}

Export-ModuleMember -Function New-CimSessionOption, New-CimSession, Get-CimInstance, Invoke-CimMethod
