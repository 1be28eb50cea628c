using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;
using Xunit;

namespace WsusRemediation.Engine.Tests.Services;

public class ServiceErrorsTests
{
    [Theory]
    [InlineData(5, "ServiceAccessDenied", EngineErrorKind.PermissionDenied)]
    [InlineData(53, "ComputerUnreachable", EngineErrorKind.ConnectionError)]
    [InlineData(1722, "ComputerUnreachable", EngineErrorKind.ConnectionError)]
    [InlineData(1753, "ComputerUnreachable", EngineErrorKind.ConnectionError)]
    [InlineData(1053, "ServiceStartFailed", EngineErrorKind.ResourceUnavailable)]
    [InlineData(1068, "ServiceStartFailed", EngineErrorKind.ResourceUnavailable)]
    [InlineData(1058, "ServiceDisabled", EngineErrorKind.InvalidOperation)]
    [InlineData(1060, "ServiceNotFound", EngineErrorKind.ObjectNotFound)]
    [InlineData(1051, "ServiceHasRunningDependents", EngineErrorKind.InvalidOperation)]
    [InlineData(1061, "ServiceBusy", EngineErrorKind.ResourceBusy)]
    [InlineData(87, "ServiceControlFailed", EngineErrorKind.NotSpecified)]
    public void Win32_errors_map_to_stable_ids_and_kinds(int code, string id, EngineErrorKind kind)
    {
        var error = ServiceErrors.FromWin32(code, "SITE01", "SMS_EXECUTIVE", "start");

        Assert.Equal(id, error.ErrorId);
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public void Messages_name_the_service_the_computer_and_the_code()
    {
        var error = ServiceErrors.FromWin32(1053, "SITE01", "SMS_EXECUTIVE", "start", "The service did not respond to the start or control request in a timely fashion.");

        Assert.Contains("'SMS_EXECUTIVE' on SITE01", error.Message, System.StringComparison.Ordinal);
        Assert.Contains("Win32 error 1053", error.Message, System.StringComparison.Ordinal);
        Assert.Equal("SMS_EXECUTIVE", error.Target);
        Assert.NotNull(error.RecommendedAction);
    }

    [Fact]
    public void An_unreachable_computer_is_the_target_of_its_error()
    {
        var error = ServiceErrors.FromWin32(1722, "SITE02", null, "open");

        Assert.Equal("SITE02", error.Target);
        Assert.Contains("cannot be reached", error.Message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData(".", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("SITE01.contoso.com", false)]
    public void Local_names_are_recognised(string? name, bool local) => Assert.Equal(local, ServiceErrors.IsLocal(name));

    [Fact]
    public void This_computers_own_names_are_local()
    {
        Assert.True(ServiceErrors.IsLocal(System.Environment.MachineName.ToLowerInvariant()));
        Assert.True(ServiceErrors.IsLocal("127.0.0.1"));
        var domain = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().DomainName;
        if (!string.IsNullOrEmpty(domain))
        {
            Assert.True(ServiceErrors.IsLocal(System.Environment.MachineName + "." + domain));
        }

        Assert.False(ServiceErrors.IsLocal(System.Environment.MachineName + "-other"));
    }

    [Fact]
    public void A_command_that_changes_a_server_refuses_an_empty_name_instead_of_taking_this_computer()
    {
        var refused = new System.Collections.Generic.List<WsusRemediationException>();

        Assert.Equal(new string?[] { null }, ServiceErrors.ComputersToChange(null, named: false, refused.Add));
        Assert.Equal(new string?[] { "CM01", "CM02" }, ServiceErrors.ComputersToChange(new[] { " CM01 ", "", "CM02" }, named: true, refused.Add));
        Assert.Empty(ServiceErrors.ComputersToChange(null, named: true, refused.Add));
        Assert.Empty(ServiceErrors.ComputersToChange(new string?[] { "  " }, named: true, refused.Add));

        Assert.Equal(3, refused.Count);
        Assert.All(refused, e => Assert.Equal("ComputerNameEmpty", e.ErrorId));
        Assert.All(refused, e => Assert.Equal(EngineErrorKind.InvalidArgument, e.Kind));
    }
}
