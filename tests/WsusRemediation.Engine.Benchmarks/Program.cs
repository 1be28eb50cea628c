using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Logs;

// Measures how fast each evidence reader parses generated files of 10 MB, 100 MB (and 1 GB with --gb),
// against a raw sequential read of the same file in the same run, and how much memory it holds.
//   dotnet run -c Release --project tests/WsusRemediation.Engine.Benchmarks -- [--sizes 10,100] [--gb] [--dir /tmp/x] [--formats CMTrace,HttpErr]
//   -- --fingerprint <fixtures folder> [--sizes 10]: one hash per input of everything read, to diff before/after a parser change
//   -- --pwsh [--pwsh-path <pwsh>] [--module <psd1>] [--baseline <old psd1>] [--repeat 3] [--folder-gb 1]: the module in a real PowerShell (PwshBenchmark.cs)
// and, for the pool-tuning engine on applicationHost.config files of 10 to 5000 pools: -- [--dir /tmp/x] --pools
// and, for Repair-WsusSync in virtual time (repair time / the simulated server's own busy time): -- --repair
var sizes = new List<int> { 10, 100 };
var dir = Path.Combine(Path.GetTempPath(), "wsusrem-bench");
var formats = new List<LogFormat> { LogFormat.CMTrace, LogFormat.SmsSimple, LogFormat.SoftwareDistribution, LogFormat.HttpErr, LogFormat.EventXml };
string? fingerprintFixtures = null;
string? pwsh = null;
var module = Path.Combine("out", "WsusRemediation", "WsusRemediation.psd1");
string? baselineModule = null;
var repeat = 3;
var folderGigabytes = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--sizes":
            sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
            break;
        case "--gb":
            sizes.Add(1024);
            break;
        case "--dir":
            dir = args[++i];
            break;
        case "--repair":
            Directory.CreateDirectory(dir);
            return RepairBenchmark.Run(dir);
        case "--pools":
            Directory.CreateDirectory(dir);
            PoolTuningBenchmark.Run(dir);
            return 0;
        case "--fingerprint":
            fingerprintFixtures = args[++i];
            break;
        case "--pwsh":
            pwsh = Path.Combine("..", "shared", "tools", "pwsh");
            break;
        case "--pwsh-path":
            pwsh = args[++i];
            break;
        case "--module":
            module = args[++i];
            break;
        case "--baseline":
            baselineModule = args[++i];
            break;
        case "--repeat":
            repeat = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--folder-gb":
            folderGigabytes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--formats":
            formats = args[++i].Split(',').Select(Enum.Parse<LogFormat>).ToList();
            break;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}. Use --sizes 10,100 --gb --dir <folder> --fingerprint <fixtures folder> --formats CMTrace,SmsSimple,SoftwareDistribution,HttpErr,EventXml --pwsh [--pwsh-path p] [--module psd1] [--baseline psd1] [--repeat 3] [--folder-gb 1]");
            return 2;
    }
}

Directory.CreateDirectory(dir);
if (pwsh is not null)
{
    return PwshBenchmark.Run(Path.GetFullPath(pwsh), Path.GetFullPath(module), baselineModule is null ? null : Path.GetFullPath(baselineModule), repeat, sizes, formats, folderGigabytes, dir);
}

if (fingerprintFixtures is not null)
{
    var generated = new List<string>();
    foreach (var size in sizes)
    {
        foreach (var format in formats)
        {
            var path = Path.Combine(dir, $"{format}-{size}MB{(format == LogFormat.EventXml ? ".xml" : ".log")}");
            Generator.EnsureFile(path, format, (long)size * 1024 * 1024);
            generated.Add(path);
        }
    }

    Fingerprint.Run(fingerprintFixtures, generated);
    return 0;
}

