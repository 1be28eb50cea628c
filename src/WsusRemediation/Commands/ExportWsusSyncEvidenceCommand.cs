using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Writes one zip with a server's synchronization evidence and a manifest (what, from where, when,
    /// SHA-256), secrets removed: from the live server, or repackaging files copied off it by hand.
    /// Get-WsusSyncDiagnosis -EvidencePath reads it back on any computer.
    /// </summary>
    [Cmdlet(VerbsData.Export, "WsusSyncEvidence", DefaultParameterSetName = LiveSet, SupportsShouldProcess = true)]
    [OutputType(typeof(WsusEvidenceBundle))]
    public sealed class ExportWsusSyncEvidenceCommand : WsusRemediationCmdlet
    {
        private const string LiveSet = "Live";
        private const string SourceSet = "Source";
        private const int ProgressId = 11;

        /// <summary>The zip to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The site server or SUP to collect from. Default: this computer.</summary>
        [Parameter(ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        [ValidateNotNullOrEmpty]
        public string? ComputerName { get; set; }

        /// <summary>Files or folders already copied off a server (folders with their subfolders): repackaged, secrets removed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SourceSet)]
        [ValidateNotNullOrEmpty]
        public string[]? SourcePath { get; set; }

        /// <summary>Only evidence from this time on: events since then, and logs with something newer.</summary>
        [Parameter]
        public DateTime Since { get; set; }

        /// <summary>Overwrites an existing zip.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Live: leaves out the network checks (name resolution and a TCP connection to the update source through the configured proxy).</summary>
        [Parameter(ParameterSetName = LiveSet)]
        public SwitchParameter SkipNetworkCheck { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string zip;
            try
            {
                zip = EvidenceExportService.PrepareBundlePath(ResolveFileSystemPath(Path, "InvalidBundlePath"), Force);
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex);
                return;
            }

            var since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since.ToUniversalTime() : (DateTime?)null;
            var service = new EvidenceExportService(SystemClock.Instance);
            try
            {
                if (ParameterSetName == SourceSet)
                {
                    var sources = SourcePath!.Select(p => ResolveFileSystemPath(p, "InvalidEvidencePath")).ToList();
                    if (!ShouldProcess(zip, $"Write an evidence bundle of {string.Join(", ", sources)}"))
                    {
                        return;
                    }

                    Report(WithProgress(ProgressId, "Exporting synchronization evidence", string.Join(", ", sources), () => service.ExportFiles(sources, zip, since, CancellationToken, WriteVerbose)));
                    return;
                }

                var target = ComputerName ?? Environment.MachineName;
                var live = LiveEvidence.For(ComputerName, SystemClock.Instance, "-SourcePath");
                if (!ShouldProcess(zip, $"Write an evidence bundle of '{target}'"))
                {
                    return;
                }

                Report(WithProgress(ProgressId, "Exporting synchronization evidence", target, () => service.ExportLive(live, ComputerName, zip, since, !SkipNetworkCheck, CancellationToken, WriteVerbose)));
            }
            catch (WsusRemediationException ex)
            {
                // A source that cannot be read is the error's target, not the zip.
                WriteEngineError(ex, ex.Target ?? zip);
            }
        }

        private void Report(WsusEvidenceBundle bundle)
        {
            foreach (var redaction in bundle.Redactions)
            {
                WriteVerbose($"Removed a secret: {redaction.Path} line {redaction.Line}, {redaction.What}.");
            }

            foreach (var excluded in bundle.Excluded)
            {
                WriteVerbose($"Not in the bundle: {excluded.From}: {excluded.Reason}");
            }

            WriteVerbose($"Wrote {bundle.Path}: {bundle.FileCount} file(s), {bundle.RedactionCount} secret(s) removed.");
            WriteObject(bundle);
        }
    }
}
