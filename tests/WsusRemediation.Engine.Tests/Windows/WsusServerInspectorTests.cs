using System;
using System.IO;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Windows;

/// <summary>
/// The child script that reads WSUS's synchronization settings and the content folder's SDDL: its JSON
/// contract, and the script itself run in a real PowerShell (without WSUS, so both parts report why they failed).
/// </summary>
public sealed class WsusServerInspectorTests
{
    [Fact]
    public void A_proxy_configuration_is_read_and_the_password_is_never_part_of_it()
    {
        var facts = WsusServerInspector.Parse("{\"contract\":\"WsusRemediation.WsusServer/1\",\"configuration\":{\"syncFromMicrosoftUpdate\":true,\"upstreamServerName\":\"\",\"upstreamServerPort\":8530,\"upstreamServerUseSsl\":false,\"useProxy\":true,\"proxyName\":\"proxy.contoso.com\",\"proxyServerPort\":8080,\"proxyUserName\":\"svc-wsus\",\"proxyUserDomain\":\"CONTOSO\",\"anonymousProxyAccess\":false},\"contentDir\":\"D:\\\\WSUS\",\"sddl\":\"D:PAI(A;OICI;FA;;;SY)\",\"notes\":[]}");

        Assert.Equal((true, "proxy.contoso.com", 8080, "svc-wsus", "CONTOSO", @"D:\WSUS"), (facts.Configuration!.UseProxy, facts.Configuration.ProxyName, facts.Configuration.ProxyServerPort, facts.Configuration.ProxyUserName, facts.Configuration.ProxyUserDomain, facts.Configuration.ContentDirectory));
        Assert.Null(facts.Configuration.UpstreamServerName);
        Assert.Equal("D:PAI(A;OICI;FA;;;SY)", facts.ContentFolderSddl);
        Assert.DoesNotContain("Password", WsusServerInspector.Script, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Another_document_is_refused_with_a_stable_id()
    {
        var ex = Assert.Throws<WsusRemediationException>(() => WsusServerInspector.Parse("{\"contract\":\"WsusRemediation.Sync/1\"}"));
        Assert.Equal("WsusConfigurationUnreadable", ex.ErrorId);
        Assert.Equal("WsusConfigurationUnreadable", Assert.Throws<WsusRemediationException>(() => WsusServerInspector.Parse("Get-WsusServer : not recognized")).ErrorId);
    }

    [Fact]
    public void Another_server_is_read_at_the_port_and_scheme_given_and_its_address_is_named()
    {
        var inspector = new WsusServerInspector(new NoRunner(), "sup01.contoso.com", WsusServerInspector.PortFor(null, useSsl: true), useSsl: true);

        Assert.Equal("https://sup01.contoso.com:8531", inspector.Endpoint);
        Assert.StartsWith("$ComputerName = 'sup01.contoso.com'\n$UseSsl = $true\n$Port = 8531\n", inspector.ScriptText, StringComparison.Ordinal);
        Assert.Equal("this computer's WSUS", new WsusServerInspector(new NoRunner()).Endpoint);
        Assert.StartsWith("$ComputerName = ''\n$UseSsl = $false\n$Port = 8530\n", new WsusServerInspector(new NoRunner()).ScriptText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false, 8530)]
    [InlineData(null, true, 8531)]
    [InlineData(80, false, 80)]
    [InlineData(443, true, 443)]
    public void The_port_is_the_one_given_else_WSUSs_default_for_the_scheme(int? port, bool useSsl, int expected)
    {
        Assert.Equal(expected, WsusServerInspector.PortFor(port, useSsl));
    }

    [Fact]
    public void A_name_with_a_quote_cannot_break_out_of_the_script_and_a_port_outside_TCPs_range_is_refused()
    {
        var inspector = new WsusServerInspector(new NoRunner(), "sup01'; Remove-Item C:\\ -Recurse; '", 8530, useSsl: false);

        Assert.StartsWith("$ComputerName = 'sup01''; Remove-Item C:\\ -Recurse; '''\n", inspector.ScriptText, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WsusServerInspector(new NoRunner(), "sup01", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WsusServerInspector(new NoRunner(), "sup01", 65536));
    }

    [PwshFact]
    public void For_another_server_the_script_names_the_address_it_tried_and_leaves_the_content_folder_to_the_server()
    {
        var facts = new WsusServerInspector(new WindowsPowerShellProcess(PwshFactAttribute.Path), "sup01.contoso.com", 8531, useSsl: true).Read(CancellationToken.None);

        Assert.Null(facts.Configuration);
        Assert.Contains(facts.Notes, n => n.StartsWith("WSUS API (https://sup01.contoso.com:8531): ", StringComparison.Ordinal));
        Assert.Contains("Content folder: its access rules are read on the server itself; run the command there.", facts.Notes);
    }

    private sealed class NoRunner : IPowerShellScriptRunner
    {
        public string Run(string script, TimeSpan timeout, CancellationToken cancellationToken) => throw new InvalidOperationException("not run in this test");
    }

    [PwshFact]
    public void The_script_runs_and_says_why_each_part_could_not_be_read_where_there_is_no_WSUS()
    {
        var facts = new WsusServerInspector(new WindowsPowerShellProcess(PwshFactAttribute.Path)).Read(CancellationToken.None);

        Assert.Null(facts.Configuration);
        Assert.Null(facts.ContentFolderSddl);
        Assert.Contains(facts.Notes, n => n.StartsWith("WSUS API: ", StringComparison.Ordinal));
        Assert.Contains(facts.Notes, n => n.StartsWith("Content folder: ", StringComparison.Ordinal));
    }

    /// <summary>Runs where a PowerShell 7 is at hand ($WSUSREM_PWSH or the shared tools), else reports a skip.</summary>
    public sealed class PwshFactAttribute : FactAttribute
    {
        public static readonly string? Path = Find();

        public PwshFactAttribute()
        {
            if (Path is null)
            {
                Skip = "No PowerShell 7 here ($WSUSREM_PWSH, /work/shared/tools/pwsh) to run the child script in.";
            }
        }

        private static string? Find()
        {
            foreach (var candidate in new[] { Environment.GetEnvironmentVariable("WSUSREM_PWSH"), "/work/shared/tools/pwsh" })
            {
                if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