Console.WriteLine($"# Evidence reader benchmark ({RuntimeDescription()}), files in {dir}");
Console.WriteLine();
Console.WriteLine("| Format | Size MB | Entries | Skipped | Raw read MB/s | Decode-only MB/s | Parse MB/s | Parse/raw | Parse/decode | Peak managed MB | Peak working set MB |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

var warmed = new HashSet<LogFormat>();
foreach (var size in sizes)
{
    foreach (var format in formats)
    {
        var path = Path.Combine(dir, $"{format}-{size}MB{(format == LogFormat.EventXml ? ".xml" : ".log")}");
        Generator.EnsureFile(path, format, (long)size * 1024 * 1024);
        var megabytes = new FileInfo(path).Length / (1024.0 * 1024.0);

        // Warm the page cache and the JIT (one untimed parse of the first file of each format), then take
        // the best of two raw reads so both sides see cached data.
        RawRead(path);
        if (warmed.Add(format))
        {
            foreach (var unused in EvidenceReader.ReadFile(path, null, format))
            {
            }
        }

        var raw = Math.Min(Time(() => RawRead(path)), Time(() => RawRead(path)));
        var decode = Math.Min(Time(() => DecodeOnly(path)), Time(() => DecodeOnly(path)));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        long peakManaged = 0;
        long entries = 0;
        var summary = new LogReadSummary();
        var watch = Stopwatch.StartNew();
        foreach (var entry in EvidenceReader.ReadFile(path, summary, format))
        {
            entries++;
            if (entry.Kind == EvidenceKind.WsusApi503 && entry.Message.Length < 0)
            {
                Console.WriteLine("unreachable");
            }

            if ((entries & 0xFFF) == 0)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false) - baseline);
            }
        }

        watch.Stop();
        var parse = watch.Elapsed.TotalSeconds;
        var peakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {format} | {megabytes:F0} | {entries:N0} | {summary.SkippedCount} | {megabytes / raw:F0} | {megabytes / decode:F0} | {megabytes / parse:F0} | {raw / parse:P0} | {decode / parse:P0} | {peakManaged / (1024.0 * 1024.0):F1} | {peakWorkingSet:F0} |"));
    }
}

return 0;

static double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalSeconds;
}

static long RawRead(string path)
{
    var buffer = new byte[1 << 20];
    long total = 0;
    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
    int read;
    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
    {
        total += read;
    }

    return total;
}

static long DecodeOnly(string path)
{
    var buffer = new char[1 << 16];
    long total = 0;
    using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan), Encoding.UTF8, true, 1 << 16);
    int read;
    while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
    {
        total += read;
    }

    return total;
}

static string RuntimeDescription() =>
    $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

/// <summary>Writes realistic records of each format, cycling through real message shapes with rising times.</summary>
internal static class Generator
{
    private static readonly string[] SyncMessages =
    {
        "Wakeup for scheduled regular sync",
        "Starting Sync",
        "Performing sync on regular schedule",
        "Read SUPs from SCF for CS1SITE.CONTOSO.COM",
        "Found active SUP CS1SITE.CONTOSO.COM from SCF File.",
        "STATMSG: ID=6701 SEV=I LEV=M SOURCE=\"SMS Server\" COMP=\"SMS_WSUS_SYNC_MANAGER\" SYS=CS1SITE.CONTOSO.COM SITE=CS1 PID=432 TID=4840 GMTDATE=Tue Nov 10 13:00:02.608 2026 ISTR0=\"\" ISTR1=\"\" NUMATTRS=0",
        "sync: WSUS synchronizing updates, processed 122 out of 130 items (93%), ETA in 00:00:03",
        "Set content version of update source {C2D17964-BBDD-4339-B9F3-12D7205B39CC} for site CS1 to 33",
        "Sync failed: UssCommunicationError: WebException: The request failed with HTTP status 503: Service Unavailable.~~at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters). Source: Microsoft.SystemsManagementServer.SoftwareUpdatesManagement.WsusSyncAction.WSyncAction.SyncWSUS",
        "Sync succeeded. Setting sync alert to canceled state on site CS1",
        "Sync time: 0d00h03m53s",
        "Updated 130 items in SMS database, new update source content version is 34",
    };

    /// <summary>Writes the file unless it is there already; returns the time of its last record.</summary>
    public static DateTime EnsureFile(string path, LogFormat format, long bytes, DateTime? start = null)
    {
        if (File.Exists(path) && new FileInfo(path).Length >= bytes)
        {
            return LogReadPlan.Create(new[] { path }, new LogReadOptions { Tail = 1 }).Read(new LogReadSummary()).Single().TimeUtc!.Value.UtcDateTime;
        }

        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var time = start ?? new DateTime(2026, 11, 10, 0, 0, 0, DateTimeKind.Utc);
        long written = 0;
        if (format == LogFormat.EventXml)
        {
            writer.Write("<Events>\r\n");
        }

        for (long n = 0; written < bytes; n++)
        {
            time = time.AddMilliseconds(37);
            var record = Record(format, n, time);
            writer.Write(record);
            writer.Write("\r\n");
            written += record.Length + 2;
        }

        if (format == LogFormat.EventXml)
        {
            writer.Write("</Events>\r\n");
        }

        return time;
    }

