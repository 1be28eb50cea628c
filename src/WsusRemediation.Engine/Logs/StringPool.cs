namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Reuses the strings that repeat on every line (components, thread ids, levels, HTTP methods), so
    /// a large file does not allocate one copy per line. Lossy by design: a collision just replaces the slot.
    /// </summary>
    internal sealed class StringPool
    {
        private const int MaxPooledLength = 64;
        private readonly string?[] _slots = new string?[4096];

        /// <summary>
        /// As <see cref="Get(char[], int, int)"/>, with a hash the caller computed in its own scan. Any hash is
        /// correct (a slot is only reused after comparing the text); the same text must get the same hash to be found.
        /// </summary>
        public string Get(char[] buffer, int start, int length, uint hash)
        {
            if (length == 0 || length > MaxPooledLength)
            {
                return length == 0 ? string.Empty : new string(buffer, start, length);
            }

            var slot = (int)(hash & (uint)(_slots.Length - 1));
            var existing = _slots[slot];
            if (existing is not null && existing.Length == length && Same(existing, buffer, start))
            {
                return existing;
            }

            var created = new string(buffer, start, length);
            _slots[slot] = created;
            return created;
        }

        public string Get(char[] buffer, int start, int length)
        {
            if (length == 0)
            {
                return string.Empty;
            }

            if (length > MaxPooledLength)
            {
                return new string(buffer, start, length);
            }

            unchecked
            {
                var hash = (uint)2166136261;
                for (var i = 0; i < length; i++)
                {
                    hash = (hash ^ buffer[start + i]) * 16777619;
                }

                var slot = (int)(hash & (uint)(_slots.Length - 1));
                var existing = _slots[slot];
                if (existing is not null && existing.Length == length && Same(existing, buffer, start))
                {
                    return existing;
                }

                var created = new string(buffer, start, length);
                _slots[slot] = created;
                return created;
            }
        }

        public string Get(string value) => value.Length > MaxPooledLength ? value : Get(value, 0, value.Length);

        /// <summary>The hash <see cref="Get(string, int, int, uint)"/> expects: start from <see cref="HashSeed"/>, one step per character.</summary>
        public const uint HashSeed = 2166136261;

        /// <summary>One step of the pool's hash (FNV-1a), for callers that hash while they scan.</summary>
        public static uint HashStep(uint hash, char c) => unchecked((hash ^ c) * 16777619);

        /// <summary>The same as <see cref="Get(char[], int, int)"/> for a piece of a string (event XML is cut out as strings).</summary>
        public string Get(string source, int start, int length)
        {
            if (length == 0 || length > MaxPooledLength)
            {
                return length == 0 ? string.Empty : source.Substring(start, length);
            }

            var hash = HashSeed;
            for (var i = 0; i < length; i++)
            {
                hash = HashStep(hash, source[start + i]);
            }

            return Get(source, start, length, hash);
        }

        /// <summary>As <see cref="Get(string, int, int)"/>, with the hash already computed by the caller's own scan.</summary>
        public string Get(string source, int start, int length, uint hash)
        {
            if (length == 0 || length > MaxPooledLength)
            {
                return length == 0 ? string.Empty : source.Substring(start, length);
            }

            var slot = (int)(hash & (uint)(_slots.Length - 1));
            var existing = _slots[slot];
            if (existing is not null && existing.Length == length && Same(existing, source, start))
            {
                return existing;
            }

            var created = source.Substring(start, length);
            _slots[slot] = created;
            return created;
        }

        // A plain loop: for these short strings it beats string.CompareOrdinal's argument checks.
        private static bool Same(string existing, string source, int start)
        {
            for (var i = 0; i < existing.Length; i++)
            {
                if (existing[i] != source[start + i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Same(string existing, char[] buffer, int start)
        {
            for (var i = 0; i < existing.Length; i++)
            {
                if (existing[i] != buffer[start + i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
