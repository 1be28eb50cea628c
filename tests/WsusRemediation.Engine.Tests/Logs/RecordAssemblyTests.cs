using System;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// Records that span lines are gathered in one buffer per file, kept from one record to the next: a record must never
/// carry text left over from a longer one before it, and a record longer than the buffer must come out whole.
/// </summary>
public sealed class RecordAssemblyTests
{
    /// <summary>Reads the text as a UTF-8 file of that name (the name does not choose the parser; the content does).</summary>
    private static (System.Collections.Generic.List<LogEntry> Entries, LogReadSummary Summary) Read(string text, string name)
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File(name);
        File.WriteAllText(path, text + "\n", new UTF8Encoding(false));
        var summary = new LogReadSummary();
        return (EvidenceReader.ReadFile(path, summary).ToList(), summary);
    }

    private static string CmTrace(string message, string time, int type = 1) =>
        $"<![LOG[{message}]LOG]!><time=\"{time}+300\" date=\"11-12-2026\" component=\"SMS_WSUS_SYNC_MANAGER\" context=\"\" type=\"{type}\" thread=\"4840\" file=\"\">";

    [Fact]
    public void CMTrace_records_spanning_lines_come_out_whole_whatever_the_length_of_the_one_before()
    {
        // A SOAP fault with a stack trace far longer than the buffer's first size, then shorter ones, then plain records.
        var longTrace = string.Join("\n", Enumerable.Range(1, 40).Select(n => $"   at Microsoft.UpdateServices.ServerSync.Frame{n:D2}.Invoke(String methodName, Object[] parameters) in C:\\src\\frame{n}.cs:line {n * 10}"));
        var longMessage = "Sync failed: WSUS server not configured. Please refer to WCM.log for configuration error details.\n" + longTrace;
        var shortMessage = "Sync failed: The request failed with HTTP status 503: Service Unavailable.\n   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke";
        var text = string.Join("\n",
            CmTrace(longMessage, "09:00:01.100", 3),
            CmTrace(shortMessage, "09:00:02.200", 3),
            CmTrace("Sync failed.\nSee above.", "09:00:03.300", 3),
            CmTrace("Wakeup for scheduled regular sync", "09:00:04.400"),
            CmTrace("STATMSG: ID=6703\nsecond line", "09:00:05.500", 2));

        var (entries, summary) = Read(text, "wsyncmgr.log");

        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(new[] { longMessage, shortMessage, "Sync failed.\nSee above.", "Wakeup for scheduled regular sync", "STATMSG: ID=6703\nsecond line" }, entries.Select(e => e.Message));
        Assert.Equal(new long[] { 1, 42, 44, 46, 47 }, entries.Select(e => e.Line));
        Assert.Equal(new DateTimeOffset(2026, 11, 12, 14, 0, 2, 200, TimeSpan.Zero), entries[1].TimeUtc);
        Assert.Equal(LogSeverity.Warning, entries[4].Severity);
    }

    [Fact]
    public void A_CMTrace_record_cut_off_by_the_next_one_is_skipped_and_leaves_nothing_behind()
    {
        var text = string.Join("\n",
            "<![LOG[Sync failed: first half of a record that was never finished",
            "   at Frame.One()",
            CmTrace("Starting Sync", "10:00:00.000"),
            CmTrace("Done\nafter a break", "10:00:01.000"));

        var (entries, summary) = Read(text, "wsyncmgr.log");

        Assert.Equal(new[] { "Starting Sync", "Done\nafter a break" }, entries.Select(e => e.Message));
        var skipped = Assert.Single(summary.Skipped);
        Assert.Equal(1, skipped.Line);
        Assert.Contains("truncated", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CMTrace_fields_are_named_for_the_attributes_present()
    {
        var text = string.Join("\n",
            "<![LOG[all]LOG]!><time=\"10:00:00.000+000\" date=\"11-12-2026\" component=\"A\" context=\"ctx\" type=\"2\" thread=\"1\" file=\"wsyncmgr.cpp:10\">",
            "<![LOG[no context]LOG]!><time=\"10:00:01.000+000\" date=\"11-12-2026\" component=\"A\" context=\"\" type=\"1\" thread=\"1\" file=\"wsyncmgr.cpp:11\">",
            "<![LOG[time only]LOG]!><time=\"10:00:02.000-060\" date=\"11-12-2026\">");

        var (entries, _) = Read(text, "other.log");

        Assert.Equal(new[] { "Context", "Type", "SourceFile", "Bias" }, entries[0].Fields.Keys);
        Assert.Equal(new[] { "ctx", "2", "wsyncmgr.cpp:10", "0" }, entries[0].Fields.Values);
        Assert.Equal(new[] { "Type", "SourceFile", "Bias" }, entries[1].Fields.Keys);
        Assert.Equal("wsyncmgr.cpp:11", entries[1].GetField("sourcefile"));
        Assert.Null(entries[1].GetField("Context"));
        Assert.Equal(new[] { "Bias" }, entries[2].Fields.Keys);
        Assert.Equal("-60", entries[2].GetField("Bias"));
    }

    [Fact]
    public void SoftwareDistribution_stack_traces_belong_to_their_own_record_only()
    {
        var text = string.Join("\n",
            "2026-11-10 13:02:11.010 UTC\tError\tWsusService.25\tCatalogSyncAgentCore.ExecuteSyncProtocol\tSystem.Net.WebException: The request failed with HTTP status 503: Service Unavailable.",
            "   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage message, WebResponse response, Stream responseStream, Boolean asyncCall)",
            "   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)",
            "   at Microsoft.UpdateServices.ServerSyncWebServices.ServerSync.ServerSyncProxy.GetAuthConfig()",
            "2026-11-10 13:02:11.120 UTC\tInfo\tWsusService.25\tEventLogEventReporter.ReportEvent\tEventId=386,Type=Error,Category=Synchronization,Message=Synchronization failed. Reason: WebException.",
            "2026-11-10 13:02:12.000 UTC\tError\tWsusService.25\tWebServiceCommunicationHelper.ProcessWebServiceProxyException\tSystem.Net.WebException: The operation has timed out",
            "   at Short.Frame()",
            "2026-11-10 13:02:13.000 UTC\tInfo\tWsusService.15\tCatalogSyncAgent.SetSubscriptionStateWithRetry\tFiring event SyncFinish...");

        var (entries, summary) = Read(text, "SoftwareDistribution.log");

        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(4, entries.Count);
        Assert.Equal(
            "System.Net.WebException: The request failed with HTTP status 503: Service Unavailable.\n"
            + "   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage message, WebResponse response, Stream responseStream, Boolean asyncCall)\n"
            + "   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)\n"
            + "   at Microsoft.UpdateServices.ServerSyncWebServices.ServerSync.ServerSyncProxy.GetAuthConfig()",
            entries[0].Message);
        Assert.Equal("Synchronization failed. Reason: WebException.", entries[1].Message);
        Assert.Equal("System.Net.WebException: The operation has timed out\n   at Short.Frame()", entries[2].Message);
        Assert.Equal("Firing event SyncFinish...", entries[3].Message);

        Assert.Equal(new[] { "Level", "Method" }, entries[0].Fields.Keys);
        Assert.Equal(new[] { "Level", "Method", "EventId", "Type", "Category" }, entries[1].Fields.Keys);
        Assert.Equal(new[] { "Info", "EventLogEventReporter.ReportEvent", "386", "Error", "Synchronization" }, entries[1].Fields.Values);
        Assert.Equal("386", entries[1].GetField("eventid"));
        Assert.Null(entries[2].GetField("EventId"));
    }
}
