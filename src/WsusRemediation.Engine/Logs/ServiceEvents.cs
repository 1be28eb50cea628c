using System;
using System.Collections.Generic;
using System.Text;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>
    /// Reads the Service Control Manager's events (7036 state, 7040 start type, 7031/7034 crashes) for
    /// the services a synchronization needs. The SCM writes the display name (localized for Windows'
    /// own services) in param1, the key name in 7040's param4 and, for 7036, UTF-16 in the Binary
    /// field (<c>BITS/4</c>); the key name wins when present.
    /// </summary>
    public static class ServiceEvents
    {
        private static readonly Dictionary<string, string> KeyByDisplayName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Background Intelligent Transfer Service"] = SiteServices.Bits,
            ["WSUS Service"] = SiteServices.Wsus,
            ["Update Services"] = SiteServices.Wsus,
            ["World Wide Web Publishing Service"] = SiteServices.W3svc,
            ["Windows Process Activation Service"] = SiteServices.Was,
            ["SMS Agent Host"] = SiteServices.CcmExec,
            [SiteServices.SmsExecutive] = SiteServices.SmsExecutive,
            [SiteServices.SmsSiteComponentManager] = SiteServices.SmsSiteComponentManager,
            [SiteServices.SmsNotificationServer] = SiteServices.SmsNotificationServer,
        };

        private static readonly HashSet<string> Relevant = new HashSet<string>(KeyByDisplayName.Values, StringComparer.OrdinalIgnoreCase);

        /// <summary>The key names of the services whose SCM events are read.</summary>
        public static IReadOnlyCollection<string> ServiceNames => Relevant;

        /// <summary>The key name (BITS, SMS_EXECUTIVE...) of the service an SCM event is about, when it is one a sync needs; else null.</summary>
        public static string? ServiceName(LogEntry entry)
        {
            if (entry is null)
            {
                throw new ArgumentNullException(nameof(entry));
            }

            var key = entry.GetField("param4");
            if (!string.IsNullOrEmpty(key) && Relevant.Contains(key!))
            {
                return Canonical(key!);
            }

            var fromBinary = KeyFromBinary(entry.GetField("Binary"));
            if (fromBinary is not null && Relevant.Contains(fromBinary))
            {
                return Canonical(fromBinary);
            }

            var display = entry.GetField("param1") ?? entry.GetField("Data1");
            return display is not null && KeyByDisplayName.TryGetValue(display.Trim(), out var name) ? name : null;
        }

        /// <summary>
        /// 7040's new start type, from its English words (<c>auto start</c>, <c>demand start</c>,
        /// <c>disabled</c>), or the word for disabled of a German or French server (7040 carries no number to read
        /// instead); null when the event is in another language or not a 7040.
        /// </summary>
        public static ServiceStartType? NewStartType(LogEntry entry)
        {
            var text = entry?.GetField("param3")?.Trim();
            return string.Equals(text, "Deaktiviert", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "Désactivé", StringComparison.OrdinalIgnoreCase)
                ? ServiceStartType.Disabled
                : ParseStartType(text);
        }

        /// <summary>
        /// 7036's new state: the number after the key name in its Binary (<c>BITS/1</c> stopped, <c>BITS/4</c> running,
        /// the SCM's SERVICE_STOPPED and SERVICE_RUNNING), which every language writes alike; else param2's English
        /// words (<c>running</c>, <c>stopped</c>). A German server writes <c>Beendet</c>, a French one <c>arrêté</c>.
        /// Null when neither tells.
        /// </summary>
        public static ServiceState? NewState(LogEntry entry)
        {
            switch (StateFromBinary(entry?.GetField("Binary")))
            {
                case 1:
                    return ServiceState.Stopped;
                case 4:
                    return ServiceState.Running;
            }

            var text = entry?.GetField("param2")?.Trim();
            if (string.Equals(text, "running", StringComparison.OrdinalIgnoreCase))
            {
                return ServiceState.Running;
            }

            return string.Equals(text, "stopped", StringComparison.OrdinalIgnoreCase) ? ServiceState.Stopped : null;
        }

        /// <summary>Reads the SCM's start type words.</summary>
        public static ServiceStartType? ParseStartType(string? text)
        {
            switch (text?.Trim().ToLowerInvariant())
            {
                case "auto start":
                case "automatic":
                    return ServiceStartType.Automatic;
                case "demand start":
                case "manual":
                    return ServiceStartType.Manual;
                case "disabled":
                    return ServiceStartType.Disabled;
                default:
                    return null;
            }
        }

        /// <summary>Decodes 7036's Binary (UTF-16 LE hex of <c>Name/4</c>) to the key name; null when it is not that.</summary>
        public static string? KeyFromBinary(string? hex)
        {
            if (string.IsNullOrEmpty(hex) || hex!.Length % 4 != 0)
            {
                return null;
            }

            var bytes = new byte[hex.Length / 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                var high = HexValue(hex[2 * i]);
                var low = HexValue(hex[(2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    return null;
                }

                bytes[i] = (byte)((high << 4) | low);
            }

            var text = Encoding.Unicode.GetString(bytes);
            var end = text.IndexOfAny(new[] { '/', '\0' });
            var name = (end >= 0 ? text.Substring(0, end) : text).Trim();
            return name.Length > 0 ? name : null;
        }

        // The state number after the '/' of 7036's Binary (UTF-16 LE hex of "Name/N"); null when there is none.
        private static int? StateFromBinary(string? hex)
        {
            if (string.IsNullOrEmpty(hex) || hex!.Length % 4 != 0)
            {
                return null;
            }

            // "/" is 2F00 in UTF-16 LE hex; the digits follow as 3N00.
            for (var at = 0; at + 8 <= hex.Length; at += 4)
            {
                if (hex[at] == '2' && (hex[at + 1] == 'F' || hex[at + 1] == 'f') && hex[at + 2] == '0' && hex[at + 3] == '0')
                {
                    var value = 0;
                    var digits = 0;
                    for (var d = at + 4; d + 4 <= hex.Length && hex[d] == '3' && HexValue(hex[d + 1]) is var digit && digit >= 0 && digit <= 9 && hex[d + 2] == '0' && hex[d + 3] == '0'; d += 4)
                    {
                        value = (value * 10) + digit;
                        digits++;
                    }

                    return digits > 0 ? value : null;
                }
            }

            return null;
        }

        private static string Canonical(string key)
        {
            foreach (var name in Relevant)
            {
                if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
                {
                    return name;
                }
            }

            return key;
        }

        private static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
