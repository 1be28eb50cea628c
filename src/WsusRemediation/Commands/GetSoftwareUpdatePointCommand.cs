using System.Management.Automation;
using System.Threading;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Hierarchy;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Lists the software update points of a MECM hierarchy (or of one site) from the SMS Provider: the
    /// server, its site, WSUS's port and SSL, and where it synchronizes from. The output pipes by property
    /// name (ComputerName, WsusPort, UseSsl) into the cmdlets that read a server.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SoftwareUpdatePoint")]
    [OutputType(typeof(SoftwareUpdatePoint))]
    public sealed class GetSoftwareUpdatePointCommand : WsusRemediationCmdlet
    {
        private const int ProgressId = 9;

        /// <summary>The site server whose SMS Provider is asked (the CAS for the whole hierarchy). Default: this computer.</summary>
        [Parameter(Position = 0)]
        [Alias("SmsProvider")]
        [ValidateNotNullOrEmpty]
        public string? SiteServer { get; set; }

        /// <summary>Only this site's software update points.</summary>
        [Parameter(Position = 1)]
        [ValidatePattern("^[A-Za-z0-9]{3}$")]
        public string? SiteCode { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var provider = new SiteHierarchyAdapter();
            var server = string.IsNullOrEmpty(SiteServer) ? System.Environment.MachineName : SiteServer!;
            try
            {
                // The shared SMS Provider bridge would name -LogPath, which this command does not have.
                WindowsPlatform.RequireWindows("Reading the MECM hierarchy from the SMS Provider");
                WriteVerbose($"Reading the sites and software update points from the SMS Provider of '{server}'.");
                var snapshot = WithProgress(ProgressId, "Reading the MECM hierarchy", $"SMS Provider of {server}", () => provider.Read(SiteServer, CancellationToken));
                WriteVerbose($"The SMS Provider on '{snapshot.ProviderMachine}' (site {snapshot.ProviderSiteCode}) knows {snapshot.Sites.Count} site(s) and {snapshot.UpdatePointRoles.Count} software update point role(s).");
                var points = SoftwareUpdatePointDiscovery.Discover(snapshot, SiteCode);
                WriteVerbose(SoftwareUpdatePointDiscovery.Summarize(points) + ".");
                WriteObject(points, enumerateCollection: true);
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex, SiteCode is not null && ex.ErrorId == "SiteNotFound" ? SiteCode : server);
            }
        }
    }
}
