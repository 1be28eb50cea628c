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
        internal const int BatchSize = 256;
        internal const int MaxBatches = 32;

        /// <summary>
        /// Runs <paramref name="produce"/> on a worker thread; the producer reports problems through the action it is
        /// given, and <paramref name="onProblem"/> receives them on the caller's thread. Exceptions of the producer
        /// are rethrown on the caller's thread.
        /// </summary>
        public static IEnumerable<LogEntry> Run(Func<Action<WsusRemediationException>, IEnumerable<LogEntry>> produce, Action<WsusRemediationException> onProblem, CancellationToken cancellationToken)
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
                worker.Join();
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

        /// <summary>A bounded queue of batches between one producer and one consumer.</summary>
        private sealed class Channel
        {
            private readonly Queue<List<Item>> _batches = new Queue<List<Item>>();
            private readonly object _gate = new object();
            private bool _completed;
            private bool _abandoned;

            public ExceptionDispatchInfo? Failure { get; private set; }

            public void Fill(Func<Action<WsusRemediationException>, IEnumerable<LogEntry>> produce, CancellationToken stop)
            {
                var batch = new List<Item>(BatchSize);
                try
                {
                    foreach (var entry in produce(problem => batch.Add(new Item(null, problem))))
                    {
                        batch.Add(new Item(entry, null));
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
                        Monitor.Wait(_gate, 200);
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (_batches.Count == 0)
                    {
                        return null;
                    }

                    var batch = _batches.Dequeue();
                    Monitor.PulseAll(_gate);
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
                        Monitor.Wait(_gate, 200);
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
                    Monitor.PulseAll(_gate);
                    return true;
                }
            }
        }
    }
}
