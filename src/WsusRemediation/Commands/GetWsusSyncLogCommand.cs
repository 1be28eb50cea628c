using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Reads the evidence of a WSUS/MECM synchronization: wsyncmgr.log, WCM.log and WSUSCtrl.log,
    /// SoftwareDistribution.log, the HTTP.sys error logs and the WAS/WSUS events, as typed entries.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WsusSyncLog", DefaultParameterSetName = DefaultSet)]
    [OutputType(typeof(LogEntry))]
    public sealed class GetWsusSyncLogCommand : WsusRemediationCmdlet
    {
        private const string DefaultSet = "Default";
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        private readonly List<string> _files = new List<string>();

        /// <summary>Log files, folders or wildcard paths to read instead of the default locations.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Log files or folders, taken exactly as written (no wildcards).</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Only entries written at or after this time.</summary>
        [Parameter]
        public DateTime Since { get; set; }

        /// <summary>Only entries from these components (wildcards allowed): SMS_WSUS_SYNC_MANAGER, WsusService, WsusPool, Microsoft-Windows-WAS.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(LogComponentCompleter))]
        public string[] Component { get; set; } = Array.Empty<string>();

        /// <summary>Only entries of these severities.</summary>
        [Parameter]
        public LogSeverity[] Severity { get; set; } = Array.Empty<LogSeverity>();

        /// <summary>Only entries of these kinds (a failure's cause counts too).</summary>
        [Parameter]
        public EvidenceKind[] Kind { get; set; } = Array.Empty<EvidenceKind>();

        /// <summary>Only the last N entries of each log (a .log and its .lo_ count as one).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Tail { get; set; }

        /// <summary>Keeps reading new entries as the logs grow, until Ctrl+C or -Timeout.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait, how long to follow the logs (a TimeSpan, or a number of seconds). The default is two hours.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

        /// <summary>With -Wait, how often to look for new lines (a TimeSpan, or a number of seconds). The default is two seconds.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>In the default locations, leaves out the live WAS, IIS and WSUS events.</summary>
        [Parameter(ParameterSetName = DefaultSet)]
        public SwitchParameter SkipEventLog { get; set; }

        /// <summary>Entries log after log in file order, instead of one timeline across the logs in UTC time order.</summary>
        [Parameter]
        public SwitchParameter FileOrder { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (PollInterval <= TimeSpan.Zero || Timeout < TimeSpan.Zero)
            {
                ThrowEngineError(new WsusRemediationException("InvalidWaitSettings", EngineErrorKind.InvalidArgument, "-PollInterval must be positive and -Timeout must not be negative.", PollInterval));
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(Since)))
            {
                try
                {
                    LogFilter.RequireSinceNotInFuture(new DateTimeOffset(Since.ToUniversalTime()), SystemClock.Instance.UtcNow, Wait);
                }
                catch (WsusRemediationException ex)
                {
                    ThrowEngineError(ex);
                }
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == PathSet)
            {
                foreach (var path in Path)
                {
                    AddResolved(path, literal: false);
                }
            }
            else if (ParameterSetName == LiteralPathSet)
            {
                foreach (var path in LiteralPath)
                {
                    AddResolved(path, literal: true);
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? new DateTimeOffset(Since.ToUniversalTime()) : (DateTimeOffset?)null;
            var filter = new LogFilter
            {
                Since = since,
                Component = Component.Length > 0 ? Component : null,
                Severity = Severity.Length > 0 ? Severity : null,
                Kind = Kind.Length > 0 ? Kind : null,
            };

            var readEvents = false;
            if (ParameterSetName == DefaultSet)
            {
                try
                {
                    WindowsPlatform.RequireWindows("Reading the default log locations", "-Path");
                }
                catch (WsusRemediationException ex)
                {
                    ThrowEngineError(ex);
                }

                foreach (var location in DefaultLogLocations.Resolve(WindowsRegistry.ReadLocalMachineString, Environment.GetEnvironmentVariable))
                {
                    IReadOnlyList<string> found;
                    try
                    {
                        found = location.FindFiles();
                    }
                    catch (Exception ex) when (IsFileSystemFailure(ex))
                    {
                        // HTTPERR is readable by administrators only: the other locations are still worth reading.
                        WriteEngineError(new WsusRemediationException(
                            "LogFolderUnreadable",
                            ex is UnauthorizedAccessException ? EngineErrorKind.PermissionDenied : EngineErrorKind.ReadError,
                            $"{location.Description}: cannot list '{location.Folder}': {ex.Message}",
                            location.Folder,
                            ex)
                        {
                            RecommendedAction = "Run PowerShell as administrator, or copy the logs and use -Path.",
                        });
                        continue;
                    }

                    WriteVerbose($"{location.Description}: {location.Folder}: {(found.Count == 0 ? "no logs found" : string.Join(", ", found.Select(System.IO.Path.GetFileName)))}.");
                    _files.AddRange(found);
                }

                readEvents = !SkipEventLog;
                if (_files.Count == 0 && !readEvents)
                {
                    ThrowEngineError(new WsusRemediationException("LogFileNotFound", EngineErrorKind.ObjectNotFound, "No sync logs were found in the default MECM, WSUS and HTTPERR locations. Use -Path to read collected logs.")
                    {
                        RecommendedAction = "Run the command on the site server or WSUS server, or pass -Path.",
                    });
                }
            }

            var plan = LogReadPlan.Create(_files, new LogReadOptions
            {
                Filter = filter,
                Tail = Tail,
                Order = FileOrder ? LogOrder.File : LogOrder.Time,
                Follow = Wait,
                PollInterval = PollInterval,
                Timeout = Timeout,
            }, WriteProblem);
            foreach (var skipped in plan.SkippedFiles)
            {
                WriteVerbose($"Not reading {skipped.Path}: {skipped.SkipReason}");
            }

            foreach (var group in plan.Groups.Where(g => g.FilesToRead.Any()))
            {
                WriteVerbose("Reading " + string.Join(", ", group.FilesToRead));
            }

            if (readEvents)
            {
                WriteVerbose("Reading WAS, IIS and WSUS events from the System and Application logs.");
            }

            if (Wait)
            {
                WriteVerbose($"Following {plan.FilesToRead.Count()} log(s) for up to {Timeout}; press Ctrl+C to stop.");
            }

            var summary = new LogReadSummary();
            try
            {
                foreach (var entry in plan.ReadInBackground(summary, WriteProblem, readEvents ? new WindowsEventLog() : null, SystemClock.Instance, CancellationToken))
                {
                    WriteObject(entry);
                }
            }
            catch (OperationCanceledException)
            {
                WriteVerbose("Stopped.");
            }

            Report(summary);
        }

        private void AddResolved(string path, bool literal)
        {
            try
            {
                IEnumerable<string> resolved;
                if (literal)
                {
                    var literalPath = GetUnresolvedProviderPathFromPSPath(path);

                    // The engine would read a missing name such as wsyncmgr[1].log as a wildcard.
                    if (!File.Exists(literalPath) && !Directory.Exists(literalPath))
                    {
                        WriteEngineError(new WsusRemediationException("LogFileNotFound", EngineErrorKind.ObjectNotFound, $"No log file found at '{literalPath}'.", path));
                        return;
                    }

                    resolved = new[] { literalPath };
                }
                else
                {
                    resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (provider.Name != "FileSystem")
                    {
                        WriteEngineError(new WsusRemediationException("NotAFileSystemPath", EngineErrorKind.InvalidArgument, $"'{path}' is not a file system path.", path));
                        return;
                    }
                }

                foreach (var item in resolved)
                {
                    _files.AddRange(EvidenceReader.ExpandPath(item));
                }
            }
            catch (ItemNotFoundException ex)
            {
                WriteEngineError(new WsusRemediationException("LogFileNotFound", EngineErrorKind.ObjectNotFound, ex.Message, path, ex));
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex);
            }
            catch (Exception ex) when (ex is SessionStateException || ex is ProviderInvocationException || ex is NotSupportedException || ex is ArgumentException)
            {
                // A drive that does not exist (Q:\logs), a provider path, or characters Windows PowerShell's paths refuse: this path only.
                WriteEngineError(new WsusRemediationException("InvalidLogPath", EngineErrorKind.InvalidArgument, $"'{path}' cannot be read as a log path: {ex.Message}", path, ex));
            }
            catch (Exception ex) when (IsFileSystemFailure(ex))
            {
                WriteEngineError(new WsusRemediationException("LogFileUnreadable", ex is UnauthorizedAccessException ? EngineErrorKind.PermissionDenied : EngineErrorKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex));
            }
        }

        private void WriteProblem(WsusRemediationException problem) => WriteEngineError(problem);

        private static bool IsFileSystemFailure(Exception ex) =>
            ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException;

        private void Report(LogReadSummary summary)
        {
            WriteVerbose($"Read {summary.EntriesRead} entries from {summary.Files.Count} source(s); returned {summary.EntriesReturned}.");
            if (summary.SkippedCount == 0)
            {
                return;
            }

            foreach (var skipped in summary.Skipped.Take(50))
            {
                WriteVerbose("Skipped " + skipped);
            }

            var first = summary.Skipped[0];
            WriteWarning($"{summary.SkippedCount} damaged or unreadable record(s) were skipped, the first at {first.File} line {first.Line} ({first.Reason}). Use -Verbose to list them.");
        }
    }
}
