using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Commands
{
    /// <summary>Reads WsusPool's settings from applicationHost.config and compares them with a profile.</summary>
    [Cmdlet(VerbsCommon.Get, "WsusPoolTuning")]
    [OutputType(typeof(WsusPoolTuning))]
    public sealed class GetWsusPoolTuningCommand : WsusRemediationCmdlet
    {
        /// <summary>The pools to read; wildcards allowed. Default: the pool serving WSUS's ClientWebService, else WsusPool.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? PoolName { get; set; }

        /// <summary>An applicationHost.config file to read instead of the live server's.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Path", "FullName")]
        [ValidateNotNullOrEmpty]
        public string? ConfigurationPath { get; set; }

        /// <summary>A remote server, read through its admin$ share.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string? ComputerName { get; set; }

        /// <summary>The profile to compare with.</summary>
        [Parameter]
        public PoolTuningProfileName Profile { get; set; } = PoolTuningProfileName.Recommended;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                var service = new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance);
                var path = PoolTuningCmdletSupport.ResolveConfigurationPath(this, service, ConfigurationPath, ComputerName);
                WriteVerbose($"Reading '{path}'.");
                var document = service.Load(path);
                var names = PoolTuningService.ExpandPoolNames(document, PoolName);
                foreach (var name in names)
                {
                    try
                    {
                        var tuning = PoolTuningService.Read(document, name, Profile, PoolTuningCmdletSupport.DisplayComputerName(ConfigurationPath, ComputerName), null);
                        foreach (var warning in tuning.Warnings)
                        {
                            WriteWarning($"{tuning.PoolName}: {warning}");
                        }

                        WriteObject(tuning);
                    }
                    catch (WsusRemediationException ex)
                    {
                        WriteEngineError(ex);
                    }
                }
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex);
            }
        }
    }
}
