using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Hierarchy;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Hierarchy;

public class SoftwareUpdatePointDiscoveryTests
{
    private static IReadOnlyList<SoftwareUpdatePoint> Discover(SimulatedHierarchy hierarchy, string? siteCode = null) =>
        SoftwareUpdatePointDiscovery.Discover(hierarchy.Cas.Read("CAS01", CancellationToken.None), siteCode);

    [Fact]
    public void The_CAS_provider_lists_every_software_update_point_top_of_the_hierarchy_first()
    {
        var points = Discover(SimulatedHierarchy.CasWithTwoPrimaries(new VirtualClock()));

        Assert.Equal(new[] { "CAS01.corp.contoso.com", "SUP01.corp.contoso.com", "SUP02.corp.contoso.com" }, points.Select(p => p.ComputerName));
        var cas = points[0];
        Assert.Equal(("CAS", SiteType.CentralAdministrationSite, (string?)null), (cas.SiteCode, cas.SiteType, cas.ParentSiteCode));
        Assert.True(cas.UseSsl);
        Assert.Equal(8531, cas.WsusPort);
        Assert.Equal(UpdateSource.MicrosoftUpdate, cas.SyncSource);
        Assert.Null(cas.UpstreamServer);
        Assert.Equal("CAS01", cas.SmsProvider);

        var sup02 = points[2];
        Assert.Equal(("P02", SiteType.Primary, "CAS"), (sup02.SiteCode, sup02.SiteType, sup02.ParentSiteCode));
        Assert.False(sup02.UseSsl);
        Assert.Equal((80, 443, 80), (sup02.WsusHttpPort, sup02.WsusHttpsPort, sup02.WsusPort));

        // A child site's point synchronizes from its parent site's point.
        Assert.All(points.Skip(1), p => Assert.Equal((UpdateSource.UpstreamServer, "CAS01.corp.contoso.com"), (p.SyncSource, p.UpstreamServer)));
    }

