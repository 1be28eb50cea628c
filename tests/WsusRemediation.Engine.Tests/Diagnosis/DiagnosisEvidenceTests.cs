using System;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Diagnosis;

/// <summary>
/// Get-WsusSyncDiagnosis -EvidencePath on whole evidence folders (Fixtures/Evidence/README.md): the
/// guide's case, the same server after the fix, and a site whose proxy password expired.
/// </summary>
public sealed class DiagnosisEvidenceTests
{
    private static string Folder(string scenario) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evidence", scenario);

    private static SyncDiagnosis Diagnose(string scenario, DiagnosisOptions? options = null)
    {
        using var evidence = EvidenceSet.FromPaths(new[] { Folder(scenario) });
        return new SyncDiagnosisService().Diagnose(evidence, options, CancellationToken.None);
    }

    private static DateTime Utc(int month, int day, int hour, int minute, int second, int millisecond = 0) =>
        new(2026, month, day, hour, minute, second, millisecond, DateTimeKind.Utc);

    [Fact]
    public void Every_finding_carries_the_WSUS_port_and_scheme_the_server_was_reached_at()
    {
        var ssl = Diagnose("GuideCase", new DiagnosisOptions { WsusPort = 8531, UseSsl = true });
        var sslDefault = Diagnose("GuideCase", new DiagnosisOptions { UseSsl = true });
        var evidence = Diagnose("GuideCase");

        Assert.NotEmpty(ssl.Findings);
        Assert.All(ssl.Findings, f => Assert.Equal((8531, true), (f.WsusPort, f.UseSsl)));
        Assert.All(sslDefault.Findings, f => Assert.Equal((8531, true), (f.WsusPort, f.UseSsl)));
        // Evidence does not say: the default, never 0 (a 0 would fail -WsusPort's range for every piped finding).
        Assert.All(evidence.Findings, f => Assert.Equal((8530, false), (f.WsusPort, f.UseSsl)));
    }

    [Fact]
    public void GuideCase_reads_as_one_story_from_the_memory_limit_to_the_cancelled_syncs()
    {
        var diagnosis = Diagnose("GuideCase");

        Assert.Equal("CM01.CONTOSO.COM", diagnosis.ComputerName);
        Assert.Equal(
            new[]
            {
                FindingIds.PoolTuningNotCompliant,
                FindingIds.PoolRecycledOnMemoryLimit,
                FindingIds.PoolDisabledByRapidFailProtection,
                FindingIds.HttpAppOffline,
                FindingIds.WsusApiUnavailable,
                FindingIds.SyncFailureStreak,
                FindingIds.PoolWorkerFailed,
                FindingIds.HttpQueueFull,
            },
            diagnosis.Findings.Select(f => f.Id));

        string? CausedBy(string id) => diagnosis.Findings.Single(f => f.Id == id).CausedBy;
        Assert.Null(CausedBy(FindingIds.PoolTuningNotCompliant));
        Assert.Equal(FindingIds.PoolTuningNotCompliant, CausedBy(FindingIds.PoolRecycledOnMemoryLimit));
        Assert.Equal(FindingIds.PoolRecycledOnMemoryLimit, CausedBy(FindingIds.PoolDisabledByRapidFailProtection));
        Assert.Equal(FindingIds.PoolDisabledByRapidFailProtection, CausedBy(FindingIds.HttpAppOffline));
        Assert.Equal(FindingIds.HttpAppOffline, CausedBy(FindingIds.WsusApiUnavailable));
        Assert.Equal(FindingIds.WsusApiUnavailable, CausedBy(FindingIds.SyncFailureStreak));
        Assert.Equal(FindingIds.PoolTuningNotCompliant, CausedBy(FindingIds.HttpQueueFull));
        Assert.All(diagnosis.Findings, f => Assert.Equal("CM01.CONTOSO.COM", f.ComputerName));
    }

