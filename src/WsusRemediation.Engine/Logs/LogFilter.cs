using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>Which entries a read returns. Every criterion left null lets everything through.</summary>
    public sealed class LogFilter
    {
        /// <summary>Only entries at or after this time (entries without a time are left out when set).</summary>
        public DateTimeOffset? Since { get; init; }

        /// <summary>Only entries before this time.</summary>
        public DateTimeOffset? Until { get; init; }

        /// <summary>Component names or wildcard patterns (<c>*</c>, <c>?</c>), case-insensitive.</summary>
        public IReadOnlyList<string>? Component { get; init; }

        /// <summary>Only these severities.</summary>
        public IReadOnlyList<LogSeverity>? Severity { get; init; }

        /// <summary>Only entries whose <see cref="LogEntry.Kind"/> or <see cref="LogEntry.Cause"/> is one of these.</summary>
        public IReadOnlyList<EvidenceKind>? Kind { get; init; }

        /// <summary>
        /// Refuses a -Since later than <paramref name="nowUtc"/> for a read that does not follow the logs: nothing
        /// written so far can match it, and an empty answer would read as "nothing happened" (AddDays(1) typed for
        /// AddDays(-1)). Following (-Wait) may start from a time still to come.
        /// </summary>
        public static void RequireSinceNotInFuture(DateTimeOffset? since, DateTimeOffset nowUtc, bool follow)
        {
            if (follow || since is not { } bound || bound <= nowUtc)
            {
                return;
            }

            throw new Common.WsusRemediationException(
                "SinceInFuture",
                Common.EngineErrorKind.InvalidArgument,
                string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    "-Since {0:yyyy-MM-dd HH:mm:ss}Z is later than this computer's clock ({1:yyyy-MM-dd HH:mm:ss}Z): no entry written so far can match it. A time without a kind is local time.",
                    bound.UtcDateTime,
                    nowUtc.UtcDateTime),
                bound)
            {
                RecommendedAction = "Give a time in the past, such as (Get-Date).AddDays(-1), or add -Wait to follow the logs from that time on.",
            };
        }

        /// <summary>True when the entry passes every criterion.</summary>
        public bool Matches(LogEntry entry)
        {
            if (entry is null)
            {
                throw new ArgumentNullException(nameof(entry));
            }

            if (Since.HasValue && (!entry.TimeUtc.HasValue || entry.TimeUtc.Value < Since.Value))
            {
                return false;
            }

            if (Until.HasValue && (!entry.TimeUtc.HasValue || entry.TimeUtc.Value >= Until.Value))
            {
                return false;
            }

            if (Severity is { Count: > 0 } && !Contains(Severity, entry.Severity))
            {
                return false;
            }

            if (Kind is { Count: > 0 } && !Contains(Kind, entry.Kind) && (entry.Cause == EvidenceKind.None || !Contains(Kind, entry.Cause)))
            {
                return false;
            }

            if (Component is { Count: > 0 })
            {
                var any = false;
                foreach (var pattern in Component)
                {
                    if (Wildcard.IsMatch(pattern, entry.Component))
                    {
                        any = true;
                        break;
                    }
                }

                if (!any)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Contains<T>(IReadOnlyList<T> list, T value)
            where T : struct, Enum
        {
            foreach (var item in list)
            {
                if (EqualityComparer<T>.Default.Equals(item, value))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Case-insensitive <c>*</c>/<c>?</c> matching, the subset of PowerShell wildcards that names need.</summary>
    public static class Wildcard
    {
        /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
        public static bool IsMatch(string pattern, string text)
        {
            if (pattern is null || text is null)
            {
                return false;
            }

            int p = 0, t = 0, star = -1, mark = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
                {
                    p++;
                    t++;
                }
                else if (p < pattern.Length && pattern[p] == '*')
                {
                    star = p++;
                    mark = t;
                }
                else if (star >= 0)
                {
                    p = star + 1;
                    t = ++mark;
                }
                else
                {
                    return false;
                }
            }

            while (p < pattern.Length && pattern[p] == '*')
            {
                p++;
            }

            return p == pattern.Length;
        }

        /// <summary>True when the text holds <c>*</c> or <c>?</c>.</summary>
        public static bool HasWildcards(string text) => text is not null && text.IndexOfAny(new[] { '*', '?' }) >= 0;
    }
}
