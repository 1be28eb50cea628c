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
            if (length == 0 || length > MaxPooledLength)
            {
                return length == 0 ? string.Empty : new string(buffer, start, length);
            }

            // Two running sums (Fletcher style): additions, unlike a multiply per character, do not wait on each other.
            uint sum = 0, sumOfSums = 0;
            for (var i = 0; i < length; i++)
            {
                sum += buffer[start + i];
                sumOfSums += sum;
            }

            return Get(buffer, start, length, (sumOfSums * 31) + sum);
        }

        /// <summary>
        /// As <see cref="Get(char[], int, int)"/>, with a hash the caller computed in its own scan (the parsers
        /// hash while they look for field ends, so the text is read once). Any hash is correct, since a slot is
        /// only reused after comparing the text; the same text must get the same hash to be found again.
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

        /// <summary>As <see cref="Get(char[], int, int, uint)"/> for a piece of a string (event XML is cut out as strings).</summary>
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

        // Plain loops: for these short strings they beat the framework's ranged comparisons and their argument checks.
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
    }
}