    [Fact]
    public void GuideCase_findings_carry_their_evidence_with_file_line_and_utc_time()
    {
        var diagnosis = Diagnose("GuideCase");

        var streak = diagnosis.Findings.Single(f => f.Id == FindingIds.SyncFailureStreak);
        Assert.Equal(FindingSeverity.Critical, streak.Severity);
        Assert.StartsWith("25 synchronization(s) in a row ended Cancelled or Failed; the last success was 2026-11-12 06:05:00Z", streak.Title);
        Assert.Equal(RepairStepName.StartSync, streak.RepairStep);
        var last = streak.Evidence.Last();
        Assert.Equal("wsyncmgr.log", last.Source);
        Assert.Equal(Utc(11, 13, 14, 10, 31, 759), last.TimeUtc);
        Assert.StartsWith("Sync failed: UssCommunicationError: WebException: The request failed with HTTP status 503", last.Text);
        Assert.Equal(File.ReadAllLines(Path.Combine(Folder("GuideCase"), "wsyncmgr.log")).Length - 2, last.Line);
        Assert.Equal(Utc(11, 13, 14, 10, 31, 759), streak.LastSeen);

        var disabled = diagnosis.Findings.Single(f => f.Id == FindingIds.PoolDisabledByRapidFailProtection);
        Assert.Equal(FindingSeverity.Critical, disabled.Severity);
        var event5002 = Assert.Single(disabled.Evidence);
        Assert.Equal("events.xml", event5002.Source);
        Assert.Equal(Utc(11, 12, 16, 39, 44, 908), event5002.TimeUtc);
        Assert.Contains("Application pool 'WsusPool' is being automatically disabled", event5002.Text);

        var tuning = diagnosis.Findings.Single(f => f.Id == FindingIds.PoolTuningNotCompliant);
        Assert.Contains(tuning.Evidence, e => e.Text == "recycling.periodicRestart.privateMemory = 1843200 KB (expected 0 KB; Pool)" || e.Text.StartsWith("recycling.periodicRestart.privateMemory = ", StringComparison.Ordinal));
        Assert.Contains(tuning.Evidence, e => e.Text.StartsWith("queueLength = 1000 (expected 2000", StringComparison.Ordinal));
        Assert.Equal(RepairStepName.TunePool, tuning.RepairStep);
        Assert.Contains("Set-WsusPoolTuning", tuning.Fix);

        var offline = diagnosis.Findings.Single(f => f.Id == FindingIds.HttpAppOffline);
        Assert.Equal(Utc(11, 13, 14, 21, 29), offline.LastSeen);
        Assert.All(offline.Evidence, e => Assert.StartsWith("httperr", e.Source));
        Assert.True(offline.Evidence.Count <= DiagnosisRules.MaxEvidence);
        Assert.Contains("22 request(s)", offline.Title);
    }

    [Fact]
    public void GuideCase_checks_that_need_live_state_are_not_run_and_never_passed()
    {
        var diagnosis = Diagnose("GuideCase");

        Assert.Equal(DiagnosisRules.All.Select(r => r.Id), diagnosis.Checks.Select(c => c.Id));
        var notRun = diagnosis.Checks.Where(c => c.Result == DiagnosisCheckResult.NotRun).Select(c => c.Id).ToList();
        Assert.Equal(new[] { FindingIds.PoolStopped, FindingIds.ConfigMgrHasNoUpdates, FindingIds.ContentFolderAccessDenied }, notRun);
        Assert.All(diagnosis.Checks.Where(c => c.Result == DiagnosisCheckResult.Found), c => Assert.Contains(diagnosis.Findings, f => f.Id == c.Id));
        Assert.All(diagnosis.Findings, f => Assert.Equal(DiagnosisCheckResult.Found, diagnosis.Checks.Single(c => c.Id == f.Id).Result));
    }

