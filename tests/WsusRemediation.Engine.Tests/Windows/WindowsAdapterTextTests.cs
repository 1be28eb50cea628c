using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Xml;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Windows;

/// <summary>
/// What the Windows adapters hand to Windows (command lines, queries) and read back from it (buffers,
/// printed text), checked here because the calls themselves only run on a server.
/// </summary>
public class WindowsAdapterTextTests
{
    private sealed class FakeRunner : IPowerShellScriptRunner
    {
        private readonly string _output;

        public FakeRunner(string output) => _output = output;

        public string Run(string script, TimeSpan timeout, CancellationToken cancellationToken) => _output;
    }

    [Fact]
    public void The_encoded_command_is_base64_of_the_UTF16LE_preamble_and_script()
    {
        const string script = "$x = 'Grüße'\n[Console]::Out.WriteLine($x)";
        var arguments = WindowsPowerShellProcess.Arguments(script);

        Assert.StartsWith("-NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ", arguments, StringComparison.Ordinal);
        var encoded = arguments.Substring(arguments.LastIndexOf(' ') + 1);
        var bytes = Convert.FromBase64String(encoded);
        Assert.Equal((byte)WindowsPowerShellProcess.Preamble[0], bytes[0]);
        Assert.Equal(0, bytes[1]); // UTF-16 little endian, no byte order mark
        var decoded = Encoding.Unicode.GetString(bytes);
        Assert.Equal(WindowsPowerShellProcess.Preamble + script, decoded);
        Assert.Contains("Remove-TypeData -TypeName System.Array", decoded, StringComparison.Ordinal);
        Assert.Contains("UTF8Encoding $false", decoded, StringComparison.Ordinal);
        Assert.Contains("function Write-BridgeDocument", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public void The_longest_bridge_command_line_fits_in_CreateProcess()
    {
        var longName = new string('s', 63) + ".corp.contoso.example.com";
        var scripts = new[]
        {
            new WsusApiAdapter(longName, new FakeRunner(string.Empty), inProcess: false).Script("Read", 100),
            new ConfigMgrProviderAdapter(longName, new FakeRunner(string.Empty)).Script("Read", true, true),
        };

        // CreateProcess limits the whole command line (program path included) to 32,767 characters.
        var longest = scripts.Max(s => WindowsPowerShellProcess.Arguments(s).Length) + @"""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"" ".Length;
        Assert.True(longest < 32_767, $"command line is {longest} characters");
    }

    [Theory]
    [InlineData("CM01", "'CM01'")]
    [InlineData("o'brien", "'o''brien'")]
    [InlineData("a\u2019b\u2018c\u201Ad\u201Be", "'a\u2019\u2019b\u2018\u2018c\u201A\u201Ad\u201B\u201Be'")]
    [InlineData(null, "''")]
    public void PowerShell_literals_double_every_kind_of_single_quote(string? value, string expected) =>
        Assert.Equal(expected, WindowsPowerShellProcess.Quote(value));

    // What Windows PowerShell 5.1 prints with ConvertTo-Json -Compress: ' < > & as \u0027 \u003c \u003e \u0026,
    // and a DateTime that slipped through unconverted as \/Date(ms)\/ (UTC milliseconds since 1970).
    private const string WsusFailedAsPrintedBy51 =
        "{\"contract\":\"WsusRemediation.Sync/1\",\"kind\":\"WsusStatus\",\"serverName\":\"CM01\",\"status\":\"NotProcessing\",\"phase\":\"NotProcessing\",\"processedItems\":0,\"totalItems\":0," +
        "\"lastSynchronization\":{\"startTime\":\"\\/Date(1762678803402)\\/\",\"endTime\":\"2025-11-09T09:03:50.224Z\",\"result\":\"Failed\",\"error\":\"UssCommunicationError\"," +
        "\"errorText\":\"WebException: The remote name could not be resolved: \\u0027sws.update.microsoft.com\\u0027 \\u003cnone\\u003e \\u0026 more\",\"startedManually\":false}," +
        "\"history\":[]}";

    [Fact]
    public void A_document_as_Windows_PowerShell_5_1_prints_it_is_read_back_exactly()
    {
        var snapshot = new WsusApiAdapter("CM01", new FakeRunner(WsusFailedAsPrintedBy51 + "\r\n"), inProcess: false).Read(5, CancellationToken.None);

        var last = snapshot.LastSynchronization!;
        Assert.Equal(new DateTime(2025, 11, 9, 9, 0, 3, 402, DateTimeKind.Utc), last.StartTime);
        Assert.Equal(DateTimeKind.Utc, last.StartTime!.Value.Kind);
        Assert.Equal(new DateTime(2025, 11, 9, 9, 3, 50, 224, DateTimeKind.Utc), last.EndTime);
        Assert.Equal("WebException: The remote name could not be resolved: 'sws.update.microsoft.com' <none> & more", last.ErrorText);
        Assert.False(last.StartedManually);
        Assert.Empty(snapshot.History);
    }

    [Fact]
    public void The_event_query_is_a_structured_query_whose_select_holds_the_xpath_unchanged()
    {
        const string xpath = "*[System[(Provider[@Name='Microsoft-Windows-WAS'] and (EventID=5002 or EventID=5117)) and TimeCreated[@SystemTime>='2026-11-20T00:00:00.000Z']]]";

        var query = WindowsEventLog.StructuredQuery("System", xpath);

        var document = new XmlDocument();
        document.LoadXml(query);
        var select = (XmlElement)document.SelectSingleNode("/QueryList/Query/Select")!;
        Assert.Equal("0", ((XmlElement)select.ParentNode!).GetAttribute("Id"));
        Assert.Equal("System", ((XmlElement)select.ParentNode!).GetAttribute("Path"));
        Assert.Equal("System", select.GetAttribute("Path"));
        Assert.Equal(xpath, select.InnerText);
        Assert.Contains("&gt;=", query, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ready_structured_query_is_passed_through() =>
        Assert.Equal("<QueryList><Query Id=\"0\"><Select Path=\"Application\">*</Select></Query></QueryList>",
            WindowsEventLog.StructuredQuery("Application", "<QueryList><Query Id=\"0\"><Select Path=\"Application\">*</Select></Query></QueryList>"));

    [Fact]
    public void Every_known_event_query_stays_within_the_event_logs_expression_limit()
    {
        // Each Select of a structured query is limited to 32 expressions; queries with more than about 22
        // terms are refused in practice ("The specified query is invalid", elastic/beats#1491, #35047).
        foreach (var query in EventLogEvidence.KnownEventQueries(DateTimeOffset.UtcNow.AddDays(-7)))
        {
            var terms = Regex.Matches(query.XPath, @"EventID=|Provider\[|TimeCreated\[").Count;
            Assert.True(terms <= 22, $"{query.Channel}: {terms} terms in {query.XPath}");
            new XmlDocument().LoadXml(WindowsEventLog.StructuredQuery(query.Channel, query.XPath));
        }
    }

    [Fact]
    public void The_dependency_list_skips_load_order_groups_and_ends_at_the_double_NUL()
    {
        // lpDependencies of W3SVC-like configuration: services and a '+' group, NUL-separated, double-NUL-terminated,
        // followed by whatever else the SCM put in the buffer.
        var buffer = Marshal.StringToHGlobalUni("WAS\0HTTP\0+NetworkProvider\0RPCSS\0\0garbage");
        try
        {
            Assert.Equal(new[] { "WAS", "HTTP", "RPCSS" }, ServiceControlManagerAdapter.ReadMultiString(buffer));
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }

        var empty = Marshal.StringToHGlobalUni("\0\0");
        try
        {
            Assert.Empty(ServiceControlManagerAdapter.ReadMultiString(empty));
        }
        finally
        {
            Marshal.FreeHGlobal(empty);
        }

        Assert.Empty(ServiceControlManagerAdapter.ReadMultiString(IntPtr.Zero));
    }

    [Theory]
    [InlineData("/apppool.name:WsusPool", "/apppool.name:WsusPool")]
    [InlineData("/apppool.name:SMS Distribution Points Pool", "\"/apppool.name:SMS Distribution Points Pool\"")]
    [InlineData("/apppool.name:a\"b", "\"/apppool.name:a\\\"b\"")]
    [InlineData("C:\\dir with space\\", "\"C:\\dir with space\\\\\"")]
    [InlineData("", "\"\"")]
    public void AppCmd_arguments_are_quoted_by_the_Windows_command_line_rules(string argument, string expected) =>
        Assert.Equal(expected, AppPoolControlAdapter.QuoteArgument(argument));

    [Fact]
    public void AppCmd_xml_with_its_declaration_and_CRLF_lines_is_read()
    {
        var stdout = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<appcmd>\r\n    <APPPOOL APPPOOL.NAME=\"WsusPool\" PipelineMode=\"Integrated\" RuntimeVersion=\"v4.0\" state=\"Started\" />\r\n</appcmd>\r\n";

        var pool = Assert.Single(AppCmdOutput.ParsePools(AppPoolControlAdapter.ExtractXml(stdout)));

        Assert.Equal("WsusPool", pool.Name);
        Assert.Equal(AppPoolState.Started, pool.State);
        Assert.Equal(string.Empty, AppPoolControlAdapter.ExtractXml("ERROR ( message:Cannot find APPPOOL object with identifier \"Nope\". )"));
    }
}
