using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>Wires the live evidence collector to the real adapters.</summary>
    public static class LiveEvidence
    {
        /// <summary>
        /// The ports for a server: this one (everything), or another one (its services, pool and MECM
        /// through their remote protocols, its files through the admin share; its event log and WSUS API only
        /// when run on it). Off Windows: LiveAccessRequiresWindows naming <paramref name="offlineParameter"/>.
        /// </summary>
        /// <para>
        /// Another server's WSUS settings are read through the WSUS API at <paramref name="wsusPort"/> (default
        /// 8530, or 8531 with <paramref name="useSsl"/>), as Get-WsusSyncStatus reads its status; this computer's
        /// through its own default connection.
        /// </para>
        public static LiveEvidenceSources For(string? computerName, IClock clock, string offlineParameter, int? wsusPort = null, bool useSsl = false)
        {
            WindowsPlatform.RequireWindows("Collecting a live server's evidence", offlineParameter);
            var local = ServiceErrors.IsLocal(computerName);
            IReadOnlyList<LogLocation> locations;
            string configPath;
            if (local)
            {
                locations = DefaultLogLocations.Resolve(WindowsRegistry.ReadLocalMachineString, Environment.GetEnvironmentVariable);
                configPath = WindowsPlatform.ApplicationHostConfigPath;
            }
            else
            {
                // The default folders through the admin shares: another server's registry is not read here.
                var share = $@"\\{computerName}";
                locations = DefaultLogLocations.Resolve((_, _) => null, name => name switch
                {
                    "ProgramW6432" or "ProgramFiles" => share + @"\C$\Program Files",
                    "SystemRoot" or "windir" => share + @"\admin$",
                    _ => null,
                });
                configPath = share + @"\admin$\System32\inetsrv\config\applicationHost.config";
            }

            return new LiveEvidenceSources
            {
                Clock = clock,
                Services = new ServiceControlManagerAdapter(),
                Pools = new AppPoolControlAdapter(),
                Events = local ? new WindowsEventLog() : null,
                ConfigMgr = new ConfigMgrProviderAdapter(computerName),
                Wsus = local
                    ? new WsusServerInspector(WindowsPowerShellProcess.Instance)
                    : new WsusServerInspector(WindowsPowerShellProcess.Instance, computerName, WsusServerInspector.PortFor(wsusPort, useSsl), useSsl),
                Registry = local ? new RegistryValuesAdapter() : null,
                Network = local ? new NetworkProbe(clock) : null,
                LogLocations = locations,
                ApplicationHostConfigPath = configPath,
            };
        }
    }

    /// <summary>HKLM values through advapi32 (64-bit view).</summary>
    public sealed class RegistryValuesAdapter : IRegistryValues
    {
        /// <inheritdoc />
        public object? Read(string subKey, string valueName) => WindowsRegistry.ReadLocalMachineValue(subKey, valueName);
    }

    /// <summary>
    /// WSUS's synchronization settings (IUpdateServerConfiguration: upstream, proxy, never the proxy
    /// password) and the content folder's SDDL, read by a child Windows PowerShell because the WSUS API
    /// does not load in PowerShell 7. Prints one JSON document (contract WsusRemediation.WsusServer/1).
    /// </summary>
    public sealed class WsusServerInspector : IWsusServerInspector
    {
        /// <summary>The contract name the script prints.</summary>
        public const string ContractName = "WsusRemediation.WsusServer/1";

        private readonly IPowerShellScriptRunner _runner;
        private readonly string? _computerName;
        private readonly int _port;
        private readonly bool _useSsl;

        /// <summary>
        /// Creates the inspector over a script runner: for this computer (no name), or for another WSUS server
        /// reached through the WSUS API at <paramref name="port"/>, over HTTPS with <paramref name="useSsl"/>.
        /// </summary>
        public WsusServerInspector(IPowerShellScriptRunner runner, string? computerName = null, int port = 8530, bool useSsl = false)
        {
            _runner = runner ?? throw new ArgumentNullException(nameof(runner));
            _computerName = string.IsNullOrWhiteSpace(computerName) ? null : computerName;
            _port = port is > 0 and <= 65535 ? port : throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is 1 to 65535.");
            _useSsl = useSsl;
        }

        /// <summary>The WSUS web services' port: the one given, else WSUS's defaults (8530 for HTTP, 8531 for HTTPS).</summary>
        public static int PortFor(int? port, bool useSsl) => port ?? (useSsl ? 8531 : 8530);

        /// <summary>Where the settings are read: "this computer", or the WSUS API's address on the other server.</summary>
        public string Endpoint => _computerName is null
            ? "this computer's WSUS"
            : $"{(_useSsl ? "https" : "http")}://{_computerName}:{_port.ToString(CultureInfo.InvariantCulture)}";

        /// <inheritdoc />
        public WsusServerFacts Read(CancellationToken cancellationToken) => Parse(_runner.Run(ScriptText, TimeSpan.FromMinutes(1), cancellationToken));

        /// <summary>What the child runs: the target, then <see cref="Script"/>.</summary>
        internal string ScriptText =>
            "$ComputerName = " + WindowsPowerShellProcess.Quote(_computerName) + "\n"
            + "$UseSsl = " + (_useSsl ? "$true" : "$false") + "\n"
            + "$Port = " + _port.ToString(CultureInfo.InvariantCulture) + "\n"
            + Script;

        /// <summary>Reads the script's JSON document.</summary>
        public static WsusServerFacts Parse(string output)
        {
            Dictionary<string, object?> root;
            try
            {
                root = BridgeJson.Parse((output ?? string.Empty).Trim()) as Dictionary<string, object?> ?? throw new FormatException("not a JSON object");
            }
            catch (FormatException ex)
            {
                throw new WsusRemediationException("WsusConfigurationUnreadable", EngineErrorKind.InvalidData, "The WSUS configuration script printed no readable answer: " + ex.Message, null, ex);
            }

            if (!string.Equals(root.TryGetValue("contract", out var contract) ? contract as string : null, ContractName, StringComparison.Ordinal))
            {
                throw new WsusRemediationException("WsusConfigurationUnreadable", EngineErrorKind.InvalidData, "The WSUS configuration script printed another document.");
            }

            string? Text(Dictionary<string, object?> d, string key) => d.TryGetValue(key, out var v) && v is string s && s.Length > 0 ? s : null;
            bool? Bool(Dictionary<string, object?> d, string key) => d.TryGetValue(key, out var v) && v is bool b ? b : null;
            int? Int(Dictionary<string, object?> d, string key) => d.TryGetValue(key, out var v) && v is double n ? (int)n : null;

            var notes = root.TryGetValue("notes", out var list) && list is List<object?> items ? items.OfType<string>().ToList() : new List<string>();
            var contentDir = Text(root, "contentDir");
            WsusServerConfiguration? configuration = null;
            if (root.TryGetValue("configuration", out var c) && c is Dictionary<string, object?> config)
            {
                configuration = new WsusServerConfiguration
                {
                    SyncFromMicrosoftUpdate = Bool(config, "syncFromMicrosoftUpdate"),
                    UpstreamServerName = Text(config, "upstreamServerName"),
                    UpstreamServerPort = Int(config, "upstreamServerPort"),
                    UpstreamServerUseSsl = Bool(config, "upstreamServerUseSsl"),
                    UseProxy = Bool(config, "useProxy"),
                    ProxyName = Text(config, "proxyName"),
                    ProxyServerPort = Int(config, "proxyServerPort"),
                    ProxyUserName = Text(config, "proxyUserName"),
                    ProxyUserDomain = Text(config, "proxyUserDomain"),
                    AnonymousProxyAccess = Bool(config, "anonymousProxyAccess"),
                    ContentDirectory = contentDir,
                };
            }
            else if (contentDir is not null)
            {
                configuration = new WsusServerConfiguration { ContentDirectory = contentDir };
            }

            return new WsusServerFacts { Configuration = configuration, ContentFolderSddl = Text(root, "sddl"), Notes = notes };
        }

        /// <summary>The script. It names each setting it reads: no property holding a password is ever touched.</summary>
        internal const string Script = @"
$ErrorActionPreference = 'Stop'
$doc = [ordered]@{ contract = 'WsusRemediation.WsusServer/1'; configuration = $null; contentDir = $null; sddl = $null; notes = @() }
try {
    $api = Join-Path $env:ProgramFiles 'Update Services\Api\Microsoft.UpdateServices.Administration.dll'
    if (Test-Path -LiteralPath $api) { [void][Reflection.Assembly]::LoadFrom($api) }
    else { [void][Reflection.Assembly]::Load('Microsoft.UpdateServices.Administration, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35') }
    # Another server through its web services, at the port and scheme its update point uses.
    $server = if ($ComputerName) { [Microsoft.UpdateServices.Administration.AdminProxy]::GetUpdateServer($ComputerName, $UseSsl, $Port) }
              else { [Microsoft.UpdateServices.Administration.AdminProxy]::GetUpdateServer() }
    $c = $server.GetConfiguration()
    $doc.configuration = [ordered]@{
        syncFromMicrosoftUpdate = [bool]$c.SyncFromMicrosoftUpdate; upstreamServerName = [string]$c.UpstreamWsusServerName
        upstreamServerPort = [int]$c.UpstreamWsusServerPortNumber; upstreamServerUseSsl = [bool]$c.UpstreamWsusServerUseSsl
        useProxy = [bool]$c.UseProxy; proxyName = [string]$c.ProxyName; proxyServerPort = [int]$c.ProxyServerPort
        proxyUserName = [string]$c.ProxyUserName; proxyUserDomain = [string]$c.ProxyUserDomain; anonymousProxyAccess = [bool]$c.AnonymousProxyAccess
    }
} catch {
    $where = if ($ComputerName) { ' (' + $(if ($UseSsl) { 'https' } else { 'http' }) + '://' + $ComputerName + ':' + $Port + ')' } else { '' }
    $doc.notes += 'WSUS API' + $where + ': ' + $_.Exception.Message
}
if ($ComputerName) { $doc.notes += 'Content folder: its access rules are read on the server itself; run the command there.' }
else { try {
    $setup = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Update Services\Server\Setup'
    $doc.contentDir = [string]$setup.ContentDir
    if ($doc.contentDir) { $doc.sddl = (Get-Acl -LiteralPath $doc.contentDir).Sddl }
} catch { $doc.notes += 'Content folder: ' + $_.Exception.Message } }
$doc | ConvertTo-Json -Compress -Depth 4
";
    }

    /// <summary>
    /// The network checks: DNS resolution, a TCP handshake, and through a proxy one CONNECT request
    /// without credentials. Every step has a time-out and honours the cancellation token.
    /// </summary>
    public sealed class NetworkProbe : INetworkProbe
    {
        private readonly IClock _clock;

        /// <summary>Creates the probe; <paramref name="clock"/> stamps each result.</summary>
        public NetworkProbe(IClock clock) => _clock = clock ?? throw new ArgumentNullException(nameof(clock));

        /// <inheritdoc />
        public NetworkProbeResult Resolve(string host, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var started = _clock.UtcNow.UtcDateTime;
            try
            {
                var lookup = Dns.GetHostAddressesAsync(host);
                if (!lookup.Wait((int)timeout.TotalMilliseconds, cancellationToken))
                {
                    return Result("NameResolution", host, 0, string.Empty, NetworkProbeOutcome.TimedOut, $"no answer within {timeout.TotalSeconds:0} s", started);
                }

                return Result("NameResolution", host, 0, string.Empty, NetworkProbeOutcome.Succeeded, string.Join(", ", lookup.Result.Select(a => a.ToString())), started);
            }
            catch (AggregateException ex) when (ex.InnerException is SocketException socket)
            {
                return Result("NameResolution", host, 0, string.Empty, socket.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain ? NetworkProbeOutcome.NameNotResolved : NetworkProbeOutcome.Failed, socket.Message, started);
            }
        }

        /// <inheritdoc />
        public NetworkProbeResult Connect(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var started = _clock.UtcNow.UtcDateTime;
            using var client = new TcpClient();
            var outcome = Open(client, host, port, timeout, cancellationToken, out var detail);
            return Result("TcpConnect", host, port, string.Empty, outcome, detail, started);
        }

        /// <inheritdoc />
        public NetworkProbeResult ConnectThroughProxy(string proxyHost, int proxyPort, string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var started = _clock.UtcNow.UtcDateTime;
            var proxy = proxyHost + ":" + proxyPort.ToString(CultureInfo.InvariantCulture);
            using var client = new TcpClient();
            var outcome = Open(client, proxyHost, proxyPort, timeout, cancellationToken, out var detail);
            if (outcome != NetworkProbeOutcome.Succeeded)
            {
                return Result("ProxyConnect", host, port, proxy, outcome, "the proxy: " + detail, started);
            }

            try
            {
                // No Proxy-Authorization header: the check never sends a credential anywhere.
                var request = Encoding.ASCII.GetBytes($"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n");
                var stream = client.GetStream();
                stream.WriteTimeout = (int)timeout.TotalMilliseconds;
                stream.ReadTimeout = (int)timeout.TotalMilliseconds;
                stream.Write(request, 0, request.Length);
                var buffer = new byte[256];
                var read = stream.Read(buffer, 0, buffer.Length);
                var status = Encoding.ASCII.GetString(buffer, 0, read).Split('\n')[0].Trim();
                var code = status.Split(' ').Skip(1).FirstOrDefault();
                var result = code switch
                {
                    "200" => NetworkProbeOutcome.Succeeded,
                    "407" => NetworkProbeOutcome.ProxyAuthenticationRequired,
                    _ => NetworkProbeOutcome.ProxyRefused,
                };
                return Result("ProxyConnect", host, port, proxy, result, status, started);
            }
            catch (IOException ex)
            {
                return Result("ProxyConnect", host, port, proxy, NetworkProbeOutcome.TimedOut, ex.Message, started);
            }
        }

        private static NetworkProbeOutcome Open(TcpClient client, string host, int port, TimeSpan timeout, CancellationToken cancellationToken, out string detail)
        {
            try
            {
                var connect = client.ConnectAsync(host, port);
                if (!connect.Wait((int)timeout.TotalMilliseconds, cancellationToken))
                {
                    detail = $"no answer within {timeout.TotalSeconds:0} s";
                    return NetworkProbeOutcome.TimedOut;
                }

                detail = "connected";
                return NetworkProbeOutcome.Succeeded;
            }
            catch (AggregateException ex) when (ex.InnerException is SocketException socket)
            {
                detail = socket.Message;
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => NetworkProbeOutcome.Refused,
                    SocketError.TimedOut => NetworkProbeOutcome.TimedOut,
                    SocketError.HostNotFound or SocketError.NoData => NetworkProbeOutcome.NameNotResolved,
                    _ => NetworkProbeOutcome.Failed,
                };
            }
        }

        private static NetworkProbeResult Result(string step, string host, int port, string proxy, NetworkProbeOutcome outcome, string detail, DateTime time) =>
            new NetworkProbeResult { Step = step, Target = host, Port = port, Proxy = proxy, Outcome = outcome, Detail = detail, TimeUtc = time };
    }
}
