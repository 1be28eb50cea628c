using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Sync;

public class SyncWatcherTests
{
    private static readonly DateTime Requested = new(2026, 11, 10, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_sync_that_ended_just_before_a_new_request_is_not_the_requested_one()
    {
        var justFailed = new WsusSyncStatus { LastEndTime = Requested.AddSeconds(-20), LastResult = SyncResult.Failed };
        Assert.False(SyncWatcher.EndedAfter(justFailed, Requested, previousEndTime: Requested.AddSeconds(-20)));
        Assert.True(SyncWatcher.EndedAfter(new WsusSyncStatus { LastEndTime = Requested.AddMinutes(9) }, Requested, Requested.AddSeconds(-20)));
        // Without a previous end (status unreadable before the request), a small clock skew is tolerated.
        Assert.True(SyncWatcher.EndedAfter(new WsusSyncStatus { LastEndTime = Requested.AddSeconds(-10) }, Requested));
        Assert.False(SyncWatcher.EndedAfter(new WsusSyncStatus { LastEndTime = Requested.AddMinutes(-5) }, Requested));
    }

    [Fact]
    public void Read_failures_are_shown_as_the_state_and_polling_goes_on()
    {
        var clock = new VirtualClock(new DateTimeOffset(Requested));
        var reads = 0;
        var reports = new List<string>();
        WsusSyncStatus Read(CancellationToken token)
        {
            reads++;
            if (reads <= 2)
            {
                throw new WsusRemediationException("WsusServerUnreachable", EngineErrorKind.ConnectionError, "HTTP status 503");
            }

            return reads < 5
                ? new WsusSyncStatus { State = SyncState.Running, Phase = "Updates", ProcessedItems = 10, TotalItems = 40, ProgressPercent = 25 }
                : new WsusSyncStatus { State = SyncState.Idle, LastResult = SyncResult.Succeeded, LastEndTime = clock.UtcNow.UtcDateTime };
        }

        var result = new SyncWatcher(Read, clock).WaitForCompletion(Requested, null, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(10), CancellationToken.None, (p, _) => reports.Add(p.Status));
        Assert.True(result.Completed);
        Assert.Equal(SyncResult.Succeeded, result.Status.LastResult);
        Assert.Contains("Status not readable: HTTP status 503", reports);
        Assert.Contains("Updates: 10 of 40 items (25%)", reports);
        Assert.Equal("Finished: Succeeded", reports[^1]);
    }

    [Fact]
    public void When_no_status_can_be_read_at_all_the_last_failure_is_thrown_after_the_timeout()
    {
        var clock = new VirtualClock(new DateTimeOffset(Requested));
        var watcher = new SyncWatcher(_ => throw new WsusRemediationException("WsusServerUnreachable", EngineErrorKind.ConnectionError, "HTTP status 503"), clock);
        var ex = Assert.Throws<WsusRemediationException>(() => watcher.WaitForCompletion(Requested, null, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal("WsusServerUnreachable", ex.ErrorId);
        Assert.Equal(TimeSpan.FromMinutes(1), clock.TotalDelayed);
    }
}
