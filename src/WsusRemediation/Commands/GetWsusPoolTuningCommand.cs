using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Commands
{
    /// <summary>Reads WsusPool's settings from applicationHost.config and compares them with a profile.</summary>
    [Cmdlet(VerbsCommon.Get, "WsusPoolTuning")]
    [OutputType(typeof(WsusPoolTuning))]
    public sealed class GetWsusPoolTuningCommand : PoolTuningCmdlet
    {
        /// <summary>The profile to compare with.</summary>
        [Parameter]
        public PoolTuningProfileName Profile { get; set; } = PoolTuningProfileName.Recommended;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var tuning in ReadPools(Profile))
            {
                foreach (var warning in tuning.Warnings)
                {
                    WriteWarning($"{tuning.PoolName}: {warning}");
                }

                WriteObject(tuning);
            }
        }
    }
}
