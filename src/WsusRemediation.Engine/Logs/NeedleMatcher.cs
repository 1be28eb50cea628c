using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Finds which of many fixed strings a message contains in one pass: a bitmap of the needles' first
    /// two characters picks the few positions worth comparing, so the cost grows with the message, not
    /// with the number of signatures. Returns the earliest-listed needle that matches (catalog order).
    /// </summary>
    internal sealed class NeedleMatcher
    {
        private const int BucketCount = 256;

        private readonly string[] _needles;
        private readonly ulong[] _bigrams = new ulong[1024];
        // Candidates by the low bits of the bigram key: an array index instead of a dictionary lookup at every
        // position whose bigram passes the bitmap. A bucket may hold needles of other bigrams; the full
        // comparison that follows sorts them out, and a needle found at a position always has that position's bigram.
        private readonly int[][] _byBucket = new int[BucketCount][];
        private readonly int _shortest;

        public NeedleMatcher(IReadOnlyList<string> needles)
        {
            _needles = new string[needles.Count];
            _shortest = int.MaxValue;
            var lists = new Dictionary<int, List<int>>();
            for (var i = 0; i < needles.Count; i++)
            {
                var needle = needles[i];
                if (needle.Length < 2)
                {
                    throw new ArgumentException("Needles need two characters at least.", nameof(needles));
                }

                _needles[i] = needle;
                _shortest = Math.Min(_shortest, needle.Length);
                var key = Key(needle[0], needle[1]);
                _bigrams[key >> 6] |= 1UL << (key & 63);
                if (!lists.TryGetValue(key, out var list))
                {
                    lists[key] = list = new List<int>();
                }

                list.Add(i);
            }

            var buckets = new List<int>[BucketCount];
            foreach (var pair in lists)
            {
                (buckets[pair.Key & (BucketCount - 1)] ??= new List<int>()).AddRange(pair.Value);
            }

            for (var b = 0; b < BucketCount; b++)
            {
                _byBucket[b] = buckets[b]?.ToArray() ?? Array.Empty<int>();
            }
        }

        /// <summary>The index of the first-listed needle found in <paramref name="text"/>, or -1.</summary>
        public int FirstMatch(string text)
        {
            var best = int.MaxValue;
            var last = text.Length - _shortest;
            for (var i = 0; i <= last; i++)
            {
                var key = Key(text[i], text[i + 1]);
                if ((_bigrams[key >> 6] & (1UL << (key & 63))) == 0)
                {
                    continue;
                }

                foreach (var candidate in _byBucket[key & (BucketCount - 1)])
                {
                    if (candidate < best && IsAt(text, i, _needles[candidate]))
                    {
                        best = candidate;
                    }
                }

                if (best == 0)
                {
                    break;
                }
            }

            return best == int.MaxValue ? -1 : best;
        }

        private static int Key(char a, char b) => ((a * 31) ^ b) & 0xFFFF;

        private static bool IsAt(string text, int at, string needle)
        {
            if (at + needle.Length > text.Length)
            {
                return false;
            }

            for (var i = 0; i < needle.Length; i++)
            {
                if (text[at + i] != needle[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
