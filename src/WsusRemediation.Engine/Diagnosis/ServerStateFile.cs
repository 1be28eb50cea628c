using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// Writes and reads the module's server-state file: INI sections ([Server], [WsusConfiguration],
    /// [ApplicationPool], [ConfigMgr], one [NetworkProbe] per check), so that a bundle read offline
    /// gives the same facts as the live server did. No secret has a key here.
    /// </summary>
    public static class ServerStateFile
    {
        /// <summary>The file's text.</summary>
        public static string Write(ServerState state)
        {
            if (state is null)
            {
                throw new ArgumentNullException(nameof(state));
            }

            var text = new StringBuilder();
            text.Append(EvidenceRecognizer.ServerStateHeader).Append(" (written by Export-WsusSyncEvidence; no secret is ever written here)\r\n");
            Section(text, "Server", ("ComputerName", state.ComputerName), ("CollectedAtUtc", Time(state.CollectedAtUtc)));
            if (state.Wsus is { } wsus)
            {
                Section(
                    text,
                    "WsusConfiguration",
                    ("SyncFromMicrosoftUpdate", Bool(wsus.SyncFromMicrosoftUpdate)),
                    ("UpstreamServerName", wsus.UpstreamServerName),
                    ("UpstreamServerPort", Int(wsus.UpstreamServerPort)),
                    ("UpstreamServerUseSsl", Bool(wsus.UpstreamServerUseSsl)),
                    ("UseProxy", Bool(wsus.UseProxy)),
                    ("ProxyName", wsus.ProxyName),
                    ("ProxyServerPort", Int(wsus.ProxyServerPort)),
                    ("ProxyUserName", wsus.ProxyUserName),
                    ("ProxyUserDomain", wsus.ProxyUserDomain),
                    ("AnonymousProxyAccess", Bool(wsus.AnonymousProxyAccess)),
                    ("ContentDirectory", wsus.ContentDirectory));
            }

            if (state.PoolName is not null || state.PoolState is not null)
            {
                Section(text, "ApplicationPool", ("Name", state.PoolName), ("State", state.PoolState));
            }

            if (state.ConfigMgrUpdateCount is not null)
            {
                Section(text, "ConfigMgr", ("UpdateCount", Int(state.ConfigMgrUpdateCount)));
            }

            foreach (var probe in state.NetworkProbes)
            {
                Section(
                    text,
                    "NetworkProbe",
                    ("Step", probe.Step),
                    ("Target", probe.Target),
                    ("Port", probe.Port.ToString(CultureInfo.InvariantCulture)),
                    ("Proxy", probe.Proxy),
                    ("Outcome", probe.Outcome.ToString()),
                    ("Detail", probe.Detail),
                    ("TimeUtc", Time(probe.TimeUtc)));
            }

            return text.ToString();
        }

        /// <summary>Reads the file's text; unknown sections and keys are ignored.</summary>
        public static ServerState Parse(string text)
        {
            var sections = new List<(string Name, Dictionary<string, string> Values)>();
            foreach (var raw in (text ?? throw new ArgumentNullException(nameof(text))).Split('\n'))
            {
                var line = raw.Trim().TrimStart('\uFEFF');
                if (line.Length == 0 || line[0] == ';' || line[0] == '#')
                {
                    continue;
                }

                if (line[0] == '[' && line[line.Length - 1] == ']')
                {
                    sections.Add((line.Substring(1, line.Length - 2).Trim(), new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)));
                    continue;
                }

                var equals = line.IndexOf('=');
                if (equals > 0 && sections.Count > 0)
                {
                    sections[sections.Count - 1].Values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
                }
            }

            Dictionary<string, string>? One(string name) =>
                sections.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).Select(s => s.Values).FirstOrDefault();

            var server = One("Server");
            var wsus = One("WsusConfiguration");
            var pool = One("ApplicationPool");
            var configMgr = One("ConfigMgr");
            return new ServerState
            {
                ComputerName = Get(server, "ComputerName"),
                CollectedAtUtc = ParseTime(Get(server, "CollectedAtUtc")),
                Wsus = wsus is null ? null : new WsusServerConfiguration
                {
                    SyncFromMicrosoftUpdate = ParseBool(Get(wsus, "SyncFromMicrosoftUpdate")),
                    UpstreamServerName = Get(wsus, "UpstreamServerName"),
                    UpstreamServerPort = ParseInt(Get(wsus, "UpstreamServerPort")),
                    UpstreamServerUseSsl = ParseBool(Get(wsus, "UpstreamServerUseSsl")),
                    UseProxy = ParseBool(Get(wsus, "UseProxy")),
                    ProxyName = Get(wsus, "ProxyName"),
                    ProxyServerPort = ParseInt(Get(wsus, "ProxyServerPort")),
                    ProxyUserName = Get(wsus, "ProxyUserName"),
                    ProxyUserDomain = Get(wsus, "ProxyUserDomain"),
                    AnonymousProxyAccess = ParseBool(Get(wsus, "AnonymousProxyAccess")),
                    ContentDirectory = Get(wsus, "ContentDirectory"),
                },
                PoolName = Get(pool, "Name"),
                PoolState = Get(pool, "State"),
                ConfigMgrUpdateCount = ParseInt(Get(configMgr, "UpdateCount")),
                NetworkProbes = sections.Where(s => string.Equals(s.Name, "NetworkProbe", StringComparison.OrdinalIgnoreCase)).Select(s => new NetworkProbeResult
                {
                    Step = Get(s.Values, "Step") ?? string.Empty,
                    Target = Get(s.Values, "Target") ?? string.Empty,
                    Port = ParseInt(Get(s.Values, "Port")) ?? 0,
                    Proxy = Get(s.Values, "Proxy") ?? string.Empty,
                    Outcome = Enum.TryParse(Get(s.Values, "Outcome"), true, out NetworkProbeOutcome outcome) ? outcome : NetworkProbeOutcome.Failed,
                    Detail = Get(s.Values, "Detail") ?? string.Empty,
                    TimeUtc = ParseTime(Get(s.Values, "TimeUtc")) ?? default,
                }).ToList(),
            };
        }

        /// <summary>
        /// Reads service states from CSV as <c>Get-Service | Select-Object Name, DisplayName, Status,
        /// StartType | Export-Csv</c> writes it (with or without the #TYPE line and quotes), separated by commas or,
        /// as <c>Export-Csv -UseCulture</c> writes it on a German or French server, by the culture's list separator (;);
        /// also Win32_Service's columns (Name, DisplayName, State, StartMode).
        /// </summary>
        public static IReadOnlyList<ServiceSnapshot> ParseServiceCsv(string text)
        {
            var rows = Csv(text ?? throw new ArgumentNullException(nameof(text)));
            if (rows.Count == 0)
            {
                return Array.Empty<ServiceSnapshot>();
            }

            var header = rows[0];
            int Column(string name) => header.FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            var nameAt = Column("Name");
            var displayAt = Column("DisplayName");
            // Win32_Service (Get-CimInstance/Get-WmiObject, what Windows PowerShell 4.0 on Server 2012 R2 has: its Get-Service
            // has no StartType) names them State ("Running", "Start Pending") and StartMode ("Auto", "Manual", "Disabled").
            var statusAt = Column("Status") >= 0 ? Column("Status") : Column("State");
            var startAt = Column("StartType") >= 0 ? Column("StartType") : Column("StartMode");
            var result = new List<ServiceSnapshot>();
            foreach (var row in rows.Skip(1))
            {
                string? Cell(int at) => at >= 0 && at < row.Count ? row[at].Trim() : null;
                var name = Cell(nameAt);
                if (string.IsNullOrEmpty(name))
                {
                    continue;
                }

                var status = Cell(statusAt);
                var present = !string.Equals(status, "NotPresent", StringComparison.OrdinalIgnoreCase);
                result.Add(new ServiceSnapshot
                {
                    Name = name!,
                    DisplayName = Cell(displayAt) ?? name!,
                    Present = present,
                    State = Enum.TryParse(status?.Replace(" ", string.Empty), true, out ServiceState state) ? state : ServiceState.Unknown,
                    StartType = ParseStartType(Cell(startAt)),
                });
            }

            return result;
        }

        /// <summary>Writes service states in the CSV shape <see cref="ParseServiceCsv"/> reads (Export-Csv's).</summary>
        public static string WriteServiceCsv(IEnumerable<ServiceSnapshot> services)
        {
            var text = new StringBuilder("\"Name\",\"DisplayName\",\"Status\",\"StartType\"\r\n");
            foreach (var service in services ?? throw new ArgumentNullException(nameof(services)))
            {
                text.Append(Quote(service.Name)).Append(',').Append(Quote(service.DisplayName)).Append(',')
                    .Append(Quote(service.Present ? service.State.ToString() : "NotPresent")).Append(',')
                    .Append(Quote(service.StartType?.ToString() ?? string.Empty)).Append("\r\n");
            }

            return text.ToString();
        }

        private static ServiceStartType? ParseStartType(string? text)
        {
            switch (text?.Trim().ToLowerInvariant())
            {
                case "automatic":
                case "auto":
                case "2":
                    return ServiceStartType.Automatic;
                case "manual":
                case "demand":
                case "3":
                    return ServiceStartType.Manual;
                case "disabled":
                case "4":
                    return ServiceStartType.Disabled;
                case "boot":
                case "0":
                    return ServiceStartType.Boot;
                case "system":
                case "1":
                    return ServiceStartType.System;
                default:
                    return null;
            }
        }

        /// <summary>
        /// The separator of a CSV header line: a comma (Export-Csv's default), or the semicolon or tab that
        /// <c>-UseCulture</c> and <c>-Delimiter</c> give, whichever splits the header into columns.
        /// </summary>
        internal static char Delimiter(string headerLine)
        {
            foreach (var candidate in new[] { ',', ';', '\t' })
            {
                if (headerLine.IndexOf(candidate) >= 0)
                {
                    return candidate;
                }
            }

            return ',';
        }

        private static List<List<string>> Csv(string text)
        {
            var rows = new List<List<string>>();
            char? delimiter = null;
            foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
            {
                var line = raw.TrimStart('\uFEFF');
                if (line.Trim().Length == 0 || line.StartsWith("#TYPE", StringComparison.Ordinal))
                {
                    continue;
                }

                delimiter ??= Delimiter(line);

                var cells = new List<string>();
                var cell = new StringBuilder();
                var quoted = false;
                for (var i = 0; i < line.Length; i++)
                {
                    var c = line[i];
                    if (quoted)
                    {
                        if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                        {
                            cell.Append('"');
                            i++;
                        }
                        else if (c == '"')
                        {
                            quoted = false;
                        }
                        else
                        {
                            cell.Append(c);
                        }
                    }
                    else if (c == '"')
                    {
                        quoted = true;
                    }
                    else if (c == delimiter)
                    {
                        cells.Add(cell.ToString());
                        cell.Clear();
                    }
                    else
                    {
                        cell.Append(c);
                    }
                }

                cells.Add(cell.ToString());
                rows.Add(cells);
            }

            return rows;
        }

        private static string Quote(string value) => "\"" + (value ?? string.Empty).Replace("\"", "\"\"") + "\"";

        private static void Section(StringBuilder text, string name, params (string Key, string? Value)[] values)
        {
            text.Append("\r\n[").Append(name).Append("]\r\n");
            foreach (var (key, value) in values)
            {
                if (value is not null)
                {
                    // One value per line: a line break inside a value would start a new key.
                    text.Append(key).Append(" = ").Append(value.Replace("\r", " ").Replace("\n", " ")).Append("\r\n");
                }
            }
        }

        private static string? Get(Dictionary<string, string>? values, string key) =>
            values is not null && values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        private static string? Bool(bool? value) => value is null ? null : value.Value ? "True" : "False";

        private static string? Int(int? value) => value?.ToString(CultureInfo.InvariantCulture);

        private static string? Time(DateTime? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        private static bool? ParseBool(string? text) => bool.TryParse(text, out var value) ? value : null;

        private static int? ParseInt(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

        private static DateTime? ParseTime(string? text) =>
            DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value) ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : null;
    }
}
