using System;
using System.Linq;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;
using Xunit;

namespace WsusRemediation.Engine.Tests.PoolTuning;

public class PoolSettingCatalogTests
{
    [Fact]
    public void Covers_every_setting_the_guides_and_KB4490414_name()
    {
        var paths = PoolSettingCatalog.All.Select(s => s.AttributePath).ToHashSet();
        string[] expected =
        {
            "@queueLength", "processModel/@idleTimeout", "processModel/@pingingEnabled", "processModel/@loadUserProfile",
            "recycling/periodicRestart/@privateMemory", "recycling/periodicRestart/@memory", "recycling/periodicRestart/@time",
            "@enable32BitAppOnWin64", "@managedRuntimeVersion", "@managedPipelineMode", "@startMode",
            "failure/@rapidFailProtection", "failure/@rapidFailProtectionInterval", "failure/@rapidFailProtectionMaxCrashes",
        };
        Assert.Equal(expected.OrderBy(p => p), paths.OrderBy(p => p));
    }

    [Fact]
    public void Carries_the_IIS_10_schema_defaults()
    {
        Assert.Equal(1000L, PoolSettingCatalog.QueueLength.SchemaDefault);
        Assert.Equal(TimeSpan.FromMinutes(20), PoolSettingCatalog.IdleTimeout.SchemaDefault);
        Assert.Equal(TimeSpan.FromHours(29), PoolSettingCatalog.RegularTimeInterval.SchemaDefault);
        Assert.Equal(true, PoolSettingCatalog.PingingEnabled.SchemaDefault);
        Assert.Equal(false, PoolSettingCatalog.Enable32BitAppOnWin64.SchemaDefault);
        Assert.Equal(string.Empty, PoolSettingCatalog.ManagedRuntimeVersion.SchemaDefault);
        Assert.Equal(5L, PoolSettingCatalog.RapidFailProtectionMaxCrashes.SchemaDefault);
        Assert.Equal("KB", PoolSettingCatalog.PrivateMemoryLimit.Unit);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(9L)]
    [InlineData(65536L)]
    [InlineData(-1L)]
    public void Queue_length_outside_10_to_65535_is_refused(long value)
    {
        var error = Assert.Throws<WsusRemediationException>(() => PoolSettingCatalog.QueueLength.Validate(value));
        Assert.Equal("QueueLengthOutOfRange", error.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
        Assert.Contains("65535", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10L)]
    [InlineData(2000L)]
    [InlineData(65535L)]
    public void Queue_length_inside_the_range_is_accepted(long value) => Assert.Equal(value, PoolSettingCatalog.QueueLength.Validate(value));

    [Theory]
    [InlineData(-1L)]
    [InlineData(-1843200L)]
    [InlineData(4294967296L)]
    [InlineData(long.MaxValue)]
    public void Negative_or_absurd_memory_limits_are_refused(long value)
    {
        var error = Assert.Throws<WsusRemediationException>(() => PoolSettingCatalog.PrivateMemoryLimit.Validate(value));
        Assert.Equal("PrivateMemoryLimitKBOutOfRange", error.ErrorId);
        error = Assert.Throws<WsusRemediationException>(() => PoolSettingCatalog.VirtualMemoryLimit.Validate(value));
        Assert.Equal("VirtualMemoryLimitKBOutOfRange", error.ErrorId);
    }

    [Theory]
    [InlineData("31.00:00:00", "IdleTimeoutOutOfRange")]
    [InlineData("-00:01:00", "IdleTimeoutOutOfRange")]
    [InlineData("00:00:30", "IdleTimeoutOutOfRange")]
    [InlineData("twenty minutes", "InvalidTimeSpan")]
    public void Out_of_range_or_malformed_time_spans_are_refused(string value, string id)
    {
        var error = Assert.Throws<WsusRemediationException>(() => PoolSettingCatalog.IdleTimeout.Validate(value));
        Assert.Equal(id, error.ErrorId);
    }

    [Fact]
    public void Rapid_fail_interval_below_a_minute_is_refused()
    {
        var error = Assert.Throws<WsusRemediationException>(() => PoolSettingCatalog.RapidFailProtectionInterval.Validate(TimeSpan.FromSeconds(30)));
        Assert.Equal("RapidFailProtectionIntervalOutOfRange", error.ErrorId);
    }

    [Fact]
    public void Enumerations_accept_any_case_and_refuse_unknown_names()
    {
        Assert.Equal("AlwaysRunning", PoolSettingCatalog.StartMode.Validate("alwaysrunning"));
        var error = Assert.Throws<WsusRemediationException>(() => PoolSettingCatalog.ManagedPipelineMode.Validate("Hybrid"));
        Assert.Equal("InvalidSettingValue", error.ErrorId);
    }

    [Fact]
    public void Find_knows_names_properties_and_paths_and_refuses_the_rest()
    {
        Assert.Same(PoolSettingCatalog.PrivateMemoryLimit, PoolSettingCatalog.Find("PrivateMemoryLimitKB"));
        Assert.Same(PoolSettingCatalog.PrivateMemoryLimit, PoolSettingCatalog.Find("recycling.periodicRestart.privateMemory"));
        Assert.Same(PoolSettingCatalog.QueueLength, PoolSettingCatalog.Find("@queueLength"));
        Assert.Equal("UnknownPoolSetting", Assert.Throws<WsusRemediationException>(() => PoolSettingCatalog.Find("cpu.limit")).ErrorId);
    }
}
