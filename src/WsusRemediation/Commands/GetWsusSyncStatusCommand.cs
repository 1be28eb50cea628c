using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;
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
        private const int ProgressId = 6;

        private readonly List<string> _logPaths = new List<string>();
        private ThrottledQueries<WsusServerTarget, WsusSyncStatus>? _queries;

        /// <summary>Where to read: Auto (MECM and WSUS, merged), Wsus, ConfigMgr, or Log (this computer's own wsyncmgr.log and SoftwareDistribution.log; -LogPath for collected ones).</summary>
        [Parameter(ParameterSetName = LiveSet)]
        public SyncSource Source { get; set; } = SyncSource.Auto;

        /// <summary>The site server or WSUS server. Default: this computer.</summary>
        [Parameter(Position = 0, ParameterSetName = LiveSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        [ValidateNotNullOrEmpty]
        public string[]? ComputerName { get; set; }

        /// <summary>The port of a remote WSUS server's web services. Default: 8530, or 8531 with -UseSsl.</summary>
        [Parameter(ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int WsusPort { get; set; }

        /// <summary>Connects to a remote WSUS server over HTTPS.</summary>
        [Parameter(ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
        public SwitchParameter UseSsl { get; set; }

        /// <summary>How many servers are read at the same time.</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateRange(1, ThrottledQueries.MaximumThrottleLimit)]
        public int ThrottleLimit { get; set; } = ThrottledQueries.DefaultThrottleLimit;

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
                // Logs piped in one by one (Get-ChildItem) describe one server: read them together at the end.
                foreach (var path in LogPath!)
                {
                    try
                    {
                        // A missing path among several is reported on its own; the others are still read.
                        var resolved = ResolveFileSystemPath(path, "InvalidLogPath");
                        SyncLogFiles.FilesIn(resolved);
                        _logPaths.Add(resolved);
                    }
                    catch (WsusRemediationException ex)
                    {
                        WriteEngineError(ex);
                    }
                }

                return;
            }

            if (Source == SyncSource.Log && ComputerName is not null && ComputerName.Any(c => !ServiceErrors.IsLocal(c)))
            {
                ThrowEngineError(new WsusRemediationException("LogPathRequired", EngineErrorKind.InvalidArgument, "-Source Log without -LogPath reads this computer's own logs; for another computer, copy its logs and name them with -LogPath.") { RecommendedAction = "Add -LogPath with wsyncmgr.log, SoftwareDistribution.log or their folder." });
            }

            if (Source == SyncSource.Log)
            {
                try
                {
                    WriteObject(SyncSources.LocalLogs(SystemClock.Instance).Read(SyncSource.Log, null, CancellationToken, WriteVerbose));
                }
                catch (WsusRemediationException ex)
                {
                    WriteEngineError(ex);
                }

                return;
            }

            // Every server of the pipeline is read at the same time (at most -ThrottleLimit at once); what
            // has answered is written now, the rest at the end.
            _queries ??= StartThrottledQueries<WsusServerTarget, WsusSyncStatus>(ReadStatus, ThrottleLimit);
            foreach (var target in WsusServerTarget.For(MyInvocation, ComputerName, WsusPort, UseSsl))
            {
                _queries.Add(target);
            }

            WriteQueryEvents(_queries, waitForAll: false, t => t.ComputerName, status => WriteObject(status), ProgressId, "Reading the synchronization status");
        }

        private WsusSyncStatus ReadStatus(WsusServerTarget target, QueryContext context)
        {
            var service = SyncSources.Live(target.ComputerName, SystemClock.Instance, target.WsusPort, target.UseSsl);
            context.Verbose($"Reading the synchronization status of '{target.ComputerName ?? System.Environment.MachineName}' from {Source}.");
            return service.Read(Source, target.ComputerName, context.CancellationToken, context.Verbose);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_queries is not null)
            {
                WriteQueryEvents(_queries, waitForAll: true, t => t.ComputerName, status => WriteObject(status), ProgressId, "Reading the synchronization status");
            }

            if (ParameterSetName != LogSet || _logPaths.Count == 0)
            {
                return;
            }

            try
            {
                var service = SyncSources.Offline(_logPaths, SystemClock.Instance);
                WriteObject(service.Read(SyncSource.Log, null, CancellationToken, WriteVerbose));
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex);
            }
        }
    }
}
