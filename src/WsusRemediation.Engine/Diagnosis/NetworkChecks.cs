using System;
using System.Collections.Generic;
using System.Threading;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>One network check to run.</summary>
    public sealed class NetworkCheck
    {
        /// <summary><c>NameResolution</c>, <c>TcpConnect</c> or <c>ProxyConnect</c>.</summary>
        public string Step { get; init; } = string.Empty;

        /// <summary>The host, exactly as WSUS is configured with it.</summary>
        public string Target { get; init; } = string.Empty;

        /// <summary>The port (0 for a name resolution).</summary>
        public int Port { get; init; }

        /// <summary>The proxy host for ProxyConnect.</summary>
        public string? ProxyHost { get; init; }

        /// <summary>The proxy port for ProxyConnect.</summary>
        public int ProxyPort { get; init; }

        /// <inheritdoc />
        public override string ToString() => $"{Step} {Target}{(Port > 0 ? ":" + Port : string.Empty)}{(ProxyHost is null ? string.Empty : $" via {ProxyHost}:{ProxyPort}")}";
    }

    /// <summary>
    /// Which network checks a WSUS configuration calls for, and running them. The names are used
    /// exactly as WSUS is configured with them (the TechNet page: test with the same name form).
    /// </summary>
    public static class NetworkChecks
    {
        /// <summary>The Microsoft Update endpoint WSUS synchronizes from (SA wsus-synchronization-fails-with-soapexception).</summary>
        public const string MicrosoftUpdateHost = "sws.update.microsoft.com";

        /// <summary>Each check's time-out.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

        /// <summary>The checks for a configuration: through the proxy when WSUS uses one, else direct.</summary>
        public static IReadOnlyList<NetworkCheck> Plan(WsusServerConfiguration configuration)
        {
            if (configuration is null)
            {
                throw new ArgumentNullException(nameof(configuration));
            }

            string target;
            int port;
            if (configuration.SyncFromMicrosoftUpdate == false && !string.IsNullOrWhiteSpace(configuration.UpstreamServerName))
            {
                target = configuration.UpstreamServerName!.Trim();
                port = configuration.UpstreamServerPort ?? (configuration.UpstreamServerUseSsl == true ? 8531 : 8530);
            }
            else
            {
                target = MicrosoftUpdateHost;
                port = 443;
            }

            var checks = new List<NetworkCheck>();
            if (configuration.UseProxy == true && !string.IsNullOrWhiteSpace(configuration.ProxyName))
            {
                var proxy = configuration.ProxyName!.Trim();
                var proxyPort = configuration.ProxyServerPort ?? 80;
                checks.Add(new NetworkCheck { Step = "NameResolution", Target = proxy });
                checks.Add(new NetworkCheck { Step = "TcpConnect", Target = proxy, Port = proxyPort });
                checks.Add(new NetworkCheck { Step = "ProxyConnect", Target = target, Port = port, ProxyHost = proxy, ProxyPort = proxyPort });
            }
            else
            {
                checks.Add(new NetworkCheck { Step = "NameResolution", Target = target });
                checks.Add(new NetworkCheck { Step = "TcpConnect", Target = target, Port = port });
            }

            return checks;
        }

        /// <summary>Runs the checks in order; a failed name resolution skips the connections that need that name.</summary>
        public static IReadOnlyList<NetworkProbeResult> Run(IReadOnlyList<NetworkCheck> checks, INetworkProbe probe, TimeSpan timeout, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            if (checks is null || probe is null)
            {
                throw new ArgumentNullException(checks is null ? nameof(checks) : nameof(probe));
            }

            var results = new List<NetworkProbeResult>();
            var unresolved = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var check in checks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var host = check.Step == "ProxyConnect" ? check.ProxyHost! : check.Target;
                if (check.Step != "NameResolution" && unresolved.Contains(host))
                {
                    continue;
                }

                var result = check.Step switch
                {
                    "NameResolution" => probe.Resolve(check.Target, timeout, cancellationToken),
                    "TcpConnect" => probe.Connect(check.Target, check.Port, timeout, cancellationToken),
                    _ => probe.ConnectThroughProxy(check.ProxyHost!, check.ProxyPort, check.Target, check.Port, timeout, cancellationToken),
                };
                if (check.Step == "NameResolution" && result.Outcome == NetworkProbeOutcome.NameNotResolved)
                {
                    unresolved.Add(check.Target);
                }

                verbose?.Invoke("Network check: " + result);
                results.Add(result);
            }

            return results;
        }
    }
}