    [Fact]
    public void Time_windows_are_measured_back_from_the_newest_evidence_not_from_the_clock()
    {
        var diagnosis = Diagnose("GuideCase");

        // WSUSCtrl.log's last line is the newest record; a bundle read a month later gives the same answer.
        Assert.Equal(Utc(11, 13, 14, 57, 0, 620), diagnosis.ReferenceTimeUtc);
        Assert.Equal(diagnosis.ReferenceTimeUtc - DiagnosisOptions.DefaultWindow, diagnosis.SinceUtc);
        Assert.Equal(Utc(11, 7, 4, 30, 1, 15), diagnosis.Findings.Single(f => f.Id == FindingIds.PoolRecycledOnMemoryLimit).FirstSeen);

        // -Since narrows the window: only the last day's recycles remain.
        var lastDay = Diagnose("GuideCase", new DiagnosisOptions { SinceUtc = Utc(11, 12, 12, 0, 0) });
        var recycled = lastDay.Findings.Single(f => f.Id == FindingIds.PoolRecycledOnMemoryLimit);
        Assert.True(recycled.FirstSeen >= Utc(11, 12, 12, 0, 0));
        Assert.Equal(Utc(11, 12, 12, 0, 0), lastDay.SinceUtc);
    }

    [Fact]
    public void HealthyAfterFix_gives_no_Error_and_keeps_the_past_as_warnings()
    {
        var diagnosis = Diagnose("HealthyAfterFix");

        Assert.All(diagnosis.Findings, f => Assert.True(f.Severity < FindingSeverity.Error, f.ToString()));
        Assert.DoesNotContain(diagnosis.Findings, f => f.Id is FindingIds.PoolTuningNotCompliant or FindingIds.SyncFailureStreak);
        Assert.Equal(DiagnosisCheckResult.Passed, diagnosis.Checks.Single(c => c.Id == FindingIds.SyncFailureStreak).Result);
        Assert.Equal(DiagnosisCheckResult.Passed, diagnosis.Checks.Single(c => c.Id == FindingIds.PoolTuningNotCompliant).Result);
        Assert.All(diagnosis.Findings, f => Assert.Contains("before the last successful synchronization (2026-11-13 14:37:30Z)", f.Title));
    }

    [Fact]
    public void ProxyCase_names_the_expired_proxy_password_before_what_it_caused()
    {
        var diagnosis = Diagnose("ProxyCase");

        Assert.Equal("CM02.FABRIKAM.COM", diagnosis.ComputerName);
        Assert.Equal(new[] { FindingIds.ProxyAuthenticationFailed, FindingIds.CatalogSyncFailed, FindingIds.SyncFailureStreak }, diagnosis.Findings.Select(f => f.Id));
        var proxy = diagnosis.Findings[0];
        Assert.Equal(FindingSeverity.Critical, proxy.Severity);
        Assert.Equal(RepairStepName.Manual, proxy.RepairStep);
        Assert.Contains("Proxy tab", proxy.Fix);
        Assert.Contains("WCM rewrites", proxy.Fix);
        Assert.Contains(proxy.Evidence, e => e.Source == "CM02-collected/ConfigMgr/sync-manager.txt" && e.Text.Contains("HTTP status 407"));
        Assert.Contains(proxy.Evidence, e => e.Source == "CM02-collected/wsus/SoftwareDistribution.log" && e.Text.Contains("(407) Proxy Authentication Required"));
        Assert.Equal(FindingIds.ProxyAuthenticationFailed, diagnosis.Findings[1].CausedBy);
        Assert.Equal(FindingIds.ProxyAuthenticationFailed, diagnosis.Findings[2].CausedBy);
        Assert.StartsWith("4 synchronization(s) in a row ended Failed", diagnosis.Findings[2].Title);

        // Recognised by content: a renamed wsyncmgr log, an applicationHost.config saved as .xml, a CSV of services.
        Assert.Contains(diagnosis.EvidenceFiles, f => f.DisplayPath == "CM02-collected/ConfigMgr/sync-manager.txt" && f.Kind == EvidenceFileKind.MecmLog);
        Assert.Contains(diagnosis.EvidenceFiles, f => f.DisplayPath == "CM02-collected/wsus/apphost-copy.xml" && f.Kind == EvidenceFileKind.ApplicationHostConfig);
        Assert.Contains(diagnosis.EvidenceFiles, f => f.DisplayPath == "CM02-collected/services.csv" && f.Kind == EvidenceFileKind.ServiceStates);
        Assert.Equal(DiagnosisCheckResult.Passed, diagnosis.Checks.Single(c => c.Id == FindingIds.BitsNotUsable).Result);
        Assert.Equal(DiagnosisCheckResult.Passed, diagnosis.Checks.Single(c => c.Id == FindingIds.SmsServiceNotRunning).Result);
    }

