using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Merges several streams of entries, each already in its own time order (one log and its rollover,
    /// one event channel), into one stream in UTC time order, while streaming: only the next entry of each
    /// stream is held, so memory is bounded by the number of streams, not by their size.
    /// </summary>
    /// <remarks>
    /// <para>Entries without a time (a record whose date is damaged but whose text is still worth showing) are
    /// placed right after the entry that precedes them in their own stream: they take that entry's time as their
    /// sort key (the start of time when nothing precedes them). They stay in their context instead of being
    /// gathered at one end.</para>
    /// <para>Equal times keep stream order (the first stream given first), and each stream keeps its own order:
    /// a record that runs backwards inside a file (a thread that wrote late) is not moved within that file.</para>
    /// </remarks>
    public static class LogTimeline
    {
        /// <summary>Merges <paramref name="streams"/> by <see cref="LogEntry.TimeUtc"/>; a single stream is returned as it is.</summary>
        public static IEnumerable<LogEntry> Merge(IReadOnlyList<IEnumerable<LogEntry>> streams)
        {
            if (streams is null)
            {
                throw new ArgumentNullException(nameof(streams));
            }

            if (streams.Count == 0)
            {
                return Array.Empty<LogEntry>();
            }

            return streams.Count == 1 ? streams[0] : MergeIterator(streams);
        }

        private static IEnumerable<LogEntry> MergeIterator(IReadOnlyList<IEnumerable<LogEntry>> streams)
        {
            var heads = new Head[streams.Count];
            var heap = new int[streams.Count];
            var size = 0;
            try
            {
                // Streams are opened in the order given, so a failure to open one is reported in file order.
                for (var i = 0; i < streams.Count; i++)
                {
                    var enumerator = streams[i].GetEnumerator();
                    heads[i] = new Head(enumerator, i);
                    if (heads[i].Advance())
                    {
                        heap[size++] = i;
                        SiftUp(heads, heap, size - 1);
                    }
                }

                while (size > 0)
                {
                    var top = heads[heap[0]];
                    var entry = top.Current!;
                    if (top.Advance())
                    {
                        SiftDown(heads, heap, size, 0);
                    }
                    else
                    {
                        top.Dispose();
                        heap[0] = heap[--size];
                        if (size > 0)
                        {
                            SiftDown(heads, heap, size, 0);
                        }
                    }

                    yield return entry;
                }
            }
            finally
            {
                foreach (var head in heads)
                {
                    head?.Dispose();
                }
            }
        }

        private static bool Before(Head a, Head b) => a.Key < b.Key || (a.Key == b.Key && a.Index < b.Index);

        private static void SiftUp(Head[] heads, int[] heap, int at)
        {
            while (at > 0)
            {
                var parent = (at - 1) / 2;
                if (!Before(heads[heap[at]], heads[heap[parent]]))
                {
                    return;
                }

                (heap[at], heap[parent]) = (heap[parent], heap[at]);
                at = parent;
            }
        }

        private static void SiftDown(Head[] heads, int[] heap, int size, int at)
        {
            while (true)
            {
                var left = (2 * at) + 1;
                if (left >= size)
                {
                    return;
                }

                var smallest = left + 1 < size && Before(heads[heap[left + 1]], heads[heap[left]]) ? left + 1 : left;
                if (!Before(heads[heap[smallest]], heads[heap[at]]))
                {
                    return;
                }

                (heap[at], heap[smallest]) = (heap[smallest], heap[at]);
                at = smallest;
            }
        }

        /// <summary>A stream's next entry and its sort key.</summary>
        private sealed class Head : IDisposable
        {
            private IEnumerator<LogEntry>? _enumerator;

            public Head(IEnumerator<LogEntry> enumerator, int index)
            {
                _enumerator = enumerator;
                Index = index;
                Key = long.MinValue;
            }

            public int Index { get; }

            public long Key { get; private set; }

            public LogEntry? Current { get; private set; }

            public bool Advance()
            {
                if (_enumerator is null || !_enumerator.MoveNext())
                {
                    Current = null;
                    return false;
                }

                Current = _enumerator.Current;

                // No time: keep the key of the entry before it in this stream.
                if (Current.TimeUtc.HasValue)
                {
                    Key = Current.TimeUtc.Value.UtcTicks;
                }

                return true;
            }

            public void Dispose()
            {
                _enumerator?.Dispose();
                _enumerator = null;
            }
        }
    }
}
