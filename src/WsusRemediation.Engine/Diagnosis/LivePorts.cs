using System;
using System.Collections.Generic;
using System.Threading;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>What the WSUS server says about itself: its synchronization settings and the content folder's access rules.</summary>
    public sealed class WsusServerFacts
    {
        /// <summary>Upstream, proxy and content folder (the proxy password is never read).</summary>
        public WsusServerConfiguration? Configuration { get; init; }

        /// <summary>The content folder's security descriptor (SDDL), when it could be read.</summary>
        public string? ContentFolderSddl { get; init; }

        /// <summary>Why a part could not be read.</summary>
        public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
    }

    /// <summary>The port to the WSUS server's own configuration (the WSUS API through Windows PowerShell on Windows).</summary>
    public interface IWsusServerInspector
    {
        /// <summary>Reads the settings and the content folder's rules. Throws WsusRemediationException when WSUS cannot be asked at all.</summary>
        WsusServerFacts Read(CancellationToken cancellationToken);
    }

    /// <summary>The port to HKLM values (strings and DWORDs), 64-bit view.</summary>
    public interface IRegistryValues
    {
        /// <summary>A string or DWORD (as long) value, or null when absent.</summary>
        object? Read(string subKey, string valueName);
    }

    /// <summary>
    /// The port for the live network checks. Implementations use short time-outs, send no credentials
    /// and nothing beyond a TCP handshake (and, through a proxy, one CONNECT request without any
    /// Proxy-Authorization header).
    /// </summary>
    public interface INetworkProbe
    {
        /// <summary>Resolves a name exactly as given.</summary>
        NetworkProbeResult Resolve(string host, TimeSpan timeout, CancellationToken cancellationToken);

        /// <summary>Opens (and closes) a TCP connection to host:port.</summary>
        NetworkProbeResult Connect(string host, int port, TimeSpan timeout, CancellationToken cancellationToken);

        /// <summary>Asks the proxy to CONNECT to host:port, without credentials, and reads its status line.</summary>
        NetworkProbeResult ConnectThroughProxy(string proxyHost, int proxyPort, string host, int port, TimeSpan timeout, CancellationToken cancellationToken);
    }
}
