using System;
using System.Management.Automation;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Common
{
    /// <summary>
    /// Reads a string argument the way IIS reads time spans. Without it PowerShell would turn
    /// <c>29:00:00</c> into 29 days (TimeSpan.Parse), where IIS and IIS Manager mean 29 hours.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class IisTimeSpanTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string text)
            {
                // "0" is what admins type to turn a limit off, as in IIS Manager; it is unambiguous.
                if (text.Trim() == "0")
                {
                    return TimeSpan.Zero;
                }

                if (IisTimeSpan.TryParse(text, out var span))
                {
                    return span;
                }

                throw new ArgumentTransformationMetadataException(
                    $"'{text}' is not a valid IIS time span. Use hh:mm:ss (29:00:00 is 29 hours) or d.hh:mm:ss (1.05:00:00).");
            }

            // A bare number has no unit: PowerShell would read 20 as 20 ticks. Zero is unambiguous.
            if (value is int or long or short or byte or uint or ulong or ushort or sbyte or double or float or decimal)
            {
                if (Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    return TimeSpan.Zero;
                }

                throw new ArgumentTransformationMetadataException(
                    $"'{value}' has no unit. Write the time span in IIS notation, for example 00:20:00 for 20 minutes (IIS Manager shows this setting in minutes).");
            }

            return value;
        }
    }
}
