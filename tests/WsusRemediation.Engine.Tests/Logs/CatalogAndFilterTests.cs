using System;
using System.IO;
using System.Linq;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

public class EvidenceCatalogTests
{
    [Fact]
    public void Every_signature_cites_a_source_and_every_kind_is_reachable()
    {
        Assert.All(EvidenceCatalog.Signatures, s => Assert.False(string.IsNullOrWhiteSpace(s.Source)));
        var covered = EvidenceCatalog.Signatures.Select(s => s.Kind).ToHashSet();
        var missing = Enum.GetValues<EvidenceKind>().Where(k => k != EvidenceKind.None && !covered.Contains(k)).ToList();
        Assert.Empty(missing);
        Assert.Equal(Enum.GetValues<EvidenceKind>().Length, Enum.GetValues<EvidenceKind>().Select(k => (int)k).Distinct().Count());
    }

    [Theory]
    [InlineData("Sync failed: The operation has timed out. Source: Microsoft.UpdateServices.Internal.DatabaseAccess.ApiRemotingCompressionProxy.GetWebResponse", EvidenceKind.SyncFailed, EvidenceKind.OperationTimedOut)]
    [InlineData("Sync Failed: USSCommunicationError: WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel", EvidenceKind.SyncFailed, EvidenceKind.TlsFailure)]
    [InlineData("Sync failed: UssCommunicationError: WebException: The remote name could not be resolved: 'sws.update.microsoft.com'\nat System.Net.HttpWebRequest.GetRequestStream(TransportContext& context). Source: Microsoft.SystemsManagementServer.SoftwareUpdatesManagement.WsusSyncAction.WSyncAction.SyncWSUS", EvidenceKind.SyncFailed, EvidenceKind.RemoteNameNotResolved)]
    // A 407 is the proxy refusing WSUS's credentials (an expired proxy password), not a WCM configuration failure.
    [InlineData("System.Net.WebException: The request failed with HTTP status 407: Proxy Authentication Required.", EvidenceKind.ProxyAuthenticationRequired, EvidenceKind.None)]
    [InlineData("Sync failed: UssCommunicationError: WebException: The remote server returned an error: (407) Proxy Authentication Required.", EvidenceKind.SyncFailed, EvidenceKind.ProxyAuthenticationRequired)]
    [InlineData("Indexing Failed. Could not connect to SUSDB", EvidenceKind.SusdbUnreachable, EvidenceKind.None)]
    [InlineData("Generic exception : ImportUpdateFromCatalogSite failed. Arg = x. Error = The underlying connection was closed", EvidenceKind.CatalogImportFailed, EvidenceKind.None)]
    [InlineData("Sync succeeded. Setting sync alert to canceled state on site CS1", EvidenceKind.SyncSucceeded, EvidenceKind.None)]
    [InlineData("Updated 130 items in SMS database, new update source content version is 34", EvidenceKind.None, EvidenceKind.None)]
    public void Classifies_mecm_lines(string message, EvidenceKind kind, EvidenceKind cause)
    {
        var entry = new LogEntry(DateTimeOffset.UnixEpoch, LogSeverity.None, "SMS_WSUS_SYNC_MANAGER", "1", message, "x.log", 1, LogFormat.SmsSimple);
        EvidenceCatalog.Classify(entry);
        Assert.Equal((kind, cause), (entry.Kind, entry.Cause));
    }

    [Theory]
    [InlineData("Sync time: 0d00h03m53s", 0, 0, 3, 53)]
    [InlineData("Sync time: 1d02h00m07s", 1, 2, 0, 7)]
    public void Parses_sync_time(string message, int d, int h, int m, int s)
    {
        Assert.True(EvidenceCatalog.TryParseSyncTime(message, out var duration));
        Assert.Equal(new TimeSpan(d, h, m, s), duration);
        Assert.False(EvidenceCatalog.TryParseSyncTime("Starting Sync", out _));
    }
}

