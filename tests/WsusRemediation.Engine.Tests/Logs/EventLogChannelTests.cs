using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>Each event provider the catalog knows is queried in the log it writes to, or its events are never found.</summary>
public class EventLogChannelTests
{
    // WAS and W3SVC write to System (TechNet cc735151); the IIS worker process (W3SVC-WP, 2201-2307 such as
    // 2299) writes to Application (Microsoft KB 2635429); Application Error and WSUS write to Application.
    private static readonly Dictionary<string, string> ExpectedChannel = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft-Windows-WAS"] = "System",
        ["Microsoft-Windows-IIS-W3SVC"] = "System",
        ["Microsoft-Windows-IIS-W3SVC-WP"] = "Application",
        ["Application Error"] = "Application",
        ["Windows Server Update Services"] = "Application",
        ["Service Control Manager"] = "System",
    };

    private static Dictionary<string, string> ChannelOfEachProvider()
    {
        var channels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var query in EventLogEvidence.KnownEventQueries(null))
        {
            foreach (Match provider in Regex.Matches(query.XPath, @"Provider\[@Name='([^']+)'\]"))
            {
                Assert.False(channels.ContainsKey(provider.Groups[1].Value), $"{provider.Groups[1].Value} is queried in two logs");
                channels[provider.Groups[1].Value] = query.Channel;
            }
        }

        return channels;
    }

    [Theory]
    [InlineData("Microsoft-Windows-WAS")]
    [InlineData("Microsoft-Windows-IIS-W3SVC")]
    [InlineData("Microsoft-Windows-IIS-W3SVC-WP")]
    [InlineData("Application Error")]
    [InlineData("Windows Server Update Services")]
    [InlineData("Service Control Manager")]
    public void Each_provider_is_queried_in_the_log_it_writes_to(string provider) =>
        Assert.Equal(ExpectedChannel[provider], ChannelOfEachProvider()[provider]);

    [Fact]
    public void Every_provider_of_the_catalog_has_a_known_log() =>
        Assert.All(EvidenceCatalog.KnownEvents.Select(e => e.Provider).Distinct(), p => Assert.True(ExpectedChannel.ContainsKey(p), $"{p}: which log does it write to?"));

    [Fact]
    public void The_worker_process_health_event_2299_is_read_from_Application()
    {
        var application = Assert.Single(EventLogEvidence.KnownEventQueries(null), q => q.Channel == "Application");
        Assert.Contains("Provider[@Name='Microsoft-Windows-IIS-W3SVC-WP'] and (EventID=2299)", application.XPath, StringComparison.Ordinal);
        Assert.DoesNotContain("W3SVC-WP", Assert.Single(EventLogEvidence.KnownEventQueries(null), q => q.Channel == "System").XPath, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_whose_providers_exceed_the_term_limit_is_read_in_several_queries()
    {
        // Every query stays within the limit, and every known event id is asked for exactly once.
        var queries = EventLogEvidence.KnownEventQueries(DateTimeOffset.UnixEpoch);
        Assert.All(queries, q => Assert.True(Regex.Matches(q.XPath, @"EventID=|Provider\[|TimeCreated\[").Count <= EventLogEvidence.MaxQueryTerms, q.XPath));
        var asked = queries.SelectMany(q => Regex.Matches(q.XPath, @"Provider\[@Name='([^']+)'\] and \(([^)]*)\)").Cast<Match>()
            .SelectMany(m => Regex.Matches(m.Groups[2].Value, @"EventID=(\d+)").Cast<Match>().Select(id => (m.Groups[1].Value, int.Parse(id.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))))).ToList();
        Assert.Equal(EvidenceCatalog.KnownEvents.Select(e => (e.Provider, e.EventId)).Distinct().OrderBy(e => e.ToString()), asked.OrderBy(e => e.ToString()));
    }
}
