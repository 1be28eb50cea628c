using System;
using System.IO;
using System.Text;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>Opens log files the way a live server needs: shared with the writer, sequential, encoding from the BOM.</summary>
    internal static class LogFileOpener
    {
        public const int BufferSize = 1 << 16;

        private static readonly Encoding Utf8 = CreateUtf8();

        /// <summary>
        /// UTF-8 that reads bytes which are not UTF-8 as Windows-1252. Logs without a BOM are UTF-8 or the
        /// server's ANSI code page (a localized exception text: "ü" is the single byte 0xFC); read as
        /// Windows-1252 such text stays legible, and it never throws, so one damaged record does not stop the file.
        /// </summary>
        private static Encoding CreateUtf8()
        {
            var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).Clone();
            encoding.DecoderFallback = new AnsiByteFallback();
            return encoding;
        }

        public static FileStream OpenShared(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan);

        /// <summary>Detects the encoding from the first bytes; returns the BOM length to skip.</summary>
        public static Encoding DetectEncoding(byte[] head, int count, out int bomLength)
        {
            bomLength = 0;
            if (count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
            {
                bomLength = 3;
                return Utf8;
            }

            if (count >= 4 && head[0] == 0xFF && head[1] == 0xFE && head[2] == 0 && head[3] == 0)
            {
                bomLength = 4;
                return new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: false);
            }

            if (count >= 2 && head[0] == 0xFF && head[1] == 0xFE)
            {
                bomLength = 2;
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: false);
            }

            if (count >= 2 && head[0] == 0xFE && head[1] == 0xFF)
            {
                bomLength = 2;
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: false);
            }

            // UTF-16 without a BOM still shows as ASCII text interleaved with zero bytes.
            if (count >= 4 && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0)
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: false);
            }

            if (count >= 4 && head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0)
            {
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: false);
            }

            return Utf8;
        }

        /// <summary>Opens a text reader positioned after the BOM.</summary>
        public static TextReader OpenText(string path, out Encoding encoding, out int bomLength)
        {
            var stream = OpenShared(path);
            try
            {
                var head = new byte[4];
                var count = ReadAtLeast(stream, head, 4);
                encoding = DetectEncoding(head, count, out bomLength);
                stream.Position = bomLength;
                return new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, BufferSize);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        public static int ReadAtLeast(Stream stream, byte[] buffer, int count)
        {
            var total = 0;
            while (total < count)
            {
                var read = stream.Read(buffer, total, count - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
    }

    /// <summary>Decodes each byte that is not valid UTF-8 as its Windows-1252 character.</summary>
    internal sealed class AnsiByteFallback : DecoderFallback
    {
        // Windows-1252 0x80-0x9F; the five unassigned bytes keep their C1 code points (Latin-1).
        private const string High = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F"
            + "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

        public override int MaxCharCount => 4;

        public static char Map(byte value) => value >= 0x80 && value <= 0x9F ? High[value - 0x80] : (char)value;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private byte[] _bytes = Array.Empty<byte>();
            private int _next;

            public override int Remaining => _bytes.Length - _next;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _bytes = bytesUnknown;
                _next = 0;
                return bytesUnknown.Length > 0;
            }

            public override char GetNextChar() => _next < _bytes.Length ? Map(_bytes[_next++]) : '\0';

            public override bool MovePrevious()
            {
                if (_next == 0)
                {
                    return false;
                }

                _next--;
                return true;
            }

            public override void Reset()
            {
                _bytes = Array.Empty<byte>();
                _next = 0;
            }
        }
    }

    /// <summary>A read-only window [start, end) over another stream; used to read only the complete lines appended since the last poll.</summary>
    internal sealed class RangeStream : Stream
    {
        private readonly Stream _inner;
        private readonly long _end;

        public RangeStream(Stream inner, long start, long end)
        {
            _inner = inner;
            _end = end;
            _inner.Position = start;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var left = _end - _inner.Position;
            if (left <= 0)
            {
                return 0;
            }

            return _inner.Read(buffer, offset, (int)Math.Min(count, left));
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
