using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>
    /// Every WsusPool setting named by the two guides and by Microsoft's KB4490414. Types, ranges and
    /// defaults are IIS 10's schema (IIS_schema.xml); time-span ranges there are in seconds.
    /// </summary>
    public static class PoolSettingCatalog
    {
        /// <summary>Application Pools → Queue Length.</summary>
        public static readonly PoolSettingDefinition QueueLength = new PoolSettingDefinition(
            "queueLength", nameof(WsusPoolTuning.QueueLength), "Queue Length", string.Empty, "queueLength",
            PoolSettingValueType.UInt32, "requests", 1000L, 10L, 65535L);

        /// <summary>Process Model → Idle Time-out (minutes in IIS Manager).</summary>
        public static readonly PoolSettingDefinition IdleTimeout = new PoolSettingDefinition(
            "processModel.idleTimeout", nameof(WsusPoolTuning.IdleTimeout), "Idle Time-out", "processModel", "idleTimeout",
            PoolSettingValueType.TimeSpan, "hh:mm:ss", TimeSpan.FromMinutes(20), TimeSpan.Zero, TimeSpan.FromSeconds(2592000), TimeSpan.FromMinutes(1));

        /// <summary>Process Model → Ping Enabled.</summary>
        public static readonly PoolSettingDefinition PingingEnabled = new PoolSettingDefinition(
            "processModel.pingingEnabled", nameof(WsusPoolTuning.PingingEnabled), "Ping Enabled", "processModel", "pingingEnabled",
            PoolSettingValueType.Boolean, string.Empty, true);

        /// <summary>Process Model → Load User Profile.</summary>
        public static readonly PoolSettingDefinition LoadUserProfile = new PoolSettingDefinition(
            "processModel.loadUserProfile", nameof(WsusPoolTuning.LoadUserProfile), "Load User Profile", "processModel", "loadUserProfile",
            PoolSettingValueType.Boolean, string.Empty, false);

        /// <summary>Recycling → Private Memory Limit (KB). WSUS setup sets 1,843,200 KB; 0 disables it.</summary>
        public static readonly PoolSettingDefinition PrivateMemoryLimit = new PoolSettingDefinition(
            "recycling.periodicRestart.privateMemory", nameof(WsusPoolTuning.PrivateMemoryLimitKB), "Private Memory Limit (KB)", "recycling/periodicRestart", "privateMemory",
            PoolSettingValueType.UInt32, "KB", 0L, 0L, (long)uint.MaxValue);

        /// <summary>Recycling → Virtual Memory Limit (KB); 0 disables it.</summary>
        public static readonly PoolSettingDefinition VirtualMemoryLimit = new PoolSettingDefinition(
            "recycling.periodicRestart.memory", nameof(WsusPoolTuning.VirtualMemoryLimitKB), "Virtual Memory Limit (KB)", "recycling/periodicRestart", "memory",
            PoolSettingValueType.UInt32, "KB", 0L, 0L, (long)uint.MaxValue);

        /// <summary>Recycling → Regular Time Interval. The schema default 29:00:00 is 29 hours (1740 minutes).</summary>
        public static readonly PoolSettingDefinition RegularTimeInterval = new PoolSettingDefinition(
            "recycling.periodicRestart.time", nameof(WsusPoolTuning.RegularTimeInterval), "Regular Time Interval", "recycling/periodicRestart", "time",
            PoolSettingValueType.TimeSpan, "hh:mm:ss", TimeSpan.FromHours(29), TimeSpan.Zero, TimeSpan.FromSeconds(25920000), TimeSpan.FromMinutes(1));

        /// <summary>General → Enable 32-Bit Applications. Must stay false on a WSUS server (suscomp.dll is 64-bit only).</summary>
        public static readonly PoolSettingDefinition Enable32BitAppOnWin64 = new PoolSettingDefinition(
            "enable32BitAppOnWin64", nameof(WsusPoolTuning.Enable32BitAppOnWin64), "Enable 32-Bit Applications", string.Empty, "enable32BitAppOnWin64",
            PoolSettingValueType.Boolean, string.Empty, false);

        /// <summary>General → .NET CLR Version. IIS 8+ schema default is "" (No Managed Code); WSUS runs on v4.0.</summary>
        public static readonly PoolSettingDefinition ManagedRuntimeVersion = new PoolSettingDefinition(
            "managedRuntimeVersion", nameof(WsusPoolTuning.ManagedRuntimeVersion), ".NET CLR Version", string.Empty, "managedRuntimeVersion",
            PoolSettingValueType.String, string.Empty, string.Empty, allowedValues: new[] { "v4.0", "v2.0", string.Empty });

        /// <summary>General → Managed Pipeline Mode.</summary>
        public static readonly PoolSettingDefinition ManagedPipelineMode = new PoolSettingDefinition(
            "managedPipelineMode", nameof(WsusPoolTuning.ManagedPipelineMode), "Managed Pipeline Mode", string.Empty, "managedPipelineMode",
            PoolSettingValueType.Enumeration, string.Empty, "Integrated", allowedValues: new[] { "Integrated", "Classic" });

        /// <summary>General → Start Mode.</summary>
        public static readonly PoolSettingDefinition StartMode = new PoolSettingDefinition(
            "startMode", nameof(WsusPoolTuning.StartMode), "Start Mode", string.Empty, "startMode",
            PoolSettingValueType.Enumeration, string.Empty, "OnDemand", allowedValues: new[] { "OnDemand", "AlwaysRunning" });

        /// <summary>Rapid-Fail Protection → Enabled. When on, WAS disables the pool after too many crashes (event 5002).</summary>
        public static readonly PoolSettingDefinition RapidFailProtection = new PoolSettingDefinition(
            "failure.rapidFailProtection", nameof(WsusPoolTuning.RapidFailProtection), "Rapid-Fail Protection Enabled", "failure", "rapidFailProtection",
            PoolSettingValueType.Boolean, string.Empty, true);

        /// <summary>Rapid-Fail Protection → Failure Interval.</summary>
        public static readonly PoolSettingDefinition RapidFailProtectionInterval = new PoolSettingDefinition(
            "failure.rapidFailProtectionInterval", nameof(WsusPoolTuning.RapidFailProtectionInterval), "Failure Interval", "failure", "rapidFailProtectionInterval",
            PoolSettingValueType.TimeSpan, "hh:mm:ss", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(8640000), TimeSpan.FromMinutes(1));

        /// <summary>Rapid-Fail Protection → Maximum Failures.</summary>
        public static readonly PoolSettingDefinition RapidFailProtectionMaxCrashes = new PoolSettingDefinition(
            "failure.rapidFailProtectionMaxCrashes", nameof(WsusPoolTuning.RapidFailProtectionMaxCrashes), "Maximum Failures", "failure", "rapidFailProtectionMaxCrashes",
            PoolSettingValueType.UInt32, "crashes", 5L, 1L, (long)int.MaxValue);

        /// <summary>All settings, in the order IIS Manager lists them.</summary>
        public static IReadOnlyList<PoolSettingDefinition> All { get; } = new[]
        {
            ManagedRuntimeVersion, Enable32BitAppOnWin64, ManagedPipelineMode, QueueLength, StartMode,
            IdleTimeout, LoadUserProfile, PingingEnabled,
            RapidFailProtection, RapidFailProtectionInterval, RapidFailProtectionMaxCrashes,
            PrivateMemoryLimit, RegularTimeInterval, VirtualMemoryLimit,
        };

        /// <summary>Finds a setting by its name, attribute path or property name (case-insensitive).</summary>
        public static PoolSettingDefinition Find(string name)
        {
            var found = All.FirstOrDefault(s =>
                string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(s.PropertyName, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(s.AttributePath, name, StringComparison.OrdinalIgnoreCase));
            return found ?? throw new WsusRemediationException(
                "UnknownPoolSetting",
                EngineErrorKind.InvalidArgument,
                $"'{name}' is not a WsusPool setting this module knows. Known settings: {string.Join(", ", All.Select(s => s.Name))}.",
                name);
        }
    }
}
