using System;
using System.Linq;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// Event XML as administrators export it: Get-WinEvent's ToXml() and wevtutil qe /f:RenderedXml carry a
/// RenderingInfo block whose Level, Task, Channel and Provider elements hold display text (localized),
/// single-quoted attributes, indented or one-line events, ProcessingErrorData instead of EventData.
/// </summary>
public class RealWorldEventXmlTests
{
    private static readonly LogEntry[] Entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "events-rendered.xml")).ToArray();

    [Fact]
    public void All_events_are_read()
    {
        Assert.Equal(6, Entries.Length);
    }

    [Fact]
    public void Rendering_info_does_not_replace_the_system_values()
    {
        var disabled = Entries[0];
        Assert.Equal(EvidenceKind.PoolDisabledRapidFail, disabled.Kind);
        Assert.Equal("Microsoft-Windows-WAS", disabled.Component);
        Assert.Equal("Microsoft-Windows-WAS", disabled.GetField("Provider"));
        Assert.Equal("WAS", disabled.GetField("EventSourceName"));
        Assert.Equal(LogSeverity.Error, disabled.Severity);
        Assert.Equal("2", disabled.GetField("Level"));
        Assert.Equal("0", disabled.GetField("Task"));
        Assert.Equal("System", disabled.GetField("Channel"));
        Assert.StartsWith("Application pool 'WsusPool' is being automatically disabled", disabled.Message);
    }

    [Fact]
    public void Localized_rendering_keeps_the_numeric_level_and_the_offset_time()
    {
        var recycle = Entries[1];
        Assert.Equal(EvidenceKind.PoolRecycledPrivateMemory, recycle.Kind);
        Assert.Equal(LogSeverity.Information, recycle.Severity);
        Assert.Equal("4", recycle.GetField("Level"));
        Assert.Equal("4312", recycle.GetField("ProcessID"));
        Assert.Equal("WsusPool", recycle.GetField("AppPoolID"));
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 12, 56, 10, TimeSpan.Zero).AddTicks(1234567), recycle.TimeUtc);
        Assert.StartsWith("Ein Workerprozess mit der Prozess-ID '4312'", recycle.Message);
    }

    [Fact]
    public void An_empty_rendered_message_falls_back_to_the_data()
    {
        var crash = Entries[2];
        Assert.Equal(EvidenceKind.ApplicationCrash, crash.Kind);
        Assert.Equal("Application Error", crash.Component);
        Assert.Equal("100", crash.GetField("Task"));
        Assert.Equal("Application", crash.GetField("Channel"));
        Assert.StartsWith("Event 1000: Data1=w3wp.exe", crash.Message);
    }

    [Fact]
    public void Level_zero_is_information_and_multi_line_data_is_kept()
    {
        var content = Entries[3];
        Assert.Equal(EvidenceKind.WsusContentNotAccessible, content.Kind);
        Assert.Equal(LogSeverity.Information, content.Severity);
        Assert.Equal("00000000", content.GetField("Binary"));
        Assert.Contains("\nSystem.Net.WebException: The remote server returned an error: (503)", content.GetField("Data1"));
    }

    [Fact]
    public void User_data_named_like_system_elements_stays_data()
    {
        var cleared = Entries[5];
        Assert.Equal("System", cleared.GetField("Channel"));
        Assert.Equal("Application", cleared.GetField("Data4"));
        Assert.Equal("Administrator", cleared.GetField("SubjectUserName"));
        Assert.Equal("Microsoft-Windows-Eventlog", cleared.Component);
    }

    [Fact]
    public void An_event_whose_payload_failed_to_render_is_still_classified()
    {
        var communication = Entries[4];
        Assert.Equal(EvidenceKind.WorkerProcessCommunicationError, communication.Kind);
        Assert.Equal(LogSeverity.Warning, communication.Severity);
    }
}

