using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Repair;

public class WebProbeTests
{
    [Fact]
    public void The_port_and_scheme_come_from_the_binding_of_the_site_that_holds_ClientWebService()
    {
        var document = new PoolTuningService(PhysicalFileStore.Instance, new VirtualClock()).Load(TempFolder.Fixture("Evidence/GuideCase/applicationHost.config"));
        var probe = HttpWsusWebServiceProbe.FromConfiguration(document);

        Assert.Equal(8530, probe.Port);
        Assert.False(probe.UseSsl);
        Assert.Equal(8530, HttpWsusWebServiceProbe.FromConfiguration(null).Port);
    }

    [Fact]
    public async Task The_probe_asks_the_application_root_and_returns_its_status_or_null_when_nothing_answers()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://localhost:{port}/");
        listener.Start();
        string? asked = null;
        var server = Task.Run(() =>
        {
            var context = listener.GetContext();
            asked = context.Request.Url?.AbsolutePath;
            context.Response.StatusCode = 500; // what IIS answers with 500.19
            context.Response.Close();
        });

        var status = new HttpWsusWebServiceProbe(port).GetStatusCode("localhost", CancellationToken.None);
        await server.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(500, status);
        Assert.Equal("/ClientWebService/", asked);
        listener.Stop();
        Assert.Null(new HttpWsusWebServiceProbe(FreePort(), timeout: TimeSpan.FromSeconds(5)).GetStatusCode("localhost", CancellationToken.None));
    }

    private static int FreePort()
    {
        var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
