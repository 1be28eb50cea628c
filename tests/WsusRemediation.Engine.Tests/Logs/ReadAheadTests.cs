using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>Reading on a worker thread ahead of the caller: same order, problems on the caller's thread, bounded, stoppable.</summary>
public sealed class ReadAheadTests
{
    private static LogEntry Entry(long n) => new(null, LogSeverity.None, "C", "1", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "f", n, LogFormat.SmsSimple);

    [Fact]
    public void Entries_and_problems_come_in_order_on_the_callers_thread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var producerThread = 0;
        IEnumerable<LogEntry> Produce(Action<WsusRemediationException> report, CancellationToken stop)
        {
            producerThread = Environment.CurrentManagedThreadId;
            for (var n = 1; n <= 3000; n++)
            {
                if (n % 1000 == 0)
                {
                    report(new WsusRemediationException("LogFileUnreadable", EngineErrorKind.ReadError, "problem " + n));
                }

                yield return Entry(n);
            }
        }

        var seen = new List<string>();
        foreach (var entry in ReadAhead.Run(Produce, problem =>
        {
            Assert.Equal(caller, Environment.CurrentManagedThreadId);
            seen.Add(problem.Message);
        }, CancellationToken.None))
        {
            seen.Add(entry.Message);
        }

        Assert.NotEqual(caller, producerThread);
        var expected = Enumerable.Range(1, 3000).SelectMany(n => n % 1000 == 0 ? new[] { "problem " + n, n.ToString(System.Globalization.CultureInfo.InvariantCulture) } : new[] { n.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(expected, seen);
    }

    [Fact]
    public void The_worker_runs_ahead_to_a_full_queue_and_never_further()
    {
        // The batch the caller is reading, the queue, and the batch being filled (its last entry is counted before the
        // worker waits to hand it over).
        const int Bound = (ReadAhead.MaxBatches + 2) * ReadAhead.BatchSize;
        long produced = 0;
        long taken = 0;
        var overran = false;
        var finished = new ManualResetEventSlim();
        IEnumerable<LogEntry> Endless(Action<WsusRemediationException> report, CancellationToken stop)
        {
            try
            {
                for (long n = 1; ; n++)
                {
                    if (n - Interlocked.Read(ref taken) > Bound)
                    {
                        overran = true;
                    }

                    Interlocked.Increment(ref produced);
                    yield return Entry(n);
                }
            }
            finally
            {
                finished.Set();
            }
        }

        foreach (var entry in ReadAhead.Run(Endless, _ => { }, CancellationToken.None))
        {
            var n = Interlocked.Increment(ref taken);
            if (n == 10)
            {
                // The caller holds still: the worker fills the queue, and then must wait for the caller.
                Assert.True(SpinWait.SpinUntil(() => Interlocked.Read(ref produced) >= Bound, TimeSpan.FromSeconds(30)), "the worker did not read ahead");
            }

            if (n == 5000)
            {
                break;
            }
        }

        Assert.False(overran, "the worker ran more than the queue ahead of the caller");

        // Leaving the loop stops the worker and waits for it: the producer's finally block has run.
        Assert.True(finished.IsSet);
    }

    [Fact]
    public void A_failure_of_the_producer_is_thrown_on_the_callers_thread_after_what_came_before()
    {
        IEnumerable<LogEntry> Failing(Action<WsusRemediationException> report, CancellationToken stop)
        {
            yield return Entry(1);
            throw new IOException("disk gone");
        }

        var entries = new List<LogEntry>();
        var ex = Assert.Throws<IOException>(() =>
        {
            foreach (var entry in ReadAhead.Run(Failing, _ => { }, CancellationToken.None))
            {
                entries.Add(entry);
            }
        });

        Assert.Equal("disk gone", ex.Message);
        Assert.Single(entries);
    }

    [Fact]
    public void Cancelling_stops_a_caller_waiting_for_a_slow_producer()
    {
        using var cancel = new CancellationTokenSource();
        using var never = new ManualResetEventSlim();
        var producerCancelled = false;
        IEnumerable<LogEntry> Slow(Action<WsusRemediationException> report, CancellationToken stop)
        {
            // A live event query that takes long; it watches the same token, as EventLogEvidence does. Had the caller
            // waited for it, the wait would have ended by its own timeout instead.
            try
            {
                never.Wait(TimeSpan.FromSeconds(30), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                producerCancelled = true;
                throw;
            }

            yield return Entry(1);
        }

        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => ReadAhead.Run(Slow, _ => { }, cancel.Token).ToList());
        Assert.True(producerCancelled, "the producer's wait ran out instead of being cancelled");
    }

    [Fact]
    public void Stopping_early_cancels_a_producer_blocked_in_a_read()
    {
        var producerStopped = new ManualResetEventSlim();
        var stoppedByToken = false;
        IEnumerable<LogEntry> BlockedAfterOne(Action<WsusRemediationException> report, CancellationToken stop)
        {
            // One full batch, so the caller has its first entry whatever the timing of the hand-over.
            for (var n = 1; n <= ReadAhead.BatchSize; n++)
            {
                yield return Entry(n);
            }

            try
            {
                // A read that waits (a live event query): only the token handed to the producer ends it early.
                stoppedByToken = stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            }
            finally
            {
                producerStopped.Set();
            }

            yield return Entry(ReadAhead.BatchSize + 1);
        }

        var first = ReadAhead.Run(BlockedAfterOne, _ => { }, CancellationToken.None).First();

        Assert.Equal("1", first.Message);
        // First() disposed the enumeration: the producer's token was cancelled and the worker ended before First returned.
        Assert.True(producerStopped.IsSet);
        Assert.True(stoppedByToken, "the producer's read ran out instead of being stopped");
    }

    [Fact]
    public void Plan_read_in_background_equals_the_read_on_the_callers_thread()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evidence", "GuideCase");
        var plan = LogReadPlan.ForPaths(new[] { folder });
        var direct = plan.Read(new LogReadSummary()).Select(e => (e.File, e.Line)).ToList();
        var summary = new LogReadSummary();
        var background = plan.ReadInBackground(summary).Select(e => (e.File, e.Line)).ToList();

        // ReadInBackground reads on the caller's thread on a one-processor machine: the worker path is also taken directly.
        var onWorker = ReadAhead.Run((problems, stop) => plan.Read(new LogReadSummary(), problems, null, null, stop), _ => { }, CancellationToken.None)
            .Select(e => (e.File, e.Line)).ToList();

        Assert.Equal(direct, background);
        Assert.Equal(direct, onWorker);
        Assert.Equal(direct.Count, summary.EntriesReturned);
    }
}
