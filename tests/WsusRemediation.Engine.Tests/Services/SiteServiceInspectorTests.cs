using System.Linq;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;
using Xunit;

namespace WsusRemediation.Engine.Tests.Services;

public class SiteServiceInspectorTests
{
    [Fact]
    public void Lists_every_service_that_matters_and_the_pool_with_what_is_wrong()
    {
        var server = SimulatedSiteServer.Typical(new VirtualClock());

        var rows = new SiteServiceInspector(server, server).Inspect(null);

        Assert.Equal(
            new[] { "WsusService", "W3SVC", "WAS", "BITS", "SMS_EXECUTIVE", "SMS_SITE_COMPONENT_MANAGER", "SMS_NOTIFICATION_SERVER", "CcmExec", "WsusPool" },
            rows.Select(r => r.Name));
        var bits = rows.Single(r => r.Name == "BITS");
        Assert.True(bits.Healthy);
        Assert.Equal("Stopped", bits.Status);
        Assert.Equal("Manual", bits.StartType);
        var notification = rows.Single(r => r.Name == "SMS_NOTIFICATION_SERVER");
        Assert.False(notification.Healthy);
        Assert.StartsWith("Stopped; expected Running", notification.Note, System.StringComparison.Ordinal);
        var pool = rows[^1];
        Assert.Equal(SiteComponentKind.ApplicationPool, pool.Kind);
        Assert.Equal("Started", pool.Status);
        Assert.Equal("AutoStart", pool.StartType);
        Assert.True(pool.Healthy);
    }

    [Fact]
    public void Missing_services_are_rows_with_Present_false()
    {
        var server = new SimulatedSiteServer(new VirtualClock(), "WSUS01");
        server.AddService("WsusService", "WSUS Service", ServiceStartType.Automatic, ServiceState.Running);

        var rows = new SiteServiceInspector(server, null).Inspect(null);

        Assert.Equal(8, rows.Count);
        Assert.Equal(7, rows.Count(r => !r.Present));
        Assert.All(rows.Where(r => !r.Present), r => Assert.Equal("NotPresent", r.Status));
    }

    [Fact]
    public void Disabled_BITS_and_a_stopped_pool_are_flagged()
    {
        var server = SimulatedSiteServer.Typical(new VirtualClock());
        server.Service("BITS").StartType = ServiceStartType.Disabled;
        server.StopPool(null, "WsusPool");
        server.Clock.Advance(System.TimeSpan.FromSeconds(10));

        var rows = new SiteServiceInspector(server, server).Inspect(null);

        Assert.False(rows.Single(r => r.Name == "BITS").Healthy);
        Assert.StartsWith("Disabled.", rows.Single(r => r.Name == "BITS").Note, System.StringComparison.Ordinal);
        var pool = rows.Single(r => r.Name == "WsusPool");
        Assert.False(pool.Healthy);
        Assert.Contains("rapid-fail", pool.Note, System.StringComparison.Ordinal);
    }

    [Fact]
    public void When_IIS_cannot_be_queried_the_pool_row_says_why()
    {
        var server = SimulatedSiteServer.Typical(new VirtualClock());
        server.IisUnavailableReason = "Microsoft.Web.Administration could not be loaded in this PowerShell.";

        var pool = new SiteServiceInspector(server, server).Inspect(null).Single(r => r.Kind == SiteComponentKind.ApplicationPool);

        Assert.Equal("Unknown", pool.Status);
        Assert.Contains("could not be loaded", pool.Note, System.StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_computer_throws_a_connection_error()
    {
        var server = SimulatedSiteServer.Typical(new VirtualClock());

        var error = Assert.Throws<WsusRemediationException>(() => new SiteServiceInspector(server, server).Inspect("SITE99"));

        Assert.Equal("ComputerUnreachable", error.ErrorId);
    }
}
