using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Diagnosis;

/// <summary>
/// Each rule alone, on one piece of evidence in its real format (the shapes of Fixtures/Logs and
/// Fixtures/Evidence; texts marked inferred in Fixtures/Evidence/README.md), and what missing evidence does.
/// </summary>
public sealed class DiagnosisRuleTests
{
    private const string EventNs = "http://schemas.microsoft.com/win/2004/08/events/event";

    private static string Event(string provider, int id, int level, string time, string channel, string data, string? binary = null) =>
        $"<Event xmlns=\"{EventNs}\"><System><Provider Name=\"{provider}\" /><EventID Qualifiers=\"16384\">{id}</EventID><Version>0</Version><Level>{level}</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x8080000000000000</Keywords><TimeCreated SystemTime=\"{time}\" /><EventRecordID>4711</EventRecordID><Correlation /><Execution ProcessID=\"712\" ThreadID=\"0\" /><Channel>{channel}</Channel><Computer>WSUS02.CONTOSO.COM</Computer><Security /></System><EventData>{data}{(binary is null ? string.Empty : "<Binary>" + binary + "</Binary>")}</EventData></Event>";

    private static string Sd(string time, string level, string method, string message) => $"{time} UTC\t{level}\tWsusService.25\t{method}\t{message}";

    private static string Wsyncmgr(string message, string local) => $"{message}  $$<SMS_WSUS_SYNC_MANAGER><{local}+300><thread=5836 (0x16CC)>";

    private static string HealthyConfig => File.ReadAllText(TempFolder.Fixture(Path.Combine("Evidence", "HealthyAfterFix", "applicationHost.config")));

    private static SyncDiagnosis Run(params (string Name, string Text)[] files)
    {
        using var folder = new TempFolder();
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(folder.Path, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, name.EndsWith(".acl", StringComparison.Ordinal) || name.EndsWith(".reg", StringComparison.Ordinal) ? Encoding.Unicode : new UTF8Encoding(false));
        }

