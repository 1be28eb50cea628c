using System;
using System.IO;
using System.Linq;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

public class SoftwareDistributionLogTests
{
    [Fact]
    public void Reads_fields_events_and_stack_traces()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("SoftwareDistribution.log"), summary).ToList();

        Assert.Equal(9, entries.Count);
        Assert.Equal(0, summary.SkippedCount);

        var manual = entries[0];
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 13, 0, 5, 231, TimeSpan.Zero), manual.TimeUtc);
        Assert.Equal("w3wp", manual.Component);
        Assert.Equal("58", manual.Thread);
        Assert.Equal("AdminDataAccess.StartSubscriptionManually", manual.GetField("Method"));
        Assert.Equal("Change", manual.GetField("Level"));
        Assert.Equal("Synchronization manually started", manual.Message);
        Assert.Equal(EvidenceKind.SyncRequested, manual.Kind);

        var started = entries[1];
        Assert.Equal("382", started.GetField("EventId"));
        Assert.Equal("Information", started.GetField("Type"));
        Assert.Equal("Synchronization", started.GetField("Category"));
        Assert.Equal("A manual synchronization was started.", started.Message);
        Assert.Equal(EvidenceKind.SyncStarted, started.Kind);

        var soap = entries[2];
        Assert.Equal(LogSeverity.Error, soap.Severity);
        Assert.Equal(EvidenceKind.MuUrlSoapFault, soap.Kind);

        var stack = entries[3];
        Assert.Equal(4, stack.Line);
        Assert.StartsWith("System.Web.Services.Protocols.SoapException: Fault occurred\n   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse", stack.Message);
        Assert.Equal(3, stack.Message.Count(c => c == '\n'));

        var failed = entries[4];
        Assert.Equal(8, failed.Line);
        Assert.Equal(EvidenceKind.SyncFailed, failed.Kind);
        Assert.Equal(LogSeverity.Error, failed.Severity);

        Assert.Equal(
            new[] { EvidenceKind.SyncStarted, EvidenceKind.SyncSucceeded, EvidenceKind.None, EvidenceKind.ContentSyncStarted },
            entries.Skip(5).Select(e => e.Kind));
        Assert.Equal("Firing event SyncFinish...", entries[7].Message);
    }

    [Fact]
    public void Format_is_detected_from_content_not_name()
    {
        using var temp = LogFixtures.Temp();
        var renamed = temp.File("collected.txt");
        File.Copy(LogFixtures.Path("SoftwareDistribution.log"), renamed);
        Assert.Equal(LogFormat.SoftwareDistribution, EvidenceReader.DetectFormat(renamed));

        var httperr = temp.File("SoftwareDistribution-not-really.log");
        File.Copy(LogFixtures.Path("httperr1.log"), httperr);
        Assert.Equal(LogFormat.HttpErr, EvidenceReader.DetectFormat(httperr));
        Assert.Equal(LogFormat.SmsSimple, EvidenceReader.DetectFormat(LogFixtures.Path("wsyncmgr.lo_")));
        Assert.Equal(LogFormat.CMTrace, EvidenceReader.DetectFormat(LogFixtures.Path("utf16", "WCM.log")));
        Assert.Equal(LogFormat.EventXml, EvidenceReader.DetectFormat(LogFixtures.Path("events", "wevtutil-system.xml")));
    }
}

public class HttpErrLogTests
{
    [Fact]
    public void Reads_both_header_blocks_with_fields_dash_and_plus()
    {
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("httperr1.log")).ToList();