public class LogFilterTests
{
    [Fact]
    public void Filters_by_since_component_wildcard_severity_and_kind_or_cause()
    {
        var paths = new[] { LogFixtures.Path("wsyncmgr.log"), LogFixtures.Path("httperr1.log"), LogFixtures.Path("SoftwareDistribution.log") };

        var since = EvidenceReader.Read(paths, new LogFilter { Since = new DateTimeOffset(2026, 11, 10, 14, 0, 0, TimeSpan.Zero) }).ToList();
        Assert.All(since, e => Assert.True(e.TimeUtc >= new DateTimeOffset(2026, 11, 10, 14, 0, 0, TimeSpan.Zero)));
        Assert.Equal(8, since.Count);

        var wsus = EvidenceReader.Read(paths, new LogFilter { Component = new[] { "wsusserv*" } }).ToList();
        Assert.Equal(8, wsus.Count);
        Assert.All(wsus, e => Assert.Equal("WsusService", e.Component));

        // The simple wsyncmgr.log has no severity field; only its status message 6703 carries one (SEV=E).
        var errors = EvidenceReader.Read(paths, new LogFilter { Severity = new[] { LogSeverity.Error } }).ToList();
        Assert.Equal(8, errors.Count);
        Assert.Single(errors, e => e.Format == LogFormat.SmsSimple && e.Message.StartsWith("STATMSG: ID=6703 SEV=E", StringComparison.Ordinal));

        var api503 = EvidenceReader.Read(paths, new LogFilter { Kind = new[] { EvidenceKind.WsusApi503, EvidenceKind.AppOffline } }).ToList();
        Assert.Equal(3, api503.Count);
        Assert.Contains(api503, e => e.Kind == EvidenceKind.SyncFailed && e.Cause == EvidenceKind.WsusApi503);
    }

