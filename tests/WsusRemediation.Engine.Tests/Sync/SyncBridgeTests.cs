using System;
using System.IO;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Sync;

public class SyncBridgeTests
{
    private sealed class FakeRunner : IPowerShellScriptRunner
    {
        private readonly string _output;

        public FakeRunner(string output) => _output = output;

        public string? LastScript { get; private set; }

        public string Run(string script, TimeSpan timeout, CancellationToken cancellationToken)
        {
            LastScript = script;
            return _output;
        }
    }

    // What Windows PowerShell 5.1's ConvertTo-Json -Compress prints for the WSUS script (shape, not captured output).
    private const string WsusRunning =
        "{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"WsusStatus\",\"serverName\":\"CM01\",\"status\":\"Running\",\"phase\":\"Updates\",\"processedItems\":3100,\"totalItems\":9873," +
        "\"lastSynchronization\":{\"startTime\":\"2026-11-09T10:00:05.311Z\",\"endTime\":\"2026-11-09T10:06:45.018Z\",\"result\":\"Canceled\",\"error\":\"UserCanceled\",\"errorText\":\"\",\"startedManually\":true}," +
        "\"history\":[{\"startTime\":\"2026-11-09T10:00:05.311Z\",\"endTime\":\"2026-11-09T10:06:45.018Z\",\"result\":\"Canceled\",\"error\":\"UserCanceled\",\"errorText\":\"\",\"startedManually\":true}," +
        "{\"startTime\":\"2026-11-09T03:00:03.402Z\",\"endTime\":\"2026-11-09T03:03:50.224Z\",\"result\":\"Succeeded\",\"error\":\"NotApplicable\",\"errorText\":\"\",\"startedManually\":true}]}";

    [Fact]
    public void The_WSUS_status_document_is_parsed_with_UTC_times()
    {
        var runner = new FakeRunner("WARNING: a profile said something\r\n\uFEFF" + WsusRunning + "\r\n");
        var snapshot = new WsusApiAdapter("CM01", runner, inProcess: false).Read(5, CancellationToken.None);
        Assert.Equal("Running", snapshot.Status);
        Assert.Equal(3100, snapshot.ProcessedItems);
        Assert.Equal(2, snapshot.History.Count);
        Assert.Equal(new DateTime(2026, 11, 9, 10, 6, 45, 18, DateTimeKind.Utc), snapshot.LastSynchronization!.EndTime);
        Assert.Equal(DateTimeKind.Utc, snapshot.LastSynchronization.EndTime!.Value.Kind);
        Assert.Contains("$ComputerName = 'CM01'", runner.LastScript);
        Assert.Contains("$HistoryCount = 5", runner.LastScript);
        Assert.Contains("GetSynchronizationHistory()", runner.LastScript);
    }

    [Fact]
    public void A_single_history_entry_printed_as_an_object_and_legacy_dates_are_accepted()
    {
        const string json = "{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"WsusStatus\",\"status\":\"NotProcessing\",\"history\":{\"startTime\":\"\\/Date(1762678803402)\\/\",\"result\":\"Succeeded\"}}";
        var snapshot = SyncBridgeContract.ParseWsusStatus(json, "CM01");
        var only = Assert.Single(snapshot.History);
        Assert.Equal(new DateTime(2025, 11, 9, 9, 0, 3, 402, DateTimeKind.Utc), only.StartTime);
    }

