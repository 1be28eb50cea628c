using System.Collections.Generic;
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
        private const int ProgressId = 7;
        private readonly SiteServiceInspector _inspector = new SiteServiceInspector(new ServiceControlManagerAdapter(), new AppPoolControlAdapter());
        private ThrottledQueries<string?, IReadOnlyList<SiteServiceStatus>>? _queries;
        /// <summary>The computers; this computer when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>The application pool to show; an empty string leaves the pool out. Default: the pool serving WSUS, else WsusPool.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? PoolName { get; set; }

        /// <summary>How many computers are read at the same time.</summary>
        [Parameter]
        [ValidateRange(1, ThrottledQueries.MaximumThrottleLimit)]
        public int ThrottleLimit { get; set; } = ThrottledQueries.DefaultThrottleLimit;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // Every computer of the pipeline is read at the same time (at most -ThrottleLimit at once);
            // what has answered is written now, the rest at the end.
            _queries ??= StartThrottledQueries<string?, IReadOnlyList<SiteServiceStatus>>(Inspect, ThrottleLimit);
            foreach (var computer in ServiceCmdletSupport.Computers(ComputerName))
            {
                _queries.Add(computer);
            }

            WriteStatuses(waitForAll: false);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_queries is not null)
            {
                WriteStatuses(waitForAll: true);
            }
        }

        private void WriteStatuses(bool waitForAll) =>
            WriteQueryEvents(_queries!, waitForAll, c => c, statuses => WriteObject(statuses, enumerateCollection: true), ProgressId, "Reading the services", ServiceCmdletSupport.IsCommandWide);

        private IReadOnlyList<SiteServiceStatus> Inspect(string? computer, QueryContext context)
        {
            context.Verbose($"Reading the services on {ServiceErrors.DisplayComputer(computer)}.");
            var pool = PoolName ?? new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance).DiscoverWsusPoolName(computer, context.Verbose);
            return _inspector.Inspect(computer, pool);
        }
    }
}
