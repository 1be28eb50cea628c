using System;
using System.Collections.Generic;
using System.Management.Automation;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Common
{
    /// <summary>
    /// The body of the cmdlets that restart a set of services (Restart-SmsService, Restart-IisService):
    /// plan on each computer, run the plan with one ShouldProcess per service, write one result per
    /// service and one error per failure. The subclasses only say which services.
    /// </summary>
    public abstract class ServiceRestartCommandBase : WsusRemediationCmdlet
    {
        /// <summary>The computers to work on; this computer when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>The most each stop and each start may take: a TimeSpan (00:03:00) or seconds (180); at most one hour.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        [Alias("TimeoutSeconds")]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(180);

        // Computers already restarted by this command: objects piped in (one SiteServiceStatus per service)
        // carry the same ComputerName, and each would otherwise restart every service again.
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The services to act on, in stop order.</summary>
        protected abstract IReadOnlyList<ServiceTarget> Targets();

        /// <inheritdoc />
        protected override void BeginProcessing() => RequireTimeout(Timeout, TimeSpan.FromHours(1));

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var scm = new ServiceControlManagerAdapter();
            var planner = new ServiceRestartPlanner(scm);
            var runner = new ServiceRestartRunner(scm, SystemClock.Instance)
            {
                StopTimeout = Timeout,
                StartTimeout = Timeout,
            };
            var hooks = new ServiceRunHooks
            {
                ShouldProcess = ShouldProcess,
                Verbose = UntilStopped<string>(WriteVerbose),
                Progress = UntilStopped<WaitProgress>(p => WriteWaitProgress(ServiceCmdletSupport.WaitProgressId, p)),
            };

            foreach (var computer in ServiceErrors.ComputersToChange(ComputerName, IsComputerNameBound, WriteEmptyComputerNameOnce))
            {
                if (!_done.Add(ServiceCmdletSupport.Key(computer)))
                {
                    WriteVerbose($"{ServiceErrors.DisplayComputer(computer)}: already done by this command; not restarted again.");
                    continue;
                }

                try
                {
                    var plan = planner.Plan(computer, Targets());
                    WriteVerbose(ServiceCmdletSupport.Describe(plan));
                    var outcome = runner.Run(plan, hooks, CancellationToken);
                    foreach (var result in outcome.Results)
                    {
                        // Under -WhatIf the "What if:" lines are the answer; declined services have nothing to report.
                        if (result.Action != ServiceAction.Declined)
                        {
                            WriteObject(result);
                        }
                    }

                    foreach (var error in outcome.Errors)
                    {
                        WriteEngineError(error);
                    }
                }
                catch (ServiceRunCancelledException stopped)
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
