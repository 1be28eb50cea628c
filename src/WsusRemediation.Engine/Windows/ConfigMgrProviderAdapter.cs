using System;
using System.Globalization;
using System.Threading;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// <see cref="IConfigMgrSyncProvider"/> over the SMS Provider's WMI classes, through a child
    /// powershell.exe with Get-CimInstance / Invoke-CimMethod. In-process WMI is not an option: the
    /// System.Management package's netstandard2.0 build throws PlatformNotSupportedException, and the
    /// module takes no runtime package dependencies.
    /// </summary>
    public sealed class ConfigMgrProviderAdapter : IConfigMgrSyncProvider
    {
        private readonly string? _computerName;
        private readonly IPowerShellScriptRunner _runner;

        /// <summary>Creates the adapter for the local site server (no name) or a remote one (DCOM).</summary>
        public ConfigMgrProviderAdapter(string? computerName, IPowerShellScriptRunner? runner = null)
        {
            _computerName = ServiceErrors.IsLocal(computerName) ? null : computerName;
            _runner = runner ?? WindowsPowerShellProcess.Instance;
        }

        /// <summary>How long the child process may take (counting SMS_SoftwareUpdate enumerates every update).</summary>
        public TimeSpan BridgeTimeout { get; init; } = TimeSpan.FromMinutes(3);

        /// <summary>
        /// How long counting SMS_SoftwareUpdate may take inside the child; past it the count is left out and the
        /// status is still returned. Well under <see cref="BridgeTimeout"/>, which also covers starting the child,
        /// finding the site and reading SMS_SUPSyncStatus.
        /// </summary>
        public TimeSpan CountTimeout { get; init; } = TimeSpan.FromSeconds(90);

        private string Target => _computerName ?? Environment.MachineName;

        /// <inheritdoc />
        public ConfigMgrSyncSnapshot Read(bool countUpdates, CancellationToken cancellationToken) =>
            SyncBridgeContract.ParseConfigMgrStatus(_runner.Run(Script("Read", false, countUpdates), BridgeTimeout, cancellationToken), Target);

        /// <inheritdoc />
        public void SyncNow(bool fullSync, CancellationToken cancellationToken) =>
            SyncBridgeContract.ParseConfigMgrSyncNow(_runner.Run(Script("SyncNow", fullSync, false), BridgeTimeout, cancellationToken), Target);

        internal string Script(string action, bool fullSync, bool countUpdates) =>
            "$Action = " + WindowsPowerShellProcess.Quote(action) + "\n"
            + "$ComputerName = " + WindowsPowerShellProcess.Quote(_computerName) + "\n"
            + "$FullSync = " + (fullSync ? "$true" : "$false") + "\n"
            + "$CountUpdates = " + (countUpdates ? "$true" : "$false") + "\n"
            + "$CountTimeoutSeconds = " + ((int)Math.Ceiling(CountTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "\n"
            + "$Contract = " + WindowsPowerShellProcess.Quote(SyncBridgeContract.ContractName) + "\n"
            + BridgeScript;

        /// <summary>
        /// The part of every SMS Provider bridge script that finds the site's provider: the local site's
        /// SMS_ProviderLocation, a DCOM CIM session to -ComputerName and, when the provider lives on
        /// another machine, to that machine; it leaves $cim, $site and $namespace for the rest.
        /// </summary>
        internal const string ConnectToSiteProvider = @"    $cim = @{}
    if ($ComputerName) { $cim.CimSession = New-CimSession -ComputerName $ComputerName -SessionOption (New-CimSessionOption -Protocol Dcom) }
    $location = Get-CimInstance @cim -Namespace 'root\SMS' -ClassName SMS_ProviderLocation | Where-Object { $_.ProviderForLocalSite } | Select-Object -First 1
    if ($null -eq $location) { throw [InvalidOperationException]::new('root\SMS has no SMS_ProviderLocation with ProviderForLocalSite = True.') }
    $site = [string]$location.SiteCode
    $machine = [string]$location.Machine
    $here = if ($ComputerName) { $ComputerName } else { $env:COMPUTERNAME }
    if ($machine -and ($machine.Split('.')[0] -ne $here.Split('.')[0])) {
        $cim = @{ CimSession = New-CimSession -ComputerName $machine -SessionOption (New-CimSessionOption -Protocol Dcom) }
    }
    $namespace = ""root\SMS\site_$site""
";

        private const string BridgeScript = @"
$ErrorActionPreference = 'Stop'
function ConvertTo-UtcText($d) {
    if ($null -eq $d) { return $null }
    $d = [datetime]$d
    if ($d -le [datetime]::MinValue.AddDays(1)) { return $null }
    # CIM hands WMI datetimes over as local times: everything that is not UTC is converted.
    if ($d.Kind -ne [DateTimeKind]::Utc) { $d = $d.ToUniversalTime() }
    $d.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture)
}
$stage = 'FindSite'
try {
" + ConfigMgrProviderAdapter.ConnectToSiteProvider + @"    if ($Action -eq 'SyncNow') {
        $stage = 'SyncNow'
        $result = Invoke-CimMethod @cim -Namespace $namespace -ClassName SMS_SoftwareUpdate -MethodName SyncNow -Arguments @{ fullSync = [bool]$FullSync }
        $doc = [ordered]@{ contract = $Contract; kind = 'ConfigMgrSyncNow'; returnValue = [long]$result.ReturnValue }
    }
    else {
        $stage = 'Read'
        $points = @(Get-CimInstance @cim -Namespace $namespace -ClassName SMS_SUPSyncStatus | ForEach-Object {
            [ordered]@{ siteCode = [string]$_.SiteCode; wsusServerName = [string]$_.WSUSServerName; wsusSourceServer = [string]$_.WSUSSourceServer
                        lastSyncState = [long]$_.LastSyncState; lastSyncStateTime = (ConvertTo-UtcText $_.LastSyncStateTime)
                        lastSyncErrorCode = [long]$_.LastSyncErrorCode; lastSuccessfulSyncTime = (ConvertTo-UtcText $_.LastSuccessfulSyncTime)
                        syncCatalogVersion = [long]$_.SyncCatalogVersion } })
        # No WQL COUNT form is documented for SMS_SoftwareUpdate: the keys are enumerated and counted as they
        # stream in. Bounded, because on a large site the count could outlast the bridge's own timeout and take
        # the status above down with it: past the limit the count is left out, and the document says why.
        $count = $null
        $countError = $null
        if ($CountUpdates) {
            try {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $n = 0
                Get-CimInstance @cim -Namespace $namespace -Query 'SELECT CI_ID FROM SMS_SoftwareUpdate' -OperationTimeoutSec $CountTimeoutSeconds | ForEach-Object {
                    $n++
                    if ($watch.Elapsed.TotalSeconds -gt $CountTimeoutSeconds) { throw [TimeoutException]::new(""Counting SMS_SoftwareUpdate took over $CountTimeoutSeconds s (counted $n so far)."") }
                }
                $count = $n
            }
            catch { $countError = $_.Exception.Message }
        }
        $doc = [ordered]@{ contract = $Contract; kind = 'ConfigMgrStatus'; siteCode = $site; providerMachine = $machine; updateCount = $count; updateCountError = $countError; updatePoints = $points }
    }
}
catch {
    $e = $_.Exception
    while ($e -is [System.Management.Automation.MethodInvocationException] -and $null -ne $e.InnerException) { $e = $e.InnerException }
    $doc = [ordered]@{ contract = $Contract; kind = 'Error'; error = [ordered]@{ stage = $stage; type = $e.GetType().FullName; message = $e.Message } }
}
Write-BridgeDocument $doc
";
    }
}
