using System;
using System.Collections.Generic;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// The guide's <c>iisreset</c>, done through the Service Control Manager: stops W3SVC, the running
    /// services that depend on WAS, WAS (and IISADMIN where it runs), then starts them in reverse,
    /// each with a timeout, and reports per service what was done and how long it took.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "IisService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ServiceRestartResult))]
    public sealed class RestartIisServiceCommand : ServiceRestartCommandBase
    {
        /// <summary>Creates the cmdlet; IIS services stop and start faster than the SMS ones.</summary>
        public RestartIisServiceCommand() => Timeout = TimeSpan.FromSeconds(60);

        /// <inheritdoc />
        protected override IReadOnlyList<ServiceTarget> Targets() => SiteServices.IisReset();
    }
}
