namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>One setting that Set-WsusPoolTuning changes (or would change, with -WhatIf).</summary>
    public sealed class PoolSettingChange
    {
        /// <summary>Creates a change.</summary>
        public PoolSettingChange(string poolName, PoolSettingDefinition definition, object oldValue, PoolSettingSource oldSource, object newValue)
        {
            PoolName = poolName;
            Definition = definition;
            OldValue = oldValue;
            OldSource = oldSource;
            NewValue = newValue;
        }

        /// <summary>The pool.</summary>
        public string PoolName { get; }

        /// <summary>The setting.</summary>
        public PoolSettingDefinition Definition { get; }

        /// <summary>The value before (typed).</summary>
        public object OldValue { get; }

        /// <summary>Where the old value came from.</summary>
        public PoolSettingSource OldSource { get; }

        /// <summary>The value after (typed).</summary>
        public object NewValue { get; }

        /// <summary>The ShouldProcess action text, e.g. <c>Set queueLength: 1000 -> 2000</c>.</summary>
        public string Description => $"Set {Definition.Name}: {Definition.Describe(OldValue)} -> {Definition.Describe(NewValue)}";

        /// <inheritdoc />
        public override string ToString() => Description;
    }
}
