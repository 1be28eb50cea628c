using System;
using System.Collections.Generic;
using System.Linq;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>
    /// The tuning of one IIS application pool (normally WsusPool): every catalog setting as a typed
    /// property, the per-setting comparison with a profile, and where it was read from. Its
    /// ComputerName, PoolName and ConfigurationPath bind by name to the other pool cmdlets.
    /// </summary>
    public sealed class WsusPoolTuning
    {
        /// <summary>Creates the object from the resolved settings.</summary>
        public WsusPoolTuning(string computerName, string poolName, string? state, string configurationPath, PoolTuningProfileName profile, IReadOnlyList<PoolSettingStatus> settings)
        {
            ComputerName = computerName;
            PoolName = poolName;
            State = state;
            ConfigurationPath = configurationPath;
            Profile = profile;
            Settings = settings;
        }

        /// <summary>The server, or the local computer's name for a file read offline.</summary>
        public string ComputerName { get; }

        /// <summary>The application pool.</summary>
        public string PoolName { get; }

        /// <summary>Started, Stopped… when read live; empty when read from a file.</summary>
        public string? State { get; }

        /// <summary>The applicationHost.config the values come from.</summary>
        public string ConfigurationPath { get; }

        /// <summary>The profile the settings are compared with.</summary>
        public PoolTuningProfileName Profile { get; }

        /// <summary>True when every setting matches the profile.</summary>
        public bool IsCompliant => Settings.All(s => s.IsCompliant);

        /// <summary>One line per catalog setting.</summary>
        public IReadOnlyList<PoolSettingStatus> Settings { get; }

        /// <summary>Warnings about harmful values found.</summary>
        public IReadOnlyList<string> Warnings => Settings.Where(s => s.Warning is not null).Select(s => s.Warning!).ToList();

        /// <summary>Queue Length (requests).</summary>
        public long QueueLength => (long)Value(PoolSettingCatalog.QueueLength);

        /// <summary>Idle Time-out; 00:00:00 disables it.</summary>
        public TimeSpan IdleTimeout => (TimeSpan)Value(PoolSettingCatalog.IdleTimeout);

        /// <summary>Ping Enabled.</summary>
        public bool PingingEnabled => (bool)Value(PoolSettingCatalog.PingingEnabled);

        /// <summary>Load User Profile.</summary>
        public bool LoadUserProfile => (bool)Value(PoolSettingCatalog.LoadUserProfile);

        /// <summary>Private Memory Limit in KB; 0 means no limit.</summary>
        public long PrivateMemoryLimitKB => (long)Value(PoolSettingCatalog.PrivateMemoryLimit);

        /// <summary>Virtual Memory Limit in KB; 0 means no limit.</summary>
        public long VirtualMemoryLimitKB => (long)Value(PoolSettingCatalog.VirtualMemoryLimit);

        /// <summary>Regular Time Interval between recycles; 00:00:00 disables it.</summary>
        public TimeSpan RegularTimeInterval => (TimeSpan)Value(PoolSettingCatalog.RegularTimeInterval);

        /// <summary>Enable 32-Bit Applications; must be false on a WSUS server.</summary>
        public bool Enable32BitAppOnWin64 => (bool)Value(PoolSettingCatalog.Enable32BitAppOnWin64);

        /// <summary>.NET CLR Version ("" = No Managed Code).</summary>
        public string ManagedRuntimeVersion => (string)Value(PoolSettingCatalog.ManagedRuntimeVersion);

        /// <summary>Managed Pipeline Mode.</summary>
        public string ManagedPipelineMode => (string)Value(PoolSettingCatalog.ManagedPipelineMode);

        /// <summary>Start Mode.</summary>
        public string StartMode => (string)Value(PoolSettingCatalog.StartMode);

        /// <summary>Rapid-Fail Protection.</summary>
        public bool RapidFailProtection => (bool)Value(PoolSettingCatalog.RapidFailProtection);

        /// <summary>Rapid-Fail Protection failure interval.</summary>
        public TimeSpan RapidFailProtectionInterval => (TimeSpan)Value(PoolSettingCatalog.RapidFailProtectionInterval);

        /// <summary>Rapid-Fail Protection maximum failures.</summary>
        public long RapidFailProtectionMaxCrashes => (long)Value(PoolSettingCatalog.RapidFailProtectionMaxCrashes);

        private object Value(PoolSettingDefinition definition) => Settings.First(s => ReferenceEquals(s.Definition, definition)).Current;

        /// <inheritdoc />
        public override string ToString() => PoolName;
    }
}
