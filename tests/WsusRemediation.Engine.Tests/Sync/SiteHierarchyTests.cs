using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Sync;

/// <summary>Which site's update point brings new updates from Microsoft, from the SMS_SUPSyncStatus rows.</summary>
public class SiteHierarchyTests
{
    private static SupSyncStatus Point(string site, string server, string? source) =>
        new() { SiteCode = site, WsusServerName = server, WsusSourceServer = source, LastSyncState = 6702 };

    private static ConfigMgrSyncSnapshot Site(string code, params SupSyncStatus[] points) => new() { SiteCode = code, UpdatePoints = points };

    // A CAS (CS1) with two child primaries (PS1, PS2); PS1 has a second update point fed by its first.
    private static readonly SupSyncStatus[] Hierarchy =
    {
        Point("CS1", "CAS01.contoso.com", "Microsoft Update"),
        Point("PS1", "PRI01.contoso.com", "CAS01.contoso.com"),
        Point("PS1", "PRI01SUP2.contoso.com", "PRI01.contoso.com"),
        Point("PS2", "PRI02.contoso.com", "cas01"),
    };

    [Fact]
    public void A_child_primary_names_its_top_level_site() =>
        Assert.Equal("CS1", SiteHierarchy.TopLevelSiteOfChild(Site("PS1", Hierarchy)));

    [Fact]
    public void A_source_written_as_a_short_name_is_found() =>
        Assert.Equal("CS1", SiteHierarchy.TopLevelSiteOfChild(Site("PS2", Hierarchy)));

    [Fact]
    public void The_top_level_site_itself_is_not_a_child() =>
        Assert.Null(SiteHierarchy.TopLevelSiteOfChild(Site("CS1", Hierarchy)));

    [Theory]
    [InlineData("Microsoft Update")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("upstream-wsus.corp.example")] // a top-level point may sync from a WSUS server outside MECM
    public void A_standalone_primary_is_not_a_child(string? source) =>
        Assert.Null(SiteHierarchy.TopLevelSiteOfChild(Site("PS1", Point("PS1", "CM01.contoso.com", source), Point("PS1", "SUP02.contoso.com", "CM01.contoso.com"))));

    [Fact]
    public void A_child_whose_parent_point_is_not_listed_is_not_claimed() =>
        Assert.Null(SiteHierarchy.TopLevelSiteOfChild(Site("PS1", Point("PS1", "PRI01.contoso.com", "CAS01.contoso.com"))));

    [Fact]
    public void Points_that_name_each_other_end_the_walk_and_claim_nothing() =>
        // A -> B -> A: the walk stops after as many hops as there are points, back at the local point A.
        Assert.Null(SiteHierarchy.TopLevelSiteOfChild(Site("PS1", Point("PS1", "A", "B"), Point("CS1", "B", "A"))));

    private sealed class FakeSite : IConfigMgrSyncProvider
    {
        public int SyncNowCalls { get; private set; }

        public ConfigMgrSyncSnapshot Read(bool countUpdates, CancellationToken cancellationToken) => Site("PS1", Hierarchy);

        public void SyncNow(bool fullSync, CancellationToken cancellationToken) => SyncNowCalls++;
    }

    [Fact]
    public void SyncNow_on_a_child_site_is_made_and_the_top_level_site_is_named()
    {
        var site = new FakeSite();
        var verbose = new List<string>();

        var trigger = new SyncStatusService(new VirtualClock(), configMgr: site).Start(SyncSource.ConfigMgr, false, "PRI01", CancellationToken.None, verbose.Add);

        Assert.Equal(1, site.SyncNowCalls);
        Assert.Equal("CS1", trigger.TopLevelSiteCode);
        Assert.Contains(verbose, v => v.Contains("child of site CS1", StringComparison.Ordinal));
    }
}
