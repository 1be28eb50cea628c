using System.Collections.Generic;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// WAS messages are rendered from their templates in one pass; the result must be what replacing %n, then
/// %n-1, ... down to %1 gives, including missing items and items that themselves hold a '%'.
/// </summary>
public class RenderKnownEventTests
{
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

        Assert.Equal(ReplaceItemByItem(Template(eventId), data), rendered);
    }

    [Fact]
    public void Unknown_events_and_providers_are_not_rendered()
    {
        Assert.Null(EvidenceCatalog.RenderKnownEvent("Microsoft-Windows-WAS", 1, new[] { "x" }));
        Assert.Null(EvidenceCatalog.RenderKnownEvent("Other", 5117, new[] { "x" }));
    }

    // The template is what rendering with no items leaves.
    private static string Template(int eventId) => EvidenceCatalog.RenderKnownEvent("WAS", eventId, new List<string>())!;

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
