using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Common;

public class WaitTests
{
    [Fact]
    public void Until_returns_true_as_soon_as_the_condition_holds()
    {
        var clock = new VirtualClock();
        var stoppedAt = clock.UtcNow + TimeSpan.FromSeconds(7);

        var met = Wait.Until(() => clock.UtcNow >= stoppedAt, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), clock, CancellationToken.None);

        Assert.True(met);
        Assert.Equal(TimeSpan.FromSeconds(7), clock.TotalDelayed);
    }

    [Fact]
    public void Until_gives_up_at_the_timeout_and_reports_a_completed_progress_record()
    {
        var clock = new VirtualClock();
        var reports = new List<WaitProgress>();

        var met = Wait.Until(() => false, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), clock, CancellationToken.None, "Stopping WsusPool", progress: reports.Add);

        Assert.False(met);
        Assert.Equal(TimeSpan.FromSeconds(10), clock.TotalDelayed);
        Assert.True(reports[^1].Completed);
        Assert.All(reports.GetRange(0, reports.Count - 1), r => Assert.False(r.Completed));
    }

    [Fact]
    public void Until_stops_promptly_when_cancelled()
    {
        var clock = new VirtualClock();
        using var cts = new CancellationTokenSource();
        clock.OnDelay = c =>
        {
            if (c.TotalDelayed >= TimeSpan.FromSeconds(2))
            {
                cts.Cancel();
            }
        };

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Wait.Until(() => false, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), clock, cts.Token));
        Assert.Equal(TimeSpan.FromSeconds(2), clock.TotalDelayed);
    }

    [Fact]
    public void SystemClock_delay_returns_at_once_when_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var started = DateTime.UtcNow;

        Assert.ThrowsAny<OperationCanceledException>(() => SystemClock.Instance.Delay(TimeSpan.FromMinutes(5), cts.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1));
    }
}
