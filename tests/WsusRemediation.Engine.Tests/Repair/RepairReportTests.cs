using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Repair;

public class RepairReportTests
{
    private static WsusRepairResult Result(string evidenceText) => new()
    {
        ComputerName = "CM01",
        Succeeded = false,
        Summary = "The repair of CM01 did not succeed: \"RestartSmsServices\" failed.",
        StartTime = new DateTime(2026, 11, 10, 8, 0, 0, DateTimeKind.Utc),
        Duration = TimeSpan.FromSeconds(95.25),
        UpdateCount = 0,
        SyncStatus = new WsusSyncStatus { LastResult = SyncResult.Cancelled, CancelledOrFailedStreak = 3, ConfigMgrUpdateCount = 0 },
        Steps = new[]
        {
            new RepairStepResult { Order = 1, Name = RepairStepName.TunePool, Outcome = RepairStepOutcome.Done, Before = "queueLength=1000", After = "queueLength=2000", Duration = TimeSpan.FromSeconds(0.2) },
            new RepairStepResult { Order = 2, Name = RepairStepName.RestartSmsServices, Outcome = RepairStepOutcome.Failed, Error = "SMS_EXECUTIVE stopped\twhile starting", ErrorId = "ServiceStartFailed" },
        },
        FindingsBefore = new[]
        {
            new WsusSyncFinding
            {
                Id = FindingIds.ProxyAuthenticationFailed,
                Severity = FindingSeverity.Critical,
                RepairStep = RepairStepName.Manual,
                Evidence = new[] { new FindingEvidence { Source = @"C:\Logs\WCM.log", Line = 12, Text = evidenceText } },
            },
        },
    };

    [Fact]
    public void The_report_is_valid_JSON_with_every_step_and_finding()
    {
        using var document = JsonDocument.Parse(RepairReport.ToJson(Result("407 Proxy Authentication Required")));
        var root = document.RootElement;

        Assert.Equal("CM01", root.GetProperty("ComputerName").GetString());
        Assert.False(root.GetProperty("Succeeded").GetBoolean());
        Assert.Equal(95.25, root.GetProperty("DurationSeconds").GetDouble());
        Assert.Equal("2026-11-10T08:00:00.000Z", root.GetProperty("StartTime").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("BackupPath").ValueKind);
        Assert.Equal("Cancelled", root.GetProperty("SyncStatus").GetProperty("LastResult").GetString());
        var steps = root.GetProperty("Steps").EnumerateArray().ToList();
        Assert.Equal(new[] { "Done", "Failed" }, steps.Select(s => s.GetProperty("Outcome").GetString()));
        Assert.Equal("SMS_EXECUTIVE stopped\twhile starting", steps[1].GetProperty("Error").GetString());
        var evidence = root.GetProperty("FindingsBefore")[0].GetProperty("Evidence")[0];
        Assert.Equal(@"C:\Logs\WCM.log", evidence.GetProperty("Source").GetString());
        Assert.Equal(12, evidence.GetProperty("Line").GetInt64());
        Assert.Empty(root.GetProperty("FindingsAfter").EnumerateArray());
    }

    [Theory]
    [InlineData("proxy password=Summer2026! rejected", "Summer2026!")]
    [InlineData("<add key=\"ProxyPassword\" value=\"x\" password=\"Hunter2\" />", "Hunter2")]
    [InlineData("Data Source=db;User ID=sa;Password=P@ss;", "P@ss")]
    [InlineData("userName=\"svc\" password=\"[enc:AesProvider:57686f6120647564652c2049276d2061:enc]\"", "57686f6120647564652c2049276d2061")]
    public void Secrets_in_evidence_never_reach_the_report(string text, string secret)
    {
        var json = RepairReport.ToJson(Result(text));

        Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        Assert.Contains("(removed)", json, StringComparison.Ordinal);
        using var _ = JsonDocument.Parse(json);
    }

    [Fact]
    public void Write_creates_the_folder_and_an_unwritable_path_is_ReportWriteFailed()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "reports", "repair.json");

        var written = RepairReport.Write(Result("x"), path, PhysicalFileStore.Instance);

        Assert.Equal(path, written);
        using var _ = JsonDocument.Parse(File.ReadAllText(path));
        File.WriteAllText(Path.Combine(temp.Path, "file"), "x");
        var error = Assert.Throws<WsusRemediationException>(() => RepairReport.Write(Result("x"), Path.Combine(temp.Path, "file", "r.json"), PhysicalFileStore.Instance));
        Assert.Equal("ReportWriteFailed", error.ErrorId);
    }
}