public class EventXmlCharacterTests
{
    [Fact]
    public void Control_characters_in_event_data_do_not_cost_the_event()
    {
        // ToXml() writes data strings as they are; a NUL or other control character ends up in the text or as a character reference.
        var xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-WAS'/><EventID Qualifiers='49152'>5002</EventID><Level>2</Level><TimeCreated SystemTime='2026-11-10T12:57:10.5000000Z'/><Channel>System</Channel><Computer>CS1SITE</Computer></System><EventData><Data Name='AppPoolID'>WsusPool&#x0;</Data><Data Name='Extra'>a\u0001b</Data></EventData></Event>\r\n";
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadText(new System.IO.StringReader(xml), "nul.xml", LogFormat.EventXml, summary).ToList();

        Assert.True(summary.SkippedCount == 0, string.Join("; ", summary.Skipped));
        var disabled = Assert.Single(entries);
        Assert.Equal(EvidenceKind.PoolDisabledRapidFail, disabled.Kind);
        Assert.StartsWith("WsusPool", disabled.GetField("AppPoolID"));
    }
}

public class UnreadableEvidenceTests
{
    [Fact]
    public void A_saved_evtx_file_is_refused_with_the_wevtutil_command_that_turns_it_into_xml()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("System.evtx");
        System.IO.File.WriteAllBytes(path, new byte[] { 0x45, 0x6C, 0x66, 0x46, 0x69, 0x6C, 0x65, 0x00, 0, 0, 0, 0, 1, 0, 0, 0 });

        var error = Assert.Throws<WsusRemediation.Engine.Common.WsusRemediationException>(() => EvidenceReader.ReadFile(path).ToList());
        Assert.Equal("LogFormatNotRecognized", error.ErrorId);
        Assert.Contains("wevtutil qe", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_Clixml_output_is_refused_instead_of_read_as_zero_events()
    {
        using var temp = LogFixtures.Temp();
        var path = temp.File("events.xml");
        System.IO.File.WriteAllText(path, "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n  <Obj RefId=\"0\">\r\n    <TN RefId=\"0\">\r\n      <T>System.Diagnostics.Eventing.Reader.EventLogRecord</T>\r\n    </TN>\r\n    <Props><I32 N=\"Id\">5002</I32></Props>\r\n  </Obj>\r\n</Objs>\r\n");

        Assert.Equal(LogFormat.Unknown, EvidenceReader.DetectFormat(path));
        var error = Assert.Throws<WsusRemediation.Engine.Common.WsusRemediationException>(() => EvidenceReader.ReadFile(path).ToList());
        Assert.Equal("LogFormatNotRecognized", error.ErrorId);
        Assert.Contains("ToXml()", error.RecommendedAction, StringComparison.Ordinal);
    }
    [Fact]
    public void An_IIS_request_log_is_refused_rather_than_read_as_HTTPERR()
    {
        // A real u_ex file: IIS's #Software line, a #Fields line with cs-uri-stem/sc-substatus/time-taken, 200s, the NTLM
        // 401.2 of each WSUS API call, a second header block after a restart. Read as HTTPERR, each of these lines came
        // out as a warning from "HTTP.sys".
        var path = LogFixtures.Path("realworld", "u_ex261122.log");

        Assert.Equal(LogFormat.Unknown, EvidenceReader.DetectFormat(path));
        var error = Assert.Throws<WsusRemediation.Engine.Common.WsusRemediationException>(() => EvidenceReader.ReadFile(path).ToList());
        Assert.Equal("LogFormatNotRecognized", error.ErrorId);
        Assert.Contains(@"LogFiles\HTTPERR\httperr*.log", error.RecommendedAction, StringComparison.Ordinal);

        // The same shape without the #Software line (an excerpt) is still told from HTTP.sys' fields.
        var excerpt = string.Join("\r\n", System.IO.File.ReadAllLines(path).Where(l => !l.StartsWith("#Software", StringComparison.Ordinal)));
        Assert.Equal(LogFormat.Unknown, EvidenceReader.DetectFormat(excerpt, "excerpt.log"));

        // HTTP.sys' own logs stay HTTPERR, with or without the streamid columns.
        Assert.Equal(LogFormat.HttpErr, EvidenceReader.DetectFormat(LogFixtures.Path("httperr1.log")));
        Assert.Equal(LogFormat.HttpErr, EvidenceReader.DetectFormat(LogFixtures.Path("realworld", "httperr3.log")));
        Assert.Equal(LogFormat.HttpErr, EvidenceReader.DetectFormat(LogFixtures.Path("realworld", "httperr-excerpt.log")));
    }
}
