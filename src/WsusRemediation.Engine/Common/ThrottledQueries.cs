using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace WsusRemediation.Engine.Common
{
    /// <summary>What happened to one queried item.</summary>
    public enum QueryEventKind
    {
        /// <summary>The query said what it is doing (for -Verbose).</summary>
        Verbose,

        /// <summary>The query returned.</summary>
        Result,

        /// <summary>The query threw; <see cref="QueryEvent{TItem, TResult}.Error"/> tells why.</summary>
        Failed,
    }

    /// <summary>One event of a query: a verbose line, its result or its failure.</summary>
    public sealed class QueryEvent<TItem, TResult>
    {
        internal QueryEvent(QueryEventKind kind, TItem item, TResult? result, Exception? error, string? message)
        {
            Kind = kind;
            Item = item;
            Result = result;
            Error = error;
            Message = message;
        }

        /// <summary>Verbose, Result or Failed.</summary>
        public QueryEventKind Kind { get; }

        /// <summary>The item (usually a computer name) the event is about.</summary>
        public TItem Item { get; }

        /// <summary>The query's result (Result events).</summary>
        public TResult? Result { get; }

        /// <summary>What the query threw (Failed events).</summary>
        public Exception? Error { get; }

        /// <summary>The verbose line (Verbose events).</summary>
        public string? Message { get; }
    }

    /// <summary>What a query gets besides its item: the token to honour and a verbose sink.</summary>
    public sealed class QueryContext
    {
        private readonly Action<string> _verbose;

        internal QueryContext(CancellationToken cancellationToken, Action<string> verbose)
        {
            CancellationToken = cancellationToken;
            _verbose = verbose;
        }

        /// <summary>Cancelled by Ctrl+C or when the caller stops reading.</summary>
        public CancellationToken CancellationToken { get; }

        /// <summary>Queues a verbose line; the caller writes it from its own thread.</summary>
        public void Verbose(string message) => _verbose(message);
    }

    /// <summary>Defaults shared by every <see cref="ThrottledQueries{TItem, TResult}"/>.</summary>
    public static class ThrottledQueries
    {
        /// <summary>How many queries run at once unless told otherwise, as PowerShell's own -ThrottleLimit defaults elsewhere.</summary>
        public const int DefaultThrottleLimit = 8;

        /// <summary>The highest -ThrottleLimit the cmdlets accept.</summary>
        public const int MaximumThrottleLimit = 256;
    }

    /// <summary>
    /// Runs a read-only query for many items (servers) at once, at most <c>throttleLimit</c> at a time,
    /// and hands every result, failure and verbose line back as an event for the caller to write from
    /// its own thread: a cmdlet may call WriteObject/WriteError only on the pipeline thread, so the
    /// queries never touch the cmdlet. One failing item is one Failed event; the others go on.
    /// Items can be added while earlier ones run (one per pipeline input); <see cref="TakeAvailable"/>
    /// returns what has finished so far without waiting, <see cref="CompleteAndTakeAll"/> waits for
    /// the rest. Cancelling the token (Ctrl+C) or disposing stops starting new items and cancels the
    /// running ones; each query keeps its own timeout (the bridge's, the SCM's), which bounds the wait.
    /// </summary>
    public sealed class ThrottledQueries<TItem, TResult> : IDisposable
    {
        private readonly Func<TItem, QueryContext, TResult> _query;
        private readonly CancellationTokenSource _cancellation;
        private readonly BlockingCollection<QueryEvent<TItem, TResult>> _events = new BlockingCollection<QueryEvent<TItem, TResult>>();
        private readonly Queue<TItem> _pending = new Queue<TItem>();
        private readonly List<Task> _workers = new List<Task>();
        private readonly object _gate = new object();
        private int _running;
        private int _added;
        private int _finished;
        private bool _disposed;

        /// <summary>Creates the runner; nothing starts before <see cref="Add"/>.</summary>
        public ThrottledQueries(Func<TItem, QueryContext, TResult> query, int throttleLimit, CancellationToken cancellationToken)
        {
            if (throttleLimit < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(throttleLimit), throttleLimit, "At least one query must be allowed to run.");
            }

            _query = query ?? throw new ArgumentNullException(nameof(query));
            ThrottleLimit = throttleLimit;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        /// <summary>The most queries that run at the same time.</summary>
        public int ThrottleLimit { get; }

        /// <summary>Items added so far.</summary>
        public int Added
        {
            get { lock (_gate) { return _added; } }
        }

        /// <summary>Items whose query has returned or failed.</summary>
        public int Finished
        {
            get { lock (_gate) { return _finished; } }
        }

        /// <summary>Queues an item; its query starts at once when fewer than the limit are running.</summary>
        public void Add(TItem item)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(ThrottledQueries<TItem, TResult>));
                }

                _added++;
                if (_running < ThrottleLimit)
                {
                    Start(item);
                }
                else
                {
                    _pending.Enqueue(item);
                }
            }
        }

        /// <summary>The events that have arrived, without waiting.</summary>
        public IReadOnlyList<QueryEvent<TItem, TResult>> TakeAvailable()
        {
            var taken = new List<QueryEvent<TItem, TResult>>();
            while (_events.TryTake(out var queryEvent))
            {
                taken.Add(queryEvent);
            }

            return taken;
        }

        /// <summary>
        /// Every remaining event, as it arrives, until every added item has finished. Throws
        /// OperationCanceledException when the token is cancelled while waiting.
        /// </summary>
        public IEnumerable<QueryEvent<TItem, TResult>> CompleteAndTakeAll()
        {
            while (true)
            {
                // Once stopped, the caller hears it at once, whatever is still queued.
                _cancellation.Token.ThrowIfCancellationRequested();
                if (_events.TryTake(out var ready))
                {
                    yield return ready;
                    continue;
                }

                lock (_gate)
                {
                    // An item's last event is queued and counted under this lock (Run), so when every item
                    // is finished nothing more will come, and otherwise something will.
                    if (_finished == _added)
                    {
                        if (_events.Count == 0)
                        {
                            yield break;
                        }

                        continue;
                    }
                }

                yield return _events.Take(_cancellation.Token);
            }
        }

        private void Start(TItem item)
        {
            _running++;
            var token = _cancellation.Token;

            // A thread of its own per running query: they block on child processes and remote calls,
            // and the thread pool would add threads for them only slowly.
            _workers.Add(Task.Factory.StartNew(() => Run(item, token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }

        private void Run(TItem item, CancellationToken token)
        {
            while (true)
            {
                QueryEvent<TItem, TResult> last;
                if (!token.IsCancellationRequested)
                {
                    try
                    {
                        var context = new QueryContext(token, message => Post(new QueryEvent<TItem, TResult>(QueryEventKind.Verbose, item, default, null, message)));
                        last = new QueryEvent<TItem, TResult>(QueryEventKind.Result, item, _query(item, context), null, null);
                    }
#pragma warning disable CA1031 // Every failure of one item, whatever its type, is handed to the caller's thread.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        last = new QueryEvent<TItem, TResult>(QueryEventKind.Failed, item, default, ex, null);
                    }
                }
                else
                {
                    last = new QueryEvent<TItem, TResult>(QueryEventKind.Failed, item, default, new OperationCanceledException(token), null);
                }

                lock (_gate)
                {
                    // The item's last event and its count go together: a reader that sees an item
                    // unfinished under this lock is sure to receive one more event.
                    Post(last);
                    _finished++;
                    if (_pending.Count == 0)
                    {
                        _running--;
                        return;
                    }

                    // This thread takes the next waiting item, so no more than the limit ever run.
                    item = _pending.Dequeue();
                }
            }
        }

        private void Post(QueryEvent<TItem, TResult> queryEvent)
        {
            try
            {
                _events.Add(queryEvent);
            }
            catch (ObjectDisposedException)
            {
                // The caller gave up (Dispose after its timeout): nobody reads this event any more.
            }
        }

        /// <summary>
        /// Cancels what still runs and waits (at most <paramref name="timeout"/>) for the queries to
        /// return; a query that ignores its token is left to end on its own.
        /// </summary>
        public bool Stop(TimeSpan timeout)
        {
            Task[] workers;
            lock (_gate)
            {
                _cancellation.Cancel();
                workers = _workers.ToArray();
            }

            return Task.WaitAll(workers, timeout);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
            }

            // A query that outlives the wait keeps its token and may still post: then nothing is disposed
            // under it, and the collector reclaims both.
            if (Stop(TimeSpan.FromSeconds(10)))
            {
                _cancellation.Dispose();
                _events.Dispose();
            }
        }
    }
}