        Assert.Equal(6, entries.Count);
        var queueFull = entries[0];
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 12, 58, 41, TimeSpan.Zero), queueFull.TimeUtc);
        Assert.Equal("WsusPool", queueFull.Component);
        Assert.Equal(EvidenceKind.QueueFull, queueFull.Kind);
        Assert.Equal(LogSeverity.Error, queueFull.Severity);
        Assert.Equal("POST /ClientWebService/client.asmx 503 QueueFull WsusPool", queueFull.Message);
        Assert.Equal("10.0.0.21", queueFull.GetField("c-ip"));
        Assert.Equal(5, queueFull.Line);

        var abandoned = entries[1];
        Assert.Equal(EvidenceKind.ConnectionAbandonedByAppPool, abandoned.Kind);
        Assert.Null(abandoned.GetField("sc-status"));
        Assert.Equal(LogSeverity.Warning, abandoned.Severity);

        var ipv6 = entries[2];
        Assert.Equal("fe80::1c2d:3e4f:5a6b:7c8d%12", ipv6.GetField("c-ip"));
        Assert.Equal("fe80::a1b2:c3d4:e5f6:789%12", ipv6.GetField("s-ip"));
        Assert.Equal(EvidenceKind.AppOffline, ipv6.Kind);

        var idle = entries[3];
        Assert.Equal("HTTP.sys", idle.Component);
        Assert.Equal(LogSeverity.Information, idle.Severity);
        Assert.Equal(EvidenceKind.None, idle.Kind);
        Assert.Equal(new[] { "date", "time", "c-ip", "c-port", "s-ip", "s-port", "s-reason" }, idle.Fields.Keys);

        Assert.Equal("707060612", entries[4].GetField("s-siteid"));
        Assert.Equal(13, entries[4].Line);
        Assert.Equal("Classic .NET AppPool", entries[5].Component);
    }

    [Fact]
    public void Each_fields_line_defines_the_columns_that_follow()
    {
        var text = "2026-11-10 10:00:00 10.0.0.1 1 10.0.0.2 80 HTTP/1.1 GET / 503 1 QueueFull WsusPool\n"
            + "#Fields: date time s-reason s-queuename cs-uri\n"
            + "2026-11-10 10:00:01 AppOffline WsusPool /ClientWebService/client.asmx\n"
            + "2026-11-10 10:00:02 too many fields here\n";
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadText(new StringReader(text), "h.log", LogFormat.HttpErr, summary).ToList();

        Assert.Equal(2, entries.Count);
        Assert.Equal(EvidenceKind.QueueFull, entries[0].Kind);
        Assert.Equal(EvidenceKind.AppOffline, entries[1].Kind);
        Assert.Equal("/ClientWebService/client.asmx", entries[1].GetField("cs-uri"));
        Assert.Equal(1, summary.SkippedCount);
        Assert.Equal(4, summary.Skipped[0].Line);
    }

    [Fact]
    public void A_plus_is_a_space_in_every_field_but_the_uri()
    {
        var text = "2026-11-10 10:00:00 10.0.0.1 1 10.0.0.2 80 HTTP/1.1 GET /Content/a+b.cab 503 1 Queue+Full Wsus+Pool\n"
            + "2026-11-10 10:00:01 10.0.0.1 2 10.0.0.2 80 HTTP/1.1 GET /Content/a+b.cab 503 1 Queue+Full Wsus+Pool\n";
        var entries = EvidenceReader.ReadText(new StringReader(text), "h.log", LogFormat.HttpErr).ToList();

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("/Content/a+b.cab", e.GetField("cs-uri")));
        Assert.All(entries, e => Assert.Equal("Wsus Pool", e.Component));
        Assert.All(entries, e => Assert.Equal("GET /Content/a+b.cab 503 Queue Full Wsus Pool", e.Message));
        Assert.Equal("2", entries[1].GetField("c-port"));
    }

    [Fact]
    public void A_column_that_was_the_uri_decodes_plus_after_a_new_fields_line()
    {
        var text = "#Fields: date time cs-uri\n2026-11-10 10:00:00 /a+b\n#Fields: date time s-reason\n2026-11-10 10:00:01 /a+b\n";
        var entries = EvidenceReader.ReadText(new StringReader(text), "h.log", LogFormat.HttpErr).ToList();

        Assert.Equal("/a+b", entries[0].GetField("cs-uri"));
        Assert.Equal("/a b", entries[1].GetField("s-reason"));
    }
}
