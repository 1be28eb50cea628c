using System.Collections.Generic;

namespace WsusRemediation.Engine.Services
{
    /// <summary>
    /// The services that matter on a WSUS/MECM site server, and the service sets of the restarts.
    /// Lists are in stop order; starts run in reverse.
    /// </summary>
    public static class SiteServices
    {
        /// <summary>The WSUS service.</summary>
        public const string Wsus = "WsusService";
        /// <summary>World Wide Web Publishing Service.</summary>
        public const string W3svc = "W3SVC";
        /// <summary>Windows Process Activation Service; W3SVC depends on it.</summary>
        public const string Was = "WAS";
        /// <summary>IIS Admin Service (present only with the IIS 6 management compatibility feature).</summary>
        public const string IisAdmin = "IISADMIN";
        /// <summary>Background Intelligent Transfer Service.</summary>
        public const string Bits = "BITS";
        /// <summary>SMS Executive.</summary>
        public const string SmsExecutive = "SMS_EXECUTIVE";
        /// <summary>SMS Site Component Manager.</summary>
        public const string SmsSiteComponentManager = "SMS_SITE_COMPONENT_MANAGER";
        /// <summary>SMS Notification Server (management point).</summary>
        public const string SmsNotificationServer = "SMS_NOTIFICATION_SERVER";
        /// <summary>SMS Agent Host (the ConfigMgr client).</summary>
        public const string CcmExec = "CcmExec";

        /// <summary>
        /// The guide's SMS step: restart SMS_SITE_COMPONENT_MANAGER and SMS_EXECUTIVE (stop the
        /// executive first, start it last), start SMS_NOTIFICATION_SERVER if stopped, make sure SMS
        /// Agent Host runs. The older guide adds the WSUS service and BITS: stopped after the SMS
        /// services, started before them, BITS before WsusService (WSUS downloads through BITS).
        /// </summary>
        public static IReadOnlyList<ServiceTarget> SmsRestart(bool includeWsus, bool includeBits)
        {
            var targets = new List<ServiceTarget>
            {
                new ServiceTarget(CcmExec, ServiceRule.EnsureRunning, "The guide: verify SMS Agent Host is running."),
                new ServiceTarget(SmsNotificationServer, ServiceRule.EnsureRunning, "The guide: start SMS_NOTIFICATION_SERVER if stopped."),
                new ServiceTarget(SmsExecutive, ServiceRule.Restart, "The guide: restart SMS_EXECUTIVE (runs the WSUS sync manager)."),
                new ServiceTarget(SmsSiteComponentManager, ServiceRule.Restart, "The guide: restart SMS_SITE_COMPONENT_MANAGER."),
            };
            if (includeWsus)
            {
                targets.Add(new ServiceTarget(Wsus, ServiceRule.Restart, "The older guide: restart the WSUS service."));
            }

            if (includeBits)
            {
                targets.Add(new ServiceTarget(Bits, ServiceRule.Restart, "The older guide: restart BITS; synchronization fails while it is disabled."));
            }

            return targets;
        }

        /// <summary>
        /// What <c>iisreset</c> restarts: W3SVC and WAS (and IISADMIN where installed), with every
        /// running service that depends on them (the planner adds those).
        /// </summary>
        public static IReadOnlyList<ServiceTarget> IisReset() => new[]
        {
            new ServiceTarget(W3svc, ServiceRule.Restart, "Serves the WSUS web services."),
            new ServiceTarget(Was, ServiceRule.Restart, "Runs the application pools (WsusPool)."),
            new ServiceTarget(IisAdmin, ServiceRule.RestartIfRunning, "IIS 6 management compatibility."),
        };

        /// <summary>The services the read-only view shows, with what a healthy site expects of each.</summary>
        public static IReadOnlyList<ServiceExpectation> StatusView() => new[]
        {
            new ServiceExpectation(Wsus, "WSUS", mustRun: true, "Synchronizes updates; a stopped WSUS service fails every sync."),
            new ServiceExpectation(W3svc, "IIS", mustRun: true, "Serves the WSUS web services (ClientWebService, ApiRemoting30)."),
            new ServiceExpectation(Was, "IIS", mustRun: true, "Runs WsusPool; W3SVC depends on it."),
            new ServiceExpectation(Bits, "WSUS", mustRun: false, "Downloads content; synchronization fails while it is Disabled (Manual is normal)."),
            new ServiceExpectation(SmsExecutive, "MECM site", mustRun: true, "Runs the site components, the WSUS sync manager among them."),
            new ServiceExpectation(SmsSiteComponentManager, "MECM site", mustRun: true, "Installs and watches the site components."),
            new ServiceExpectation(SmsNotificationServer, "MECM management point", mustRun: true, "The guide expects it Running (start type Manual)."),
            new ServiceExpectation(CcmExec, "MECM client", mustRun: true, "SMS Agent Host; the guide expects it Running."),
        };
    }

    /// <summary>A service of the read-only view and what a healthy site expects of it.</summary>
    public sealed class ServiceExpectation
    {
        /// <summary>Creates an expectation.</summary>
        public ServiceExpectation(string name, string role, bool mustRun, string purpose)
        {
            Name = name;
            Role = role;
            MustRun = mustRun;
            Purpose = purpose;
        }

        /// <summary>The service name.</summary>
        public string Name { get; }

        /// <summary>What part of the site it belongs to.</summary>
        public string Role { get; }

        /// <summary>True when a healthy site has it Running; otherwise it only must not be Disabled.</summary>
        public bool MustRun { get; }

        /// <summary>Why it matters.</summary>
        public string Purpose { get; }
    }
}