    private static string Record(LogFormat format, long n, DateTime t)
    {
        var message = SyncMessages[n % SyncMessages.Length];
        var ic = CultureInfo.InvariantCulture;
        switch (format)
        {
            case LogFormat.CMTrace:
                message = message.Replace("~~", "\r\n", StringComparison.Ordinal);
                return string.Create(ic, $"<![LOG[{message}]LOG]!><time=\"{t:H:mm:ss.fff}+300\" date=\"{t:M-d-yyyy}\" component=\"SMS_WSUS_SYNC_MANAGER\" context=\"\" type=\"{(message.StartsWith("Sync failed", StringComparison.Ordinal) ? 3 : 1)}\" thread=\"4840\" file=\"\">");
            case LogFormat.SmsSimple:
                return string.Create(ic, $"{message}  $$<SMS_WSUS_SYNC_MANAGER><{t:MM-dd-yyyy HH:mm:ss.fff}+300><thread=4840 (0x12E8)>");
            case LogFormat.SoftwareDistribution:
                return (n % 6) switch
                {
                    0 => string.Create(ic, $"{t:yyyy-MM-dd HH:mm:ss.fff} UTC\tInfo\tWsusService.15\tEventLogEventReporter.ReportEvent\tEventId=382,Type=Information,Category=Synchronization,Message=A manual synchronization was started."),
                    1 => string.Create(ic, $"{t:yyyy-MM-dd HH:mm:ss.fff} UTC\tChange\tw3wp.58\tAdminDataAccess.StartSubscriptionManually\tSynchronization manually started"),
                    2 => string.Create(ic, $"{t:yyyy-MM-dd HH:mm:ss.fff} UTC\tError\tWsusService.25\tCatalogSyncAgentCore.ExecuteSyncProtocol\tSystem.Web.Services.Protocols.SoapException: Fault occurred\r\n   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage message, WebResponse response, Stream responseStream, Boolean asyncCall)\r\n   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)"),
                    3 => string.Create(ic, $"{t:yyyy-MM-dd HH:mm:ss.fff} UTC\tInfo\tWsusService.15\tEventLogEventReporter.ReportEvent\tEventId=384,Type=Information,Category=Synchronization,Message=Synchronization completed successfully."),
                    4 => string.Create(ic, $"{t:yyyy-MM-dd HH:mm:ss.fff} UTC\tInfo\tWsusService.31\tCatalogSyncAgent.SetSubscriptionStateWithRetry\tFiring event SyncFinish..."),
                    _ => string.Create(ic, $"{t:yyyy-MM-dd HH:mm:ss.fff} UTC\tInfo\tWsusService.17\tWebService.GetUpdateData\tProcessing 120 updates for batch 44"),
                };
            case LogFormat.HttpErr:
                var reasons = new[] { "503 1 QueueFull WsusPool", "- 1 Connection_Abandoned_By_AppPool WsusPool", "503 1 AppOffline WsusPool", "- - Timer_ConnectionIdle -" };
                var header = n % 5000 == 0 ? "#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: 2026-11-10 00:00:00\r\n#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\r\n" : string.Empty;
                return header + string.Create(ic, $"{t:yyyy-MM-dd HH:mm:ss} 10.0.{n % 200}.{n % 250} {50000 + (n % 15000)} 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx {reasons[n % reasons.Length]}");
            default:
                var id = new[] { 5117, 5002, 5009, 5011 }[n % 4];
                return string.Create(ic, $"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider Name=\"Microsoft-Windows-WAS\" Guid=\"{{524B5D04-133C-4A62-8362-64E8EDB9CE40}}\" EventSourceName=\"WAS\" /><EventID Qualifiers=\"32768\">{id}</EventID><Version>0</Version><Level>3</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime=\"{t:yyyy-MM-ddTHH:mm:ss.fff}000000Z\" /><EventRecordID>{n}</EventRecordID><Correlation /><Execution ProcessID=\"0\" ThreadID=\"0\" /><Channel>System</Channel><Computer>CS1SITE.CONTOSO.COM</Computer><Security /></System><EventData><Data Name=\"AppPoolID\">WsusPool</Data><Data Name=\"ProcessID\">{4000 + (n % 3000)}</Data></EventData></Event>");
        }
    }
}
