using System;
using System.Collections.Generic;
using System.Globalization;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>How a pool setting's value is stored.</summary>
    public enum PoolSettingValueType
    {
        /// <summary>An unsigned integer.</summary>
        UInt32,
        /// <summary>true or false.</summary>
        Boolean,
        /// <summary>A time span in IIS notation.</summary>
        TimeSpan,
        /// <summary>One of a fixed set of names.</summary>
        Enumeration,
        /// <summary>Free text from a fixed set of known values.</summary>
        String,
    }

    /// <summary>One WsusPool setting: where it lives in applicationHost.config, its type, unit, range and IIS schema default.</summary>
    public sealed class PoolSettingDefinition
    {
        internal PoolSettingDefinition(
            string name,
            string propertyName,
            string displayName,
            string elementPath,
            string attribute,
            PoolSettingValueType valueType,
            string unit,
            object schemaDefault,
            object? minimum = null,
            object? maximum = null,
            TimeSpan? granularity = null,
            IReadOnlyList<string>? allowedValues = null)
        {
            Name = name;
            PropertyName = propertyName;
            DisplayName = displayName;
            ElementPath = elementPath;
            Attribute = attribute;
            ValueType = valueType;
            Unit = unit;
            SchemaDefault = schemaDefault;
            Minimum = minimum;
            Maximum = maximum;
            Granularity = granularity;
            AllowedValues = allowedValues ?? Array.Empty<string>();
        }

        /// <summary>The setting's name as admins and the issue tracker know it, e.g. <c>queueLength</c>, <c>processModel.idleTimeout</c>.</summary>
        public string Name { get; }

        /// <summary>The typed property on <see cref="WsusPoolTuning"/> and the Set-WsusPoolTuning parameter.</summary>
        public string PropertyName { get; }

        /// <summary>The name IIS Manager shows in Advanced Settings.</summary>
        public string DisplayName { get; }

        /// <summary>Child element path below the pool's <c>add</c> element ("" for the element itself), e.g. <c>recycling/periodicRestart</c>.</summary>
        public string ElementPath { get; }

        /// <summary>The XML attribute.</summary>
        public string Attribute { get; }

        /// <summary>The full attribute path, e.g. <c>recycling/periodicRestart/@privateMemory</c>.</summary>
        public string AttributePath => ElementPath.Length == 0 ? "@" + Attribute : ElementPath + "/@" + Attribute;

        /// <summary>How the value is stored.</summary>
        public PoolSettingValueType ValueType { get; }

        /// <summary>Unit of the value (KB, hh:mm:ss, requests), or empty.</summary>
        public string Unit { get; }

        /// <summary>The IIS 10 schema default, used when neither the pool nor applicationPoolDefaults sets it.</summary>
        public object SchemaDefault { get; }

        /// <summary>Lowest valid value, or null.</summary>
        public object? Minimum { get; }

        /// <summary>Highest valid value, or null.</summary>
        public object? Maximum { get; }

        /// <summary>Time spans must be whole multiples of this (IIS's timeSpanRange granularity).</summary>
        public TimeSpan? Granularity { get; }

        /// <summary>Valid names for enumerations and known strings.</summary>
        public IReadOnlyList<string> AllowedValues { get; }

        /// <summary>
        /// Turns the raw attribute text from the file into a typed value (long, bool, TimeSpan or
        /// string). Throws <c>InvalidSettingValue</c> when the text cannot be read.
        /// </summary>
        public object ParseStored(string text)
        {
            switch (ValueType)
            {
                case PoolSettingValueType.UInt32:
                    if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    {
                        return number;
                    }

                    break;
                case PoolSettingValueType.Boolean:
                    if (bool.TryParse(text.Trim(), out var flag))
                    {
                        return flag;
                    }

                    break;
                case PoolSettingValueType.TimeSpan:
                    if (IisTimeSpan.TryParse(text, out var span))
                    {
                        return span;
                    }

                    break;
                case PoolSettingValueType.Enumeration:
                    foreach (var allowed in AllowedValues)
                    {
                        if (string.Equals(allowed, text.Trim(), StringComparison.OrdinalIgnoreCase))
                        {
                            return allowed;
                        }
                    }

                    break;
                default:
                    return text;
            }

            throw new WsusRemediationException(
                "InvalidSettingValue",
                EngineErrorKind.InvalidData,
                $"The configuration holds '{text}' for {Name}, which is not a valid {ValueType} value.",
                Name);
        }

        /// <summary>The text written into applicationHost.config for a typed value.</summary>
        public string FormatStored(object value) => value switch
        {
            bool b => b ? "true" : "false",
            TimeSpan t => IisTimeSpan.Format(t),
            long l => l.ToString(CultureInfo.InvariantCulture),
            int i => i.ToString(CultureInfo.InvariantCulture),
            uint u => u.ToString(CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

        /// <summary>A value for people: <c>1843200 KB</c>, <c>00:20:00</c>, <c>True</c>.</summary>
        public string Describe(object? value)
        {
            if (value is null)
            {
                return "(not set)";
            }

            var text = value is bool b ? (b ? "True" : "False") : FormatStored(value);
            return ValueType == PoolSettingValueType.String && text.Length == 0 ? "\"\"" : Unit == "KB" ? text + " KB" : text;
        }

        /// <summary>
        /// Checks a value the user asked for and returns it in the setting's own type. Throws with a
        /// stable id (<c>QueueLengthOutOfRange</c>, <c>InvalidTimeSpan</c>, <c>InvalidSettingValue</c>)
        /// and category InvalidArgument when it is not valid.
        /// </summary>
        public object Validate(object value)
        {
            switch (ValueType)
            {
                case PoolSettingValueType.UInt32:
                {
                    long number;
                    try
                    {
                        number = value is string s ? long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) : Convert.ToInt64(value, CultureInfo.InvariantCulture);
                    }
                    catch (Exception ex) when (ex is FormatException || ex is OverflowException || ex is InvalidCastException)
                    {
                        throw Invalid(value, ex);
                    }

                    var min = Convert.ToInt64(Minimum ?? 0L, CultureInfo.InvariantCulture);
                    var max = Convert.ToInt64(Maximum ?? (long)uint.MaxValue, CultureInfo.InvariantCulture);
                    if (number < min || number > max)
                    {
                        throw OutOfRange(Describe(number), Describe(min), Describe(max));
                    }

                    return number;
                }

                case PoolSettingValueType.Boolean:
                    if (value is bool flag)
                    {
                        return flag;
                    }

                    if (value is string flagText && bool.TryParse(flagText, out flag))
                    {
                        return flag;
                    }

                    throw Invalid(value, null);

                case PoolSettingValueType.TimeSpan:
                {
                    var span = value is TimeSpan t ? t : value is string s ? IisTimeSpan.Parse(s, Name) : throw Invalid(value, null);
                    var min = (TimeSpan)(Minimum ?? TimeSpan.Zero);
                    var max = (TimeSpan)(Maximum ?? TimeSpan.MaxValue);
                    if (span < min || span > max)
                    {
                        throw OutOfRange(IisTimeSpan.Format(span), IisTimeSpan.Format(min), IisTimeSpan.Format(max));
                    }

                    if (Granularity is TimeSpan step && span.Ticks % step.Ticks != 0)
                    {
                        throw new WsusRemediationException(
                            PropertyName + "OutOfRange",
                            EngineErrorKind.InvalidArgument,
                            $"{DisplayName} ({Name}) must be a whole number of {(step == TimeSpan.FromMinutes(1) ? "minutes" : "seconds")}; '{IisTimeSpan.Format(span)}' is not.",
                            Name);
                    }

                    return span;
                }

                default:
                {
                    var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                    foreach (var allowed in AllowedValues)
                    {
                        if (string.Equals(allowed, text, StringComparison.OrdinalIgnoreCase))
                        {
                            return allowed;
                        }
                    }

                    throw new WsusRemediationException(
                        "InvalidSettingValue",
                        EngineErrorKind.InvalidArgument,
                        $"'{text}' is not a valid value for {DisplayName} ({Name}). Valid values: {string.Join(", ", Quote(AllowedValues))}.",
                        Name);
                }
            }
        }

        /// <summary>True when two typed values of this setting are the same.</summary>
        public bool ValuesEqual(object? a, object? b)
        {
            if (a is null || b is null)
            {
                return a is null && b is null;
            }

            return ValueType == PoolSettingValueType.String || ValueType == PoolSettingValueType.Enumeration
                ? string.Equals((string)a, (string)b, StringComparison.OrdinalIgnoreCase)
                : a.Equals(b);
        }

        private static IEnumerable<string> Quote(IEnumerable<string> values)
        {
            foreach (var v in values)
            {
                yield return v.Length == 0 ? "\"\" (No Managed Code)" : v;
            }
        }

        private WsusRemediationException OutOfRange(string value, string min, string max) =>
            new WsusRemediationException(
                PropertyName + "OutOfRange",
                EngineErrorKind.InvalidArgument,
                $"{DisplayName} ({Name}) must be between {min} and {max}; {value} is out of range.",
                Name);

        private WsusRemediationException Invalid(object value, Exception? inner) =>
            new WsusRemediationException(
                "InvalidSettingValue",
                EngineErrorKind.InvalidArgument,
                $"'{value}' is not a valid {ValueType} value for {DisplayName} ({Name}).",
                Name,
                inner);

        /// <inheritdoc />
        public override string ToString() => Name;
    }
}
