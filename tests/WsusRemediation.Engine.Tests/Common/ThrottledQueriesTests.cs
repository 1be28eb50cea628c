using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Common;

/// <summary>
/// The fan-out the read-only cmdlets use for many servers. Queries block on gates the test opens,
/// so overlap is forced rather than hoped for; every test wait has a generous safety timeout that
/// only a hang would reach (no timing is asserted).
/// </summary>
public class ThrottledQueriesTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    /// <summary>A query that counts how many run at once and blocks until the gate opens.</summary>
    private sealed class GatedQuery
    {
        private int _current;
        private int _maximum;
        private int _started;

        public ManualResetEventSlim Gate { get; } = new(false);

        public ConcurrentQueue<string> StartOrder { get; } = new();

        public int Maximum => Volatile.Read(ref _maximum);

        public int Started => Volatile.Read(ref _started);

        public string Run(string item, QueryContext context)
        {
            Interlocked.Increment(ref _started);
            StartOrder.Enqueue(item);
            var now = Interlocked.Increment(ref _current);
            int seen;
            while (now > (seen = Volatile.Read(ref _maximum)) && Interlocked.CompareExchange(ref _maximum, now, seen) != seen)
            {
            }

            try
            {
                if (!Gate.Wait(Safety, context.CancellationToken))
                {
                    throw new TimeoutException("the test never opened the gate");
                }

                return item.ToUpperInvariant();
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }
    }

    private static void WaitFor(Func<bool> condition) => Assert.True(SpinWait.SpinUntil(condition, Safety), "condition not reached");

    [Fact]
    public void No_more_than_the_throttle_limit_run_at_once_and_every_item_gets_its_result()
    {
        var query = new GatedQuery();
        using var queries = new ThrottledQueries<string, string>(query.Run, throttleLimit: 3, CancellationToken.None);
        var items = Enumerable.Range(1, 20).Select(i => "sup" + i).ToList();
        items.ForEach(queries.Add);

        WaitFor(() => query.Started == 3);
        Assert.Equal(3, query.Maximum);
        Assert.Empty(queries.TakeAvailable());

        query.Gate.Set();
        var events = queries.CompleteAndTakeAll().ToList();

        Assert.Equal(3, query.Maximum);
        Assert.Equal(20, events.Count);
        Assert.All(events, e => Assert.Equal(QueryEventKind.Result, e.Kind));
        Assert.Equal(items.OrderBy(i => i), events.Select(e => e.Item).OrderBy(i => i));
        Assert.All(events, e => Assert.Equal(e.Item.ToUpperInvariant(), e.Result));
        Assert.Equal(20, queries.Finished);
    }

    [Fact]
    public void A_throttle_limit_of_one_queries_the_items_one_after_another_in_order()
    {
        var query = new GatedQuery();
        query.Gate.Set();
        using var queries = new ThrottledQueries<string, string>(query.Run, throttleLimit: 1, CancellationToken.None);
        var items = new[] { "cas01", "pri01", "pri02", "pri03" };
        foreach (var item in items)
        {
            queries.Add(item);
        }

        var events = queries.CompleteAndTakeAll().ToList();

        Assert.Equal(1, query.Maximum);
        Assert.Equal(items, events.Select(e => e.Item));
        Assert.Equal(items, query.StartOrder);
    }

    [Fact]
    public void One_failing_item_is_one_failed_event_and_the_others_still_answer()
    {
        using var queries = new ThrottledQueries<string, string>(
            (item, _) => item == "pri02"
                ? throw new WsusRemediationException("ComputerUnreachable", EngineErrorKind.ConnectionError, "The RPC server is unavailable.", item)
                : item,
            throttleLimit: 8,
            CancellationToken.None);
        foreach (var item in new[] { "cas01", "pri01", "pri02", "pri03" })
        {
            queries.Add(item);
        }

        var events = queries.CompleteAndTakeAll().ToList();

        var failed = Assert.Single(events, e => e.Kind == QueryEventKind.Failed);
        Assert.Equal("pri02", failed.Item);
        Assert.Equal("ComputerUnreachable", Assert.IsType<WsusRemediationException>(failed.Error).ErrorId);
        Assert.Equal(new[] { "cas01", "pri01", "pri03" }, events.Where(e => e.Kind == QueryEventKind.Result).Select(e => e.Result).OrderBy(r => r));
    }

    [Fact]
    public void Verbose_lines_come_before_their_items_result_and_carry_the_item()
    {
        using var queries = new ThrottledQueries<string, int>(
            (item, context) =>
            {
                context.Verbose($"{item}: reading the SMS Provider");
                context.Verbose($"{item}: done");
                return item.Length;
            },
            throttleLimit: 4,
            CancellationToken.None);
        foreach (var item in new[] { "a", "bb", "ccc" })
        {
            queries.Add(item);
        }

        var events = queries.CompleteAndTakeAll().ToList();

        foreach (var item in new[] { "a", "bb", "ccc" })
        {
            var mine = events.Where(e => e.Item == item).ToList();
            Assert.Equal(new[] { QueryEventKind.Verbose, QueryEventKind.Verbose, QueryEventKind.Result }, mine.Select(e => e.Kind));
            Assert.Equal($"{item}: reading the SMS Provider", mine[0].Message);
            Assert.Equal(item.Length, mine[2].Result);
        }
    }

    [Fact]
    public void Items_added_while_others_run_start_at_once_and_finished_ones_can_be_taken_without_waiting()
    {
        var query = new GatedQuery();
        using var queries = new ThrottledQueries<string, string>(query.Run, throttleLimit: 8, CancellationToken.None);
        queries.Add("first");
        WaitFor(() => query.Started == 1);
        queries.Add("second");
        WaitFor(() => query.Started == 2);
        Assert.Empty(queries.TakeAvailable());

        query.Gate.Set();
        WaitFor(() => queries.Finished == 2);
        var available = queries.TakeAvailable();

        Assert.Equal(new[] { "FIRST", "SECOND" }, available.Select(e => e.Result).OrderBy(r => r));
        Assert.Empty(queries.CompleteAndTakeAll());
    }

    [Fact]
    public void Cancelling_stops_the_running_queries_and_starts_no_waiting_one()
    {
        using var stop = new CancellationTokenSource();
        var query = new GatedQuery();
        using var queries = new ThrottledQueries<string, string>(query.Run, throttleLimit: 2, stop.Token);
        foreach (var item in Enumerable.Range(1, 6).Select(i => "sup" + i))
        {
            queries.Add(item);
        }

        WaitFor(() => query.Started == 2);
        var events = new List<QueryEvent<string, string>>();

        stop.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var queryEvent in queries.CompleteAndTakeAll())
            {
                events.Add(queryEvent);
            }
        });

        Assert.True(queries.Stop(Safety));
        Assert.Equal(2, query.Started);
        Assert.DoesNotContain(events, e => e.Kind == QueryEventKind.Result);
        Assert.Equal(6, queries.Finished);
        Assert.All(queries.TakeAvailable(), e => Assert.IsAssignableFrom<OperationCanceledException>(e.Error));
    }

    [Fact]
    public void Disposing_cancels_running_queries_and_waits_for_them()
    {
        var query = new GatedQuery();
        var queries = new ThrottledQueries<string, string>(query.Run, throttleLimit: 4, CancellationToken.None);
        foreach (var item in new[] { "a", "b", "c" })
        {
            queries.Add(item);
        }

        WaitFor(() => query.Started == 3);

        queries.Dispose();

        // The queries saw their token and returned: none is still counted as running.
        Assert.Equal(3, queries.Finished);
        Assert.Throws<ObjectDisposedException>(() => queries.Add("d"));
    }

    [Fact]
    public void Queries_that_end_at_once_never_leave_the_reader_waiting()
    {
        // Found by this test's first version: a reader that took an item's last event before the
        // item was counted finished waited forever. 300 rounds of instant queries, each on a watchdog.
        for (var round = 0; round < 300; round++)
        {
            using var queries = new ThrottledQueries<int, int>((item, _) => item % 3 == 0 ? throw new InvalidOperationException("fails") : item, throttleLimit: 1 + (round % 4), CancellationToken.None);
            for (var item = 0; item < 5; item++)
            {
                queries.Add(item);
            }

            var count = 0;
            var reader = new Thread(() => count = queries.CompleteAndTakeAll().Count());
            reader.Start();
            Assert.True(reader.Join(Safety), $"round {round}: the reader never ended");
            Assert.Equal(5, count);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_throttle_limit_below_one_is_refused(int limit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThrottledQueries<string, string>((i, _) => i, limit, CancellationToken.None));
    }
}
