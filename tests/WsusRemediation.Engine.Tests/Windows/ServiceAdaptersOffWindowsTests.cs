using System;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Windows;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Windows;

/// <summary>Off Windows the live adapters end in one clear error, never a PlatformNotSupportedException or a DllNotFoundException.</summary>
public class ServiceAdaptersOffWindowsTests
{
    public static TheoryData<string, Action> LiveCalls => new()
    {
        { "query a service", () => new ServiceControlManagerAdapter().GetService(null, "W3SVC") },
        { "start a service", () => new ServiceControlManagerAdapter().StartService("SITE01", "SMS_EXECUTIVE") },
        { "stop a service", () => new ServiceControlManagerAdapter().StopService(null, "WsusService") },
        { "change a start type", () => new ServiceControlManagerAdapter().SetStartType("SITE01", "BITS", WsusRemediation.Engine.Services.ServiceStartType.Manual) },
        { "read a pool", () => new AppPoolControlAdapter().GetPool(null, "WsusPool") },
        { "start a pool", () => new AppPoolControlAdapter().StartPool(null, "WsusPool") },
        { "stop a remote pool", () => new AppPoolControlAdapter().StopPool("SITE01", "WsusPool") },
    };

    [OffWindowsTheory]
    [MemberData(nameof(LiveCalls))]
    public void A_live_call_off_Windows_says_it_needs_Windows(string what, Action call)
    {
        var error = Assert.Throws<WsusRemediationException>(call);

        Assert.True(error.ErrorId == "LiveAccessRequiresWindows", $"{what}: {error.ErrorId}");
        Assert.Equal(EngineErrorKind.NotInstalled, error.Kind);
        Assert.Contains("needs Windows", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RecommendedAction);
    }

    [Fact]
    public void A_start_type_that_is_not_a_service_start_type_is_refused_before_anything_is_opened()
    {
        // Boot and System apply to drivers only; ChangeServiceConfigW would fail with a less clear error.
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new ServiceControlManagerAdapter().SetStartType(null, "BITS", WsusRemediation.Engine.Services.ServiceStartType.Boot));

        Assert.Equal("startType", error.ParamName);
    }
}
