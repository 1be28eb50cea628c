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
        public PoolSettingStatus(string poolName, PoolSettingDefinition definition, object current, PoolSettingSource source, object? recommended, string? warning)
        {
            PoolName = poolName;
            Definition = definition;
            CurrentValue = current;
            Source = source;
            RecommendedValue = recommended;
            Warning = warning;
        }

        /// <summary>The pool.</summary>
        public string PoolName { get; }

        /// <summary>The setting's name, e.g. <c>queueLength</c>.</summary>
        public string Name => Definition.Name;

        /// <summary>The name IIS Manager shows.</summary>
        public string DisplayName => Definition.DisplayName;

        /// <summary>The effective value, for people (<c>1843200 KB</c>, <c>00:20:00</c>).</summary>
        public string Current => Definition.Describe(CurrentValue);

        /// <summary>The profile's value, for people, or empty when the profile does not set it.</summary>
        public string Recommended => RecommendedValue is null ? string.Empty : Definition.Describe(RecommendedValue);

        /// <summary>Where the effective value comes from.</summary>
        public PoolSettingSource Source { get; }

        /// <summary>True when the profile does not set this setting or the value matches it.</summary>
        public bool IsCompliant => RecommendedValue is null || Definition.ValuesEqual(CurrentValue, RecommendedValue);

        /// <summary>A known problem with the current value (for example Enable 32-Bit Applications on WSUS).</summary>
        public string? Warning { get; }

        /// <summary>The typed effective value (long, bool, TimeSpan or string).</summary>
        public object CurrentValue { get; }

        /// <summary>The typed profile value, or null.</summary>
        public object? RecommendedValue { get; }

        /// <summary>The catalog entry.</summary>
        public PoolSettingDefinition Definition { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name} = {Current}";
    }
}
