using System;
using System.Globalization;
using System.Management.Automation;

namespace WsusRemediation.Common
{
    /// <summary>
    /// Lets a TimeSpan parameter take a plain number as seconds (<c>-Timeout 600</c>). Without it
    /// PowerShell converts a number to a TimeSpan as ticks, so 600 would mean 60 microseconds.
    /// Strings such as <c>00:10:00</c> and TimeSpan values pass through unchanged.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecondsOrTimeSpanTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case int or long or short or byte or uint or ulong or ushort or sbyte or double or float or decimal:
                    return TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                    return TimeSpan.FromSeconds(seconds);
                default:
                    return value;
            }
        }
    }
}
