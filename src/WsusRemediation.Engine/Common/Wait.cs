using System;
using System.Threading;

namespace WsusRemediation.Engine.Common
{
    /// <summary>Progress of a wait, for the cmdlet's Write-Progress.</summary>
    public sealed class WaitProgress
    {
        /// <summary>Creates a progress report.</summary>
        public WaitProgress(string activity, string status, TimeSpan elapsed, TimeSpan timeout, bool completed)
        {
            Activity = activity;
            Status = status;
            Elapsed = elapsed;
            Timeout = timeout;
            Completed = completed;
        }

        /// <summary>What is being waited for.</summary>
        public string Activity { get; }

        /// <summary>The current state, in words.</summary>
        public string Status { get; }

        /// <summary>Time waited so far.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>The most the wait may take.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>True on the last report of the wait.</summary>
        public bool Completed { get; }

        /// <summary>Elapsed as a share of the timeout, 0 to 100.</summary>
        public int PercentOfTimeout => Timeout <= TimeSpan.Zero ? 100 : (int)Math.Min(100, Elapsed.TotalMilliseconds * 100 / Timeout.TotalMilliseconds);
    }

    /// <summary>Polling waits with a timeout, a cancellation token and progress reports.</summary>
    public static class Wait
    {
        /// <summary>
        /// Polls <paramref name="isDone"/> until it returns true or <paramref name="timeout"/> passes.
        /// Returns true when the condition was met, false on timeout; throws when cancelled.
        /// </summary>
        public static bool Until(
            Func<bool> isDone,
            TimeSpan timeout,
            TimeSpan pollInterval,
            IClock clock,
            CancellationToken cancellationToken,
            string activity = "Waiting",
            Func<string>? describeState = null,
            Action<WaitProgress>? progress = null)
        {
            if (isDone is null)
            {
                throw new ArgumentNullException(nameof(isDone));
            }

            if (clock is null)
            {
                throw new ArgumentNullException(nameof(clock));
            }

            if (pollInterval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(pollInterval), "The poll interval must be positive.");
            }

            var start = clock.UtcNow;
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (isDone())
                    {
                        return true;
                    }

                    var elapsed = clock.UtcNow - start;
                    if (elapsed >= timeout)
                    {
                        return false;
                    }

                    progress?.Invoke(new WaitProgress(activity, describeState?.Invoke() ?? activity, elapsed, timeout, completed: false));
                    var remaining = timeout - elapsed;
                    clock.Delay(remaining < pollInterval ? remaining : pollInterval, cancellationToken);
                }
            }
            finally
            {
                progress?.Invoke(new WaitProgress(activity, describeState?.Invoke() ?? activity, clock.UtcNow - start, timeout, completed: true));
            }
        }
    }
}
