using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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
    /// <item><c>ConfigMgrStatus</c>: siteCode, providerMachine, updateCount, updatePoints (objects with
    /// wsusServerName, wsusSourceServer, lastSyncState, lastSyncStateTime, lastSyncErrorCode,
    /// lastSuccessfulSyncTime, syncCatalogVersion).</item>
    /// <item><c>ConfigMgrSyncNow</c>: returnValue of SyncNow.</item>
    /// <item><c>Error</c>: error = { stage, type, message }; stage is LoadApi, Connect, Read, Start,
    /// FindSite or SyncNow.</item>
    /// </list>
    /// Times are ISO 8601 UTC strings (<c>2026-11-09T08:00:05.311Z</c>); missing values are null.
    /// </summary>
    public static class SyncBridgeContract
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

        /// <summary>Checks a WsusStarted document; an Error document becomes the matching engine error (SyncAlreadyRunning when WSUS refused).</summary>
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
                UpdatePoints = Items(root, "updatePoints").Select(p => new SupSyncStatus
                {
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

        private static Dictionary<string, object?> Open(string json, string kind, string computerName, Func<string, string, string, string, WsusRemediationException> error)
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
                throw error(Str(e, "stage") ?? string.Empty, Str(e, "type") ?? string.Empty, Str(e, "message") ?? "(no message)", computerName);
            }

            if (!string.Equals(actual, kind, StringComparison.Ordinal))
            {
                throw new WsusRemediationException("PowerShellBridgeFailed", EngineErrorKind.InvalidData, $"Expected a {kind} document, got '{actual}'.", computerName);
            }

            return root;
        }

        internal static WsusRemediationException WsusError(string stage, string type, string message, string computerName)
        {
            if (type.EndsWith("UnauthorizedAccessException", StringComparison.Ordinal) || message.IndexOf("(401)", StringComparison.Ordinal) >= 0)
            {
                return new WsusRemediationException("WsusAccessDenied", EngineErrorKind.PermissionDenied, $"WSUS on '{computerName}' denied access: {message}", computerName)
                {
                    RecommendedAction = "Run as a member of WSUS Administrators (or a local administrator of the WSUS server).",
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
                    return new WsusRemediationException("SyncAlreadyRunning", EngineErrorKind.ResourceBusy, $"WSUS on '{computerName}' refused to start a synchronization: {message}", computerName);
                default:
                    return new WsusRemediationException("WsusApiError", EngineErrorKind.ResourceUnavailable, $"The WSUS API on '{computerName}' failed ({type}): {message}", computerName);
            }
        }

        internal static WsusRemediationException ConfigMgrError(string stage, string type, string message, string computerName)
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
