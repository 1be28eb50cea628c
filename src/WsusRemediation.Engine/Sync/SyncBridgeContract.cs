using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// The JSON contract between the engine and the small scripts a child Windows PowerShell runs
    /// (the WSUS API and WMI cannot be used in-process from PowerShell 7). Every document is one
    /// object with <c>contract</c> = <see cref="ContractName"/> and a <c>kind</c>:
    /// <list type="bullet">
    /// <item><c>WsusStatus</c>: serverName, status (SynchronizationStatus name), phase, processedItems,
    /// totalItems, lastSynchronization and history (objects with startTime, endTime, result
    /// (SynchronizationResult name), error, errorText, startedManually).</item>
    /// <item><c>WsusStarted</c>: StartSynchronization() returned.</item>
    /// <item><c>ConfigMgrStatus</c>: siteCode, providerMachine, updateCount (null when not counted),
    /// updateCountError (why a count that was asked for is missing), updatePoints (objects with
    /// siteCode, wsusServerName, wsusSourceServer, lastSyncState, lastSyncStateTime, lastSyncErrorCode,
    /// lastSuccessfulSyncTime, syncCatalogVersion).</item>
    /// <item><c>ConfigMgrSyncNow</c>: returnValue of SyncNow.</item>
    /// <item><c>Error</c>: error = { stage, type, message, httpStatus }; stage is LoadApi, Connect, Read, Start,
    /// FindSite or SyncNow; httpStatus is the status code of a WebException's response (null otherwise), which
    /// unlike the message is not translated on a localized server.</item>
    /// </list>
    /// Times are ISO 8601 UTC strings (<c>2026-11-09T08:00:05.311Z</c>); missing values are null.
    /// </summary>
    public static partial class SyncBridgeContract
    {
        /// <summary>The contract name and version every document carries.</summary>
        public const string ContractName = "WsusRemediation.Sync/1";

        /// <summary>Parses a WsusStatus document; an Error document becomes the matching engine error.</summary>
        public static WsusSyncSnapshot ParseWsusStatus(string json, string computerName)
        {
            var root = Open(json, "WsusStatus", computerName, WsusError);
            return new WsusSyncSnapshot
            {
                ServerName = Str(root, "serverName") ?? string.Empty,
                Status = Str(root, "status") ?? "NotProcessing",
                Phase = Str(root, "phase"),
                ProcessedItems = Long(root, "processedItems") ?? 0,
                TotalItems = Long(root, "totalItems") ?? 0,
                LastSynchronization = root.TryGetValue("lastSynchronization", out var last) && last is Dictionary<string, object?> l ? Info(l) : null,
                History = Items(root, "history").Select(Info).ToList(),
            };
        }

        /// <summary>Checks a WsusStarted document; an Error document becomes the matching engine error (WsusSyncStartRefused when WSUS refused).</summary>
        public static void ParseWsusStarted(string json, string computerName) => Open(json, "WsusStarted", computerName, WsusError);

        /// <summary>Parses a ConfigMgrStatus document.</summary>
        public static ConfigMgrSyncSnapshot ParseConfigMgrStatus(string json, string computerName)
        {
            var root = Open(json, "ConfigMgrStatus", computerName, ConfigMgrError);
            return new ConfigMgrSyncSnapshot
            {
                SiteCode = Str(root, "siteCode") ?? string.Empty,
                ProviderMachine = Str(root, "providerMachine") ?? string.Empty,
                UpdateCount = (int?)Long(root, "updateCount"),
                UpdateCountError = Str(root, "updateCountError"),
                UpdatePoints = Items(root, "updatePoints").Select(p => new SupSyncStatus
                {
                    SiteCode = Str(p, "siteCode"),
                    WsusServerName = Str(p, "wsusServerName") ?? string.Empty,
                    WsusSourceServer = Str(p, "wsusSourceServer"),
                    LastSyncState = (int)(Long(p, "lastSyncState") ?? 0),
                    LastSyncStateTime = Time(p, "lastSyncStateTime"),
                    LastSyncErrorCode = Long(p, "lastSyncErrorCode") ?? 0,
                    LastSuccessfulSyncTime = Time(p, "lastSuccessfulSyncTime"),
                    SyncCatalogVersion = Long(p, "syncCatalogVersion") ?? 0,
                }).ToList(),
            };
        }

        /// <summary>Checks a ConfigMgrSyncNow document: SyncNow must have returned 0.</summary>
        public static void ParseConfigMgrSyncNow(string json, string computerName)
        {
            var root = Open(json, "ConfigMgrSyncNow", computerName, ConfigMgrError);
            var code = Long(root, "returnValue");
            if (code != 0)
            {
                throw new WsusRemediationException("ConfigMgrSyncNowFailed", EngineErrorKind.InvalidOperation, $"SMS_SoftwareUpdate.SyncNow returned {code?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} on '{computerName}'.", computerName);
            }
        }

        private static Dictionary<string, object?> Open(string json, string kind, string computerName, Func<string, string, string, string, int?, WsusRemediationException> error)
        {
            object? parsed;
            try
            {
                // A warning may print before the document, and a byte order mark may lead it: the document is
                // the last line that starts with '{'.
                var lines = (json ?? string.Empty).Split('\n').Select(l => l.Trim().TrimStart('\uFEFF')).ToList();
                var document = lines.LastOrDefault(l => l.StartsWith("{", StringComparison.Ordinal)) ?? string.Join("\n", lines).Trim();
                parsed = BridgeJson.Parse(document);
            }
            catch (FormatException ex)
            {
                throw new WsusRemediationException("PowerShellBridgeFailed", EngineErrorKind.InvalidData, $"The child powershell.exe did not print a {ContractName} document: {ex.Message}", computerName, ex);
            }

            if (parsed is not Dictionary<string, object?> root || !string.Equals(Str(root, "contract"), ContractName, StringComparison.Ordinal))
            {
                throw new WsusRemediationException("PowerShellBridgeFailed", EngineErrorKind.InvalidData, $"The child powershell.exe printed a document that is not {ContractName}.", computerName);
            }

            var actual = Str(root, "kind");
            if (string.Equals(actual, "Error", StringComparison.Ordinal))
            {
                var e = root.TryGetValue("error", out var v) && v is Dictionary<string, object?> d ? d : new Dictionary<string, object?>();
                throw error(Str(e, "stage") ?? string.Empty, Str(e, "type") ?? string.Empty, Str(e, "message") ?? "(no message)", computerName, (int?)Long(e, "httpStatus"));
            }

            if (!string.Equals(actual, kind, StringComparison.Ordinal))
            {
                throw new WsusRemediationException("PowerShellBridgeFailed", EngineErrorKind.InvalidData, $"Expected a {kind} document, got '{actual}'.", computerName);
            }

            return root;
        }

        /// <summary>
        /// Maps a failure of the WSUS API to an engine error. <paramref name="httpStatus"/> is the HTTP status
        /// of a WebException's response when the caller could read it; otherwise it is read from the message.
        /// </summary>
        internal static WsusRemediationException WsusError(string stage, string type, string message, string computerName, int? httpStatus = null)
        {
            var status = httpStatus ?? HttpStatusOf(message);
            if (type.EndsWith("UnauthorizedAccessException", StringComparison.Ordinal) || status == 401 || status == 403)
            {
                return new WsusRemediationException("WsusAccessDenied", EngineErrorKind.PermissionDenied, $"WSUS on '{computerName}' denied access: {message}", computerName)
                {
                    RecommendedAction = "Run as a member of WSUS Administrators (or a local administrator of the WSUS server).",
                };
            }

            if (status == 407)
            {
                return new WsusRemediationException("WsusProxyAuthenticationRequired", EngineErrorKind.PermissionDenied, $"A proxy between this computer and WSUS on '{computerName}' asked for credentials: {message}", computerName)
                {
                    RecommendedAction = "Let the WSUS server bypass the proxy for this account (Internet Options or netsh winhttp), or run the command on the WSUS server.",
                };
            }

            if (type.EndsWith("WebException", StringComparison.Ordinal))
            {
                stage = "Connect";
            }

            switch (stage)
            {
                case "LoadApi":
                    return new WsusRemediationException("WsusApiNotInstalled", EngineErrorKind.NotInstalled, $"The WSUS administration API is not installed here: {message}", computerName)
                    {
                        RecommendedAction = "Install the WSUS console (UpdateServices-UI), run on the WSUS server, or use -Source ConfigMgr or -LogPath.",
                    };
                case "Connect":
                    return new WsusRemediationException("WsusServerUnreachable", EngineErrorKind.ConnectionError, $"WSUS on '{computerName}' could not be reached: {message}", computerName)
                    {
                        RecommendedAction = "Check that WsusPool and the WSUS service are running (HTTP 503 means the pool is stopped).",
                    };
                case "Start" when type.EndsWith("InvalidOperationException", StringComparison.Ordinal):
                    // ISubscription.StartSynchronization does nothing while a synchronization runs; it throws
                    // InvalidOperationException when the subscription is stopping one or WSUS is saving its
                    // configuration. Not SyncAlreadyRunning: nothing runs that could be followed.
                    return new WsusRemediationException("WsusSyncStartRefused", EngineErrorKind.ResourceBusy, $"WSUS on '{computerName}' cannot start a synchronization now (it is stopping one, or saving its configuration): {message}", computerName)
                    {
                        RecommendedAction = "Wait until Get-WsusSyncStatus -Source Wsus shows Idle, then run Invoke-WsusSync again.",
                    };
                default:
                    return new WsusRemediationException("WsusApiError", EngineErrorKind.ResourceUnavailable, $"The WSUS API on '{computerName}' failed ({type}): {message}", computerName);
            }
        }

        private static readonly Regex HttpStatusPattern = new Regex(@"HTTP[ -]status (?<code>[1-5][0-9]{2})\b|: \((?<code>[1-5][0-9]{2})\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// The HTTP status in a WebException message, in the SOAP client's wording (<c>The request failed with
        /// HTTP status 401: Unauthorized.</c>) or HttpWebRequest's (<c>The remote server returned an error: (401)
        /// Unauthorized.</c>); null when there is none.
        /// </summary>
        internal static int? HttpStatusOf(string? message)
        {
            var match = HttpStatusPattern.Match(message ?? string.Empty);
            return match.Success ? int.Parse(match.Groups["code"].Value, CultureInfo.InvariantCulture) : null;
        }

        internal static WsusRemediationException ConfigMgrError(string stage, string type, string message, string computerName, int? httpStatus = null)
        {
            if (message.IndexOf("Access denied", StringComparison.OrdinalIgnoreCase) >= 0 || message.IndexOf("Access is denied", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new WsusRemediationException("ConfigMgrAccessDenied", EngineErrorKind.PermissionDenied, $"The SMS Provider on '{computerName}' denied access: {message}", computerName)
                {
                    RecommendedAction = "Run as an MECM administrator with rights on software updates.",
                };
            }

            return stage == "SyncNow"
                ? new WsusRemediationException("ConfigMgrSyncNowFailed", EngineErrorKind.InvalidOperation, $"SMS_SoftwareUpdate.SyncNow failed on '{computerName}' ({type}): {message}", computerName)
                : new WsusRemediationException("ConfigMgrProviderUnavailable", EngineErrorKind.ConnectionError, $"The MECM SMS Provider on '{computerName}' could not be used ({stage}, {type}): {message}", computerName)
                {
                    RecommendedAction = "Run on the site server, or check the SMS Provider (SMSProv.log); Invoke-WsusSync falls back to the WSyncMgr.box inbox file.",
                };
        }

        private static WsusSyncInfo Info(Dictionary<string, object?> item) => new WsusSyncInfo
        {
            StartTime = Time(item, "startTime"),
            EndTime = Time(item, "endTime"),
            Result = Str(item, "result") ?? "Unknown",
            Error = Str(item, "error"),
            ErrorText = Str(item, "errorText"),
            StartedManually = item.TryGetValue("startedManually", out var m) && m is bool b ? b : null,
        };

        private static IEnumerable<Dictionary<string, object?>> Items(Dictionary<string, object?> root, string name)
        {
            if (!root.TryGetValue(name, out var value) || value is null)
            {
                return Enumerable.Empty<Dictionary<string, object?>>();
            }

            // Be lenient: depending on how a script builds it, ConvertTo-Json can print a one-element array as the element itself.
            return value is List<object?> list ? list.OfType<Dictionary<string, object?>>() : value is Dictionary<string, object?> single ? new[] { single } : Enumerable.Empty<Dictionary<string, object?>>();
        }

        private static string? Str(Dictionary<string, object?> item, string name) =>
            item.TryGetValue(name, out var v) && v is not null
                ? (v is double d ? d.ToString(CultureInfo.InvariantCulture) : v.ToString())
                : null;

        private static long? Long(Dictionary<string, object?> item, string name) =>
            item.TryGetValue(name, out var v) && v is double d ? (long)d
            : item.TryGetValue(name, out v) && v is string s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
            : null;

        internal static DateTime? Time(Dictionary<string, object?> item, string name)
        {
            var text = Str(item, name);
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            // Windows PowerShell's ConvertTo-Json writes DateTime as \/Date(ms)\/; the scripts avoid it, but accept it.
            if (text!.StartsWith("/Date(", StringComparison.Ordinal))
            {
                var digits = new string(text.Skip(6).TakeWhile(c => char.IsDigit(c) || c == '-').ToArray());
                return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                    ? new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(ms)
                    : null;
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
                ? DateTime.SpecifyKind(time, DateTimeKind.Utc)
                : null;
        }
    }
}
