using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Windows;

/// <summary>A live event query is run whole or reported, never narrowed silently to the part Windows accepts.</summary>
public class EventQueryFlagsTests
{
    private const int EvtQueryTolerateQueryErrors = 0x1000; // winevt.h

    [Fact]
    public void The_query_does_not_let_wevtapi_drop_the_expressions_it_cannot_run()
    {
        Assert.Equal(0, WindowsEventLog.QueryFlags & EvtQueryTolerateQueryErrors);
        Assert.Equal(0x1 | 0x100, WindowsEventLog.QueryFlags); // EvtQueryChannelPath | EvtQueryForwardDirection: oldest first
    }

    [Fact]
    public void A_refused_query_is_an_error_that_names_the_whole_query()
    {
        const int errorEvtInvalidQuery = 15001;
        const string xpath = "*[System[(Provider[@Name='Microsoft-Windows-WAS'] and (EventID=5002))]]";

        var error = WindowsEventLog.QueryRefused(errorEvtInvalidQuery, "System", xpath);

        Assert.Equal("EventLogQueryFailed", error.ErrorId);
        Assert.Contains("no part of the query was run", error.Message);
        Assert.EndsWith(xpath, error.Message);
        Assert.Contains("wevtutil", error.RecommendedAction);
    }
}
