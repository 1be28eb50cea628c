using System;
using System.IO;
using System.Linq;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

public class MecmLogTests
{
    [Fact]
    public void Simple_format_reads_component_thread_and_turns_the_bias_into_utc()
    {
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("wsyncmgr.log")).ToList();

        Assert.Equal(14, entries.Count);
        var first = entries[0];
        Assert.Equal(LogFormat.SmsSimple, first.Format);
        Assert.Equal("Wakeup by inbox drop", first.Message);
        Assert.Equal("SMS_WSUS_SYNC_MANAGER", first.Component);
        Assert.Equal("4840", first.Thread);
        Assert.Equal(LogSeverity.None, first.Severity);
        // 07:59:58.512 local, bias +300: UTC = local + 300 minutes.
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 12, 59, 58, 512, TimeSpan.Zero), first.TimeUtc);
        Assert.Equal(1, first.Line);
        Assert.Equal("300", first.GetField("Bias"));
    }

    [Fact]
    public void Simple_format_restores_line_breaks_and_classifies_the_sync_story()
    {
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("wsyncmgr.log")).ToList();

        var failed = entries.First(e => e.Kind == EvidenceKind.SyncFailed);
        Assert.StartsWith("Sync failed: UssCommunicationError: WebException: The request failed with HTTP status 503", failed.Message);
        Assert.Contains("\nat System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke", failed.Message);
        Assert.DoesNotContain("~~", failed.Message);
        Assert.Equal(EvidenceKind.WsusApi503, failed.Cause);

        var notConfigured = entries.Last(e => e.Kind == EvidenceKind.SyncFailed);
        Assert.Equal(EvidenceKind.WsusNotConfigured, notConfigured.Cause);

        Assert.Equal(
            new[]
            {
                EvidenceKind.SyncRequested, EvidenceKind.SyncRequested, EvidenceKind.SyncStarted, EvidenceKind.SyncRequested,
                EvidenceKind.SyncStatusMessage, EvidenceKind.SyncProgress, EvidenceKind.SyncProgress, EvidenceKind.SyncFailed,
                EvidenceKind.SyncStatusMessage, EvidenceKind.SyncRetryScheduled, EvidenceKind.SyncRequested, EvidenceKind.SyncStarted,
                EvidenceKind.SyncFailed, EvidenceKind.SyncRetryScheduled,
            },
            entries.Select(e => e.Kind).ToArray());
        Assert.True(EvidenceCatalog.TryGetStatusMessageId(entries[8].Message, out var id));
        Assert.Equal(6703, id);
    }

    [Fact]
    public void Rollover_file_is_read_before_the_current_log()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.Read(new[] { LogFixtures.Path("wsyncmgr.log") }, summary: summary).ToList();

        Assert.Equal(new[] { LogFixtures.Path("wsyncmgr.lo_"), LogFixtures.Path("wsyncmgr.log") }, summary.Files);
        Assert.Equal(20 + 14, entries.Count);
        Assert.EndsWith("wsyncmgr.lo_", entries[0].File);
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 7, 0, 1, 15, TimeSpan.Zero), entries[0].TimeUtc);
        Assert.True(entries.Select(e => e.TimeUtc!.Value).SequenceEqual(entries.Select(e => e.TimeUtc!.Value).OrderBy(t => t)), "rollover then current must be in time order");

        var syncTime = entries.Single(e => e.Kind == EvidenceKind.SyncTime);
        Assert.True(EvidenceCatalog.TryParseSyncTime(syncTime.Message, out var duration));
        Assert.Equal(new TimeSpan(0, 3, 53), duration);
        var progress = entries.First(e => e.Message.Contains("processed", StringComparison.Ordinal));
        Assert.True(EvidenceCatalog.TryParseSyncProgress(progress.Message, out var processed, out var total));
        Assert.Equal((122, 130), (processed, total));
    }

    [Fact]
    public void Folder_lists_rollover_pairs_in_order()
    {
        var ordered = EvidenceReader.OrderForReading(EvidenceReader.ExpandPath(LogFixtures.Path()));
        var names = ordered.Select(Path.GetFileName).ToList();
        Assert.True(names.IndexOf("wsyncmgr.lo_") == names.IndexOf("wsyncmgr.log") - 1);
    }

    [Fact]
    public void CMTrace_reads_multiline_messages_unpadded_dates_and_type()
    {
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("cmtrace", "wsyncmgr.log")).ToList();

        Assert.Equal(9, entries.Count);
        Assert.All(entries, e => Assert.Equal(LogFormat.CMTrace, e.Format));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 7, 0, 1, 15, TimeSpan.Zero), entries[0].TimeUtc);

        var failed = entries[3];
        Assert.Equal(LogSeverity.Error, failed.Severity);
        Assert.Equal(4, failed.Line);
        Assert.Contains("\n   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke", failed.Message);
        Assert.EndsWith("WSyncAction.SyncWSUS", failed.Message);
        Assert.Equal(EvidenceKind.SyncFailed, failed.Kind);
        Assert.Equal(EvidenceKind.WsusApi503, failed.Cause);
        Assert.Equal("3", failed.GetField("Type"));

        Assert.Equal(7, entries[4].Line);
        Assert.Equal(LogSeverity.Warning, entries[4].Severity);
        Assert.Equal(EvidenceKind.SyncRetryScheduled, entries[4].Kind);
        Assert.Equal(EvidenceKind.SyncSucceeded, entries[7].Kind);
    }

    [Fact]
    public void Negative_bias_moves_the_time_back()
    {
        var first = EvidenceReader.ReadFile(LogFixtures.Path("cmtrace", "WCM.log")).First();
        // 9:45 local at UTC+1 (bias -60) is 08:45 UTC.
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 8, 45, 0, 118, TimeSpan.Zero), first.TimeUtc);
    }

    [Fact]
    public void Utf16_file_with_bom_reads_like_utf8()
    {
        var utf8 = EvidenceReader.ReadFile(LogFixtures.Path("cmtrace", "WCM.log")).ToList();
        var utf16 = EvidenceReader.ReadFile(LogFixtures.Path("utf16", "WCM.log")).ToList();

        Assert.Equal(utf8.Count, utf16.Count);
        Assert.Equal(utf8.Select(e => (e.TimeUtc, e.Message, e.Kind)), utf16.Select(e => (e.TimeUtc, e.Message, e.Kind)));
        Assert.Equal(EvidenceKind.WsusApi503, utf16[1].Kind);
        Assert.Equal(EvidenceKind.WcmConfigured, utf16[3].Kind);
    }

    [Fact]
    public void WCM_simple_log_gives_the_503_and_the_recovery()
    {
        var kinds = EvidenceReader.ReadFile(LogFixtures.Path("WCM.log")).Select(e => e.Kind).ToArray();
        Assert.Equal(new[] { EvidenceKind.None, EvidenceKind.WsusApi503, EvidenceKind.None, EvidenceKind.None, EvidenceKind.WcmConfigured, EvidenceKind.WcmConfigured }, kinds);
    }

    [Fact]
    public void Truncated_cmtrace_record_is_skipped_and_the_next_is_read()
    {
        var text = "<![LOG[first]LOG]!><time=\"10:00:00.000+000\" date=\"1-2-2026\" component=\"A\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n"
            + "<![LOG[cut off in the middle\nsecond line of it\n"
            + "<![LOG[third]LOG]!><time=\"10:00:02.000+000\" date=\"1-2-2026\" component=\"A\" context=\"\" type=\"2\" thread=\"1\" file=\"\">\n"
            + "garbage that is not a record\n";
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadText(new StringReader(text), "t.log", LogFormat.CMTrace, summary).ToList();

        Assert.Equal(new[] { "first", "third" }, entries.Select(e => e.Message));
        Assert.Equal(2, summary.SkippedCount);
        Assert.Equal(new long[] { 2, 5 }, summary.Skipped.Select(s => s.Line));
    }
}
