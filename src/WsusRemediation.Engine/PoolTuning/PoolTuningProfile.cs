using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>Named sets of WsusPool values.</summary>
    public enum PoolTuningProfileName
    {
        /// <summary>Microsoft's values from KB4490414 (WSUS best practices): the default.</summary>
        Recommended,

        /// <summary>
        /// The community guide's values for large MECM sites (queue length 30000, load user profile),
        /// without its Enable 32-Bit Applications = True, which breaks WSUS.
        /// </summary>
        LargeEnvironment,
    }

    /// <summary>The target values of a profile.</summary>
    public static class PoolTuningProfiles
    {
        private static readonly IReadOnlyDictionary<PoolSettingDefinition, object> Recommended = new Dictionary<PoolSettingDefinition, object>
        {
            [PoolSettingCatalog.QueueLength] = 2000L,
            [PoolSettingCatalog.IdleTimeout] = TimeSpan.Zero,
            [PoolSettingCatalog.PingingEnabled] = false,
            [PoolSettingCatalog.PrivateMemoryLimit] = 0L,
            [PoolSettingCatalog.VirtualMemoryLimit] = 0L,
            [PoolSettingCatalog.RegularTimeInterval] = TimeSpan.Zero,

            // Not a tuning value but a guard: the guide's True makes WSUS fail with HTTP 500.19, so
            // every profile expects (and restores) false.
            [PoolSettingCatalog.Enable32BitAppOnWin64] = false,
        };

        private static readonly IReadOnlyDictionary<PoolSettingDefinition, object> LargeEnvironment = new Dictionary<PoolSettingDefinition, object>
        {
            [PoolSettingCatalog.QueueLength] = 30000L,
            [PoolSettingCatalog.IdleTimeout] = TimeSpan.Zero,
            [PoolSettingCatalog.PingingEnabled] = false,
            [PoolSettingCatalog.LoadUserProfile] = true,
            [PoolSettingCatalog.PrivateMemoryLimit] = 0L,
            [PoolSettingCatalog.RegularTimeInterval] = TimeSpan.Zero,
            [PoolSettingCatalog.Enable32BitAppOnWin64] = false,
        };

        /// <summary>The settings a profile sets, with their values.</summary>
        public static IReadOnlyDictionary<PoolSettingDefinition, object> Get(PoolTuningProfileName profile) => profile switch
        {
            PoolTuningProfileName.Recommended => Recommended,
            PoolTuningProfileName.LargeEnvironment => LargeEnvironment,
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown profile."),
        };
    }
}
