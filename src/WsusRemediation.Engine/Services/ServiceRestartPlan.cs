using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Services
{
    /// <summary>What a plan should do with one service, depending on the state it is found in.</summary>
    public enum ServiceRule
    {
        /// <summary>Running: stop, then start. Stopped: start.</summary>
        Restart,
        /// <summary>Running: stop, then start. Stopped: leave it (how an IIS reset treats the optional IIS services).</summary>
        RestartIfRunning,
        /// <summary>Running: leave it. Stopped: start (the guide's "start if stopped" and "verify running").</summary>
        EnsureRunning,
    }

    /// <summary>A service a plan is about, with its rule and why it matters.</summary>
    public sealed class ServiceTarget
    {
        /// <summary>Creates a target.</summary>
        public ServiceTarget(string name, ServiceRule rule, string purpose)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Rule = rule;
            Purpose = purpose ?? string.Empty;
        }

        /// <summary>The service (key) name.</summary>
        public string Name { get; }

        /// <summary>What to do with it.</summary>
        public ServiceRule Rule { get; }

        /// <summary>Why it is in the plan, in words.</summary>
        public string Purpose { get; }
    }

    /// <summary>What the plan will do with a service.</summary>
    public enum PlannedServiceAction
    {
        /// <summary>Nothing: it is already as wanted.</summary>
        None,
        /// <summary>Stop it, then start it.</summary>
        Restart,
        /// <summary>Start it.</summary>
        Start,
        /// <summary>Nothing: it is not installed.</summary>
        NotPresent,
    }

    /// <summary>One service in a plan, with the state it was found in.</summary>
    public sealed class PlannedService
    {
        internal PlannedService(ServiceTarget target, ServiceInfo? info, PlannedServiceAction action, string? addedAsDependentOf)
        {
            Name = info?.Name ?? target.Name;
            DisplayName = info?.DisplayName ?? target.Name;
            Present = info is not null;
            StateBefore = info?.State;
            StartType = info?.StartType;
            Rule = target.Rule;
            Purpose = target.Purpose;
            Action = action;
            AddedAsDependentOf = addedAsDependentOf;
            DependentServices = info?.DependentServices ?? Array.Empty<string>();
        }

        /// <summary>The service (key) name.</summary>
        public string Name { get; }

        /// <summary>The display name (the service name when it is not installed).</summary>
        public string DisplayName { get; }

        /// <summary>Whether the service is installed.</summary>
        public bool Present { get; }

        /// <summary>The state it was found in; null when not installed.</summary>
        public ServiceState? StateBefore { get; }

        /// <summary>Its start type; null when not installed.</summary>
        public ServiceStartType? StartType { get; }

        /// <summary>The rule it was planned by.</summary>
        public ServiceRule Rule { get; }

        /// <summary>Why it is in the plan.</summary>
        public string Purpose { get; }

        /// <summary>What will be done.</summary>
        public PlannedServiceAction Action { get; internal set; }

        /// <summary>When it is only in the plan because a service it depends on is restarted, that service's name.</summary>
        public string? AddedAsDependentOf { get; internal set; }

        /// <summary>The services that depend on it (from the SCM).</summary>
        public IReadOnlyList<string> DependentServices { get; }

        /// <summary>True when its state counts as running (a stop is needed before a start).</summary>
        public bool WasRunning => StateBefore is ServiceState s && ServicePlanRules.IsRunningish(s);
    }

    /// <summary>
    /// The ordered plan for one computer. <see cref="Services"/> is in stop order: every service comes
    /// before the services it depends on; starts run in the reverse order.
    /// </summary>
    public sealed class ServiceRestartPlan
    {
        internal ServiceRestartPlan(string computerName, bool isLocal, IReadOnlyList<PlannedService> services, WsusRemediationException? blocker, string? blockedService)
        {
            ComputerName = computerName;
            IsLocal = isLocal;
            Services = services;
            Blocker = blocker;
            BlockedService = blockedService;
        }

        /// <summary>The computer, as results report it.</summary>
        public string ComputerName { get; }

        /// <summary>Whether the computer is this one (the SCM port is then called with no name).</summary>
        public bool IsLocal { get; }

        /// <summary>Every service of the plan, in stop order.</summary>
        public IReadOnlyList<PlannedService> Services { get; }

        /// <summary>The services to stop, in order.</summary>
        public IEnumerable<PlannedService> StopOrder => Services.Where(s => s.Action == PlannedServiceAction.Restart);

        /// <summary>The services to start, in order (the reverse of the stop order).</summary>
        public IEnumerable<PlannedService> StartOrder => Services.Reverse().Where(s => s.Action == PlannedServiceAction.Restart || s.Action == PlannedServiceAction.Start);

        /// <summary>
        /// Set when the plan must not run at all: a service it would have to start is Disabled, so
        /// stopping anything could leave it stopped. Nothing is changed then.
        /// </summary>
        public WsusRemediationException? Blocker { get; }

        /// <summary>The service that blocks the plan.</summary>
        public string? BlockedService { get; }

        /// <summary>The name the SCM port is called with.</summary>
        internal string? ScmComputer => IsLocal ? null : ComputerName;
    }

    internal static class ServicePlanRules
    {
        public static bool IsRunningish(ServiceState state) =>
            state == ServiceState.Running || state == ServiceState.StartPending || state == ServiceState.ContinuePending ||
            state == ServiceState.PausePending || state == ServiceState.Paused;

        public static PlannedServiceAction ActionFor(ServiceRule rule, ServiceState state)
        {
            var running = IsRunningish(state);
            switch (rule)
            {
                case ServiceRule.Restart:
                    return running ? PlannedServiceAction.Restart : PlannedServiceAction.Start;
                case ServiceRule.RestartIfRunning:
                    return running ? PlannedServiceAction.Restart : PlannedServiceAction.None;
                default:
                    return running ? PlannedServiceAction.None : PlannedServiceAction.Start;
            }
        }
    }
}
