using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>How serious an entry is, on one scale for every source.</summary>
    public enum LogSeverity
    {
        /// <summary>The source gives no severity (simple MECM records have none, except status-message lines with SEV=).</summary>
        None = 0,

        /// <summary>Informational (CMTrace type 1, WSUS Info/Change, event level 4).</summary>
        Information = 1,

        /// <summary>Warning (CMTrace type 2, event level 3).</summary>
        Warning = 2,

        /// <summary>Error (CMTrace type 3, event level 2, HTTP 5xx).</summary>
        Error = 3,

        /// <summary>Critical (event level 1).</summary>
        Critical = 4,
    }

    /// <summary>The record format an entry was read from.</summary>
    public enum LogFormat
    {
        /// <summary>Not recognised.</summary>
        Unknown = 0,

        /// <summary>MECM CMTrace format: <c>&lt;![LOG[message]LOG]!&gt;&lt;time="..." date="..." component="..." ...&gt;</c>.</summary>
        CMTrace,

        /// <summary>The simple MECM site-server format: <c>message  $$&lt;COMPONENT&gt;&lt;MM-dd-yyyy HH:mm:ss.fff+BIAS&gt;&lt;thread=N (0xHEX)&gt;</c>.</summary>
        SmsSimple,

        /// <summary>WSUS <c>SoftwareDistribution.log</c>.</summary>
        SoftwareDistribution,

        /// <summary>HTTP.sys error log (<c>httperr*.log</c>), W3C style.</summary>
        HttpErr,

        /// <summary>Windows event XML (<c>EventRecord.ToXml()</c>, <c>wevtutil qe /f:xml</c>).</summary>
        EventXml,
    }

    /// <summary>
    /// One record from any evidence source, in one shape: the sync-status and diagnosis code reads
    /// these without caring which file or format they came from.
    /// </summary>
    public sealed class LogEntry
    {
        /// <summary>Creates an entry.</summary>
        public LogEntry(
            DateTimeOffset? timeUtc,
            LogSeverity severity,
            string component,
            string thread,
            string message,
            string file,
            long line,
            LogFormat format,
            IReadOnlyDictionary<string, string>? fields = null,
            EvidenceKind kind = EvidenceKind.None,
            EvidenceKind cause = EvidenceKind.None)
        {
            TimeUtc = timeUtc;
            Severity = severity;
            Component = component ?? string.Empty;
            Thread = thread ?? string.Empty;
            Message = message ?? string.Empty;
            File = file ?? string.Empty;
            Line = line;
            Format = format;
            Fields = fields ?? LogFields.Empty;
            Kind = kind;
            Cause = cause;
        }

        /// <summary>When the record was written, in UTC (offset zero); null when the record has no usable time.</summary>
        public DateTimeOffset? TimeUtc { get; }

        /// <summary>Severity on the common scale.</summary>
        public LogSeverity Severity { get; }

        /// <summary>
        /// Who wrote it: the MECM component (SMS_WSUS_SYNC_MANAGER), the WSUS process (WsusService, w3wp),
        /// the HTTP.sys queue (WsusPool) or the event provider (Microsoft-Windows-WAS).
        /// </summary>
        public string Component { get; }

        /// <summary>Thread id as written by the source; empty when there is none.</summary>
        public string Thread { get; }

        /// <summary>The message, with embedded line breaks restored.</summary>
        public string Message { get; }

        /// <summary>What the record means, from <see cref="EvidenceCatalog"/>; <see cref="EvidenceKind.None"/> when not recognised.</summary>
        public EvidenceKind Kind { get; internal set; }

        /// <summary>
        /// For failure records, the recognised reason (for example <see cref="EvidenceKind.WsusApi503"/>
        /// for a <c>Sync failed</c> line that quotes an HTTP 503); otherwise <see cref="EvidenceKind.None"/>.
        /// </summary>
        public EvidenceKind Cause { get; internal set; }

        /// <summary>Full path of the file the record came from, or the event channel for live events.</summary>
        public string File { get; }

        /// <summary>1-based line where the record starts (for live events, the position in the query result).</summary>
        public long Line { get; private set; }

        /// <summary>A partial read numbers lines from where it started; this adds the lines before that point once they are counted.</summary>
        internal void AddLines(long linesBefore) => Line += linesBefore;

        /// <summary>The record format.</summary>
        public LogFormat Format { get; }

        /// <summary>
        /// Format-specific extra fields: the CMTrace <c>context</c>/<c>file</c>/<c>type</c>, the WSUS
        /// <c>Level</c>/<c>Process</c>/<c>Method</c>/<c>EventId</c>/<c>Category</c>, every HTTPERR column by
        /// its <c>#Fields:</c> name, and an event's <c>EventId</c>, <c>Channel</c>, <c>Computer</c> and <c>Data</c> items
        /// (named by their Name, positional ones as <c>Data1</c>, <c>Data2</c>...). Keys compare case-insensitively.
        /// </summary>
        public IReadOnlyDictionary<string, string> Fields { get; }

        /// <summary>A field's value, or null.</summary>
        public string? GetField(string name) => Fields.TryGetValue(name, out var value) ? value : null;

        /// <inheritdoc />
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd HH:mm:ss.fff}Z {1} {2} {3}: {4}", TimeUtc, Severity, Component, Kind, Message);
    }

    /// <summary>
    /// A small read-only field map: keys are usually shared between all records of a file (the HTTPERR
    /// <c>#Fields:</c> line), so each record only allocates its values.
    /// </summary>
    public sealed class LogFields : IReadOnlyDictionary<string, string>
    {
        private readonly string[] _keys;
        private readonly string[] _values;
        private readonly int _count;

        /// <summary>The empty map.</summary>
        public static LogFields Empty { get; } = new LogFields(Array.Empty<string>(), Array.Empty<string>(), 0);

        internal LogFields(string[] keys, string[] values, int count)
        {
            _keys = keys;
            _values = values;
            _count = count;
        }

        /// <summary>
        /// The key arrays a parser shares between records: entry <c>n</c> lists the <paramref name="optional"/> names whose
        /// bit is set in <c>n</c> (bit <c>i</c> for <c>optional[i]</c>), in order, then <paramref name="always"/> when given.
        /// A record then allocates only its values.
        /// </summary>
        internal static string[][] KeysByPresence(string[] optional, string? always)
        {
            var byPresence = new string[1 << optional.Length][];
            for (var present = 0; present < byPresence.Length; present++)
            {
                var keys = new List<string>(optional.Length + 1);
                for (var field = 0; field < optional.Length; field++)
                {
                    if ((present & (1 << field)) != 0)
                    {
                        keys.Add(optional[field]);
                    }
                }

                if (always is not null)
                {
                    keys.Add(always);
                }

                byPresence[present] = keys.ToArray();
            }

            return byPresence;
        }

        /// <summary>Builds a map from key/value pairs; pairs with a null value are left out.</summary>
        public static LogFields Create(IEnumerable<KeyValuePair<string, string?>> pairs)
        {
            var keys = new List<string>();
            var values = new List<string>();
            foreach (var pair in pairs ?? throw new ArgumentNullException(nameof(pairs)))
            {
                if (pair.Value is null)
                {
                    continue;
                }

                var existing = -1;
                for (var i = 0; i < keys.Count; i++)
                {
                    if (string.Equals(keys[i], pair.Key, StringComparison.OrdinalIgnoreCase))
                    {
                        existing = i;
                        break;
                    }
                }

                if (existing >= 0)
                {
                    values[existing] = pair.Value;
                    continue;
                }

                keys.Add(pair.Key);
                values.Add(pair.Value);
            }

            return new LogFields(keys.ToArray(), values.ToArray(), keys.Count);
        }

        /// <inheritdoc />
        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        /// <inheritdoc />
        public IEnumerable<string> Keys
        {
            get
            {
                for (var i = 0; i < _count; i++)
                {
                    yield return _keys[i];
                }
            }
        }

        /// <inheritdoc />
        public IEnumerable<string> Values
        {
            get
            {
                for (var i = 0; i < _count; i++)
                {
                    yield return _values[i];
                }
            }
        }

        /// <inheritdoc />
        public int Count => _count;

        /// <summary>
        /// The fields as <c>name=value</c> pairs separated by "; ", so Export-Csv and string conversions show the
        /// values (Get-WsusSyncLog | Export-Csv wrote the type name in the Fields column).
        /// </summary>
        public override string ToString()
        {
            var text = new System.Text.StringBuilder();
            for (var i = 0; i < _count; i++)
            {
                text.Append(i == 0 ? string.Empty : "; ").Append(_keys[i]).Append('=').Append(_values[i]);
            }

            return text.ToString();
        }

        /// <inheritdoc />
        public bool ContainsKey(string key) => IndexOf(key) >= 0;

        /// <inheritdoc />
        public bool TryGetValue(string key, out string value)
        {
            var index = IndexOf(key);
            value = index >= 0 ? _values[index] : null!;
            return index >= 0;
        }

        /// <inheritdoc />
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            for (var i = 0; i < _count; i++)
            {
                yield return new KeyValuePair<string, string>(_keys[i], _values[i]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private int IndexOf(string key)
        {
            // Keys are usually the same interned literals the parsers use: try the cheap comparison first.
            for (var i = 0; i < _count; i++)
            {
                if (ReferenceEquals(_keys[i], key))
                {
                    return i;
                }
            }

            for (var i = 0; i < _count; i++)
            {
                if (string.Equals(_keys[i], key, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
