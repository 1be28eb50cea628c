using System;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;
using Xunit;

namespace WsusRemediation.Engine.Tests.PoolTuning;

public class IisTimeSpanTests
{
    [Theory]
    [InlineData("29:00:00", 29 * 60)]
    [InlineData("1.05:00:00", 29 * 60)]
    [InlineData("00:20:00", 20)]
    [InlineData("00:00:00", 0)]
    [InlineData("1740:00:00", 1740 * 60)]
    [InlineData("300.00:00:00", 300 * 24 * 60)]
    public void Reads_hours_above_23_as_hours_and_days_with_a_dot(string text, int minutes)
    {
        Assert.True(IisTimeSpan.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMinutes(minutes), value);
    }

    [Fact]
    public void Differs_from_TimeSpan_Parse_exactly_where_IIS_does()
    {
        // The trap the parser exists for: .NET reads the IIS schema default as 29 days.
        Assert.Equal(TimeSpan.FromDays(29), TimeSpan.Parse("29:00:00", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromHours(29), IisTimeSpan.Parse("29:00:00", "time"));
    }

    [Theory]
    [InlineData("00:20:00.5", 20 * 60 * 10_000_000L + 5_000_000L)]
    [InlineData("00:00:01.0000001", 10_000_001L)]
    public void Reads_fractions(string text, long ticks)
    {
        Assert.True(IisTimeSpan.TryParse(text, out var value));
        Assert.Equal(ticks, value.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("20")]
    [InlineData("00:60:00")]
    [InlineData("00:00:60")]
    [InlineData("1.24:00:00")]
    [InlineData("10:5:00")]
    [InlineData("00:20")]
    [InlineData("1.2.3:00:00")]
    [InlineData("00:00:00.")]
    public void Rejects_malformed_text_with_a_stable_id(string text)
    {
        Assert.False(IisTimeSpan.TryParse(text, out _));
        var error = Assert.Throws<WsusRemediationException>(() => IisTimeSpan.Parse(text, "processModel.idleTimeout"));
        Assert.Equal("InvalidTimeSpan", error.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData(0, "00:00:00")]
    [InlineData(20, "00:20:00")]
    [InlineData(29 * 60, "1.05:00:00")]
    [InlineData(24 * 60, "1.00:00:00")]
    [InlineData(23 * 60 + 59, "23:59:00")]
    public void Writes_hh_mm_ss_below_a_day_and_d_hh_mm_ss_from_a_day(int minutes, string expected)
    {
        var text = IisTimeSpan.Format(TimeSpan.FromMinutes(minutes));
        Assert.Equal(expected, text);
        Assert.Equal(TimeSpan.FromMinutes(minutes), IisTimeSpan.Parse(text, "x"));
    }
}
