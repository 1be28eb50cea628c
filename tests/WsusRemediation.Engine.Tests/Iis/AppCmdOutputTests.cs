using System.IO;
using System.Linq;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;
using Xunit;

namespace WsusRemediation.Engine.Tests.Iis;

public class AppCmdOutputTests
{
    [Fact]
    public void Reads_pool_names_and_states_from_list_apppool_xml()
    {
        var xml = File.ReadAllText(Path.Combine("Fixtures", "Iis", "appcmd-list-apppool.xml"));

        var pools = AppCmdOutput.ParsePools(xml);

        Assert.Equal(new[] { "DefaultAppPool", "WsusPool", "SMS Distribution Points Pool" }, pools.Select(p => p.Name));
        Assert.Equal(AppPoolState.Stopped, pools.Single(p => p.Name == "WsusPool").State);
        Assert.Null(pools[0].AutoStart);
    }

    [Fact]
    public void An_empty_answer_has_no_pools() => Assert.Empty(AppCmdOutput.ParsePools("<appcmd>\r\n</appcmd>"));

    [Fact]
    public void Output_that_is_not_xml_is_invalid_data()
    {
        var error = Assert.Throws<WsusRemediationException>(() => AppCmdOutput.ParsePools("<appcmd><APPPOOL "));
        Assert.Equal("AppCmdOutputInvalid", error.ErrorId);
    }

    [Theory]
    [InlineData("Started", AppPoolState.Started)]
    [InlineData("stopping", AppPoolState.Stopping)]
    [InlineData("Unknown", AppPoolState.Unknown)]
    [InlineData("", AppPoolState.Unknown)]
    [InlineData("7", AppPoolState.Unknown)]
    public void States_are_read_by_name(string text, AppPoolState expected) => Assert.Equal(expected, AppCmdOutput.ParseState(text));

    [Fact]
    public void The_hresult_of_an_error_line_is_read()
    {
        Assert.Equal(unchecked((int)0x80070420), AppCmdOutput.ErrorHResult("ERROR ( hresult:80070420, message:Command execution failed.\r\nThe object identifier does not represent a valid object.\r\n )"));
        Assert.Null(AppCmdOutput.ErrorHResult("APPPOOL object \"WsusPool\" started."));
    }
}
