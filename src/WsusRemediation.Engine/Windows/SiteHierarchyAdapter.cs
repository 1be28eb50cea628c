using System;
using System.Threading;
using WsusRemediation.Engine.Hierarchy;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// <see cref="ISiteHierarchyProvider"/> over the SMS Provider's WMI classes, through the same child
    /// powershell.exe bridge as <see cref="ConfigMgrProviderAdapter"/> (in-process WMI is not available
    /// to a netstandard2.0 module without a package). The script only reads and prints; the meaning is
    /// worked out in <see cref="SoftwareUpdatePointDiscovery"/>, where it is tested.
    /// </summary>
    public sealed class SiteHierarchyAdapter : ISiteHierarchyProvider
    {
        private readonly IPowerShellScriptRunner _runner;

        /// <summary>Creates the adapter (the runner is replaceable for tests).</summary>
        public SiteHierarchyAdapter(IPowerShellScriptRunner? runner = null) => _runner = runner ?? WindowsPowerShellProcess.Instance;

        /// <summary>How long the child process may take.</summary>
        public TimeSpan BridgeTimeout { get; init; } = TimeSpan.FromMinutes(2);

        /// <inheritdoc />
        public SiteHierarchySnapshot Read(string? siteServer, CancellationToken cancellationToken)
        {
            var remote = ServiceErrors.IsLocal(siteServer) ? null : siteServer;
            return SyncBridgeContract.ParseSiteHierarchy(_runner.Run(Script(remote), BridgeTimeout, cancellationToken), remote ?? Environment.MachineName);
        }

        internal static string Script(string? siteServer) =>
            "$ComputerName = " + WindowsPowerShellProcess.Quote(siteServer) + "\n"
            + "$Contract = " + WindowsPowerShellProcess.Quote(SyncBridgeContract.ContractName) + "\n"
            + BridgeScript;

        // The SMS Provider of the site server's own site (SMS_ProviderLocation.ProviderForLocalSite), then
        // SMS_Site, the SUP roles (SMS_SCI_SysResUse), the SUP component (SMS_SCI_Component) and
        // SMS_SUPSyncStatus in root\SMS\site_<code>. Embedded properties are printed as they are.
        private const string BridgeScript = @"
$ErrorActionPreference = 'Stop'
function ConvertTo-PropList($props) {
    @($props | Where-Object { $_ } | ForEach-Object {
        [ordered]@{ name = [string]$_.PropertyName; value = [long]$_.Value; value1 = [string]$_.Value1; value2 = [string]$_.Value2 } })
}
$stage = 'FindSite'
try {
" + ConfigMgrProviderAdapter.ConnectToSiteProvider + @"    $stage = 'Read'
    $sites = @(Get-CimInstance @cim -Namespace $namespace -ClassName SMS_Site | ForEach-Object {
        [ordered]@{ siteCode = [string]$_.SiteCode; parentSiteCode = [string]$_.ReportingSiteCode; type = [long]$_.Type; serverName = [string]$_.ServerName; siteName = [string]$_.SiteName } })
    $roles = @(Get-CimInstance @cim -Namespace $namespace -ClassName SMS_SCI_SysResUse -Filter ""RoleName = 'SMS Software Update Point'"" | ForEach-Object {
        [ordered]@{ siteCode = [string]$_.SiteCode; networkOSPath = [string]$_.NetworkOSPath; props = @(ConvertTo-PropList $_.Props) } })
    $components = @(Get-CimInstance @cim -Namespace $namespace -ClassName SMS_SCI_Component -Filter ""ComponentName = 'SMS_WSUS_CONFIGURATION_MANAGER'"" | ForEach-Object {
        [ordered]@{ siteCode = [string]$_.SiteCode; props = @(ConvertTo-PropList $_.Props) } })
    $sources = @(Get-CimInstance @cim -Namespace $namespace -ClassName SMS_SUPSyncStatus | ForEach-Object {
        [ordered]@{ siteCode = [string]$_.SiteCode; wsusServerName = [string]$_.WSUSServerName; wsusSourceServer = [string]$_.WSUSSourceServer } })
    $doc = [ordered]@{ contract = $Contract; kind = 'SiteHierarchy'; providerMachine = $machine; siteCode = $site; sites = $sites; supRoles = $roles; supComponents = $components; syncSources = $sources }
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
