using System;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Starts a WSUS/MECM synchronization (WSUS StartSynchronization, MECM SyncNow, or the WSyncMgr.box
    /// inbox file when the SMS Provider cannot be reached), never a second one while one runs, and with
    /// -Wait follows it to its end.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "WsusSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WsusSyncStatus))]
    public sealed class InvokeWsusSyncCommand : WsusRemediationCmdlet
    {
        private const int ProgressId = 5;

        // Each poll may start child powershell.exe processes; every 15 seconds is close enough to follow a sync.
        private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(15);

        /// <summary>
        /// Through what: Auto (MECM if its SMS Provider answers, else WSUS), ConfigMgr or Wsus. Log (from a
        /// status read from logs) means Auto. A string with a ValidateSet rather than the enum, so that
        /// other objects with a Source property of another type fail with a clear validation message.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("Auto", "Wsus", "ConfigMgr", "Log", IgnoreCase = true)]
        public string Source { get; set; } = nameof(SyncSource.Auto);

        /// <summary>The site server or WSUS server. Default: this computer.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string? ComputerName { get; set; }

        /// <summary>The port of a remote WSUS server's web services. Default: 8530, or 8531 with -UseSsl.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int WsusPort { get; set; }

        /// <summary>Connects to a remote WSUS server over HTTPS.</summary>
        [Parameter]
        public SwitchParameter UseSsl { get; set; }

        /// <summary>A full synchronization (MECM SyncNow(true) or FULL.SYN) instead of a delta one.</summary>
        [Parameter]
        public SwitchParameter FullSync { get; set; }

        /// <summary>Follows the synchronization to its end with Write-Progress and returns the final status.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait waits: a TimeSpan (01:00:00) or seconds (3600). The synchronization goes on after a timeout.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

        /// <summary>Without -Wait: writes the status read right after the request.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing() => RequireTimeout(Timeout, TimeSpan.FromDays(7));

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // A status read from logs that do not name their server (or a variable not set) would start a sync here.
            if (IsComputerNameBound && string.IsNullOrWhiteSpace(ComputerName))
            {
                WriteEmptyComputerNameOnce(Engine.Services.ServiceErrors.EmptyComputerName());
                return;
            }

            var requested = (SyncSource)Enum.Parse(typeof(SyncSource), Source, ignoreCase: true);
            var source = requested == SyncSource.Log ? SyncSource.Auto : requested;
            var target = string.IsNullOrEmpty(ComputerName) ? Environment.MachineName : ComputerName!;
            var kind = FullSync ? "full synchronization" : "synchronization";
            var route = source switch
            {
                SyncSource.Wsus => "through the WSUS API",
                SyncSource.ConfigMgr => "through MECM (SyncNow, else the WSyncMgr.box inbox file)",
                _ => "through MECM if its SMS Provider answers, else the WSUS API",
            };
            if (!ShouldProcess(target, $"Start a {kind} {route}"))
            {
                return;
            }

            try
            {
                // Checked here, not in the adapters that Get-WsusSyncStatus shares: they name -LogPath,
                // which this command does not have.
                WindowsPlatform.RequireWindows("Starting a synchronization");
                var service = SyncSources.Live(ComputerName, SystemClock.Instance, MyInvocation.BoundParameters.ContainsKey(nameof(WsusPort)) ? WsusPort : (int?)null, UseSsl);
                var trigger = WithProgress(ProgressId, $"Synchronization on {target}", $"Requesting a {kind}", () => service.Start(source, FullSync, ComputerName, CancellationToken, WriteVerbose));
                WriteVerbose(trigger.Method == SyncTriggerMethod.InboxFile
                    ? $"Requested a {kind} on '{target}' with '{trigger.InboxFile}'."
                    : $"Requested a {kind} on '{target}' with {trigger.Method}.");
                if (trigger.TopLevelSiteCode is { } topLevel)
                {
                    WriteWarning($"'{target}' is a child site of site {topLevel}: its update point synchronizes from its parent's. To bring new updates from Microsoft, run Invoke-WsusSync on site {topLevel}'s site server.");
                }

                var readSource = trigger.Source == SyncSource.Wsus ? SyncSource.Wsus : SyncSource.Auto;
                if (Wait)
                {
                    var watcher = new SyncWatcher((final, token) => service.Read(readSource, ComputerName, countUpdates: final, token), SystemClock.Instance);
                    var result = watcher.WaitForCompletion(trigger, Timeout, PollInterval, CancellationToken, (progress, status) => WriteSyncProgress(target, progress, status));
                    if (!result.Completed)
                    {
                        WriteEngineError(new WsusRemediationException(
                            "SyncWaitTimedOut",
                            EngineErrorKind.OperationTimeout,
                            result.Started
                                ? $"The synchronization on '{target}' did not end within {Timeout}; it goes on. Follow it with Get-WsusSyncStatus."
                                : $"The synchronization on '{target}' did not start within {Timeout}; the request stays queued.",
                            target));
                    }
                    else if (result.Status.LastResult != SyncResult.Succeeded)
                    {
                        WriteWarning($"The synchronization on '{target}' ended {result.Status.LastResult}: {result.Status.HealthReason}");
                    }

                    WriteObject(result.Status);
                }
                else if (PassThru)
                {
                    WriteObject(WithProgress(ProgressId, $"Synchronization on {target}", "Reading the status", () => service.Read(readSource, ComputerName, CancellationToken, WriteVerbose)));
                }
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex, target);
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                // Ctrl+C stops the waiting; the synchronization itself goes on.
            }
        }

        private void WriteSyncProgress(string target, WaitProgress progress, WsusSyncStatus? status)
        {
            var record = new ProgressRecord(ProgressId, $"Synchronization on {target}", string.IsNullOrEmpty(progress.Status) ? "Waiting" : progress.Status)
            {
                // The sync's own percentage when it reports items, else how much of the timeout has passed.
                PercentComplete = progress.Completed ? 100 : status?.State == SyncState.Running && status.ProgressPercent is { } p ? p : progress.PercentOfTimeout,
                CurrentOperation = $"Waited {progress.Elapsed:hh\\:mm\\:ss} of {progress.Timeout:hh\\:mm\\:ss}",
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            WriteProgress(record);
        }
    }
}
