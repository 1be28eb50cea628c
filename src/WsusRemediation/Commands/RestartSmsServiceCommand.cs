using System.Collections.Generic;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// The guide's SMS step: restarts SMS_EXECUTIVE and SMS_SITE_COMPONENT_MANAGER in order, starts
    /// SMS_NOTIFICATION_SERVER if stopped and makes sure SMS Agent Host runs; optionally the WSUS
    /// service and BITS too. One result per service.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "SmsService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [Alias("Restart-SmsServices")]
    [OutputType(typeof(ServiceRestartResult))]
    public sealed class RestartSmsServiceCommand : ServiceRestartCommandBase
    {
        /// <summary>Also restart the WSUS service (WsusService), as the older guide does.</summary>
        [Parameter]
        public SwitchParameter IncludeWsus { get; set; }

        /// <summary>Also restart BITS (start it when stopped); a Disabled BITS is reported and nothing is changed.</summary>
        [Parameter]
        public SwitchParameter IncludeBits { get; set; }

        /// <inheritdoc />
        protected override IReadOnlyList<ServiceTarget> Targets() => SiteServices.SmsRestart(IncludeWsus.IsPresent, IncludeBits.IsPresent);
    }
}
