using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

public class EventXmlTests
{
    [Fact]
    public void Reads_wrapped_events_with_named_and_positional_data()
    {
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("events", "events.xml")).ToList();

        Assert.Equal(
            new[] { EvidenceKind.PoolRecycledPrivateMemory, EvidenceKind.WorkerProcessTerminated, EvidenceKind.WorkerProcessCommunicationError, EvidenceKind.PoolDisabledRapidFail, EvidenceKind.ApplicationCrash },
            entries.Select(e => e.Kind));

        var recycle = entries[0];
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 12, 56, 10, TimeSpan.Zero).AddTicks(1234567), recycle.TimeUtc);
        Assert.Equal("Microsoft-Windows-WAS", recycle.Component);
        Assert.Equal(LogSeverity.Information, recycle.Severity);
        Assert.Equal("WsusPool", recycle.GetField("AppPoolID"));
        Assert.Equal("5117", recycle.GetField("EventId"));
        Assert.Equal("System", recycle.GetField("Channel"));
        Assert.Equal(3, recycle.Line);
        Assert.Equal("A worker process with process id of '4312' serving application pool 'WsusPool' has requested a recycle because it reached its private bytes memory limit.", recycle.Message);

        Assert.Equal("6D000780", entries[2].GetField("Binary"));
        var disabled = entries[3];
        Assert.Equal(LogSeverity.Error, disabled.Severity);
        Assert.Equal("Application pool 'WsusPool' is being automatically disabled due to a series of failures in the process(es) serving that application pool.", disabled.Message);

        var crash = entries[4];
        Assert.Equal("Application Error", crash.Component);
        Assert.Equal("w3wp.exe", crash.GetField("Data1"));
        Assert.Equal("e0434352", crash.GetField("Data7"));
        Assert.Equal(string.Empty, crash.GetField("Data15"));
        Assert.StartsWith("Event 1000: Data1=w3wp.exe; Data2=10.0.17763.1", crash.Message);
    }

    [Theory]
    [InlineData("<Data Name=\"AppPoolID\">WsusPool</Data><Data Name=\"ProcessID\">7716</Data>")]   // Server 2016's order (technical-facts §6.1)
    [InlineData("<Data Name=\"ProcessID\">7716</Data><Data Name=\"AppPoolID\">WsusPool</Data>")]
    public void A_WAS_event_without_rendered_text_fills_its_template_by_data_name(string eventData)
    {
        var xml = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider Name=\"Microsoft-Windows-WAS\" EventSourceName=\"WAS\"/>"
            + "<EventID Qualifiers=\"16384\">5117</EventID><Level>4</Level><TimeCreated SystemTime=\"2026-11-10T12:56:10.0000000Z\"/><Channel>System</Channel>"
            + "<Computer>CM01.contoso.com</Computer></System><EventData>" + eventData + "</EventData></Event>";

        var entry = Assert.Single(EvidenceReader.ReadText(new StringReader(xml), "e.xml", LogFormat.EventXml, new LogReadSummary()).ToList());

        Assert.Equal(EvidenceKind.PoolRecycledPrivateMemory, entry.Kind);
        Assert.Equal(
            "A worker process with process id of '7716' serving application pool 'WsusPool' has requested a recycle because it reached its private bytes memory limit.",
            entry.Message);
    }

    [Fact]
    public void Reads_concatenated_events_without_a_root()
    {
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("events", "wevtutil-system.xml")).ToList();
        Assert.Equal(new[] { EvidenceKind.WorkerProcessIdleShutdown, EvidenceKind.WorkerProcessPingFailed }, entries.Select(e => e.Kind));
        Assert.Contains("Application Pool timeout configuration was set to 20 minutes", entries[0].Message);
    }

    [Fact]
    public void A_damaged_event_is_skipped_and_the_next_one_read()
    {
        var good = File.ReadAllText(LogFixtures.Path("events", "wevtutil-system.xml"));
        var damaged = "<Events>\n<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><EventID>5002</Event ID></System></Event>\n"
            + "<Event><System><EventID>1</EventID>\n" // truncated: no end tag before the next event
            + good + "\n</Events>";
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadText(new StringReader(damaged), "e.xml", LogFormat.EventXml, summary).ToList();

        Assert.Equal(2, entries.Count);
        Assert.Equal(2, summary.SkippedCount);
        Assert.Equal(new long[] { 2, 3 }, summary.Skipped.Select(s => s.Line));
    }

    [Fact]
    public void Live_source_is_queried_with_an_xpath_and_parsed_like_files()
    {
        var xml = File.ReadAllText(LogFixtures.Path("events", "events.xml"));
        var events = xml.Split("\r\n").Where(l => l.StartsWith("<Event ", StringComparison.Ordinal)).ToList();
        var source = new FakeEventLog(events);

        var since = new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
        var entries = EventLogEvidence.Read(source, since, new LogFilter { Kind = new[] { EvidenceKind.PoolDisabledRapidFail } }, null, CancellationToken.None).ToList();

        Assert.Equal(new[] { "System", "Application" }, source.Queries.Select(q => q.Channel));
        Assert.Contains("(Provider[@Name='Service Control Manager'] and (EventID=7040 or EventID=7036 or EventID=7031 or EventID=7034))", source.Queries[0].XPath);
        var system = source.Queries[0].XPath;
        Assert.StartsWith("*[System[((Provider[@Name='Microsoft-Windows-WAS'] and (EventID=5117 or EventID=5002 or EventID=5009", system);
        Assert.Contains("EventID=5186", system);
        Assert.EndsWith(" and TimeCreated[@SystemTime>='2026-11-10T12:00:00.000Z']]]", system);
        Assert.Contains("Provider[@Name='Application Error'] and (EventID=1000)", source.Queries[1].XPath);

        var disabled = Assert.Single(entries, e => e.File == "EventLog:System");
        Assert.Equal("WsusPool", disabled.GetField("AppPoolID"));
    }

    [Fact]
    public void Xpath_without_since_has_no_time_clause()
    {
        var xpath = EventLogEvidence.BuildXPath(new[] { ("Microsoft-Windows-WAS", (IEnumerable<int>)new[] { 5002 }) }, null);
        Assert.Equal("*[System[((Provider[@Name='Microsoft-Windows-WAS'] and (EventID=5002)))]]", xpath);
    }

    [OffWindowsFact]
    public void Live_event_log_off_windows_names_the_offline_parameter()
    {
        var ex = Assert.Throws<WsusRemediation.Engine.Common.WsusRemediationException>(() => new WsusRemediation.Engine.Windows.WindowsEventLog().Query("System", "*", CancellationToken.None));
        Assert.Equal("LiveAccessRequiresWindows", ex.ErrorId);
        Assert.Contains("-Path", ex.Message);
    }

    private sealed class FakeEventLog : IEventLogSource
    {
        private readonly List<string> _events;

        public FakeEventLog(List<string> events) => _events = events;

        public List<(string Channel, string XPath)> Queries { get; } = new();

        public IEnumerable<string> Query(string channel, string xpath, CancellationToken cancellationToken)
        {
            Queries.Add((channel, xpath));
            // Like the event log: only the channel's events whose provider the query names.
            return _events.Where(e => e.Contains($"<Channel>{channel}</Channel>", StringComparison.Ordinal)
                && Regex.Match(e, "Provider Name=\"([^\"]+)\"") is { Success: true } provider
                && xpath.Contains($"Provider[@Name='{provider.Groups[1].Value}']", StringComparison.Ordinal));
        }
    }
}
