using System;
using System.Threading;

namespace WsusRemediation.Engine.Common
{
    /// <summary>
    /// Time as the engine sees it. Every wait goes through <see cref="Delay"/>, so tests run waits in
    /// virtual time and no code path sleeps without a cancellation token.
    /// </summary>
    public interface IClock
    {
        /// <summary>The current time, UTC.</summary>
        DateTimeOffset UtcNow { get; }

        /// <summary>Blocks for <paramref name="duration"/>, or throws <see cref="OperationCanceledException"/> as soon as the token is cancelled.</summary>
        void Delay(TimeSpan duration, CancellationToken cancellationToken);
    }

    /// <summary>The wall clock.</summary>
    public sealed class SystemClock : IClock
    {
        /// <summary>The shared instance.</summary>
        public static SystemClock Instance { get; } = new SystemClock();

        /// <inheritdoc />
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        /// <inheritdoc />
        public void Delay(TimeSpan duration, CancellationToken cancellationToken)
        {
            if (duration <= TimeSpan.Zero)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return;
            }

            // WaitOne returns early when the token is cancelled, so Ctrl+C is honoured at once.
            cancellationToken.WaitHandle.WaitOne(duration);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
