using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Commands
{
    /// <summary>Tells whether WsusPool's settings match a profile: $true or $false, or with -Detailed the settings that are off.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "WsusPoolTuning")]
    [OutputType(typeof(bool))]
    [OutputType(typeof(PoolSettingStatus))]
    public sealed class TestWsusPoolTuningCommand : WsusRemediationCmdlet
    {
        private bool _compliant = true;

        /// <summary>The pools to test; wildcards allowed. Default: the pool serving WSUS, else WsusPool.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? PoolName { get; set; }

        /// <summary>An applicationHost.config file to test instead of the live server's.</summary>
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

        /// <summary>Output the settings that do not match instead of $true/$false.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                var service = new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance);
                var path = PoolTuningCmdletSupport.ResolveConfigurationPath(this, service, ConfigurationPath, ComputerName);
                var document = service.Load(path);
                foreach (var name in PoolTuningService.ExpandPoolNames(document, PoolName))
                {
                    try
                    {
                        var tuning = PoolTuningService.Read(document, name, Profile, PoolTuningCmdletSupport.DisplayComputerName(ConfigurationPath, ComputerName), null);
                        foreach (var setting in tuning.Settings)
                        {
                            if (setting.IsCompliant)
                            {
                                continue;
                            }

                            _compliant = false;
                            WriteVerbose($"{tuning.PoolName}: {setting.Name} is {setting.Current}; {Profile} is {setting.Recommended}.");
                            if (Detailed)
                            {
                                WriteObject(setting);
                            }
                        }
                    }
                    catch (WsusRemediationException ex)
                    {
                        _compliant = false;
                        WriteEngineError(ex);
                    }
                }
            }
            catch (WsusRemediationException ex)
            {
                _compliant = false;
                WriteEngineError(ex);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // One answer for the whole pipeline, as DSC and runbook conditions expect.
            if (!Detailed)
            {
                WriteObject(_compliant);
            }
        }
    }
}
