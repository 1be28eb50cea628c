using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>
    /// Asks WSUS's web services whether they answer: the HTTP status of the client web service. A
    /// started WsusPool that answers 500 (Enable 32-Bit Applications, a broken configuration) or 503
    /// (the pool disabled) has not come back.
    /// </summary>
    public interface IWsusWebServiceProbe
    {
        /// <summary>The HTTP status code, or null when nothing answered (no connection, a timeout).</summary>
        int? GetStatusCode(string? computerName, CancellationToken cancellationToken);
    }

    /// <summary>
    /// The probe over HTTP: <c>GET http(s)://server:port/ClientWebService/</c>, no credentials sent. The
    /// application's root runs no web service code (a healthy WSUS answers it 200, 401 or 403), so only a
    /// broken pool or configuration makes it 5xx: 500.19 when a module cannot load (Enable 32-Bit
    /// Applications), 503 when the pool is disabled.
    /// </summary>
    public sealed class HttpWsusWebServiceProbe : IWsusWebServiceProbe
    {
        /// <summary>Creates a probe for WSUS's port (8530 unless the WSUS site is bound elsewhere).</summary>
        public HttpWsusWebServiceProbe(int port = 8530, bool useSsl = false, TimeSpan? timeout = null)
        {
            Port = port;
            UseSsl = useSsl;
            Timeout = timeout ?? TimeSpan.FromSeconds(15);
        }

        /// <summary>The port.</summary>
        public int Port { get; }

        /// <summary>HTTPS instead of HTTP.</summary>
        public bool UseSsl { get; }

        /// <summary>The most one request may take.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>
        /// The port and scheme of the site that holds <c>/ClientWebService</c> in applicationHost.config
        /// (its first http binding, else its first https one); 8530 over HTTP when there is none.
        /// </summary>
        public static HttpWsusWebServiceProbe FromConfiguration(ApplicationHostDocument? document)
        {
            var site = document?.Sites?.Children.FirstOrDefault(s => s.Name == "site" && s.Children.Any(a =>
                a.Name == "application" && string.Equals(a.GetAttribute("path"), PoolTuningService.WsusApplicationPath, StringComparison.OrdinalIgnoreCase)));
            var bindings = site?.Child("bindings")?.Children.Where(b => b.Name == "binding").ToList();
            foreach (var scheme in new[] { "http", "https" })
            {
                var binding = bindings?.FirstOrDefault(b => string.Equals(b.GetAttribute("protocol"), scheme, StringComparison.OrdinalIgnoreCase));
                var parts = binding?.GetAttribute("bindingInformation")?.Split(':');
                if (parts is { Length: >= 2 } && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
                {
                    return new HttpWsusWebServiceProbe(port, scheme == "https");
                }
            }

            return new HttpWsusWebServiceProbe();
        }

        /// <inheritdoc />
        public int? GetStatusCode(string? computerName, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var host = string.IsNullOrEmpty(computerName) || computerName == "." ? "localhost" : computerName;
            var uri = new Uri($"{(UseSsl ? "https" : "http")}://{host}:{Port}{PoolTuningService.WsusApplicationPath}/");
            var request = (HttpWebRequest)WebRequest.Create(uri);
            request.Method = "GET";
            request.Timeout = (int)Timeout.TotalMilliseconds;
            request.AllowAutoRedirect = false;
            request.UseDefaultCredentials = false;
            request.Proxy = null; // the server itself, never through a proxy
            using var registration = cancellationToken.Register(request.Abort);
            try
            {
                using var response = (HttpWebResponse)request.GetResponse();
                return (int)response.StatusCode;
            }
            catch (WebException ex) when (ex.Response is HttpWebResponse failed)
            {
                using (failed)
                {
                    return (int)failed.StatusCode;
                }
            }
            catch (WebException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }
        }
    }
}
