using System;
using System.Globalization;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>
    /// Time spans as IIS writes them. IIS reads <c>29:00:00</c> as 29 hours (its schema default for
    /// the regular recycle time), where <see cref="TimeSpan.Parse(string)"/> reads 29 days, so this
    /// parser treats an hour field above 23 as hours, and also accepts <c>d.hh:mm:ss</c>.
    /// </summary>
    public static class IisTimeSpan
    {
        /// <summary>Parses <c>hh:mm:ss</c> (any hours), <c>d.hh:mm:ss</c> and an optional <c>.fffffff</c> fraction.</summary>
        public static bool TryParse(string? text, out TimeSpan value)
        {
            value = TimeSpan.Zero;
            if (text is null)
            {
                return false;
            }

            var s = text.Trim();
            var negative = s.StartsWith("-", StringComparison.Ordinal);
            if (negative)
            {
                s = s.Substring(1);
            }

            var parts = s.Split(':');
            if (parts.Length != 3)
            {
                return false;
            }

            long days = 0;
            var hourPart = parts[0];
            var dot = hourPart.IndexOf('.');
            if (dot >= 0)
            {
                if (!TryDigits(hourPart.Substring(0, dot), out days))
                {
                    return false;
                }

                hourPart = hourPart.Substring(dot + 1);
                if (hourPart.Length == 0 || hourPart.Length > 2)
                {
                    return false;
                }
            }

            if (!TryDigits(hourPart, out var hours) || !TryDigits(parts[1], out var minutes) || minutes > 59)
            {
                return false;
            }

            if (dot >= 0 && hours > 23)
            {
                return false;
            }

            var secondsPart = parts[2];
            long fractionTicks = 0;
            var fractionDot = secondsPart.IndexOf('.');
            if (fractionDot >= 0)
            {
                var fraction = secondsPart.Substring(fractionDot + 1);
                if (fraction.Length == 0 || fraction.Length > 7 || !TryDigits(fraction, out var f))
                {
                    return false;
                }

                fractionTicks = f * (long)Math.Pow(10, 7 - fraction.Length);
                secondsPart = secondsPart.Substring(0, fractionDot);
            }

            if (!TryDigits(secondsPart, out var seconds) || seconds > 59 || parts[1].Length != 2 || secondsPart.Length != 2)
            {
                return false;
            }

            var totalSeconds = (((days * 24) + hours) * 60 + minutes) * 60 + seconds;
            if (totalSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }

            var ticks = totalSeconds * TimeSpan.TicksPerSecond + fractionTicks;
            value = TimeSpan.FromTicks(negative ? -ticks : ticks);
            return true;
        }

        /// <summary>Parses or throws <c>InvalidTimeSpan</c>.</summary>
        public static TimeSpan Parse(string text, string settingName)
        {
            if (TryParse(text, out var value))
            {
                return value;
            }

            throw new WsusRemediationException(
                "InvalidTimeSpan",
                EngineErrorKind.InvalidArgument,
                $"'{text}' is not a valid time span for {settingName}. Use hh:mm:ss (for example 29:00:00 for 29 hours) or d.hh:mm:ss (for example 1.05:00:00).",
                text);
        }

        /// <summary>
        /// Formats the way IIS's configuration system does: <c>hh:mm:ss</c> below a day, <c>d.hh:mm:ss</c>
        /// from one day on (the form every IIS version reads back unambiguously).
        /// </summary>
        public static string Format(TimeSpan value)
        {
            var sign = value < TimeSpan.Zero ? "-" : string.Empty;
            var v = value.Duration();
            var text = v.Days > 0
                ? string.Format(CultureInfo.InvariantCulture, "{0}{1}.{2:00}:{3:00}:{4:00}", sign, v.Days, v.Hours, v.Minutes, v.Seconds)
                : string.Format(CultureInfo.InvariantCulture, "{0}{1:00}:{2:00}:{3:00}", sign, v.Hours, v.Minutes, v.Seconds);
            var fraction = v.Ticks % TimeSpan.TicksPerSecond;
            return fraction == 0 ? text : text + "." + fraction.ToString("0000000", CultureInfo.InvariantCulture);
        }

        private static bool TryDigits(string s, out long value)
        {
            value = 0;
            if (s.Length == 0 || s.Length > 12)
            {
                return false;
            }

            foreach (var c in s)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = value * 10 + (c - '0');
            }

            return true;
        }
    }
}
