using System.Collections.Generic;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// WAS messages rendered from their templates (technical-facts §6.1) when an exported event has no
/// rendered text. The expected sentences are written out here, not taken from the production code.
/// </summary>
public class RenderKnownEventTests
{
    // The WAS message texts, pinned independently of EvidenceCatalog.
    private static readonly Dictionary<int, string> Templates = new()
    {
        [5002] = "Application pool '%1' is being automatically disabled due to a series of failures in the process(es) serving that application pool.",
        [5009] = "A process serving application pool '%1' terminated unexpectedly. The process id was '%2'. The process exit code was '0x%3'.",
        [5011] = "A process serving application pool '%1' suffered a fatal communication error with the Windows Process Activation Service. The process id was '%2'. The data field contains the error number.",
        [5117] = "A worker process with process id of '%1' serving application pool '%2' has requested a recycle because it reached its private bytes memory limit.",
        [5186] = "A worker process with process id of '%1' serving application pool '%2' was shutdown due to inactivity. Application Pool timeout configuration was set to %3 minutes.",
    };

    public static TheoryData<int, string[]> Cases() => new()
    {
        { 5117, new[] { "4312", "WsusPool" } },
        { 5117, new[] { "4312" } },
        { 5117, new string[0] },
        { 5009, new[] { "WsusPool", "4312", "e0434352" } },
        { 5009, new[] { "Wsus%2Pool", "4312", "%1" } },
        { 5186, new[] { "4312", "WsusPool", "20", "extra", "more", "6", "7", "8", "9", "10", "11" } },
        { 5002, new[] { "%3" } },
        { 5011, new[] { "WsusPool", string.Empty } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_pass_rendering_matches_replacing_item_by_item(int eventId, string[] data)
    {
        var rendered = EvidenceCatalog.RenderKnownEvent("Microsoft-Windows-WAS", eventId, data);

        Assert.Equal(ReplaceItemByItem(Templates[eventId], data), rendered);
    }

    [Fact]
    public void A_private_bytes_recycle_names_the_process_then_the_pool()
    {
        Assert.Equal(
            "A worker process with process id of '4312' serving application pool 'WsusPool' has requested a recycle because it reached its private bytes memory limit.",
            EvidenceCatalog.RenderKnownEvent("Microsoft-Windows-WAS", 5117, new[] { "4312", "WsusPool" }));
    }

    [Theory]
    [InlineData("AppPoolID", "WsusPool", "ProcessID", "7716")]   // Server 2016's order
    [InlineData("ProcessID", "7716", "AppPoolID", "WsusPool")]
    [InlineData("appPoolId", "WsusPool", "PROCESSID", "7716")]
    public void Named_items_fill_their_markers_whatever_their_order(string firstName, string firstValue, string secondName, string secondValue)
    {
        var rendered = EvidenceCatalog.RenderKnownEvent("WAS", 5117, new[] { firstValue, secondValue }, new[] { firstName, secondName });

        Assert.Equal(
            "A worker process with process id of '7716' serving application pool 'WsusPool' has requested a recycle because it reached its private bytes memory limit.",
            rendered);
    }

    [Fact]
    public void A_named_item_that_is_missing_stays_a_marker_and_is_not_replaced_by_its_neighbour()
    {
        var rendered = EvidenceCatalog.RenderKnownEvent("WAS", 5117, new[] { "WsusPool" }, new[] { "AppPoolID" });

        Assert.Equal(
            "A worker process with process id of '%1' serving application pool 'WsusPool' has requested a recycle because it reached its private bytes memory limit.",
            rendered);
    }

    [Fact]
    public void Unnamed_items_and_markers_without_a_known_name_go_by_position()
    {
        var positional = EvidenceCatalog.RenderKnownEvent("WAS", 5117, new[] { "7716", "WsusPool" }, new string?[] { "Data1", "Data2" });
        var exitCode = EvidenceCatalog.RenderKnownEvent("WAS", 5009, new[] { "7716", "WsusPool", "e0434352" }, new string?[] { "ProcessID", "AppPoolID", null });

        Assert.Equal(
            "A worker process with process id of '7716' serving application pool 'WsusPool' has requested a recycle because it reached its private bytes memory limit.",
            positional);
        Assert.Equal(
            "A process serving application pool 'WsusPool' terminated unexpectedly. The process id was '7716'. The process exit code was '0xe0434352'.",
            exitCode);
    }

    [Fact]
    public void Unknown_events_and_providers_are_not_rendered()
    {
        Assert.Null(EvidenceCatalog.RenderKnownEvent("Microsoft-Windows-WAS", 1, new[] { "x" }));
        Assert.Null(EvidenceCatalog.RenderKnownEvent("Other", 5117, new[] { "x" }));
        Assert.Null(EvidenceCatalog.RenderKnownEvent("Other", 5117, new[] { "x" }, new[] { "AppPoolID" }));
        Assert.False(EvidenceCatalog.HasKnownEventTemplate("Other", 5117));
        Assert.True(EvidenceCatalog.HasKnownEventTemplate("WAS", 5117));
    }

    private static string ReplaceItemByItem(string template, IReadOnlyList<string> data)
    {
        var result = template;
        for (var n = data.Count; n >= 1; n--)
        {
            result = result.Replace("%" + n, data[n - 1]);
        }

        return result;
    }
}
