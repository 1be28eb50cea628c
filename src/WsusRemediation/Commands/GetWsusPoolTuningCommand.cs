using System.Collections.Generic;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Commands
{
    /// <summary>Reads WsusPool's settings from applicationHost.config and compares them with a profile.</summary>
    [Cmdlet(VerbsCommon.Get, "WsusPoolTuning")]
    [OutputType(typeof(WsusPoolTuning))]
    public sealed class GetWsusPoolTuningCommand : PoolTuningCmdlet
    {
        private const int ProgressId = 8;
        private ThrottledQueries<PoolTarget, PoolReads>? _queries;
        private string? _currentComputer;

        /// <summary>Remote servers, reached through their admin$ shares; read at the same time.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>How many servers are read at the same time.</summary>
        [Parameter]
        [ValidateRange(1, ThrottledQueries.MaximumThrottleLimit)]
        public int ThrottleLimit { get; set; } = ThrottledQueries.DefaultThrottleLimit;

        /// <summary>The profile to compare with.</summary>
        [Parameter]
        public PoolTuningProfileName Profile { get; set; } = PoolTuningProfileName.Recommended;

        /// <inheritdoc />
        protected override string? CurrentComputerName => _currentComputer;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var computers = ComputerName is null || ComputerName.Length == 0 ? new string?[] { null } : ComputerName;
            if (IsOffline)
            {
                // A file read offline: nothing to wait for, and its path is resolved against PowerShell's
                // location, which only this thread may ask for.
                foreach (var computer in computers)
                {
                    _currentComputer = computer;
                    foreach (var tuning in ReadPools(Profile))
                    {
                        Write(tuning);
                    }
                }

                return;
            }

            // Live: every server of the pipeline is read at the same time (at most -ThrottleLimit at once);
            // what has answered is written now, the rest at the end.
            _queries ??= StartThrottledQueries<PoolTarget, PoolReads>((target, context) => ReadServer(target, Profile, context), ThrottleLimit);
            foreach (var computer in computers)
            {
                _queries.Add(new PoolTarget(computer, RequestedPoolNamesIn(null)));
            }

            WriteReads(waitForAll: false);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_queries is not null)
            {
                WriteReads(waitForAll: true);
            }
        }

        private void WriteReads(bool waitForAll) =>
            WriteQueryEvents(_queries!, waitForAll, t => t.ComputerName, reads =>
            {
                foreach (var item in reads.Items)
                {
                    if (item is WsusPoolTuning tuning)
                    {
                        Write(tuning);
                    }
                    else
                    {
                        WriteEngineError((WsusRemediationException)item);
                    }
                }
            }, ProgressId, "Reading WsusPool's settings");

        private void Write(WsusPoolTuning tuning)
        {
            foreach (var warning in tuning.Warnings)
            {
                WriteWarning($"{tuning.PoolName}: {warning}");
            }

            WriteObject(tuning);
        }
    }
}
