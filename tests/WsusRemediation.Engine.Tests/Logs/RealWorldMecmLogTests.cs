using System;
using System.Linq;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// MECM logs with the variations real servers write: negative and zero biases (UTC+1, UTC servers),
/// seven-digit fractions without a bias, file="name.cpp:line", type="0", empty thread, messages holding
/// '&lt;', '&gt;' and a ]LOG]!&gt; fragment, NUL padding left by a crash, '-000', a thread without the hex part,
/// UTF-8 text, trailing blanks.
/// </summary>
public class RealWorldMecmLogTests
{
    [Fact]
    public void Cmtrace_variants_are_read_with_their_times_and_severities()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "wsyncmgr-cmtrace.log"), summary).ToList();

        Assert.Equal(LogFormat.CMTrace, entries[0].Format);
        Assert.Equal(
            new[]
            {
                "Wakeup for scheduled regular sync", "Starting Sync", "Read SUPs from SCF for CS1SITE.contoso.com",
                "Checking <Update_SyncStatus> for <![LOG[nested]LOG]!> text & quotes \"x\"",
            },
            entries.Take(4).Select(e => e.Message));

        // -060 is a UTC+1 server: UTC = local - 60 minutes.
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 7, 6, 34, 590, TimeSpan.Zero), entries[0].TimeUtc);
        Assert.Equal("-60", entries[0].GetField("Bias"));
        Assert.Equal("wsyncmgr.cpp:1841", entries[0].GetField("SourceFile"));

        // No bias written (newer components): the time is taken as written, with all seven digits.
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 8, 6, 34, TimeSpan.Zero).AddTicks(6052727), entries[1].TimeUtc);

        Assert.Equal(LogSeverity.None, entries[2].Severity);
        Assert.Equal("0", entries[2].GetField("Type"));
        Assert.Equal(string.Empty, entries[2].Thread);
        Assert.Equal(LogSeverity.Warning, entries[3].Severity);

        var failed = entries[4];
        Assert.Equal(EvidenceKind.SyncFailed, failed.Kind);
        Assert.Equal(EvidenceKind.WsusApi503, failed.Cause);
        Assert.Equal(LogSeverity.Error, failed.Severity);
        Assert.Equal(5, failed.Line);
        Assert.EndsWith("WSyncAction.SyncWSUS", failed.Message);

        Assert.Equal(EvidenceKind.SyncStatusMessage, entries[5].Kind);
        Assert.True(EvidenceCatalog.TryGetStatusMessageId(entries[5].Message, out var id));
        Assert.Equal(6703, id);
    }

    [Fact]
    public void A_record_cut_by_nul_padding_is_skipped_and_the_record_after_it_on_the_same_line_is_read()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "wsyncmgr-cmtrace.log"), summary).ToList();

        Assert.Equal(8, entries.Count);
        var wakeup = entries[6];
        Assert.Equal("Wakeup by inbox drop", wakeup.Message);
        Assert.Equal(EvidenceKind.SyncRequested, wakeup.Kind);
        Assert.Equal(9, wakeup.Line);
        Assert.Equal(EvidenceKind.SyncSucceeded, entries[7].Kind);
        Assert.Equal(1, summary.SkippedCount);
        Assert.Equal(9, summary.Skipped.Single().Line);
    }

    [Theory]
    [InlineData("Done synchronizing SMS with WSUS Server cs1site.contoso.com", EvidenceKind.SyncProgress, EvidenceKind.None)]
    [InlineData("Synchronizing SMS database with WSUS server cs1site.contoso.com", EvidenceKind.SyncProgress, EvidenceKind.None)]
    [InlineData("sync: SMS synchronizing categories, processed 223 out of 223 items (100%)", EvidenceKind.SyncProgress, EvidenceKind.None)]
    [InlineData("STATMSG: ID=6705 SOURCE=\"SMS Server\" COMP=\"SMS_WSUS_SYNC_MANAGER\"", EvidenceKind.SyncStatusMessage, EvidenceKind.None)]
    [InlineData("Sync succeeded. Setting sync alert to canceled state on site CS1", EvidenceKind.SyncSucceeded, EvidenceKind.None)]
    [InlineData("Sync Failed: USSCommunicationError: WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel", EvidenceKind.SyncFailed, EvidenceKind.TlsFailure)]
    [InlineData("Sync failed: WSUS server not configured. Please refer to WCM.log for configuration error details. Source: CWSyncMgr::DoSync", EvidenceKind.SyncFailed, EvidenceKind.WsusNotConfigured)]
    [InlineData("Sync failed. Will retry in 60 minutes", EvidenceKind.SyncRetryScheduled, EvidenceKind.None)]
    public void Documented_wsyncmgr_lines_are_recognised_in_both_formats(string message, EvidenceKind kind, EvidenceKind cause)
    {
        // Lines from SA track-software-update-synchronization / troubleshoot-software-update-synchronization / 800B0109.
        var simple = message + "  $$<SMS_WSUS_SYNC_MANAGER><11-10-2026 07:59:58.512+300><thread=4840 (0x12E8)>\r\n";
        var cmtrace = "<![LOG[" + message + "]LOG]!><time=\"07:59:58.512+300\" date=\"11-10-2026\" component=\"SMS_WSUS_SYNC_MANAGER\" context=\"\" type=\"1\" thread=\"4840\" file=\"\">\r\n";
        foreach (var (text, format) in new[] { (simple, LogFormat.SmsSimple), (cmtrace, LogFormat.CMTrace) })
        {
            var entry = Assert.Single(EvidenceReader.ReadText(new System.IO.StringReader(text), "wsyncmgr.log", format));
            Assert.Equal(message, entry.Message);
            Assert.Equal(kind, entry.Kind);
            Assert.Equal(cause, entry.Cause);
        }
    }

    [Fact]
    public void Cmtrace_records_need_only_time_and_date_and_take_attributes_in_any_order()
    {
        var text = "<![LOG[reordered]LOG]!><thread=\"9\" component=\"SMS_WSUS_CONTROL_MANAGER\" date=\"1-2-2026\" time=\"01:02:03.000+000\" type=\"2\">\r\n"
            + "<![LOG[sparse]LOG]!><time=\"01:02:04.000+000\" date=\"1-2-2026\">\r\n";
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadText(new System.IO.StringReader(text), "WSUSCtrl.log", LogFormat.CMTrace, summary).ToList();

        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(new[] { "reordered", "sparse" }, entries.Select(e => e.Message));
        Assert.Equal("SMS_WSUS_CONTROL_MANAGER", entries[0].Component);
        Assert.Equal(LogSeverity.Warning, entries[0].Severity);
        Assert.Equal(string.Empty, entries[1].Component);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 1, 2, 4, TimeSpan.Zero), entries[1].TimeUtc);
    }

    [Fact]
    public void Any_subset_of_the_optional_cmtrace_attributes_is_read_without_an_exception()
    {
        // A record without type="" used to index before the start of the buffer.
        var optional = new[] { "component=\"SMS_WSUS_SYNC_MANAGER\"", "context=\"\"", "type=\"3\"", "thread=\"4840\"", "file=\"wsyncmgr.cpp:10\"" };
        for (var mask = 0; mask < 1 << optional.Length; mask++)
        {
            var attributes = string.Join(" ", optional.Where((_, i) => (mask & (1 << i)) != 0));
            var text = "<![LOG[Sync failed]LOG]!><time=\"10:00:00.000+000\" date=\"11-10-2026\" " + attributes + ">\n";
            var entry = Assert.Single(EvidenceReader.ReadText(new System.IO.StringReader(text), "wsyncmgr.log", LogFormat.CMTrace));
            Assert.Equal(EvidenceKind.SyncFailed, entry.Kind);
            Assert.Equal((mask & 4) != 0 ? LogSeverity.Error : LogSeverity.None, entry.Severity);
        }
    }

    [Fact]
    public void Simple_format_written_by_scripts_with_six_digit_fractions_and_no_bias_is_read()
    {
        var text = "Info:Starting remediation $$<Repair-Wsus:Main><11-10-2026 08:00:00.123456><thread=4711>\r\n";
        var entry = Assert.Single(EvidenceReader.ReadText(new System.IO.StringReader(text), "script.log", LogFormat.SmsSimple));
        Assert.Equal("Repair-Wsus:Main", entry.Component);
        Assert.Equal("4711", entry.Thread);
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero).AddTicks(1234560), entry.TimeUtc);
    }

    [Fact]
    public void Simple_format_variants_are_read()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "WCM-simple.log"), summary).ToList();

        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(8, entries.Count);
        Assert.All(entries, e => Assert.Equal("SMS_WSUS_CONFIGURATION_MANAGER", e.Component));
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 7, 7, 40, 120, TimeSpan.Zero), entries[0].TimeUtc);
        Assert.Equal("5432", entries[0].Thread);

        var failure = entries[1];
        Assert.Equal(EvidenceKind.WsusApi503, failure.Kind);
        Assert.Contains("\n   at Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer", failure.Message);

        Assert.Equal(new DateTimeOffset(2026, 11, 10, 7, 7, 41, 341, TimeSpan.Zero), entries[4].TimeUtc);
        Assert.Equal("5432", entries[4].Thread);
        Assert.Equal("Konfiguration für Server „CS1SITE“ übernommen", entries[5].Message);
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 7, 7, 41, 500, TimeSpan.Zero), entries[5].TimeUtc);
        // A "~~"-only message is a line break and nothing else: empty.
        Assert.Equal(string.Empty, entries[6].Message);
        Assert.Equal(EvidenceKind.WcmConfigured, entries[7].Kind);
    }

    [Fact]
    public void Trailing_line_breaks_are_not_part_of_a_simple_message_and_a_doubly_signed_script_bias_is_read()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "script-and-tilde.log"), summary).ToList();

        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(5, entries.Count);
        Assert.Equal("Wakeup for scheduled regular sync", entries[0].Message);
        Assert.Equal(EvidenceKind.SyncRequested, entries[0].Kind);
        Assert.Equal("Starting Sync", entries[1].Message);
        Assert.Equal("Sync failed: WSUS server not configured. Please refer to WCM.log for configuration error details. Source: CWSyncMgr::DoSync", entries[2].Message);
        Assert.Equal(EvidenceKind.WsusNotConfigured, entries[2].Cause);
        Assert.Equal(EvidenceKind.WcmConfigFailure, entries[3].Kind);

        // "+-300" is "+" joined to Win32_TimeZone.Bias (-300 in US Eastern): UTC = 09:15 local + 5 h.
        var script = entries[4];
        Assert.Equal(LogFormat.CMTrace, script.Format);
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 14, 15, 2, 417, TimeSpan.Zero), script.TimeUtc);
        Assert.Equal("300", script.GetField("Bias"));
    }

    [Fact]
    public void Status_message_lines_of_the_simple_format_carry_their_SEV_as_severity()
    {
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "wsyncmgr-statmsg-first.log"), new LogReadSummary()).ToList();

        var errors = entries.Where(e => e.Severity == LogSeverity.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("STATMSG: ID=6703 SEV=E", e.Message));
        Assert.All(entries.Where(e => e.Message.StartsWith("STATMSG: ID=670", StringComparison.Ordinal) && !e.Message.Contains("SEV=E")), e => Assert.Equal(LogSeverity.Information, e.Severity));

        // Every other simple record has no severity of its own, "Sync failed" lines included.
        Assert.All(entries.Where(e => !e.Message.StartsWith("STATMSG:", StringComparison.Ordinal)), e => Assert.Equal(LogSeverity.None, e.Severity));
        Assert.Equal(LogSeverity.None, EvidenceReader.ReadText(new System.IO.StringReader("STATMSG: ID=6703 SEVERE=E text  $$<SMS_WSUS_SYNC_MANAGER><11-10-2026 07:59:58.512+300><thread=4840 (0x12E8)>\r\n"), "wsyncmgr.log", LogFormat.SmsSimple).Single().Severity);
    }

    [Fact]
    public void Status_message_6703_gives_the_cause_its_insertion_strings_name()
    {
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "wsyncmgr-statmsg-first.log"), new LogReadSummary()).ToList();

        var failures = entries.Where(e => e.Message.StartsWith("STATMSG: ID=6703", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal(EvidenceKind.SyncStatusMessage, f.Kind));
        Assert.All(failures, f => Assert.Equal(EvidenceKind.WsusApi503, f.Cause));

        // Other status messages keep no cause, whatever their insertion strings say.
        Assert.All(entries.Where(e => e.Kind == EvidenceKind.SyncStatusMessage && !failures.Contains(e)), e => Assert.Equal(EvidenceKind.None, e.Cause));
    }
}