    [Fact]
    public void Tail_keeps_the_last_entries_of_each_log_including_its_rollover()
    {
        var paths = new[] { LogFixtures.Path("wsyncmgr.log"), LogFixtures.Path("httperr1.log") };
        var summary = new LogReadSummary();
        var entries = EvidenceReader.Read(paths, tail: 2, summary: summary).ToList();

        Assert.Equal(4, entries.Count);
        Assert.Equal(new[] { "httperr1.log", "httperr1.log", "wsyncmgr.log", "wsyncmgr.log" }, entries.Select(e => Path.GetFileName(e.File)));
        Assert.Equal("Sync failed. Will retry in 60 minutes", entries[3].Message);
        Assert.Equal(4, summary.EntriesReturned);

        // httperr1.log (6) and wsyncmgr.log (14): the tail is full from wsyncmgr.log alone, so its rollover
        // wsyncmgr.lo_ (20 entries) is not read.
        Assert.Equal(6 + 14, summary.EntriesRead);
        Assert.DoesNotContain(summary.Files, f => f.EndsWith(".lo_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SMS_WSUS_*", "SMS_WSUS_SYNC_MANAGER", true)]
    [InlineData("*sync*", "SMS_WSUS_SYNC_MANAGER", true)]
    [InlineData("w3wp", "W3WP", true)]
    [InlineData("WsusPoo?", "WsusPool", true)]
    [InlineData("WsusPool", "WsusPool2", false)]
    public void Wildcards(string pattern, string text, bool expected) => Assert.Equal(expected, Wildcard.IsMatch(pattern, text));

    [Fact]
    public void Missing_path_gives_log_file_not_found()
    {
        var ex = Assert.Throws<WsusRemediation.Engine.Common.WsusRemediationException>(() => EvidenceReader.ExpandPath(LogFixtures.Path("nope", "wsyncmgr.log")));
        Assert.Equal("LogFileNotFound", ex.ErrorId);
        Assert.Equal(2, EvidenceReader.ExpandPath(LogFixtures.Path("wsyncmgr.lo*")).Count);
    }

    [Fact]
    public void Default_locations_come_from_the_registry_then_program_files()
    {
        var registry = new System.Collections.Generic.Dictionary<(string, string), string>
        {
            [(@"SOFTWARE\Microsoft\SMS\Setup", "Installation Directory")] = @"D:\SCCM",
            [(@"SOFTWARE\Microsoft\Update Services\Server\Setup", "TargetDir")] = @"E:\WSUS\",
        };
        var env = new System.Collections.Generic.Dictionary<string, string> { ["ProgramFiles"] = @"C:\Program Files (x86)", ["ProgramW6432"] = @"C:\Program Files", ["SystemRoot"] = @"C:\Windows" };

        var found = DefaultLogLocations.Resolve((k, v) => registry.TryGetValue((k, v), out var s) ? s : null, n => env.TryGetValue(n, out var s) ? s : null);
        Assert.Equal(Path.Combine(@"D:\SCCM", "Logs"), found[0].Folder);
        Assert.Contains("wsyncmgr.log", found[0].Patterns);
        Assert.Equal(Path.Combine(@"E:\WSUS\", "LogFiles"), found[1].Folder);
        Assert.Equal(Path.Combine(@"C:\Windows", "System32", "LogFiles", "HTTPERR"), found[2].Folder);

        var fallback = DefaultLogLocations.Resolve((k, v) => null, n => env.TryGetValue(n, out var s) ? s : null);
        Assert.Equal(Path.Combine(@"C:\Program Files", "Microsoft Configuration Manager", "Logs"), fallback[0].Folder);
        Assert.Equal(Path.Combine(@"C:\Program Files", "Update Services", "LogFiles"), fallback[1].Folder);
    }

    [Fact]
    public void Location_finds_files_by_pattern_in_reading_order()
    {
        var location = new LogLocation(LogFixtures.Path(), DefaultLogLocations.MecmLogNames, "fixtures");
        Assert.Equal(new[] { "WCM.log", "wsyncmgr.lo_", "wsyncmgr.log" }, location.FindFiles().Select(Path.GetFileName));
    }

    [Fact]
    public void A_Since_later_than_the_clock_is_refused_unless_the_logs_are_followed()
    {
        var now = new DateTimeOffset(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);
        var refused = Assert.Throws<WsusRemediation.Engine.Common.WsusRemediationException>(() => LogFilter.RequireSinceNotInFuture(now.AddDays(1), now, follow: false));
        Assert.Equal("SinceInFuture", refused.ErrorId);
        Assert.Contains("2026-11-25 20:00:00Z", refused.Message);

        LogFilter.RequireSinceNotInFuture(now.AddDays(1), now, follow: true);
        LogFilter.RequireSinceNotInFuture(now.AddDays(-1), now, follow: false);
        LogFilter.RequireSinceNotInFuture(null, now, follow: false);
    }

    [Fact]
    public void The_known_components_are_those_the_readers_give_entries_and_complete_from_a_typed_start()
    {
        // Every component the guide's evidence is read with is offered.
        var read = LogReadPlan.ForPaths(new[] { System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evidence", "GuideCase") })
            .Read(new LogReadSummary()).Select(e => e.Component).Distinct().ToList();
        Assert.All(read, c => Assert.Contains(c, KnownComponents.All, StringComparer.OrdinalIgnoreCase));

        Assert.Equal(new[] { "SMS_WSUS_SYNC_MANAGER" }, KnownComponents.StartingWith("sms_wsus_s*"));
        Assert.Equal(new[] { "Service Control Manager" }, KnownComponents.StartingWith("'Serv"));
        Assert.Equal(KnownComponents.All, KnownComponents.StartingWith(null));
    }

    [Fact]
    public void Fields_read_as_name_value_pairs_where_a_string_is_wanted()
    {
        var fields = LogFields.Create(new[] { new System.Collections.Generic.KeyValuePair<string, string?>("s-reason", "AppOffline"), new("s-queuename", "WsusPool"), new("none", null) });

        Assert.Equal("s-reason=AppOffline; s-queuename=WsusPool", fields.ToString());
        Assert.Equal(string.Empty, LogFields.Empty.ToString());
    }
}
