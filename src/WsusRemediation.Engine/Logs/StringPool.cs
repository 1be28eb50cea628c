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

        /// <summary>The same as <see cref="Get(char[], int, int)"/> for a piece of a string (event XML is cut out as strings).</summary>
        public string Get(string source, int start, int length)
        {
            if (length == 0)
            {
                return string.Empty;
            }

            if (length > MaxPooledLength)
            {
                return source.Substring(start, length);
            }

            unchecked
            {
                var hash = (uint)2166136261;
                for (var i = 0; i < length; i++)
                {
                    hash = (hash ^ source[start + i]) * 16777619;
                }

                var slot = (int)(hash & (uint)(_slots.Length - 1));
                var existing = _slots[slot];
                if (existing is not null && existing.Length == length && string.CompareOrdinal(existing, 0, source, start, length) == 0)
                {
                    return existing;
                }

                var created = source.Substring(start, length);
                _slots[slot] = created;
                return created;
            }
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
