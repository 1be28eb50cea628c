using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>The severity of a CMTrace record (its <c>type</c> attribute).</summary>
    public enum CmTraceSeverity
    {
        /// <summary>type="1".</summary>
        Information = 1,
        /// <summary>type="2" (CMTrace shows it yellow).</summary>
        Warning = 2,
        /// <summary>type="3" (CMTrace shows it red).</summary>
        Error = 3,
    }

    /// <summary>
    /// Appends records to a log in MECM's own CMTrace format, so that CMTrace/OneTrace show the repair
    /// next to wsyncmgr.log and Get-WsusSyncLog reads it back. Like MECM's logs it is size-capped: when
    /// a record would pass <see cref="MaxBytes"/>, the file is renamed to <c>.lo_</c> (replacing the
    /// older one) and a new one begins.
    /// </summary>
    public sealed class CmTraceLog
    {
        /// <summary>The component name the records carry.</summary>
        public const string DefaultComponent = "WsusRemediation";

        private static readonly Encoding Utf8NoBom = new UTF8Encoding(false);
        private readonly IClock _clock;
        private readonly TimeZoneInfo _timeZone;
        private readonly object _gate = new object();

        /// <summary>Creates a log at <paramref name="path"/>.</summary>
        public CmTraceLog(string path, IClock clock, TimeZoneInfo? timeZone = null, long maxBytes = 2 * 1024 * 1024)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentException("A log path is needed.", nameof(path));
            }

            if (maxBytes < 1024)
            {
                throw new ArgumentOutOfRangeException(nameof(maxBytes), "The cap must be at least 1 KB.");
            }

            Path = path;
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _timeZone = timeZone ?? TimeZoneInfo.Local;
            MaxBytes = maxBytes;
        }

        /// <summary>
        /// <c>%ProgramData%\WsusRemediation\Logs\WsusRemediation.log</c> (on other systems the same under the
        /// common application data folder).
        /// </summary>
        public static string DefaultPath =>
            System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "WsusRemediation", "Logs", "WsusRemediation.log");

        /// <summary>The log file.</summary>
        public string Path { get; }

        /// <summary>The rollover file (<c>.lo_</c>).</summary>
        public string RolloverPath => System.IO.Path.ChangeExtension(Path, ".lo_");

        /// <summary>The size at which the log rolls over.</summary>
        public long MaxBytes { get; }

        /// <summary>The component name written on each record.</summary>
        public string Component { get; init; } = DefaultComponent;

        /// <summary>
        /// Appends one record. A log that cannot be written must not stop a repair: the failure is
        /// returned (null when written) for the caller to report as a warning.
        /// </summary>
        public string? Write(string message, CmTraceSeverity severity = CmTraceSeverity.Information)
        {
            var record = Utf8NoBom.GetBytes(Format(message ?? string.Empty, severity, _clock.UtcNow, _timeZone, Component, Thread.CurrentThread.ManagedThreadId));
            lock (_gate)
            {
                try
                {
                    var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
                    if (!string.IsNullOrEmpty(folder))
                    {
                        Directory.CreateDirectory(folder);
                    }

                    var info = new FileInfo(Path);
                    if (info.Exists && info.Length > 0 && info.Length + record.Length > MaxBytes)
                    {
                        if (File.Exists(RolloverPath))
                        {
                            File.Delete(RolloverPath);
                        }

                        File.Move(Path, RolloverPath);
                    }

                    // Shared, so that CMTrace can follow the file while it is written.
                    using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                    stream.Write(record, 0, record.Length);
                    return null;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
                {
                    return $"The log '{Path}' could not be written: {ex.Message}";
                }
            }
        }

        /// <summary>
        /// One CMTrace record: <c>&lt;![LOG[message]LOG]!&gt;&lt;time="HH:mm:ss.fff+BIAS" date="MM-dd-yyyy" component="…" context="" type="1" thread="N" file=""&gt;</c>
        /// and a line break. Local time with MECM's bias (UTC = local + bias minutes).
        /// </summary>
        public static string Format(string message, CmTraceSeverity severity, DateTimeOffset utcNow, TimeZoneInfo timeZone, string component, int thread)
        {
            if (timeZone is null)
            {
                throw new ArgumentNullException(nameof(timeZone));
            }

            var local = TimeZoneInfo.ConvertTime(utcNow, timeZone);
            var bias = -(int)Math.Round(local.Offset.TotalMinutes);

            // The record's end marker inside a message would end the record early for every reader.
            var text = (message ?? string.Empty).Replace("]LOG]!>", "]LOG]>");
            return "<![LOG[" + text + "]LOG]!><time=\"" +
                local.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) +
                (bias < 0 ? "-" : "+") + Math.Abs(bias).ToString("000", CultureInfo.InvariantCulture) +
                "\" date=\"" + local.ToString("MM-dd-yyyy", CultureInfo.InvariantCulture) +
                "\" component=\"" + component + "\" context=\"\" type=\"" + ((int)severity).ToString(CultureInfo.InvariantCulture) +
                "\" thread=\"" + thread.ToString(CultureInfo.InvariantCulture) + "\" file=\"\">\r\n";
        }
    }
}
