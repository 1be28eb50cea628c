using System.Linq;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;
using Xunit;

namespace WsusRemediation.Engine.Tests.Services;

public class ServiceRestartPlannerTests
{
    [Fact]
    public void A_dependent_listed_after_its_dependency_is_still_stopped_first()
    {
        var server = SimulatedSiteServer.Typical(new VirtualClock());

        var plan = new ServiceRestartPlanner(server).Plan(null, new[]
        {
            new ServiceTarget("WAS", ServiceRule.Restart, ""),
            new ServiceTarget("W3SVC", ServiceRule.Restart, ""),
        });

        Assert.Equal(new[] { "W3SVC", "WAS" }, plan.StopOrder.Select(s => s.Name));
        Assert.Equal(new[] { "WAS", "W3SVC" }, plan.StartOrder.Select(s => s.Name));
        Assert.Null(plan.Blocker);
    }

    [Fact]
    public void A_running_service_the_plan_would_leave_alone_is_restarted_when_what_it_needs_restarts()
    {
        var server = SimulatedSiteServer.Typical(new VirtualClock());

        var plan = new ServiceRestartPlanner(server).Plan(null, new[]
        {
            new ServiceTarget("W3SVC", ServiceRule.EnsureRunning, ""),
            new ServiceTarget("WAS", ServiceRule.Restart, ""),
        });

        var w3svc = plan.Services.Single(s => s.Name == "W3SVC");
        Assert.Equal(PlannedServiceAction.Restart, w3svc.Action);
        Assert.Equal("WAS", w3svc.AddedAsDependentOf);
    }

    [Theory]
    [InlineData(ServiceRule.Restart, ServiceState.Running, PlannedServiceAction.Restart)]
    [InlineData(ServiceRule.Restart, ServiceState.Stopped, PlannedServiceAction.Start)]
    [InlineData(ServiceRule.Restart, ServiceState.Paused, PlannedServiceAction.Restart)]
    [InlineData(ServiceRule.RestartIfRunning, ServiceState.Stopped, PlannedServiceAction.None)]
    [InlineData(ServiceRule.EnsureRunning, ServiceState.Running, PlannedServiceAction.None)]
    [InlineData(ServiceRule.EnsureRunning, ServiceState.Stopped, PlannedServiceAction.Start)]
    [InlineData(ServiceRule.EnsureRunning, ServiceState.StopPending, PlannedServiceAction.Start)]
    public void Each_rule_picks_the_action_for_the_state_found(ServiceRule rule, ServiceState state, PlannedServiceAction expected)
    {
        var server = new SimulatedSiteServer(new VirtualClock());
        server.AddService("X", "X", ServiceStartType.Automatic, state);

        var plan = new ServiceRestartPlanner(server).Plan(null, new[] { new ServiceTarget("X", rule, "") });

        Assert.Equal(expected, plan.Services.Single().Action);
    }

    [Fact]
    public void A_running_service_whose_start_type_was_set_to_disabled_blocks_the_plan()
    {
        var server = SimulatedSiteServer.Typical(new VirtualClock());
        server.Service("SMS_EXECUTIVE").StartType = ServiceStartType.Disabled;

        var plan = new ServiceRestartPlanner(server).Plan(null, SiteServices.SmsRestart(false, false));

        Assert.Equal("SMS_EXECUTIVE", plan.BlockedService);
        Assert.Equal("ServiceDisabled", plan.Blocker!.ErrorId);
    }
}
