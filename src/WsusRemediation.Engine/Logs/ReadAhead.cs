using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Enumerates a sequence on a worker thread, a bounded number of batches ahead of the caller, so that
    /// parsing overlaps with what the caller does with each entry (in PowerShell: the pipeline). The caller's
    /// thread sees the entries in the same order, and the problems reported while reading (through the
    /// callback handed to the producer) are raised on the caller's thread, in their place among the entries:
    /// a cmdlet may only write from its own thread. Disposing the enumerator early stops the worker.
    /// </summary>
    internal static class ReadAhead
    {
        // About a thousand entries in flight: few enough that they are still young when a collection comes (so the
        // hand-over does not promote them), many enough that the pipeline thread rarely finds the queue empty.
        // Measured on 100 MB logs: 64x16, 128x8, 256x4, 512x4 and 1024x2 were alike; 256x32 cost 25-30% more CPU.
        internal const int BatchSize = 128;
        internal const int MaxBatches = 8;

        // How long an early stop waits for the worker. It hands over at least every batch and then sees the stop, so
        // this only runs out when a read hangs below it (a file share that stopped answering); the worker is a
        // background thread and ends at its next hand-over.
        private static readonly TimeSpan WorkerStopTimeout = TimeSpan.FromSeconds(5);

        /// <summary>
        /// Runs <paramref name="produce"/> on a worker thread; the producer reports problems through the action it is
        /// given, and <paramref name="onProblem"/> receives them on the caller's thread. Exceptions of the producer
        /// are rethrown on the caller's thread. The token handed to the producer is cancelled when the caller cancels
        /// or stops enumerating.
        /// </summary>
        public static IEnumerable<LogEntry> Run(Func<Action<WsusRemediationException>, CancellationToken, IEnumerable<LogEntry>> produce, Action<WsusRemediationException> onProblem, CancellationToken cancellationToken)
        {
            var channel = new Channel();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var worker = new Thread(() => channel.Fill(produce, stop.Token)) { IsBackground = true, Name = "WsusRemediation log reader" };
            worker.Start();
            try
            {
                while (true)
                {
                    var batch = channel.Take(cancellationToken);
                    if (batch is null)
                    {
                        break;
                    }

                    foreach (var item in batch)
                    {
                        if (item.Entry is not null)
                        {
                            yield return item.Entry;
                        }
                        else
                        {
                            onProblem(item.Problem!);
                        }
                    }
                }

                channel.Failure?.Throw();
            }
            finally
            {
                // Stopped early (Select-Object -First, Ctrl+C, an error downstream): release the worker and wait for it.
                stop.Cancel();
                channel.Abandon();
                worker.Join(WorkerStopTimeout);
            }
        }

        private readonly struct Item
        {
            public Item(LogEntry? entry, WsusRemediationException? problem)
            {
                Entry = entry;
                Problem = problem;
            }

            public LogEntry? Entry { get; }

            public WsusRemediationException? Problem { get; }
        }

        /// <summary>
        /// A bounded queue of batches between one producer and one consumer. Either side blocks only when it must
        /// (the consumer on an empty queue, the producer on a full one) and is woken only when it sleeps: the producer
        /// when half the queue has drained, so that it refills several batches per wake-up instead of one.
        /// </summary>
        private sealed class Channel
        {
            private readonly Queue<List<Item>> _batches = new Queue<List<Item>>();
            private readonly object _gate = new object();
            private bool _completed;
            private bool _abandoned;
            private bool _consumerWaiting;
            private bool _producerWaiting;

            public ExceptionDispatchInfo? Failure { get; private set; }

            public void Fill(Func<Action<WsusRemediationException>, CancellationToken, IEnumerable<LogEntry>> produce, CancellationToken stop)
            {
                var batch = new List<Item>(BatchSize);
                try
                {
                    foreach (var entry in produce(problem => batch.Add(new Item(null, problem)), stop))
                    {
                        batch.Add(new Item(entry, null));

                        // Whole batches only: handing over each entry while the caller waits for one (as tried) made
                        // the two threads wake each other per entry, which on a busy machine cost up to seven times
                        // the time of reading on one thread.
                        if (batch.Count >= BatchSize)
                        {
                            if (!Put(batch, stop))
                            {
                                return;
                            }

                            batch = new List<Item>(BatchSize);
                        }
                    }

                    if (batch.Count > 0)
                    {
                        Put(batch, stop);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception ex)
                {
                    if (batch.Count > 0)
                    {
                        Put(batch, stop);
                    }

                    Failure = ExceptionDispatchInfo.Capture(ex);
                }
                finally
                {
                    lock (_gate)
                    {
                        _completed = true;
                        Monitor.PulseAll(_gate);
                    }
                }
            }

            /// <summary>The next batch, or null when the producer is done.</summary>
            public List<Item>? Take(CancellationToken cancellationToken)
            {
                lock (_gate)
                {
                    while (_batches.Count == 0 && !_completed)
                    {
                        // Woken by the producer; the timeout only lets a cancellation be seen.
                        _consumerWaiting = true;
                        Monitor.Wait(_gate, 200);
                        _consumerWaiting = false;
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (_batches.Count == 0)
                    {
                        return null;
                    }

                    var batch = _batches.Dequeue();
                    if (_producerWaiting && _batches.Count <= MaxBatches / 2)
                    {
                        Monitor.PulseAll(_gate);
                    }

                    return batch;
                }
            }

            public void Abandon()
            {
                lock (_gate)
                {
                    _abandoned = true;
                    _batches.Clear();
                    Monitor.PulseAll(_gate);
                }
            }

            private bool Put(List<Item> batch, CancellationToken stop)
            {
                lock (_gate)
                {
                    while (_batches.Count >= MaxBatches && !_abandoned)
                    {
                        _producerWaiting = true;
                        Monitor.Wait(_gate, 200);
                        _producerWaiting = false;
                        if (stop.IsCancellationRequested)
                        {
                            return false;
                        }
                    }

                    if (_abandoned)
                    {
                        return false;
                    }

                    _batches.Enqueue(batch);
                    if (_consumerWaiting)
                    {
                        Monitor.PulseAll(_gate);
                    }

                    return true;
                }
            }
        }
    }
}
