namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>Where an effective value comes from.</summary>
    public enum PoolSettingSource
    {
        /// <summary>Set on the pool's own <c>&lt;add&gt;</c> element.</summary>
        Pool,

        /// <summary>Inherited from <c>&lt;applicationPoolDefaults&gt;</c>.</summary>
        PoolDefaults,

        /// <summary>Set nowhere: the IIS schema default applies.</summary>
        SchemaDefault,
    }

    /// <summary>One setting of one pool: its effective value, where it comes from, and how it compares with the profile.</summary>
    public sealed class PoolSettingStatus
    {
        /// <summary>Creates a status line.</summary>
        public PoolSettingStatus(string computerName, string configurationPath, string poolName, PoolSettingDefinition definition, object current, PoolSettingSource source, object? recommended, string? warning)
        {
            ComputerName = computerName;
            ConfigurationPath = configurationPath;
            PoolName = poolName;
            Definition = definition;
            Current = current;
            Source = source;
            Recommended = recommended;
            Warning = warning;
        }

        /// <summary>
        /// The server, as on <see cref="WsusPoolTuning.ComputerName"/> (empty for a file read offline).
        /// With <see cref="ConfigurationPath"/> and <see cref="PoolName"/> it binds to Set-WsusPoolTuning,
        /// so a setting piped from Test-WsusPoolTuning -Detailed changes the server and file it was read from.
        /// </summary>
        public string ComputerName { get; }

        /// <summary>The applicationHost.config the value was read from.</summary>
        public string ConfigurationPath { get; }

        /// <summary>The pool.</summary>
        public string PoolName { get; }

        /// <summary>The setting's name, e.g. <c>queueLength</c>.</summary>
        public string Name => Definition.Name;

        /// <summary>The name IIS Manager shows.</summary>
        public string DisplayName => Definition.DisplayName;

        /// <summary>
        /// The effective value in its own type, so scripts compare values, not text: a long
        /// (<see cref="Unit"/> says what it counts), a bool, a TimeSpan or a string.
        /// </summary>
        public object Current { get; }

        /// <summary>The profile's value in the same type as <see cref="Current"/>, or null when the profile does not set it.</summary>
        public object? Recommended { get; }

        /// <summary>What a number counts (<c>KB</c>, <c>requests</c>, <c>crashes</c>); empty for the other types.</summary>
        public string Unit => Definition.ValueType == PoolSettingValueType.UInt32 ? Definition.Unit : string.Empty;

        /// <summary>Where the effective value comes from.</summary>
        public PoolSettingSource Source { get; }

        /// <summary>True when the profile does not set this setting or the value matches it.</summary>
        public bool IsCompliant => Recommended is null || Definition.ValuesEqual(Current, Recommended);

        /// <summary>A known problem with the current value (for example Enable 32-Bit Applications on WSUS).</summary>
        public string? Warning { get; }

        /// <summary>The catalog entry.</summary>
        public PoolSettingDefinition Definition { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name} = {Definition.Describe(Current)}";
    }
}
