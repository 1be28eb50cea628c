using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Lists, without changing anything, the state and start type of every service the WSUS/MECM
    /// sync depends on, and the state of the WSUS application pool.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WsusServiceStatus")]
    [OutputType(typeof(SiteServiceStatus))]
    public sealed class GetWsusServiceStatusCommand : WsusRemediationCmdlet
    {
        /// <summary>The computers; this computer when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>The application pool to show; an empty string leaves the pool out. Default: the pool serving WSUS, else WsusPool.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? PoolName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var inspector = new SiteServiceInspector(new ServiceControlManagerAdapter(), new AppPoolControlAdapter());
            foreach (var computer in ServiceCmdletSupport.Computers(ComputerName))
            {
                try
                {
                    WriteVerbose($"Reading the services on {ServiceErrors.DisplayComputer(computer)}.");
                    var pool = PoolName ?? new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance).DiscoverWsusPoolName(computer, WriteVerbose);
                    WriteObject(inspector.Inspect(computer, pool), enumerateCollection: true);
                }
                catch (WsusRemediationException ex) when (ServiceCmdletSupport.IsCommandWide(ex))
                {
                    ThrowEngineError(ex);
                }
                catch (WsusRemediationException ex)
                {
                    WriteEngineError(ex);
                }
            }
        }
    }
}
