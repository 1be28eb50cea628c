using System;
using System.Collections.Generic;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Stops the WSUS application pool, waits until it is Stopped, starts it and waits until it is
    /// Started. A pool found Stopped (as rapid-fail protection leaves it) is started and reported.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "WsusPool", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(WsusPoolState))]
    public sealed class RestartWsusPoolCommand : WsusRemediationCmdlet
    {
        /// <summary>The pools to restart. Default: the pool serving WSUS's ClientWebService, else WsusPool.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ValidateNotNullOrEmpty]
        public string[]? PoolName { get; set; }

        /// <summary>The computers; this computer when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>The most the stop and the start may each take: a TimeSpan (00:01:30) or seconds (90); at most one hour.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        [Alias("TimeoutSeconds")]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(90);

        // Pools already restarted by this command: the same pool piped in twice is restarted once.
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <inheritdoc />
        protected override void BeginProcessing() => RequireTimeout(Timeout, TimeSpan.FromHours(1));

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var restarter = new AppPoolRestarter(new AppPoolControlAdapter(), SystemClock.Instance)
            {
                StopTimeout = Timeout,
                StartTimeout = Timeout,
            };

            foreach (var computer in ServiceErrors.ComputersToChange(ComputerName, IsComputerNameBound, WriteEmptyComputerNameOnce))
            {
                var pools = PoolName ?? new[] { new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance).DiscoverWsusPoolName(computer, WriteVerbose) };
                foreach (var pool in pools)
                {
                    if (!_done.Add(ServiceCmdletSupport.Key(computer) + "\\" + pool))
                    {
                        WriteVerbose($"{pool} on {ServiceErrors.DisplayComputer(computer)}: already done by this command; not restarted again.");
                        continue;
                    }

                    try
                    {
                        var state = restarter.Restart(computer, pool, ShouldProcess, UntilStopped<string>(WriteVerbose), UntilStopped<WaitProgress>(p => WriteWaitProgress(ServiceCmdletSupport.WaitProgressId, p)), CancellationToken);
                        if (state.Action == PoolAction.Declined)
                        {
                            continue;
                        }

                        if (state.WasStopped)
                        {
                            WriteWarning(state.Message);
                        }

                        WriteObject(state);
                    }
                    catch (PoolRestartCancelledException stopped)
                    {
                        StopAfterCleanUp(stopped);
                    }
                    catch (WsusRemediationException ex) when (ServiceCmdletSupport.IsCommandWide(ex))
                    {
                        ThrowEngineError(ex);
                    }
                    catch (WsusRemediationException ex)
                    {
                        WriteEngineError(ex);
                    }
                }
            }
        }
    }
}
