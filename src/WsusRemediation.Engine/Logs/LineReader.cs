using System;
using System.IO;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Splits decoded text into lines without allocating a string per line: the current line is a
    /// window [<see cref="LineStart"/>, +<see cref="LineLength"/>) over <see cref="Buffer"/>, valid until
    /// the next call. Accepts CRLF, LF and lone CR. A line longer than the limit is not kept in memory:
    /// it is reported once with <see cref="LineTooLong"/> set and an empty window.
    /// </summary>
    internal sealed class LineReader
    {
        private readonly TextReader _reader;
        private readonly int _maxLineLength;
        private char[] _buffer;
        private int _start;
        private int _end;
        private bool _eof;
        private bool _discarding;
        private bool _droppedLine;

        public LineReader(TextReader reader, int maxLineLength, int initialBuffer = 1 << 16)
        {
            _reader = reader;
            _maxLineLength = Math.Max(16, maxLineLength);
            _buffer = new char[Math.Min(initialBuffer, _maxLineLength + 2)];
        }

        public char[] Buffer => _buffer;

        public int LineStart { get; private set; }

        public int LineLength { get; private set; }

        public bool LineTooLong { get; private set; }

        /// <summary>1-based number of the current line.</summary>
        public long LineNumber { get; private set; }

        public bool ReadLine()
        {
            var scanFrom = _start;
            while (true)
            {
                var available = _end - scanFrom;
                var lf = available > 0 ? Array.IndexOf(_buffer, '\n', scanFrom, available) : -1;
                var crRegion = (lf >= 0 ? lf : _end) - _start;
                var cr = crRegion > 0 ? Array.IndexOf(_buffer, '\r', _start, crRegion) : -1;

                if (cr >= 0 && cr != lf - 1)
                {
                    // A lone CR ends a line, unless it is the last char read and an LF may follow.
                    if (cr + 1 < _end || _eof)
                    {
                        return Emit(cr, cr + 1);
                    }
                }
                else if (lf >= 0)
                {
                    return Emit(cr >= 0 ? cr : lf, lf + 1);
                }
                else if (_eof)
                {
                    if (_start < _end)
                    {
                        return Emit(_end, _end);
                    }

                    if (_discarding)
                    {
                        _discarding = false;
                        return EmitTooLong();
                    }

                    return false;
                }

                // Only the new data needs an LF search; Fill may move the line to the front of the buffer.
                var scanOffset = _end - _start;
                if (!Fill())
                {
                    _eof = true;
                }

                scanFrom = _droppedLine ? _start : Math.Min(_start + scanOffset, _end);
                _droppedLine = false;
            }
        }

        private bool Emit(int lineEnd, int next)
        {
            LineNumber++;
            if (_discarding)
            {
                _discarding = false;
                _start = next;
                return EmitTooLongNoCount();
            }

            LineStart = _start;
            LineLength = lineEnd - _start;
            LineTooLong = false;
            _start = next;
            return true;
        }

        private bool EmitTooLong()
        {
            LineNumber++;
            return EmitTooLongNoCount();
        }

        private bool EmitTooLongNoCount()
        {
            LineStart = _start;
            LineLength = 0;
            LineTooLong = true;
            return true;
        }

        private bool Fill()
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length < _maxLineLength)
                {
                    Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxLineLength + 2L));
                }
                else
                {
                    // Too long to keep: drop what we have (keeping a trailing CR) and skip to the next line break.
                    _discarding = true;
                    _droppedLine = true;
                    var keepCr = _buffer[_end - 1] == '\r';
                    _end = 0;
                    if (keepCr)
                    {
                        _buffer[0] = '\r';
                        _end = 1;
                    }
                }
            }

            var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0)
            {
                return false;
            }

            _end += read;
            return true;
        }
    }
}
