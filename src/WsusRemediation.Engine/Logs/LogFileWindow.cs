using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Random access to a log file's bytes in terms of its text: code units of the file's encoding (1 byte for
    /// UTF-8 and ANSI, 2 for UTF-16, 4 for UTF-32, counted from the end of the BOM, exactly as the decoder pairs
    /// them), line starts, searches for ASCII markers, and line counts. Partial reads use it to start parsing at
    /// a record start instead of at the top of the file.
    /// </summary>
    internal sealed class LogFileWindow : IDisposable
    {
        private const int ScanBlock = 1 << 20;
        private const int LineBlock = 1 << 12;

        private readonly FileStream _stream;
        private readonly byte[] _scan = new byte[ScanBlock + 64];
        private readonly byte[] _lineBuffer = new byte[LineBlock];
        private readonly List<KeyValuePair<long, long>> _lineCheckpoints = new List<KeyValuePair<long, long>>();
        private readonly List<KeyValuePair<long, long>> _lfCheckpoints = new List<KeyValuePair<long, long>>();
        private readonly bool _limited;

        /// <summary>
        /// Opens the file. With <paramref name="lengthLimit"/>, the window ends there: <see cref="Length"/> is the limit and
        /// text is read up to it, not to the end as the file is then (a followed log goes on growing behind the limit).
        /// </summary>
        public LogFileWindow(string path, long? lengthLimit = null)
        {
            Path = path;
            _stream = LogFileOpener.OpenShared(path);
            try
            {
                var head = new byte[4];
                var count = LogFileOpener.ReadAtLeast(_stream, head, 4);
                Encoding = LogFileOpener.DetectEncoding(head, count, out var bom);
                BomLength = bom;
                Unit = Encoding is UTF32Encoding ? 4 : Encoding is UnicodeEncoding ? 2 : 1;
                BigEndian = Unit == 2 && Encoding.GetBytes("\n")[0] == 0;
                Length = lengthLimit is long limit ? Math.Min(limit, _stream.Length) : _stream.Length;
                _limited = lengthLimit.HasValue;
            }
            catch
            {
                _stream.Dispose();
                throw;
            }

            _lineCheckpoints.Add(new KeyValuePair<long, long>(BomLength, 0));
            _lfCheckpoints.Add(new KeyValuePair<long, long>(BomLength, 0));
        }

        public string Path { get; }

        public Encoding Encoding { get; }

        public int BomLength { get; }

        /// <summary>Bytes per code unit.</summary>
        public int Unit { get; }

        public bool BigEndian { get; }

        /// <summary>The length when opened; a live log may grow while it is read (reads go on to the end as it is then).</summary>
        public long Length { get; }

        /// <summary>Where the text starts (after the BOM).</summary>
        public long TextStart => BomLength;

        /// <summary>Rounds a byte offset down to a code unit boundary.</summary>
        public long Align(long offset)
        {
            if (offset <= BomLength)
            {
                return BomLength;
            }

            return offset - ((offset - BomLength) % Unit);
        }

        /// <summary>The start of the line holding the code unit at <paramref name="offset"/> (the offset itself when a line starts there).</summary>
        public long LineStartAtOrBefore(long offset)
        {
            offset = Align(Math.Min(offset, Length));
            if (offset <= BomLength)
            {
                return BomLength;
            }

            var next = offset < Length ? UnitAt(offset) : -1;
            var blockEnd = offset;
            while (blockEnd > BomLength)
            {
                var blockStart = Align(Math.Max(BomLength, blockEnd - _lineBuffer.Length));
                var count = Read(blockStart, _lineBuffer, (int)(blockEnd - blockStart));
                for (var i = count - Unit; i >= 0; i -= Unit)
                {
                    var unit = Decode(_lineBuffer, i);

                    // A line starts after an LF, and after a CR not followed by an LF (LineReader's rule).
                    if (unit == '\n' || (unit == '\r' && next != '\n'))
                    {
                        return blockStart + i + Unit;
                    }

                    next = unit;
                }

                blockEnd = blockStart;
            }

            return BomLength;
        }

        /// <summary>The first line start at or after <paramref name="offset"/>; <see cref="Length"/> when none.</summary>
        public long LineStartAtOrAfter(long offset)
        {
            offset = Align(offset);
            if (offset <= BomLength)
            {
                return BomLength;
            }

            var start = LineStartAtOrBefore(offset);
            if (start == offset)
            {
                return offset;
            }

            var at = offset - Unit;
            while (at < Length)
            {
                var count = Read(at, _lineBuffer, (int)Math.Min(_lineBuffer.Length, Length - at));
                if (count < Unit)
                {
                    break;
                }

                for (var i = 0; i + Unit <= count; i += Unit)
                {
                    var unit = Decode(_lineBuffer, i);
                    if (unit == '\n')
                    {
                        return at + i + Unit;
                    }

                    if (unit == '\r')
                    {
                        var following = at + i + Unit < Length ? UnitAt(at + i + Unit) : -1;
                        if (following != '\n')
                        {
                            return at + i + Unit;
                        }
                    }
                }

                at += count - (count % Unit);
            }

            return Length;
        }

        /// <summary>The text of the line starting at <paramref name="lineStart"/>, without its line break, cut after <paramref name="maxChars"/> characters.</summary>
        public char[] LineText(long lineStart, int maxChars)
        {
            // Up to 4 bytes per character, read in blocks until the line break: a header line is short, a limit may be large.
            var maxBytes = Math.Min((long)maxChars * 4, Math.Max(0, Length - lineStart));
            var bytes = new byte[(int)Math.Min(maxBytes, LineBlock)];
            var count = 0;
            var end = -1;
            while (end < 0)
            {
                if (count == bytes.Length)
                {
                    if (bytes.Length >= maxBytes)
                    {
                        break;
                    }

                    Array.Resize(ref bytes, (int)Math.Min(maxBytes, (long)bytes.Length * 4));
                }

                var read = ReadInto(lineStart + count, bytes, count, bytes.Length - count);
                if (read == 0)
                {
                    break;
                }

                var scanFrom = count - (count % Unit);
                count += read;
                for (var i = scanFrom; i + Unit <= count; i += Unit)
                {
                    var unit = Decode(bytes, i);
                    if (unit == '\n' || unit == '\r')
                    {
                        end = i;
                        break;
                    }
                }
            }

            var chars = Encoding.GetChars(bytes, 0, end >= 0 ? end : count - (count % Unit));
            if (chars.Length > maxChars)
            {
                Array.Resize(ref chars, maxChars);
            }

            return chars;
        }

        /// <summary>
        /// The last offset below <paramref name="before"/> and not below <paramref name="floor"/> where the ASCII
        /// <paramref name="pattern"/> is written in the file's encoding; -1 when there is none.
        /// </summary>
        public long LastIndexOf(string pattern, int anchor, long before, long floor)
        {
            var bytes = EncodeAscii(pattern);
            var anchorOffset = (anchor * Unit) + (BigEndian ? 1 : 0);
            var anchorByte = bytes[anchorOffset];
            floor = Math.Max(floor, BomLength);
            var end = Math.Min(before, Length);
            while (end > floor)
            {
                var start = Math.Max(floor, end - ScanBlock);
                var count = Read(start, _scan, (int)Math.Min(end - start + bytes.Length, Length - start));
                var searchFrom = (int)Math.Min((end - start) - 1 + anchorOffset, count - 1);
                while (searchFrom >= 0)
                {
                    var hit = Array.LastIndexOf(_scan, anchorByte, searchFrom);
                    if (hit < 0)
                    {
                        break;
                    }

                    var at = start + hit - anchorOffset;
                    if (at >= start && at < end && (at - BomLength) % Unit == 0 && hit - anchorOffset + bytes.Length <= count && Matches(_scan, hit - anchorOffset, bytes))
                    {
                        return at;
                    }

                    searchFrom = hit - 1;
                }

                end = start;
            }

            return -1;
        }

        /// <summary>
        /// The number of lines before <paramref name="offset"/> (a line start): line breaks as LineReader counts them
        /// (LF, CRLF, a lone CR), or only LFs as the event XML reader counts them. Counted once per region and
        /// remembered, so later counts only cover the difference.
        /// </summary>
        public long LinesBefore(long offset, bool lfOnly)
        {
            var checkpoints = lfOnly ? _lfCheckpoints : _lineCheckpoints;
            var nearest = checkpoints[0];
            foreach (var checkpoint in checkpoints)
            {
                if (Math.Abs(checkpoint.Key - offset) < Math.Abs(nearest.Key - offset))
                {
                    nearest = checkpoint;
                }
            }

            var lines = nearest.Key <= offset
                ? nearest.Value + CountBreaks(nearest.Key, offset, lfOnly)
                : nearest.Value - CountBreaks(offset, nearest.Key, lfOnly);
            checkpoints.Add(new KeyValuePair<long, long>(offset, lines));
            return lines;
        }

        /// <summary>Opens the text from <paramref name="offset"/> (a character boundary) to the end of the file as it is when read.</summary>
        public TextReader OpenTextAt(long offset)
        {
            Stream stream = LogFileOpener.OpenShared(Path);
            try
            {
                if (_limited)
                {
                    stream = new RangeStream(stream, offset, Length);
                }
                else
                {
                    stream.Position = offset;
                }

                return new StreamReader(stream, Encoding, detectEncodingFromByteOrderMarks: false, LogFileOpener.BufferSize);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        public void Dispose() => _stream.Dispose();

        private long CountBreaks(long from, long to, bool lfOnly)
        {
            long lines = 0;
            var at = from;
            while (at < to)
            {
                var count = Read(at, _scan, (int)Math.Min(ScanBlock, to - at));
                if (count < Unit)
                {
                    break;
                }

                count -= count % Unit;
                if (Unit == 1)
                {
                    for (var i = Array.IndexOf(_scan, (byte)'\n', 0, count); i >= 0; i = Array.IndexOf(_scan, (byte)'\n', i + 1, count - i - 1))
                    {
                        lines++;
                    }

                    if (!lfOnly)
                    {
                        for (var i = Array.IndexOf(_scan, (byte)'\r', 0, count); i >= 0; i = Array.IndexOf(_scan, (byte)'\r', i + 1, count - i - 1))
                        {
                            var following = i + 1 < count ? _scan[i + 1] : (at + count < Length ? UnitAt(at + count) : -1);
                            if (following != '\n')
                            {
                                lines++;
                            }
                        }
                    }
                }
                else
                {
                    for (var i = 0; i < count; i += Unit)
                    {
                        var unit = Decode(_scan, i);
                        if (unit == '\n')
                        {
                            lines++;
                        }
                        else if (unit == '\r' && !lfOnly)
                        {
                            var following = i + Unit < count ? Decode(_scan, i + Unit) : (at + count < Length ? UnitAt(at + count) : -1);
                            if (following != '\n')
                            {
                                lines++;
                            }
                        }
                    }
                }

                at += count;
            }

            return lines;
        }

        private int UnitAt(long offset)
        {
            var bytes = new byte[4];
            return Read(offset, bytes, Unit) < Unit ? -1 : Decode(bytes, 0);
        }

        private int Decode(byte[] buffer, int i) => Unit switch
        {
            1 => buffer[i],
            2 => BigEndian ? (buffer[i] << 8) | buffer[i + 1] : buffer[i] | (buffer[i + 1] << 8),
            _ => buffer[i] | (buffer[i + 1] << 8) | (buffer[i + 2] << 16) | (buffer[i + 3] << 24),
        };

        private byte[] EncodeAscii(string text)
        {
            var bytes = new byte[text.Length * Unit];
            for (var i = 0; i < text.Length; i++)
            {
                bytes[(i * Unit) + (BigEndian ? 1 : 0)] = (byte)text[i];
            }

            return bytes;
        }

        private static bool Matches(byte[] buffer, int at, byte[] pattern)
        {
            for (var i = 0; i < pattern.Length; i++)
            {
                if (buffer[at + i] != pattern[i])
                {
                    return false;
                }
            }

            return true;
        }

        private int Read(long offset, byte[] buffer, int count) => ReadInto(offset, buffer, 0, count);

        private int ReadInto(long offset, byte[] buffer, int into, int count)
        {
            count = (int)Math.Min(count, Math.Min(buffer.Length - into, Length - offset));
            if (count <= 0)
            {
                return 0;
            }

            _stream.Position = offset;
            var total = 0;
            while (total < count)
            {
                var read = _stream.Read(buffer, into + total, count - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
    }
}