    [Theory]
    [InlineData("LoadApi", "System.IO.FileNotFoundException", "Could not load file or assembly", "WsusApiNotInstalled", EngineErrorKind.NotInstalled)]
    [InlineData("Connect", "System.Net.WebException", "The request failed with HTTP status 503: Service Unavailable.", "WsusServerUnreachable", EngineErrorKind.ConnectionError)]
    [InlineData("Read", "System.Net.WebException", "The request failed with HTTP status 503: Service Unavailable.", "WsusServerUnreachable", EngineErrorKind.ConnectionError)]
    // StartSynchronization does nothing while a sync runs; its InvalidOperationException means the
    // subscription is stopping or WSUS is saving its configuration (ISubscription.StartSynchronization).
    [InlineData("Start", "System.InvalidOperationException", "Operation is not valid due to the current state of the object.", "WsusSyncStartRefused", EngineErrorKind.ResourceBusy)]
    [InlineData("Read", "System.UnauthorizedAccessException", "Access is denied.", "WsusAccessDenied", EngineErrorKind.PermissionDenied)]
    public void Error_documents_become_engine_errors(string stage, string type, string message, string id, EngineErrorKind kind)
    {
        var json = $"{{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"Error\",\"error\":{{\"stage\":\"{stage}\",\"type\":\"{type}\",\"message\":\"{message}\"}}}}";
        var ex = Assert.Throws<WsusRemediationException>(() => new WsusApiAdapter(null, new FakeRunner(json), inProcess: false).StartSynchronization(CancellationToken.None));
        Assert.Equal(id, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
    }

    // The WSUS API is a SOAP client (SoapHttpClientProtocol): "The request failed with HTTP status N: <reason>.";
    // HttpWebRequest words it "The remote server returned an error: (N) <reason>.". Both must map the same.
    [Theory]
    [InlineData("Connect", "The request failed with HTTP status 401: Unauthorized.", "WsusAccessDenied", EngineErrorKind.PermissionDenied)]
    [InlineData("Read", "The request failed with HTTP status 401: Unauthorized.", "WsusAccessDenied", EngineErrorKind.PermissionDenied)]
    [InlineData("Connect", "The remote server returned an error: (401) Unauthorized.", "WsusAccessDenied", EngineErrorKind.PermissionDenied)]
    [InlineData("Connect", "The request failed with HTTP status 403: Forbidden.", "WsusAccessDenied", EngineErrorKind.PermissionDenied)]
    [InlineData("Start", "The remote server returned an error: (403) Forbidden.", "WsusAccessDenied", EngineErrorKind.PermissionDenied)]
    [InlineData("Connect", "The request failed with HTTP status 407: Proxy Authentication Required.", "WsusProxyAuthenticationRequired", EngineErrorKind.PermissionDenied)]
    [InlineData("Read", "The remote server returned an error: (407) Proxy Authentication Required.", "WsusProxyAuthenticationRequired", EngineErrorKind.PermissionDenied)]
    [InlineData("Connect", "The request failed with HTTP status 503: Service Unavailable.", "WsusServerUnreachable", EngineErrorKind.ConnectionError)]
    [InlineData("Read", "The remote server returned an error: (503) Server Unavailable.", "WsusServerUnreachable", EngineErrorKind.ConnectionError)]
    public void HTTP_statuses_of_the_WSUS_API_map_alike_in_the_SOAP_and_the_HttpWebRequest_wording(string stage, string message, string id, EngineErrorKind kind)
    {
        var ex = SyncBridgeContract.WsusError(stage, "System.Net.WebException", message, "CM01");

        Assert.Equal(id, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(ex.RecommendedAction));
    }

    [Fact]
    public void Access_denied_advice_names_the_WSUS_groups_and_proxy_advice_names_the_proxy()
    {
        Assert.Contains("WSUS Administrators", SyncBridgeContract.WsusError("Connect", "System.Net.WebException", "The request failed with HTTP status 401: Unauthorized.", "CM01").RecommendedAction);
        Assert.DoesNotContain("WsusPool", SyncBridgeContract.WsusError("Connect", "System.Net.WebException", "The request failed with HTTP status 401: Unauthorized.", "CM01").RecommendedAction);
        Assert.Contains("proxy", SyncBridgeContract.WsusError("Connect", "System.Net.WebException", "The request failed with HTTP status 407: Proxy Authentication Required.", "CM01").RecommendedAction, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void On_a_localized_server_the_status_code_the_script_read_decides_not_the_words()
    {
        // A German Windows PowerShell translates the SOAP client's message; the script also sends Response.StatusCode.
        const string json = "{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"Error\",\"error\":{\"stage\":\"Connect\",\"type\":\"System.Net.WebException\",\"message\":\"Fehler bei der Anforderung: Nicht autorisiert.\",\"httpStatus\":401}}";

        var ex = Assert.Throws<WsusRemediationException>(() => new WsusApiAdapter("CM01", new FakeRunner(json), inProcess: false).Read(5, CancellationToken.None));

        Assert.Equal("WsusAccessDenied", ex.ErrorId);
        Assert.Contains("Nicht autorisiert", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_count_that_outlasted_its_limit_leaves_the_status_and_is_told_in_verbose()
    {
        const string json = "{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"ConfigMgrStatus\",\"siteCode\":\"PS1\",\"providerMachine\":\"CM01\",\"updateCount\":null," +
            "\"updateCountError\":\"Counting SMS_SoftwareUpdate took over 90 s (counted 48211 so far).\",\"updatePoints\":[{\"wsusServerName\":\"CM01\",\"lastSyncState\":6702,\"lastSyncStateTime\":\"2026-11-09T10:06:52.000Z\"}]}";
        var verbose = new System.Collections.Generic.List<string>();
        var service = new SyncStatusService(new VirtualClock(), configMgr: new ConfigMgrProviderAdapter("CM01", new FakeRunner(json)));

        var status = service.Read(SyncSource.ConfigMgr, "CM01", CancellationToken.None, verbose.Add);

        Assert.Null(status.ConfigMgrUpdateCount);
        Assert.Equal(SyncResult.Succeeded, status.LastResult);
        Assert.Contains(verbose, v => v.Contains("were not counted: Counting SMS_SoftwareUpdate took over 90 s", StringComparison.Ordinal));
    }

    [Fact]
    public void The_count_limit_is_handed_to_the_script_in_whole_seconds()
    {
        var runner = new FakeRunner("{}");
        var adapter = new ConfigMgrProviderAdapter("CM01", runner) { CountTimeout = TimeSpan.FromSeconds(42.5) };

        Assert.Contains("$CountTimeoutSeconds = 43\n", adapter.Script("Read", false, true), StringComparison.Ordinal);
        Assert.Contains("-OperationTimeoutSec $CountTimeoutSeconds", adapter.Script("Read", false, true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The request failed with HTTP status 401: Unauthorized.", 401)]
    [InlineData("The remote server returned an error: (407) Proxy Authentication Required.", 407)]
    [InlineData("System.Net.WebException: The request failed with HTTP status 503: Service Unavailable.", 503)]
    [InlineData("The operation has timed out", null)]
    [InlineData("Sync took (401) seconds", null)]
    public void The_HTTP_status_is_read_from_either_wording(string message, int? status) =>
        Assert.Equal(status, SyncBridgeContract.HttpStatusOf(message));

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"contract\":\"Other/1\",\"kind\":\"WsusStatus\"}")]
    [InlineData("{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"ConfigMgrStatus\"}")]
    [InlineData("{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"WsusStatus\"")]
    public void Anything_but_the_expected_document_is_PowerShellBridgeFailed(string output)
    {
        var ex = Assert.Throws<WsusRemediationException>(() => new WsusApiAdapter(null, new FakeRunner(output), inProcess: false).Read(1, CancellationToken.None));
        Assert.Equal("PowerShellBridgeFailed", ex.ErrorId);
    }

    [Fact]
    public void The_ConfigMgr_status_document_is_parsed()
    {
        const string json = "{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"ConfigMgrStatus\",\"siteCode\":\"PS1\",\"providerMachine\":\"CM01.contoso.com\",\"updateCount\":0," +
            "\"updatePoints\":[{\"wsusServerName\":\"CM01.contoso.com\",\"wsusSourceServer\":\"\",\"lastSyncState\":6703,\"lastSyncStateTime\":\"2026-11-09T10:06:52.000Z\",\"lastSyncErrorCode\":2148734208,\"lastSuccessfulSyncTime\":null,\"syncCatalogVersion\":58}]}";
        var runner = new FakeRunner(json);
        var snapshot = new ConfigMgrProviderAdapter("CM01", runner).Read(true, CancellationToken.None);
        Assert.Equal("PS1", snapshot.SiteCode);
        Assert.Equal(0, snapshot.UpdateCount);
        var point = Assert.Single(snapshot.UpdatePoints);
        Assert.Equal(6703, point.LastSyncState);
        Assert.Null(point.LastSuccessfulSyncTime);
        Assert.Equal("0x80131500", SyncReasoning.FormatErrorCode(point.LastSyncErrorCode));
        Assert.Contains("SMS_ProviderLocation", runner.LastScript);
        Assert.Contains("ProviderForLocalSite", runner.LastScript);
        Assert.Contains("$CountUpdates = $true", runner.LastScript);
    }

    [Fact]
    public void SyncNow_passes_fullSync_and_a_nonzero_return_is_an_error()
    {
        var ok = new FakeRunner("{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"ConfigMgrSyncNow\",\"returnValue\":0}");
        new ConfigMgrProviderAdapter(null, ok).SyncNow(true, CancellationToken.None);
        Assert.Contains("$FullSync = $true", ok.LastScript);
        Assert.Contains("-MethodName SyncNow", ok.LastScript);

        var bad = new FakeRunner("{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"ConfigMgrSyncNow\",\"returnValue\":2}");
        Assert.Equal("ConfigMgrSyncNowFailed", Assert.Throws<WsusRemediationException>(() => new ConfigMgrProviderAdapter(null, bad).SyncNow(false, CancellationToken.None)).ErrorId);

        var unreachable = new FakeRunner("{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"Error\",\"error\":{\"stage\":\"FindSite\",\"type\":\"Microsoft.Management.Infrastructure.CimException\",\"message\":\"Invalid namespace \"}}");
        var ex = Assert.Throws<WsusRemediationException>(() => new ConfigMgrProviderAdapter(null, unreachable).Read(true, CancellationToken.None));
        Assert.Equal("ConfigMgrProviderUnavailable", ex.ErrorId);
        Assert.Equal(EngineErrorKind.ConnectionError, ex.Kind);
    }

    [Fact]
    public void Names_with_quotes_cannot_break_out_of_the_script()
    {
        var runner = new FakeRunner("{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"WsusStarted\"}");
        new WsusApiAdapter("evil'; Remove-Item C:\\ -Recurse; '", runner, inProcess: false).StartSynchronization(CancellationToken.None);
        Assert.Contains("$ComputerName = 'evil''; Remove-Item C:\\ -Recurse; '''", runner.LastScript);
    }

    [Theory]
    [InlineData(false, "SELF.SYN")]
    [InlineData(true, "FULL.SYN")]
    public void The_inbox_trigger_writes_an_empty_request_file(bool full, string name)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "inboxes", "WSyncMgr.box"));
        var path = new SyncInboxFileTrigger(null, () => folder.Path).Drop(full, CancellationToken.None);
        Assert.Equal(Path.Combine(folder.Path, "inboxes", "WSyncMgr.box", name), path);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void The_inbox_of_another_computer_is_reached_through_its_admin_share() =>
        Assert.Equal(@"\\CM01\D$\Program Files\Microsoft Configuration Manager\inboxes\WSyncMgr.box",
            new SyncInboxFileTrigger("CM01", () => @"D:\Program Files\Microsoft Configuration Manager\").InboxFolder());

    [Fact]
    public void A_missing_inbox_is_ConfigMgrInboxNotFound()
    {
        using var folder = new TempFolder();
        var ex = Assert.Throws<WsusRemediationException>(() => new SyncInboxFileTrigger(null, () => folder.Path).Drop(false, CancellationToken.None));
        Assert.Equal("ConfigMgrInboxNotFound", ex.ErrorId);
        Assert.Equal("ConfigMgrInboxNotFound", Assert.Throws<WsusRemediationException>(() => new SyncInboxFileTrigger(null, () => null).InboxFolder()).ErrorId);
    }

    [OffWindowsFact]
    public void Off_Windows_live_sources_name_the_LogPath_parameter()
    {
        var ex = Assert.Throws<WsusRemediationException>(() => SyncSources.Live(null, new VirtualClock()));
        Assert.Equal("LiveAccessRequiresWindows", ex.ErrorId);
        Assert.Contains("-LogPath", ex.Message);
        Assert.Equal("LiveAccessRequiresWindows", Assert.Throws<WsusRemediationException>(() => WindowsPowerShellProcess.Instance.Run("1", TimeSpan.FromSeconds(1), CancellationToken.None)).ErrorId);
        var logs = Assert.Throws<WsusRemediationException>(() => SyncSources.LocalLogs(new VirtualClock()));
        Assert.Equal("LiveAccessRequiresWindows", logs.ErrorId);
        Assert.Contains("-LogPath", logs.Message);
    }
}