        using var evidence = EvidenceSet.FromPaths(new[] { folder.Path });
        return new SyncDiagnosisService().Diagnose(evidence, null, CancellationToken.None);
    }

    public static TheoryData<string, string, string, FindingSeverity> OneFileCases() => new()
    {
        { FindingIds.Pool32BitEnabled, "applicationHost.config", HealthyConfig.Replace("<add name=\"WsusPool\" autoStart=\"true\"", "<add name=\"WsusPool\" enable32BitAppOnWin64=\"true\" autoStart=\"true\""), FindingSeverity.Critical },
        { FindingIds.PoolRecycledOnMemoryLimit, "system.xml", Event("Microsoft-Windows-WAS", 5117, 4, "2026-11-20T03:30:01.015Z", "System", "<Data Name=\"ProcessID\">5672</Data><Data Name=\"AppPoolID\">WsusPool</Data>"), FindingSeverity.Error },
        { FindingIds.PoolWorkerFailed, "system.xml", Event("Microsoft-Windows-WAS", 5010, 3, "2026-11-20T03:30:01.015Z", "System", "<Data Name=\"AppPoolID\">WsusPool</Data><Data Name=\"ProcessID\">5672</Data>"), FindingSeverity.Error },
        { FindingIds.PoolDisabledByRapidFailProtection, "system.xml", Event("Microsoft-Windows-WAS", 5002, 2, "2026-11-20T03:30:01.015Z", "System", "<Data Name=\"AppPoolID\">WsusPool</Data>"), FindingSeverity.Critical },
        { FindingIds.HttpQueueFull, "httperr9.log", "#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: 2026-11-20 03:00:00\r\n#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\r\n2026-11-20 03:30:03 10.0.0.21 52100 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx 503 1 QueueFull WsusPool\r\n", FindingSeverity.Error },
        { FindingIds.HttpAppOffline, "httperr9.log", "#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: 2026-11-20 03:00:00\r\n#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\r\n2026-11-20 03:30:03 10.0.0.21 52100 10.0.0.5 8530 HTTP/1.1 POST /ApiRemoting30/WebService.asmx 503 1 AppOffline WsusPool\r\n", FindingSeverity.Error },
        { FindingIds.WsusApiUnavailable, "Application.xml", Event("Windows Server Update Services", 12072, 2, "2026-11-20T03:30:01.015Z", "Application", "<Data>The WSUS content directory is not accessible.\nSystem.Net.WebException: The remote server returned an error: (503) Server Unavailable.</Data>"), FindingSeverity.Error },
        { FindingIds.CatalogSyncFailed, "Application.xml", Event("Windows Server Update Services", 10021, 2, "2026-11-20T03:30:01.015Z", "Application", "<Data>The catalog was last synchronized successfully 2 days ago.</Data>"), FindingSeverity.Error },
        { FindingIds.UpstreamMissingUpdates, "SoftwareDistribution.log", Sd("2026-11-20 03:30:01.015", "Warning", "ContentSyncAgent.LogDownloadFailure", "Content file download failed. Reason: HTTP status 404: The requested URL does not exist on the server. Source File: /Content/A1/0F3E1C2A.cab"), FindingSeverity.Error },
        // The shape a real WSUS writes for a BITS download error (ContentSyncAgent.JobError, the HRESULT in decimal, a blank
        // line, the stack), then the state-machine event without the reason: fixtures README, "SoftwareDistribution.log".
        { FindingIds.UpstreamMissingUpdates, "SoftwareDistribution.log", Sd("2026-11-20 03:30:01.015", "Error", "ContentSyncAgent.JobError", "Download error: http://upstream01:8530/Content/A1/0F3E1C2A.cab failed in download: (-2145844844) HTTP status 404: The requested URL does not exist on the server.\r\n\r\n   at Microsoft.UpdateServices.ServerSync.ContentSyncAgent.JobError(IBitsJob job, BitsJobError joberror, String fileRemoteName)\r\n   at Microsoft.UpdateServices.ServerSync.ContentSyncAgent.MonitorStatusThreadProc()") + "\r\n" + Sd("2026-11-20 03:30:01.016", "Info", "ContentSyncAgent.ContentSyncSPFireStateMachineEvent", "ContentSyncAgent firing Event: FileDownloadFailed for Item: 2f0c9a41-7d3b-4e8a-9c15-6b2e0d4f8a73"), FindingSeverity.Error },
        // WSUS event 364 as a real Application log shows it (KB 922330; the message on several lines: fixtures README).
        { FindingIds.UpstreamMissingUpdates, "Application.xml", Event("Windows Server Update Services", 364, 2, "2026-11-20T03:30:01.015Z", "Application", "<Data>Content file download failed.\r\nReason: HTTP status 404: The requested URL does not exist on the server.\r\n\r\nSource File: /Content/A1/0F3E1C2A.cab\r\nDestination File: D:\\WSUS\\WsusContent\\A1\\0F3E1C2A.cab</Data>"), FindingSeverity.Error },
        { FindingIds.UpstreamNameNotResolved, "SoftwareDistribution.log", Sd("2026-11-20 03:30:01.015", "Error", "WebServiceCommunicationHelper.ProcessWebServiceProxyException", "System.Net.WebException: The remote name could not be resolved: 'upstream01'"), FindingSeverity.Critical },
        { FindingIds.UpstreamUnreachable, "SoftwareDistribution.log", Sd("2026-11-20 03:30:01.015", "Error", "WebServiceCommunicationHelper.ProcessWebServiceProxyException", "System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: No connection could be made because the target machine actively refused it 10.0.0.9:8531"), FindingSeverity.Error },
        { FindingIds.TlsHandshakeFailed, "SoftwareDistribution.log", Sd("2026-11-20 03:30:01.015", "Error", "WebServiceCommunicationHelper.ProcessWebServiceProxyException", "System.Net.WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel."), FindingSeverity.Error },
        { FindingIds.CertificateNotTrusted, "wsyncmgr.log", Wsyncmgr("Sync failed: UssCommunicationError: WebException: A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider. 0x800B0109", "11-20-2026 03:30:01.015"), FindingSeverity.Error },
        { FindingIds.ProxyAuthenticationFailed, "wsyncmgr.log", Wsyncmgr("Sync failed: UssCommunicationError: WebException: The request failed with HTTP status 407: Proxy Authentication Required.", "11-20-2026 03:30:01.015"), FindingSeverity.Critical },
        { FindingIds.BitsNotUsable, "system.xml", Event("Service Control Manager", 7040, 4, "2026-11-20T03:30:01.015Z", "System", "<Data Name=\"param1\">Background Intelligent Transfer Service</Data><Data Name=\"param2\">demand start</Data><Data Name=\"param3\">disabled</Data><Data Name=\"param4\">BITS</Data>"), FindingSeverity.Critical },
        { FindingIds.WsusServiceNotRunning, "system.xml", Event("Service Control Manager", 7036, 4, "2026-11-20T03:30:01.015Z", "System", "<Data Name=\"param1\">WSUS Service</Data><Data Name=\"param2\">stopped</Data>", "5700730075007300530065007200760069006300650020002F0031000000"), FindingSeverity.Error },
        { FindingIds.SmsServiceNotRunning, "system.xml", Event("Service Control Manager", 7034, 2, "2026-11-20T03:30:01.015Z", "System", "<Data Name=\"param1\">SMS_EXECUTIVE</Data><Data Name=\"param2\">1</Data>"), FindingSeverity.Critical },
        { FindingIds.ContentFolderAccessDenied, "content.acl", "d:\\WSUS\r\nD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;NS)\r\n", FindingSeverity.Error },
        { FindingIds.TlsHandshakeFailed, "tls.reg", "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319]\r\n\"SchUseStrongCrypto\"=dword:00000000\r\n", FindingSeverity.Warning },
        { FindingIds.PoolStopped, "state.ini", "; WsusRemediation server state\r\n[Server]\r\nComputerName = WSUS02\r\nCollectedAtUtc = 2026-11-20T04:00:00.000Z\r\n[ApplicationPool]\r\nName = WsusPool\r\nState = Stopped\r\n", FindingSeverity.Critical },
        { FindingIds.ConfigMgrHasNoUpdates, "state.ini", "; WsusRemediation server state\r\n[Server]\r\nCollectedAtUtc = 2026-11-20T04:00:00.000Z\r\n[ConfigMgr]\r\nUpdateCount = 0\r\n", FindingSeverity.Critical },
        { FindingIds.UpstreamNameNotResolved, "state.ini", "; WsusRemediation server state\r\n[Server]\r\nCollectedAtUtc = 2026-11-20T04:00:00.000Z\r\n[NetworkProbe]\r\nStep = NameResolution\r\nTarget = upstream01\r\nPort = 8531\r\nOutcome = NameNotResolved\r\nDetail = No such host is known\r\n", FindingSeverity.Critical },
        { FindingIds.UpstreamUnreachable, "state.ini", "; WsusRemediation server state\r\n[Server]\r\nCollectedAtUtc = 2026-11-20T04:00:00.000Z\r\n[NetworkProbe]\r\nStep = TcpConnect\r\nTarget = sws.update.microsoft.com\r\nPort = 443\r\nProxy = proxy.contoso.com:8080\r\nOutcome = TimedOut\r\n", FindingSeverity.Error },
        { FindingIds.SmsServiceNotRunning, "services.csv", "\"Name\",\"DisplayName\",\"Status\",\"StartType\"\r\n\"SMS_EXECUTIVE\",\"SMS_EXECUTIVE\",\"Stopped\",\"Automatic\"\r\n", FindingSeverity.Critical },
        { FindingIds.BitsNotUsable, "services.csv", "\"Name\",\"DisplayName\",\"Status\",\"StartType\"\r\n\"BITS\",\"Background Intelligent Transfer Service\",\"Stopped\",\"Disabled\"\r\n", FindingSeverity.Critical },
        { FindingIds.WsusServiceNotRunning, "services.csv", "#TYPE Selected.System.ServiceProcess.ServiceController\r\n\"Name\",\"DisplayName\",\"Status\",\"StartType\"\r\n\"WsusService\",\"WSUS Service\",\"Stopped\",\"Automatic\"\r\n", FindingSeverity.Critical },
    };

    [Theory]
    [MemberData(nameof(OneFileCases))]
    public void Each_rule_finds_its_cause_alone(string id, string file, string text, FindingSeverity severity)
    {
        var diagnosis = Run((Path.Combine("collected", file), text));

        var finding = Assert.Single(diagnosis.Findings, f => f.Id == id);
        Assert.Equal(severity, finding.Severity);
        Assert.NotEmpty(finding.Evidence);
        Assert.NotEmpty(finding.Cause);
        Assert.NotEmpty(finding.Fix);
        Assert.NotEmpty(finding.Reference);
        Assert.Equal(DiagnosisCheckResult.Found, diagnosis.Checks.Single(c => c.Id == id).Result);
    }

    [Fact]
    public void Only_a_configuration_file_runs_the_pool_checks_and_no_other()
    {
        var diagnosis = Run(("applicationHost.config", HealthyConfig));

        Assert.Empty(diagnosis.Findings);
        var ran = diagnosis.Checks.Where(c => c.Result != DiagnosisCheckResult.NotRun).Select(c => c.Id).ToList();
        Assert.Equal(new[] { FindingIds.Pool32BitEnabled, FindingIds.PoolTuningNotCompliant }, ran);
        Assert.All(diagnosis.Checks.Where(c => c.Result == DiagnosisCheckResult.NotRun), c => Assert.Contains("not in the evidence", c.Detail.Replace("no ", "not in the evidence ")));
    }

    [Fact]
    public void Without_applicationHost_config_the_pool_checks_are_not_run_rather_than_passed()
    {
        var diagnosis = Run(("wsyncmgr.log", Wsyncmgr("Sync succeeded. Setting sync alert to canceled state on site PS1", "11-20-2026 03:30:01.015")));

        Assert.Equal(DiagnosisCheckResult.NotRun, diagnosis.Checks.Single(c => c.Id == FindingIds.PoolTuningNotCompliant).Result);
        Assert.Equal(DiagnosisCheckResult.NotRun, diagnosis.Checks.Single(c => c.Id == FindingIds.Pool32BitEnabled).Result);
        Assert.Equal(DiagnosisCheckResult.NotRun, diagnosis.Checks.Single(c => c.Id == FindingIds.PoolRecycledOnMemoryLimit).Result);
        Assert.Equal(DiagnosisCheckResult.NotRun, diagnosis.Checks.Single(c => c.Id == FindingIds.HttpQueueFull).Result);
        Assert.Equal(DiagnosisCheckResult.Passed, diagnosis.Checks.Single(c => c.Id == FindingIds.ProxyAuthenticationFailed).Result);
    }

    [Fact]
    public void Scm_events_of_services_a_sync_does_not_need_are_not_evidence()
    {
        var diagnosis = Run(("system.xml", Event("Service Control Manager", 7040, 4, "2026-11-20T03:30:01.015Z", "System", "<Data Name=\"param1\">Windows Time</Data><Data Name=\"param2\">demand start</Data><Data Name=\"param3\">disabled</Data><Data Name=\"param4\">W32Time</Data>")));

        Assert.Empty(diagnosis.Findings);
        Assert.Equal(DiagnosisCheckResult.Passed, diagnosis.Checks.Single(c => c.Id == FindingIds.BitsNotUsable).Result);
    }

    [Fact]
    public void A_folder_without_evidence_and_a_missing_path_are_errors_with_stable_ids()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "notes.txt"), "collected on Tuesday");

        var none = Assert.Throws<WsusRemediationException>(() => EvidenceSet.FromPaths(new[] { folder.Path }));
        Assert.Equal("EvidenceNotFound", none.ErrorId);
        Assert.Equal(EngineErrorKind.ObjectNotFound, none.Kind);

        var missing = Assert.Throws<WsusRemediationException>(() => EvidenceSet.FromPaths(new[] { Path.Combine(folder.Path, "nope") }));
        Assert.Equal("EvidencePathNotFound", missing.ErrorId);

        File.WriteAllBytes(Path.Combine(folder.Path, "bundle.zip"), new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3 });
        var broken = Assert.Throws<WsusRemediationException>(() => EvidenceSet.FromPaths(new[] { Path.Combine(folder.Path, "bundle.zip") }));
        Assert.Equal("EvidenceBundleInvalid", broken.ErrorId);
    }

    [Theory]
    [InlineData("D:PAI(A;OICI;FA;;;SY)(A;OICI;0x1200a9;;;NS)(A;OICI;0x1200a9;;;BU)", ReadAccess.Granted, ReadAccess.Granted)]
    [InlineData("D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", ReadAccess.Missing, ReadAccess.Missing)]
    [InlineData("D:PAI(A;OICI;FR;;;WD)", ReadAccess.Granted, ReadAccess.Granted)]
    [InlineData("D:PAI(D;OICI;FR;;;NS)(A;OICI;FR;;;BU)", ReadAccess.Denied, ReadAccess.Granted)]
    [InlineData("D:PAI(A;OICIIO;FR;;;NS)(A;OICI;0x1200a9;;;BU)", ReadAccess.Granted, ReadAccess.Granted)]
    [InlineData("D:PAI(A;OICIIO;FR;;;BU)", ReadAccess.Missing, ReadAccess.Missing)]
    public void Content_folder_read_access_is_judged_on_sids(string sddl, ReadAccess networkService, ReadAccess users)
    {
        var access = ContentFolderAccess.FromSddl(@"D:\WSUS", sddl);

        Assert.Equal(networkService, access.NetworkService);
        Assert.Equal(users, access.Users);
    }
}