    [Fact]
    public void ProxyCase_log_lines_say_proxy_authentication_not_wcm_configuration()
    {
        var entries = EvidenceReader.ReadFile(Path.Combine(Folder("ProxyCase"), "CM02-collected", "ConfigMgr", "sync-manager.txt"))
            .Concat(EvidenceReader.ReadFile(Path.Combine(Folder("ProxyCase"), "CM02-collected", "wsus", "SoftwareDistribution.log")))
            .Where(e => e.Message.Contains("407"))
            .ToList();

        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.True(e.Kind == EvidenceKind.ProxyAuthenticationRequired || e.Cause == EvidenceKind.ProxyAuthenticationRequired, e.ToString()));
        Assert.DoesNotContain(entries, e => e.Kind == EvidenceKind.WcmConfigFailure || e.Cause == EvidenceKind.WcmConfigFailure);
    }

    [Fact]
    public void DownstreamCase_names_the_TechNet_causes_with_the_disabled_BITS_behind_the_failed_syncs()
    {
        var diagnosis = Diagnose("DownstreamCase");

        Assert.Equal("WSUS02.CONTOSO.COM", diagnosis.ComputerName);
        Assert.Equal(
            new[] { FindingIds.ContentFolderAccessDenied, FindingIds.BitsNotUsable, FindingIds.SyncFailureStreak, FindingIds.UpstreamMissingUpdates },
            diagnosis.Findings.Select(f => f.Id));
        Assert.Equal(FindingIds.BitsNotUsable, diagnosis.Findings[2].CausedBy);
        Assert.StartsWith("3 synchronization(s) in a row ended Failed", diagnosis.Findings[2].Title);

        var bits = diagnosis.Findings[1];
        Assert.Equal(FindingSeverity.Critical, bits.Severity);
        Assert.Equal(RepairStepName.RepairBits, bits.RepairStep);
        Assert.Equal("service BITS (services.csv)", bits.Evidence[0].Source);
        Assert.Equal("Stopped, Disabled", bits.Evidence[0].Text);
        Assert.Contains(bits.Evidence, e => e.Source == "system-events.xml" && e.Text.StartsWith("Service Control Manager 7040", StringComparison.Ordinal) && e.TimeUtc == Utc(11, 18, 1, 12, 44, 521));

        var content = diagnosis.Findings[0];
        Assert.Equal(@"The content folder d:\WSUS lacks Read for NETWORK SERVICE (Missing) and Users (Missing)", content.Title);
        Assert.Equal("content-acl.txt", content.Evidence[0].Source);

        var missing = diagnosis.Findings[3];
        Assert.Equal(3, missing.Evidence.Count);
        Assert.All(missing.Evidence, e => Assert.Contains("HTTP status 404", e.Text, StringComparison.Ordinal));

        // A standalone WSUS server: the SMS services are not there, which is not a finding.
        Assert.Equal(DiagnosisCheckResult.Passed, diagnosis.Checks.Single(c => c.Id == FindingIds.SmsServiceNotRunning).Result);
    }

    [Fact]
    public void LocalizedCase_finds_what_a_German_server_wrote_in_German()
    {
        var diagnosis = Diagnose("LocalizedCase");

        Assert.Equal("CM03.CONTOSO.COM", diagnosis.ComputerName);
        // Before: only the streak; the German 503s, 7036 "Beendet" and 7040 "Deaktiviert" were not understood.
        Assert.Equal(
            new[] { FindingIds.BitsNotUsable, FindingIds.SmsServiceNotRunning, FindingIds.WsusApiUnavailable, FindingIds.SyncFailureStreak },
            diagnosis.Findings.Select(f => f.Id));
        Assert.Equal(FindingSeverity.Critical, diagnosis.Findings[0].Severity);
        Assert.Equal("The WSUS web services answered HTTP 503 6 times", diagnosis.Findings[2].Title);
        Assert.Equal(FindingIds.WsusApiUnavailable, diagnosis.Findings.Single(f => f.Id == FindingIds.SyncFailureStreak).CausedBy);

        var api = diagnosis.Findings.Single(f => f.Id == FindingIds.WsusApiUnavailable);
        Assert.Contains(api.Evidence, e => e.Source == "WCM.log" && e.Text.Contains("(503)", StringComparison.Ordinal));
        Assert.Contains(api.Evidence, e => e.Source == "wsyncmgr.log" && e.Text.Contains("HTTP-Status 503", StringComparison.Ordinal));

        Assert.Equal("SMS_NOTIFICATION_SERVER is not running", diagnosis.Findings.Single(f => f.Id == FindingIds.SmsServiceNotRunning).Title);
        var bits = diagnosis.Findings.Single(f => f.Id == FindingIds.BitsNotUsable);
        Assert.Contains(bits.Evidence, e => e.Source == "System.xml" && e.TimeUtc == Utc(11, 22, 4, 58, 41, 32));
    }

    [Fact]
    public void A_service_list_in_the_German_CSV_shape_gives_the_service_findings()
    {
        var diagnosis = Diagnose("LocalizedServices");

        var bits = diagnosis.Findings.Single(f => f.Id == FindingIds.BitsNotUsable);
        Assert.Equal(FindingSeverity.Critical, bits.Severity);
        Assert.Equal("service BITS (dienste.csv)", bits.Evidence[0].Source);
        Assert.Equal("Stopped, Disabled", bits.Evidence[0].Text);
        Assert.Equal("SMS_NOTIFICATION_SERVER is not running", diagnosis.Findings.Single(f => f.Id == FindingIds.SmsServiceNotRunning).Title);
    }
    [Fact]
    public void IIS_request_logs_in_the_evidence_do_not_pass_the_HTTPERR_checks()
    {
        using var temp = new Common.TempFolder();
        File.Copy(Path.Combine(Folder("LocalizedCase"), "wsyncmgr.log"), Path.Combine(temp.Path, "wsyncmgr.log"));
        var w3svc = Directory.CreateDirectory(Path.Combine(temp.Path, "W3SVC1")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Logs", "realworld", "u_ex261122.log"), Path.Combine(w3svc, "u_ex261122.log"));

        using var evidence = EvidenceSet.FromPaths(new[] { temp.Path });
        var diagnosis = new SyncDiagnosisService().Diagnose(evidence, null, CancellationToken.None);

        // Before: "passed: HTTPERR since ...: no QueueFull/AppOffline" on a folder without any HTTPERR log.
        Assert.Equal(DiagnosisCheckResult.NotRun, diagnosis.Checks.Single(c => c.Id == FindingIds.HttpQueueFull).Result);
        Assert.Equal(DiagnosisCheckResult.NotRun, diagnosis.Checks.Single(c => c.Id == FindingIds.HttpAppOffline).Result);

        // And the admin is told what to bring instead.
        var problem = Assert.Single(evidence.Problems);
        Assert.StartsWith("W3SVC1/u_ex261122.log is an IIS request log, which is not read", problem.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Contains(@"LogFiles\HTTPERR\httperr*.log", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_exported_as_CSV_are_named_as_not_read_with_the_command_that_exports_XML()
    {
        using var temp = new Common.TempFolder();
        File.Copy(Path.Combine(Folder("LocalizedCase"), "wsyncmgr.log"), Path.Combine(temp.Path, "wsyncmgr.log"));
        File.Copy(Path.Combine(Folder("ExportedAsCsv"), "System.csv"), Path.Combine(temp.Path, "System.csv"));

        using var evidence = EvidenceSet.FromPaths(new[] { temp.Path });
        var diagnosis = new SyncDiagnosisService().Diagnose(evidence, null, CancellationToken.None);

        // The 5002 and 5117 in the CSV cannot be read: the pool rules say they had no events, and the admin learns why.
        Assert.Equal(DiagnosisCheckResult.NotRun, diagnosis.Checks.Single(c => c.Id == FindingIds.PoolDisabledByRapidFailProtection).Result);
        var problem = Assert.Single(evidence.Problems);
        Assert.StartsWith("System.csv is an event list exported as CSV, which is not read", problem, StringComparison.Ordinal);
        Assert.Contains("ToXml()", problem, StringComparison.Ordinal);
        Assert.Contains("System.xml", problem, StringComparison.Ordinal);

        // wevtutil's text form of the same events gets the same advice.
        Assert.StartsWith(
            "System.txt is an event list exported as text, which is not read",
            EvidenceRecognizer.NotReadAdvice(Path.Combine(Folder("ExportedAsCsv"), "System.txt"), "System.txt"),
            StringComparison.Ordinal);
        Assert.Null(EvidenceRecognizer.NotReadAdvice(Path.Combine(Folder("LocalizedCase"), "wsyncmgr.log"), "wsyncmgr.log"));
    }

    [Fact]
    public void A_Since_after_the_newest_evidence_is_refused_rather_than_every_windowed_check_passing()
    {
        var after = Assert.Throws<WsusRemediationException>(() => Diagnose("GuideCase", new DiagnosisOptions { SinceUtc = Utc(11, 14, 0, 0, 0) }));
        Assert.Equal("SinceAfterEvidence", after.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, after.Kind);
        Assert.Contains("2026-11-13 14:57:00Z", after.Message);

        // Up to the newest record itself, the window is what was asked for.
        var last = Diagnose("GuideCase", new DiagnosisOptions { SinceUtc = Utc(11, 13, 14, 0, 0) });
        Assert.Contains(last.Findings, f => f.Id == "WsusApiUnavailable");
    }

    [Fact]
    public void A_run_that_ended_with_status_message_6703_alone_gives_its_cause_and_one_reason_is_counted_once()
    {
        // realworld/wsyncmgr-statmsg-first.log: run 2 writes 6703 (ISTR0 = the 503 text) then "Sync failed: <the same>";
        // run 3 ends with the 6703 alone.
        using var temp = new Common.TempFolder();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Logs", "realworld", "wsyncmgr-statmsg-first.log"), Path.Combine(temp.Path, "wsyncmgr.log"));

        using var evidence = EvidenceSet.FromPaths(new[] { temp.Path });
        var diagnosis = new SyncDiagnosisService().Diagnose(evidence, null, CancellationToken.None);

        // Before: "once" (run 2's "Sync failed:" line only; run 3's 6703 had no cause).
        var api = diagnosis.Findings.Single(f => f.Id == FindingIds.WsusApiUnavailable);
        Assert.Equal("The WSUS web services answered HTTP 503 2 times", api.Title);
        // The evidence gives the status message's reason, not its ids and dates (which filled the text before the reason).
        Assert.Contains(api.Evidence, e => e.TimeUtc == Utc(11, 9, 19, 0, 2, 870)
            && e.Text == "WSUS Synchronization failed (status message 6703): The request failed with HTTP status 503: Service Unavailable.; Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer");
        Assert.DoesNotContain(api.Evidence, e => e.TimeUtc == Utc(11, 9, 18, 0, 2, 870));
        Assert.Equal(FindingIds.WsusApiUnavailable, diagnosis.Findings.Single(f => f.Id == FindingIds.SyncFailureStreak).CausedBy);
    }

    [Fact]
    public void A_service_list_exported_from_Win32_Service_gives_the_service_findings()
    {
        // Get-WmiObject Win32_Service | Select-Object Name, DisplayName, State, StartMode | Export-Csv: what Windows
        // PowerShell 4.0 (Server 2012 R2) gives, its Get-Service having no StartType. Before: not recognised, so no
        // evidence at all ("No evidence was recognised").
        var diagnosis = Diagnose("Win32ServiceCsv");

        Assert.Equal(
            new[] { FindingIds.WsusServiceNotRunning, FindingIds.BitsNotUsable, FindingIds.SmsServiceNotRunning },
            diagnosis.Findings.Select(f => f.Id));
        Assert.Equal("Stopped, Disabled", diagnosis.Findings[1].Evidence[0].Text);
        Assert.Equal("service SMS_EXECUTIVE (services-wmi.csv)", diagnosis.Findings[2].Evidence[0].Source);
        Assert.Equal("StartPending, Automatic", diagnosis.Findings[2].Evidence[0].Text);
    }
}
