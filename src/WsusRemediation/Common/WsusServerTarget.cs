using System.Collections.Generic;
using System.Management.Automation;

namespace WsusRemediation.Common
{
    /// <summary>
    /// One server a read-only cmdlet queries in its throttled batch, with the port and scheme of its WSUS web
    /// services as -WsusPort/-UseSsl (or the piped software update point) gave them.
    /// </summary>
    internal sealed class WsusServerTarget
    {
        private WsusServerTarget(string? computerName, int? wsusPort, bool useSsl)
        {
            ComputerName = computerName;
            WsusPort = wsusPort;
            UseSsl = useSsl;
        }

        /// <summary>The server's name; null for this computer.</summary>
        public string? ComputerName { get; }

        /// <summary>The port given with -WsusPort; null for the scheme's default (8530, or 8531 with SSL).</summary>
        public int? WsusPort { get; }

        public bool UseSsl { get; }

        /// <summary>
        /// The servers of one pipeline object: each of <paramref name="computerNames"/>, or this computer when there
        /// are none. -WsusPort counts only when bound: 0 is its unset value, not a port.
        /// </summary>
        public static IEnumerable<WsusServerTarget> For(InvocationInfo invocation, IEnumerable<string?>? computerNames, int wsusPort, bool useSsl)
        {
            var port = invocation.BoundParameters.ContainsKey("WsusPort") ? wsusPort : (int?)null;
            foreach (var computer in computerNames ?? new string?[] { null })
            {
                yield return new WsusServerTarget(computer, port, useSsl);
            }
        }
    }
}
