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
                if (IisTimeSpan.TryParse(text, out var span))
                {
                    return span;
                }

                throw new ArgumentTransformationMetadataException(
                    $"'{text}' is not a valid IIS time span. Use hh:mm:ss (29:00:00 is 29 hours) or d.hh:mm:ss (1.05:00:00).");
            }

            return value;
        }
    }
}
