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
    public sealed class TestWsusPoolTuningCommand : PoolTuningCmdlet
    {
        private const int ProgressId = 10;
        private bool _compliant = true;
        private int _poolsTested;
        private string? _currentComputer;
        private ThrottledQueries<PoolTarget, PoolReads>? _queries;

        /// <summary>Remote servers, reached through their admin$ shares; read at the same time, one answer for all.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>How many servers are read at the same time.</summary>
        [Parameter]
        [ValidateRange(1, ThrottledQueries.MaximumThrottleLimit)]
        public int ThrottleLimit { get; set; } = ThrottledQueries.DefaultThrottleLimit;

        /// <inheritdoc />
        protected override string? CurrentComputerName => _currentComputer;

        /// <summary>The profile to compare with.</summary>
        [Parameter]
        public PoolTuningProfileName Profile { get; set; } = PoolTuningProfileName.Recommended;

        /// <summary>Output the settings that do not match instead of $true/$false.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var computers = ComputerName is null || ComputerName.Length == 0 ? new string?[] { null } : ComputerName;
            if (IsOffline)
            {
                // A file read offline; its path is resolved against PowerShell's location on this thread.
                foreach (var computer in computers)
                {
                    _currentComputer = computer;

                    // A pool or file that cannot be read is not compliant.
                    foreach (var tuning in ReadPools(Profile, () => _compliant = false))
                    {
                        Evaluate(tuning);
                    }
                }

                return;
            }

            // Live: every server of the pipeline is read at the same time; the answer waits for all of them.
            _queries ??= StartThrottledQueries<PoolTarget, PoolReads>((target, context) => ReadServer(target, Profile, context), ThrottleLimit);
            foreach (var computer in computers)
            {
                _queries.Add(new PoolTarget(computer, RequestedPoolNamesIn(null)));
            }

            WriteReads(waitForAll: false);
        }

        private void WriteReads(bool waitForAll) =>
            WriteQueryEvents(_queries!, waitForAll, t => t.ComputerName, reads =>
            {
                foreach (var item in reads.Items)
                {
                    if (item is WsusPoolTuning tuning)
                    {
                        Evaluate(tuning);
                    }
                    else
                    {
                        _compliant = false;
                        WriteEngineError((WsusRemediationException)item);
                    }
                }
            }, ProgressId, "Testing WsusPool's settings", onFailure: _ => _compliant = false);

        private void Evaluate(WsusPoolTuning tuning)
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

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_queries is not null)
            {
                WriteReads(waitForAll: true);
            }

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
