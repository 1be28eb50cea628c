using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Commands
{
    /// <summary>Tells whether WsusPool's settings match a profile: $true or $false, or with -Detailed the settings that are off.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "WsusPoolTuning")]
    [OutputType(typeof(bool))]
    [OutputType(typeof(PoolSettingStatus))]
    public sealed class TestWsusPoolTuningCommand : PoolTuningCmdlet
    {
        private bool _compliant = true;
        private int _poolsTested;

        /// <summary>A remote server, reached through its admin$ share.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string? ComputerName { get; set; }

        /// <inheritdoc />
        protected override string? CurrentComputerName => ComputerName;

        /// <summary>The profile to compare with.</summary>
        [Parameter]
        public PoolTuningProfileName Profile { get; set; } = PoolTuningProfileName.Recommended;

        /// <summary>Output the settings that do not match instead of $true/$false.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // A pool or file that cannot be read is not compliant.
            foreach (var tuning in ReadPools(Profile, () => _compliant = false))
            {
                _poolsTested++;
                foreach (var setting in tuning.Settings)
                {
                    if (setting.IsCompliant)
                    {
                        continue;
                    }

                    _compliant = false;
                    WriteVerbose($"{tuning.PoolName}: {setting.Name} is {setting.Definition.Describe(setting.Current)}; {Profile} is {setting.Definition.Describe(setting.Recommended)}.");
                    if (Detailed)
                    {
                        WriteObject(setting);
                    }
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // A wildcard that matches no pool tests nothing, and nothing tested is not compliant.
            if (_poolsTested == 0 && _compliant)
            {
                WriteVerbose("No application pool matched, so none was tested.");
                _compliant = false;
            }

            // One answer for the whole pipeline, as DSC and runbook conditions expect.
            if (!Detailed)
            {
                WriteObject(_compliant);
            }
        }
    }
}
