using System;
using System.IO;
using WsusRemediation.Engine.Logs;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// Recognises an evidence file from its first characters, whatever it is called and wherever it
    /// sits: admins rename files and folders when they collect them by hand.
    /// </summary>
    public static class EvidenceRecognizer
    {
        /// <summary>The first line of the module's own server-state file.</summary>
        public const string ServerStateHeader = "; WsusRemediation server state";

        /// <summary>The file name of an Export-WsusSyncEvidence manifest.</summary>
        public const string ManifestName = "manifest.json";

        private const int SniffChars = 16 * 1024;

        /// <summary>Reads the start of a file and recognises it; unreadable files are Unknown.</summary>
        public static EvidenceFileKind Recognize(string path)
        {
            string head;
            try
            {
                using var reader = LogFileOpener.OpenText(path, out _, out _);
                var buffer = new char[SniffChars];
                var read = reader.ReadBlock(buffer, 0, buffer.Length);
                head = new string(buffer, 0, read);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return EvidenceFileKind.Unknown;
            }

            return Recognize(head, System.IO.Path.GetFileName(path));
        }

        /// <summary>Recognises a file from the start of its text; the name only breaks ties between log formats.</summary>
        public static EvidenceFileKind Recognize(string head, string? fileName)
        {
            head ??= string.Empty;
            var trimmed = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (trimmed.StartsWith(ServerStateHeader, StringComparison.Ordinal))
            {
                return EvidenceFileKind.ServerState;
            }

            if (trimmed.StartsWith("{", StringComparison.Ordinal) && trimmed.IndexOf("\"WsusRemediation.EvidenceBundle/", StringComparison.Ordinal) >= 0)
            {
                return EvidenceFileKind.Manifest;
            }

            if (trimmed.StartsWith("Windows Registry Editor Version 5.00", StringComparison.Ordinal) || trimmed.StartsWith("REGEDIT4", StringComparison.Ordinal))
            {
                return EvidenceFileKind.RegistryExport;
            }

            if (IsApplicationHostConfig(trimmed))
            {
                return EvidenceFileKind.ApplicationHostConfig;
            }

            if (IsServiceCsv(trimmed))
            {
                return EvidenceFileKind.ServiceStates;
            }

            if (IsIcaclsSave(trimmed))
            {
                return EvidenceFileKind.AccessControlList;
            }

            switch (EvidenceReader.DetectFormat(head, fileName))
            {
                case LogFormat.CMTrace:
                case LogFormat.SmsSimple:
                    return EvidenceFileKind.MecmLog;
                case LogFormat.SoftwareDistribution:
                    return EvidenceFileKind.SoftwareDistributionLog;
                case LogFormat.HttpErr:
                    return EvidenceFileKind.HttpErrLog;
                case LogFormat.EventXml:
                    // DetectFormat falls back on the .xml extension; a config file or other XML is no event file.
                    return head.IndexOf("<Event", StringComparison.Ordinal) >= 0 ? EvidenceFileKind.EventXml : EvidenceFileKind.Unknown;
                default:
                    return EvidenceFileKind.Unknown;
            }
        }

        /// <summary>
        /// For a file that is not evidence but holds, in a shape that is not read, what the rules need: what it is and what
        /// to bring instead. Null for any other file. A saved event log (.evtx) and an event list exported as CSV
        /// (<c>Get-WinEvent | Export-Csv</c>, Event Viewer's "Save as CSV") carry the WAS and SCM events without their
        /// data; an IIS request log (u_ex*.log) is not HTTP.sys' error log.
        /// </summary>
        public static string? NotReadAdvice(string path, string display)
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            var name = System.IO.Path.GetFileNameWithoutExtension(path);
            if (path.EndsWith(".evtx", StringComparison.OrdinalIgnoreCase))
            {
                return $"{display} is a saved event log (.evtx), which is not read: export it as event XML and add that file (wevtutil qe \"{path}\" /lf:true /f:xml /e:Events > {name}.xml).";
            }

            string head;
            try
            {
                using var reader = LogFileOpener.OpenText(path, out _, out _);
                var buffer = new char[SniffChars];
                head = new string(buffer, 0, reader.ReadBlock(buffer, 0, buffer.Length));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }

            if (EvidenceReader.IsIisRequestLog(head))
            {
                return $"{display} is an IIS request log, which is not read: the requests HTTP.sys turned away before the WSUS pool saw them (503 AppOffline, QueueFull) are in its error log; add %SystemRoot%\\System32\\LogFiles\\HTTPERR\\httperr*.log.";
            }

            // wevtutil qe <log> /f:text writes "Event[0]:" then indented "Log Name:", "Source:", "Event ID:" lines.
            var text = head.TrimStart('\uFEFF', ' ', '\r', '\n');
            var asText = text.StartsWith("Event[0]:", StringComparison.Ordinal) && text.IndexOf("Event ID:", StringComparison.Ordinal) > 0;
            return IsEventCsv(head) || asText
                ? $"{display} is an event list exported as {(asText ? "text" : "CSV")}, which is not read (it lacks the events' data): export event XML instead and add that file (Get-WinEvent -LogName System | ForEach-Object {{ $_.ToXml() }} | Set-Content {name}.xml, or wevtutil qe System /f:xml /e:Events > {name}.xml)."
                : null;
        }

        // Get-WinEvent | Export-Csv (EventLogRecord's properties) or Event Viewer's "Save All Events As" CSV (English headers).
        private static bool IsEventCsv(string text)
        {
            var line = FirstLine(text.TrimStart('\uFEFF'));
            if (line.StartsWith("#TYPE", StringComparison.Ordinal))
            {
                var next = text.IndexOf('\n');
                line = next >= 0 ? FirstLine(text.Substring(next + 1)) : string.Empty;
            }

            var header = line.Replace("\"", string.Empty);
            var columns = Array.ConvertAll(header.Split(ServerStateFile.Delimiter(header)), c => c.Trim());
            bool Has(string column) => Array.Exists(columns, c => c.Equals(column, StringComparison.OrdinalIgnoreCase));
            return (Has("TimeCreated") && Has("ProviderName") && Has("Id")) || (Has("Date and Time") && Has("Source") && Has("Event ID"));
        }

        private static bool IsApplicationHostConfig(string text) =>
            text.IndexOf("<configuration", StringComparison.Ordinal) >= 0
            && (text.IndexOf("<system.applicationHost", StringComparison.Ordinal) >= 0 || text.IndexOf("<applicationPools", StringComparison.Ordinal) >= 0);

        private static bool IsServiceCsv(string text)
        {
            var line = FirstLine(text);
            if (line.StartsWith("#TYPE", StringComparison.Ordinal))
            {
                var next = text.IndexOf('\n');
                line = next >= 0 ? FirstLine(text.Substring(next + 1)) : string.Empty;
            }

            var header = line.Replace("\"", string.Empty);
            var columns = header.Split(ServerStateFile.Delimiter(header));
            bool Has(string column) => Array.Exists(columns, c => c.Trim().Equals(column, StringComparison.OrdinalIgnoreCase));

            // Get-Service's Status/StartType, or Win32_Service's State/StartMode.
            return Has("Name") && ((Has("Status") && Has("StartType")) || (Has("State") && Has("StartMode")));
        }

        // icacls <folder> /save <file>: the object's name on one line, its SDDL ("D:..." or "O:...") on the next.
        private static bool IsIcaclsSave(string text)
        {
            var lines = text.Split(new[] { '\n' }, 3);
            if (lines.Length < 2)
            {
                return false;
            }

            var sddl = lines[1].Trim();
            return lines[0].Trim().Length > 0 && (sddl.StartsWith("D:", StringComparison.Ordinal) || sddl.StartsWith("O:", StringComparison.Ordinal)) && sddl.IndexOf('(') > 0;
        }

        private static string FirstLine(string text)
        {
            var end = text.IndexOfAny(new[] { '\r', '\n' });
            return end >= 0 ? text.Substring(0, end) : text;
        }
    }
}
