using System.Collections.Generic;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>What a write did.</summary>
    public sealed class PoolTuningResult
    {
        /// <summary>Creates a result.</summary>
        public PoolTuningResult(string configurationPath, string? backupPath, IReadOnlyList<PoolSettingChange> changes)
        {
            ConfigurationPath = configurationPath;
            BackupPath = backupPath;
            Changes = changes;
        }

        /// <summary>The file changed.</summary>
        public string ConfigurationPath { get; }

        /// <summary>The backup of the file as it was, or null when nothing was written.</summary>
        public string? BackupPath { get; }

        /// <summary>The changes written.</summary>
        public IReadOnlyList<PoolSettingChange> Changes { get; }
    }
}
