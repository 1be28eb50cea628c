using System;
using System.Linq;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// SoftwareDistribution.log and HTTPERR logs as servers write them: tab or space columns, Change/Warning/Error
/// levels, localized stack traces in the ANSI code page; HTTPERR header blocks with streamid (Windows
/// Server 2016+) and streamid_ex/transport (2022+), IPv6 with a scope, trailing blanks, excerpts without a
/// header, IIS 6 lines without s-queuename.
/// </summary>
public class RealWorldWsusAndHttpErrTests
{
    [Fact]
    public void SoftwareDistribution_in_the_ansi_code_page_keeps_localized_stack_traces()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "SoftwareDistribution-ansi.log"), summary).ToList();

        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(7, entries.Count);
        Assert.All(entries, e => Assert.Equal(LogFormat.SoftwareDistribution, e.Format));

        Assert.Equal(EvidenceKind.SyncRequested, entries[0].Kind);
        Assert.Equal("w3wp", entries[0].Component);
        Assert.Equal("58", entries[0].Thread);
        Assert.Equal(EvidenceKind.SyncStarted, entries[1].Kind);
        Assert.Equal(LogSeverity.Warning, entries[2].Severity);

        var error = entries[3];
        Assert.Equal(LogSeverity.Error, error.Severity);
        Assert.Equal("CatalogSyncAgentCore.ExecuteSyncProtocol", error.GetField("Method"));
        Assert.Contains("Die zugrunde liegende Verbindung wurde geschlossen", error.Message);
        Assert.EndsWith("in Datei Größe: 0", error.Message);

        var failed = entries[4];
        Assert.Equal(EvidenceKind.SyncFailed, failed.Kind);
        Assert.Equal(LogSeverity.Error, failed.Severity);
        Assert.Equal("386", failed.GetField("EventId"));
        Assert.StartsWith("Synchronization failed. Reason:", failed.Message);

        Assert.Equal(string.Empty, entries[6].Message);
        Assert.Equal("ThreadEntry", entries[6].GetField("Method"));
    }

    [Fact]
    public void HttpErr_header_blocks_with_stream_ids_and_transport_are_followed()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "httperr3.log"), summary).ToList();

        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(
            new[] { EvidenceKind.QueueFull, EvidenceKind.AppOffline, EvidenceKind.HttpServiceUnavailable, EvidenceKind.None, EvidenceKind.ConnectionAbandonedByReqQueue },
            entries.Select(e => e.Kind));
        Assert.Equal("WsusPool", entries[0].Component);
        Assert.Equal("503", entries[0].GetField("sc-status"));
        Assert.Null(entries[0].GetField("streamid"));
        Assert.Equal("fe80::8d1c:2b3a:4c5d:6e7f%12", entries[1].GetField("c-ip"));
        Assert.Equal("HTTP.sys", entries[3].Component);
        Assert.Equal(LogSeverity.Information, entries[3].Severity);
        Assert.Equal("7", entries[4].GetField("streamid"));
        Assert.Equal("TCP", entries[4].GetField("transport"));
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 13, 10, 5, TimeSpan.Zero), entries[4].TimeUtc);
    }

    [Fact]
    public void Numbered_httperr_files_are_read_in_number_order()
    {
        var files = new[] { @"C:\Windows\System32\LogFiles\HTTPERR\httperr10.log", @"C:\Windows\System32\LogFiles\HTTPERR\httperr2.log", @"C:\Windows\System32\LogFiles\HTTPERR\HTTPERR1.log" }
            .Select(f => f.Replace('\\', System.IO.Path.DirectorySeparatorChar));
        var ordered = EvidenceReader.OrderForReading(files, addRollover: false).Select(System.IO.Path.GetFileName);
        Assert.Equal(new[] { "HTTPERR1.log", "httperr2.log", "httperr10.log" }, ordered);
    }

    [Fact]
    public void HttpErr_excerpt_without_header_and_iis6_line_without_queue_name_are_read()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(LogFixtures.Path("realworld", "httperr-excerpt.log"), summary).ToList();

        Assert.Equal(0, summary.SkippedCount);
        Assert.Equal(2, entries.Count);
        Assert.Equal(EvidenceKind.QueueFull, entries[0].Kind);
        Assert.Equal("WsusPool", entries[0].GetField("s-queuename"));
        Assert.Equal("RequestLength", entries[1].GetField("s-reason"));
        Assert.Null(entries[1].GetField("s-queuename"));
        Assert.Equal("HTTP.sys", entries[1].Component);
    }
}
