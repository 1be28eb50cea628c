using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>A service's state and start type at collection time.</summary>
    public sealed class ServiceSnapshot
    {
        /// <summary>The key name (BITS, SMS_EXECUTIVE...).</summary>
        public string Name { get; init; } = string.Empty;

        /// <summary>The display name.</summary>
        public string DisplayName { get; init; } = string.Empty;

        /// <summary>False when the service is not installed on the computer.</summary>
        public bool Present { get; init; } = true;

        /// <summary>The run state.</summary>
        public ServiceState State { get; init; }

        /// <summary>The start type, when known.</summary>
        public ServiceStartType? StartType { get; init; }

        /// <inheritdoc />
        public override string ToString() => Present ? $"{Name}: {State}, {StartType?.ToString() ?? "start type unknown"}" : $"{Name}: not installed";
    }

    /// <summary>
    /// What WSUS is configured with for synchronization (IUpdateServerConfiguration and the Setup
    /// registry key). The proxy password is never part of it.
    /// </summary>
    public sealed class WsusServerConfiguration
    {
        /// <summary>True when WSUS synchronizes from Microsoft Update, false for an upstream WSUS server.</summary>
        public bool? SyncFromMicrosoftUpdate { get; init; }

        /// <summary>The upstream WSUS server, exactly as configured.</summary>
        public string? UpstreamServerName { get; init; }

        /// <summary>The upstream server's port.</summary>
        public int? UpstreamServerPort { get; init; }

        /// <summary>Whether the upstream server is reached over HTTPS.</summary>
        public bool? UpstreamServerUseSsl { get; init; }

        /// <summary>Whether WSUS goes through a proxy.</summary>
        public bool? UseProxy { get; init; }

        /// <summary>The proxy, exactly as configured.</summary>
        public string? ProxyName { get; init; }

        /// <summary>The proxy's port.</summary>
        public int? ProxyServerPort { get; init; }

        /// <summary>The proxy account's user name (not a secret; its password is never read).</summary>
        public string? ProxyUserName { get; init; }

        /// <summary>The proxy account's domain.</summary>
        public string? ProxyUserDomain { get; init; }

        /// <summary>True when the proxy is used without credentials.</summary>
        public bool? AnonymousProxyAccess { get; init; }

        /// <summary>The content folder (the Setup key's ContentDir).</summary>
        public string? ContentDirectory { get; init; }
    }

    /// <summary>What a live network check found.</summary>
    public enum NetworkProbeOutcome
    {
        /// <summary>The name resolved, or the connection was made.</summary>
        Succeeded = 0,
        /// <summary>The name does not resolve.</summary>
        NameNotResolved,
        /// <summary>No answer within the time-out (a firewall dropping packets).</summary>
        TimedOut,
        /// <summary>The connection was refused.</summary>
        Refused,
        /// <summary>The proxy answered 407: it wants credentials (none are ever sent by the check).</summary>
        ProxyAuthenticationRequired,
        /// <summary>The proxy refused to connect to the target (another HTTP status).</summary>
        ProxyRefused,
        /// <summary>Another failure (see the detail).</summary>
        Failed,
    }

    /// <summary>One live network check: a name resolution or a TCP connection, direct or through the proxy.</summary>
    public sealed class NetworkProbeResult
    {
        /// <summary>What was checked: <c>NameResolution</c>, <c>TcpConnect</c> or <c>ProxyConnect</c>.</summary>
        public string Step { get; init; } = string.Empty;

        /// <summary>The host, exactly as WSUS is configured with it.</summary>
        public string Target { get; init; } = string.Empty;

        /// <summary>The port.</summary>
        public int Port { get; init; }

        /// <summary>The proxy the connection went through (<c>host:port</c>), or empty for a direct one.</summary>
        public string Proxy { get; init; } = string.Empty;

        /// <summary>The result.</summary>
        public NetworkProbeOutcome Outcome { get; init; }

        /// <summary>The error or answer, in words.</summary>
        public string Detail { get; init; } = string.Empty;

        /// <summary>When it ran, UTC.</summary>
        public DateTime TimeUtc { get; init; }

        /// <inheritdoc />
        public override string ToString() =>
            $"{Step} {Target}{(Port > 0 ? ":" + Port : string.Empty)}{(Proxy.Length > 0 ? " via " + Proxy : string.Empty)}: {Outcome}{(Detail.Length > 0 ? " (" + Detail + ")" : string.Empty)}";
    }

    /// <summary>The server state the module collects live (and writes into a bundle) besides files.</summary>
    public sealed class ServerState
    {
        /// <summary>The computer.</summary>
        public string? ComputerName { get; init; }

        /// <summary>When it was collected, UTC.</summary>
        public DateTime? CollectedAtUtc { get; init; }

        /// <summary>WSUS's synchronization settings.</summary>
        public WsusServerConfiguration? Wsus { get; init; }

        /// <summary>The pool that serves WSUS.</summary>
        public string? PoolName { get; init; }

        /// <summary>Its state (Started, Stopped...), read from IIS.</summary>
        public string? PoolState { get; init; }

        /// <summary>How many software updates MECM has (All Software Updates).</summary>
        public int? ConfigMgrUpdateCount { get; init; }

        /// <summary>The live network checks.</summary>
        public IReadOnlyList<NetworkProbeResult> NetworkProbes { get; init; } = Array.Empty<NetworkProbeResult>();
    }
}
