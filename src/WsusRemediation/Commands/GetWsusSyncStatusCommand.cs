using System.Linq;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Reads the WSUS/MECM synchronization status (state, progress, last result, history, streak of
    /// Cancelled/Failed syncs, MECM's update count, health verdict) from the WSUS API, the SMS
    /// Provider, or collected wsyncmgr.log / SoftwareDistribution.log files.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WsusSyncStatus", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(WsusSyncStatus))]
    public sealed class GetWsusSyncStatusCommand : WsusRemediationCmdlet
    {
        private const string LiveSet = "Live";
        private const string LogSet = "Log";

        /// <summary>Where to read: Auto (MECM and WSUS, merged), Wsus, ConfigMgr, or Log (with -LogPath).</summary>
        [Parameter(ParameterSetName = LiveSet)]
        public SyncSource Source { get; set; } = SyncSource.Auto;

        /// <summary>The site server or WSUS server. Default: this computer.</summary>
        [Parameter(Position = 0, ParameterSetName = LiveSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        [ValidateNotNullOrEmpty]
        public string[]? ComputerName { get; set; }

        /// <summary>wsyncmgr.log / SoftwareDistribution.log files, or folders holding them (searched with subfolders). Works offline, on any OS.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LogSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Path", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? LogPath { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == LogSet)
            {
                try
                {
                    var paths = LogPath!.Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)).ToList();
                    var service = SyncSources.Offline(paths, SystemClock.Instance);
                    WriteObject(service.Read(SyncSource.Log, null, CancellationToken, WriteVerbose));
                }
                catch (WsusRemediationException ex)
                {
                    WriteEngineError(ex);
                }

                return;
            }

            if (Source == SyncSource.Log)
            {
                ThrowEngineError(new WsusRemediationException("LogPathRequired", EngineErrorKind.InvalidArgument, "-Source Log reads collected logs: name them with -LogPath.") { RecommendedAction = "Add -LogPath with wsyncmgr.log, SoftwareDistribution.log or their folder." });
            }

            foreach (var computer in ComputerName ?? new string?[] { null })
            {
                try
                {
                    var service = SyncSources.Live(computer, SystemClock.Instance);
                    WriteVerbose($"Reading the synchronization status of '{computer ?? System.Environment.MachineName}' from {Source}.");
                    WriteObject(service.Read(Source, computer, CancellationToken, WriteVerbose));
                }
                catch (WsusRemediationException ex)
                {
                    WriteEngineError(ex, computer);
                }
            }
        }
    }
}
