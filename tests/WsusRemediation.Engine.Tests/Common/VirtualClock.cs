using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Tests.Common;

/// <summary>
/// Virtual time: Delay advances the clock at once and runs whatever the simulation scheduled for
/// that span, so minutes of waiting take microseconds and every run is the same.
/// </summary>
public sealed class VirtualClock : IClock
{
    private readonly List<(DateTimeOffset At, Action Action)> _scheduled = new();

    public VirtualClock(DateTimeOffset? start = null) => UtcNow = start ?? new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero);

    public DateTimeOffset UtcNow { get; private set; }

    /// <summary>Total virtual time spent in Delay.</summary>
    public TimeSpan TotalDelayed { get; private set; }

    /// <summary>Called on each Delay before time moves; lets a test press Ctrl+C mid-wait.</summary>
    public Action<VirtualClock>? OnDelay { get; set; }

    public void Schedule(TimeSpan after, Action action) => _scheduled.Add((UtcNow + after, action));

    public void Delay(TimeSpan duration, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        OnDelay?.Invoke(this);
        cancellationToken.ThrowIfCancellationRequested();
        Advance(duration);
    }

    public void Advance(TimeSpan duration)
    {
        var until = UtcNow + duration;
        while (true)
        {
            var next = -1;
            for (var i = 0; i < _scheduled.Count; i++)
            {
                if (_scheduled[i].At <= until && (next < 0 || _scheduled[i].At < _scheduled[next].At))
                {
                    next = i;
                }
            }

            if (next < 0)
            {
                break;
            }

            var (at, action) = _scheduled[next];
            _scheduled.RemoveAt(next);
            if (at > UtcNow)
            {
                UtcNow = at;
            }

            action();
        }

        TotalDelayed += duration;
        UtcNow = until;
    }
}