    [Fact]
    public void A_site_code_keeps_that_sites_points_and_an_unknown_one_names_the_sites_there_are()
    {
        var hierarchy = SimulatedHierarchy.CasWithTwoPrimaries(new VirtualClock());

        Assert.Equal(new[] { "SUP02.corp.contoso.com" }, Discover(hierarchy, "p02").Select(p => p.ComputerName));

        var error = Assert.Throws<WsusRemediationException>(() => Discover(hierarchy, "XYZ"));
        Assert.Equal("SiteNotFound", error.ErrorId);
        Assert.Equal(EngineErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains("CAS, P01, P02", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void What_MECM_last_synchronized_from_wins_over_the_settings()
    {
        var hierarchy = SimulatedHierarchy.CasWithTwoPrimaries(new VirtualClock());
        hierarchy.Cas.UpdatePointSyncSources.Add(new UpdatePointSyncSource { SiteCode = "CAS", WsusServerName = "CAS01.corp.contoso.com", WsusSourceServer = "Microsoft Update" });
        hierarchy.Cas.UpdatePointSyncSources.Add(new UpdatePointSyncSource { SiteCode = "P01", WsusServerName = "SUP01", WsusSourceServer = "https://WSUSUP.corp.contoso.com:8531" });

        var points = Discover(hierarchy);

        Assert.Equal(UpdateSource.MicrosoftUpdate, points[0].SyncSource);
        Assert.Equal((UpdateSource.UpstreamServer, "wsusup.corp.contoso.com"), (points[1].SyncSource, points[1].UpstreamServer?.ToLowerInvariant()));
        Assert.Equal("CAS01.corp.contoso.com", points[2].UpstreamServer);
    }

    [Fact]
    public void A_top_level_site_with_an_upstream_source_in_its_component_syncs_from_that_server()
    {
        var hierarchy = SimulatedHierarchy.CasWithTwoPrimaries(new VirtualClock());
        hierarchy.Cas.UpdatePointComponents.RemoveAll(c => c.SiteCode == "CAS");
        hierarchy.Cas.AddUpdatePointComponent("CAS", upstreamServer: "DMZWSUS.contoso.com");

        var cas = Discover(hierarchy, "CAS").Single();

        Assert.Equal((UpdateSource.UpstreamServer, "DMZWSUS.contoso.com"), (cas.SyncSource, cas.UpstreamServer));
    }

    [Fact]
    public void A_role_without_port_settings_gets_WSUS_defaults_and_the_server_is_read_from_any_NetworkOSPath_form()
    {
        var snapshot = new SiteHierarchySnapshot
        {
            ProviderMachine = "PS1",
            Sites = new[] { new SiteRecord { SiteCode = "PS1", Type = 2, ServerName = "PS1" } },
            UpdatePointRoles = new[]
            {
                new SiteControlItem { SiteCode = "ps1", NetworkOSPath = @"\\SUPA.contoso.com\" },
                new SiteControlItem { SiteCode = "PS1", NetworkOSPath = @"\\SUPB", Properties = new Dictionary<string, EmbeddedProperty>(StringComparer.OrdinalIgnoreCase) { ["sslwsus"] = new EmbeddedProperty { Value = 1 } } },
                new SiteControlItem { SiteCode = "PS1", NetworkOSPath = string.Empty },
            },
        };

        var points = SoftwareUpdatePointDiscovery.Discover(snapshot, null);

        Assert.Equal(new[] { "SUPA.contoso.com", "SUPB" }, points.Select(p => p.ComputerName));
        Assert.Equal((8530, false), (points[0].WsusPort, points[0].UseSsl));
        Assert.Equal((8531, true), (points[1].WsusPort, points[1].UseSsl));
        Assert.Equal("PS1", points[0].SiteCode);
        Assert.Equal(UpdateSource.MicrosoftUpdate, points[0].SyncSource);
    }

    [Fact]
    public void The_fleet_is_queried_concurrently_and_the_unreachable_point_is_one_error_among_answers()
    {
        var hierarchy = SimulatedHierarchy.CasWithTwoPrimaries(new VirtualClock());
        hierarchy["SUP02"].Reachable = false;
        var points = Discover(hierarchy);
        var inspector = new SiteServiceInspector(hierarchy, hierarchy);

        using var queries = new ThrottledQueries<SoftwareUpdatePoint, IReadOnlyList<SiteServiceStatus>>(
            (point, context) =>
            {
                context.Verbose($"Reading the services on {point.ComputerName}.");
                return inspector.Inspect(point.ComputerName, "WsusPool");
            },
            throttleLimit: 2,
            CancellationToken.None);
        foreach (var point in points)
        {
            queries.Add(point);
        }

        var events = queries.CompleteAndTakeAll().ToList();

        var failed = Assert.Single(events, e => e.Kind == QueryEventKind.Failed);
        Assert.Equal("SUP02.corp.contoso.com", failed.Item.ComputerName);
        Assert.Equal("ComputerUnreachable", Assert.IsType<WsusRemediationException>(failed.Error).ErrorId);
        var answered = events.Where(e => e.Kind == QueryEventKind.Result).ToList();
        Assert.Equal(new[] { "CAS01.corp.contoso.com", "SUP01.corp.contoso.com" }, answered.Select(e => e.Item.ComputerName).OrderBy(n => n));
        foreach (var answer in answered)
        {
            Assert.Contains(answer.Result!, s => s.Name == SiteServices.Wsus && s.Status == "Running");
            Assert.All(answer.Result!, s => Assert.Equal(answer.Item.ComputerName, s.ComputerName, ignoreCase: true));
        }

        Assert.Equal(3, events.Count(e => e.Kind == QueryEventKind.Verbose));
    }

    [Fact]
    public void The_bridge_document_as_Windows_PowerShell_prints_it_reads_into_the_same_points()
    {
        // ConvertTo-Json in Windows PowerShell 5.1, compressed: one-element arrays may come out as the element.
        const string json = "WARNING: something the provider said\r\n" +
            "{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"SiteHierarchy\",\"providerMachine\":\"CAS01.corp.contoso.com\",\"siteCode\":\"CAS\"," +
            "\"sites\":[{\"siteCode\":\"CAS\",\"parentSiteCode\":\"\",\"type\":4,\"serverName\":\"CAS01.corp.contoso.com\",\"siteName\":\"Central\"}," +
            "{\"siteCode\":\"P01\",\"parentSiteCode\":\"CAS\",\"type\":2,\"serverName\":\"PRI01.corp.contoso.com\",\"siteName\":\"Primary 1\"}]," +
            "\"supRoles\":[{\"siteCode\":\"CAS\",\"networkOSPath\":\"\\\\\\\\CAS01.corp.contoso.com\",\"props\":[{\"name\":\"WSUSIISPort\",\"value\":8530,\"value1\":\"\",\"value2\":\"\"},{\"name\":\"WSUSIISSSLPort\",\"value\":8531,\"value1\":\"\",\"value2\":\"\"},{\"name\":\"SSLWSUS\",\"value\":1,\"value1\":\"\",\"value2\":\"\"}]}," +
            "{\"siteCode\":\"P01\",\"networkOSPath\":\"\\\\\\\\SUP01.corp.contoso.com\",\"props\":{\"name\":\"WSUSIISPort\",\"value\":8530,\"value1\":\"\",\"value2\":\"\"}}]," +
            "\"supComponents\":{\"siteCode\":\"CAS\",\"props\":[{\"name\":\"ParentWSUS\",\"value\":0,\"value1\":\"\",\"value2\":\"\"}]}," +
            "\"syncSources\":[]}";

        var snapshot = SyncBridgeContract.ParseSiteHierarchy(json, "CAS01");
        var points = SoftwareUpdatePointDiscovery.Discover(snapshot, null);

        Assert.Equal("CAS", snapshot.ProviderSiteCode);
        Assert.Equal(new[] { "CAS01.corp.contoso.com", "SUP01.corp.contoso.com" }, points.Select(p => p.ComputerName));
        Assert.Equal((8531, true, UpdateSource.MicrosoftUpdate), (points[0].WsusPort, points[0].UseSsl, points[0].SyncSource));
        Assert.Equal((8530, "CAS01.corp.contoso.com"), (points[1].WsusPort, points[1].UpstreamServer));
        Assert.Single(snapshot.UpdatePointComponents);
    }

    [Theory]
    [InlineData("Read", "Access denied ", "ConfigMgrAccessDenied")]
    [InlineData("FindSite", "The RPC server is unavailable. (0x800706BA)", "ConfigMgrProviderUnavailable")]
    public void An_error_document_becomes_the_ConfigMgr_error(string stage, string message, string errorId)
    {
        var json = "{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"Error\",\"error\":{\"stage\":\"" + stage + "\",\"type\":\"Microsoft.Management.Infrastructure.CimException\",\"message\":\"" + message + "\"}}";

        var error = Assert.Throws<WsusRemediationException>(() => new SiteHierarchyAdapter(new CannedRunner(json)).Read("CAS01", CancellationToken.None));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal("CAS01", error.Target);
    }

    [Fact]
    public void The_adapter_asks_the_named_site_server_for_the_classes_discovery_reads()
    {
        var runner = new CannedRunner("{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"SiteHierarchy\",\"providerMachine\":\"CAS01\",\"siteCode\":\"CAS\",\"sites\":[],\"supRoles\":[],\"supComponents\":[],\"syncSources\":[]}");

        var snapshot = new SiteHierarchyAdapter(runner).Read("CAS01", CancellationToken.None);

        Assert.Equal("CAS01", snapshot.ProviderMachine);
        Assert.Contains("$ComputerName = 'CAS01'", runner.LastScript, StringComparison.Ordinal);
        foreach (var expected in new[] { "SMS_ProviderLocation", "SMS_Site", "SMS_SCI_SysResUse", "RoleName = 'SMS Software Update Point'", "SMS_SCI_Component", "ComponentName = 'SMS_WSUS_CONFIGURATION_MANAGER'", "SMS_SUPSyncStatus", "WSUSSourceServer", "NetworkOSPath", "ReportingSiteCode" })
        {
            Assert.Contains(expected, runner.LastScript, StringComparison.Ordinal);
        }

        new SiteHierarchyAdapter(runner).Read(null, CancellationToken.None);
        Assert.Contains("$ComputerName = ''", runner.LastScript, StringComparison.Ordinal);
    }

    private sealed class CannedRunner : IPowerShellScriptRunner
    {
        private readonly string _output;

        public CannedRunner(string output) => _output = output;

        public string LastScript { get; private set; } = string.Empty;

        public string Run(string script, TimeSpan timeout, CancellationToken cancellationToken)
        {
            LastScript = script;
            return _output;
        }
    }
}
