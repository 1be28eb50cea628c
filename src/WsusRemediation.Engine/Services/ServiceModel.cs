using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Services
{
    /// <summary>
    /// The run state of a Windows service. Values and names are those of the SCM's
    /// <c>SERVICE_STATUS.dwCurrentState</c> (and of .NET's ServiceControllerStatus).
    /// </summary>
    public enum ServiceState
    {
        /// <summary>The state could not be read.</summary>
        Unknown = 0,
        /// <summary>SERVICE_STOPPED.</summary>
        Stopped = 1,
        /// <summary>SERVICE_START_PENDING.</summary>
        StartPending = 2,
        /// <summary>SERVICE_STOP_PENDING.</summary>
        StopPending = 3,
        /// <summary>SERVICE_RUNNING.</summary>
        Running = 4,
        /// <summary>SERVICE_CONTINUE_PENDING.</summary>
        ContinuePending = 5,
        /// <summary>SERVICE_PAUSE_PENDING.</summary>
        PausePending = 6,
        /// <summary>SERVICE_PAUSED.</summary>
        Paused = 7,
    }

    /// <summary>How a service starts. Values are the SCM's <c>dwStartType</c>.</summary>
    public enum ServiceStartType
    {
        /// <summary>SERVICE_BOOT_START (drivers).</summary>
        Boot = 0,
        /// <summary>SERVICE_SYSTEM_START (drivers).</summary>
        System = 1,
        /// <summary>SERVICE_AUTO_START.</summary>
        Automatic = 2,
        /// <summary>SERVICE_DEMAND_START.</summary>
        Manual = 3,
        /// <summary>SERVICE_DISABLED: the SCM refuses to start it (error 1058).</summary>
        Disabled = 4,
    }

    /// <summary>What the Service Control Manager says about one installed service.</summary>
    public sealed class ServiceInfo
    {
        /// <summary>Creates the description of a service.</summary>
        public ServiceInfo(string name, string displayName, ServiceState state, ServiceStartType startType, IReadOnlyList<string>? dependsOn = null, IReadOnlyList<string>? dependentServices = null)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            DisplayName = displayName ?? name;
            State = state;
            StartType = startType;
            DependsOn = dependsOn ?? Array.Empty<string>();
            DependentServices = dependentServices ?? Array.Empty<string>();
        }

        /// <summary>The service (key) name, e.g. <c>SMS_EXECUTIVE</c>.</summary>
        public string Name { get; }

        /// <summary>The display name, e.g. <c>SMS Agent Host</c>.</summary>
        public string DisplayName { get; }

        /// <summary>The current run state.</summary>
        public ServiceState State { get; }

        /// <summary>The start type.</summary>
        public ServiceStartType StartType { get; }

        /// <summary>Services this one needs running (the SCM starts them first). Load-order groups are left out.</summary>
        public IReadOnlyList<string> DependsOn { get; }

        /// <summary>
        /// Every service that depends on this one, directly or not (what EnumDependentServices returns);
        /// the SCM will not stop this service while one of them runs (error 1051).
        /// </summary>
        public IReadOnlyList<string> DependentServices { get; }
    }
}
