using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using WsusRemediation.Engine.Logs;

/// <summary>
/// Runs the built module in a real PowerShell, one fresh session per measurement, and reports what an
/// administrator sees: the first and the second Get-WsusSyncLog of a session, -Tail and -Since, the peak
/// RSS, and PowerShell's own floor (the same number of ready-made objects piped into Measure-Object in the
/// same session). With --baseline, an older build of the module is measured in turn with the current one
/// (interleaved, same files), so before and after come from one run on a shared machine.
///   dotnet WsusRemediation.Engine.Benchmarks.dll --pwsh [--pwsh-path ../shared/tools/pwsh] [--module out/WsusRemediation/WsusRemediation.psd1]
///       [--baseline /path/to/old/WsusRemediation.psd1] [--repeat 3] [--sizes 10,100] [--formats CMTrace,...] [--folder-gb 1]
/// </summary>
internal static class PwshBenchmark
{
    private const string Script = """
        param($Module, $File, $Since, $Tail)
        $ErrorActionPreference = 'Stop'
        $self = [Diagnostics.Process]::GetCurrentProcess()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = [ordered]@{}
        # Wall time and the process's CPU time (all threads: background JIT and GC included) of one step.
        function Measure-Step([string] $Name, [scriptblock] $Step) {
            $self.Refresh(); $cpu = $self.TotalProcessorTime.TotalSeconds; $watch.Restart()
            $value = & $Step
            $result[$Name] = $watch.Elapsed.TotalSeconds
            $self.Refresh(); $result[$Name + 'Cpu'] = $self.TotalProcessorTime.TotalSeconds - $cpu
            $value
        }
        $null = Measure-Step 'import' { Import-Module $Module }
        $result.count = Measure-Step 'first' { (Get-WsusSyncLog -LiteralPath $File | Measure-Object).Count }
        $result.count2 = Measure-Step 'second' { (Get-WsusSyncLog -LiteralPath $File | Measure-Object).Count }
        $self.Refresh(); $result.rss = $self.PeakWorkingSet64
        $result.tailCount = Measure-Step 'tail' { (Get-WsusSyncLog -LiteralPath $File -Tail $Tail | Measure-Object).Count }
        $bound = [DateTime]::Parse($Since, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::AdjustToUniversal -bor [Globalization.DateTimeStyles]::AssumeUniversal)
        $result.sinceCount = Measure-Step 'since' { (Get-WsusSyncLog -LiteralPath $File -Since $bound | Measure-Object).Count }
        $one = @(Get-WsusSyncLog -LiteralPath $File -Tail 1)[0]
        $ready = [Linq.Enumerable]::ToArray([Linq.Enumerable]::Repeat([object]$one, [int]$result.count))
        $null = Measure-Step 'floor' { $ready | Measure-Object }
        # The floor again with the entries themselves (read beforehand): distinct objects, as the cmdlet writes them.
        $entries = [Linq.Enumerable]::ToArray([WsusRemediation.Engine.Logs.LogEntry[]] @(Get-WsusSyncLog -LiteralPath $File))
        $null = Measure-Step 'floorEntries' { $entries | Measure-Object }
        $result | ConvertTo-Json -Compress
        """;

    /// <summary>
    /// A second kind of session, for where the first call's excess comes from: PowerShell's own first and second pipeline
    /// of the same number of ready-made objects, before the module has run; then the module's first and second call
    /// once PowerShell's pipeline is warm.
    /// </summary>
    private const string WarmScript = """
        param($Module, $File, $Count)
        $ErrorActionPreference = 'Stop'
        $self = [Diagnostics.Process]::GetCurrentProcess()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = [ordered]@{}
        function Measure-Step([string] $Name, [scriptblock] $Step) {
            $self.Refresh(); $cpu = $self.TotalProcessorTime.TotalSeconds; $watch.Restart()
            $null = & $Step
            $result[$Name] = $watch.Elapsed.TotalSeconds
            $self.Refresh(); $result[$Name + 'Cpu'] = $self.TotalProcessorTime.TotalSeconds - $cpu
        }
        Import-Module $Module
        # -Tail 1 reads a few kilobytes from the end: it loads the module's code, it does not warm the per-record path.
        $one = @(Get-WsusSyncLog -LiteralPath $File -Tail 1)[0]
        $ready = [Linq.Enumerable]::ToArray([Linq.Enumerable]::Repeat([object]$one, [int]$Count))
        Measure-Step 'floorFirst' { $ready | Measure-Object }
        Measure-Step 'floorSecond' { $ready | Measure-Object }
        Measure-Step 'warmFirst' { Get-WsusSyncLog -LiteralPath $File | Measure-Object }
        Measure-Step 'warmSecond' { Get-WsusSyncLog -LiteralPath $File | Measure-Object }
        $result | ConvertTo-Json -Compress
        """;

    public static int Run(string pwsh, string module, string? baseline, int repeat, IReadOnlyList<int> sizes, IReadOnlyList<LogFormat> formats, int folderGigabytes, string dir)
    {
        var scriptPath = Path.Combine(dir, "pwsh-benchmark.ps1");
        File.WriteAllText(scriptPath, Script);
        var warmScriptPath = Path.Combine(dir, "pwsh-warm.ps1");
        File.WriteAllText(warmScriptPath, WarmScript);
        var warmRows = new List<string>();
        var builds = baseline is null ? new[] { ("after", module) } : new[] { ("before", baseline), ("after", module) };
        Console.WriteLine($"# Get-WsusSyncLog in {Version(pwsh)}, {Environment.ProcessorCount} cores; median of {repeat} fresh sessions per build, builds interleaved; load before: {Load()}");
        Console.WriteLine();
        Console.WriteLine("Wall seconds, with the process's CPU seconds in brackets (all threads; steadier than wall time on a shared machine).");
        Console.WriteLine();
        Console.WriteLine("Floor: one entry repeated; floor (entries): the same entries, read beforehand, piped again (distinct objects).");
        Console.WriteLine();
        Console.WriteLine("| Format | MB | Build | Entries | Import s | First s | Second s | First/second | Floor s | Second/floor | Floor (entries) s | Second/floor (entries) | Peak RSS MB | -Tail 100 s | -Since last hour s (entries) |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var size in sizes)
        {
            foreach (var format in formats)
            {
                var path = Path.Combine(dir, $"{format}-{size}MB{(format == LogFormat.EventXml ? ".xml" : ".log")}");
                Generator.EnsureFile(path, format, (long)size * 1024 * 1024);
                var last = LogReadPlan.Create(new[] { path }, new LogReadOptions { Tail = 1 }).Read(new LogReadSummary()).Single().TimeUtc!.Value;
                var since = last.AddHours(-1).UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
                var runs = builds.ToDictionary(b => b.Item1, _ => new List<Dictionary<string, double>>());
                var warmRuns = builds.ToDictionary(b => b.Item1, _ => new List<Dictionary<string, double>>());
                for (var r = 0; r < repeat; r++)
                {
                    foreach (var (name, psd1) in builds)
                    {
                        var session = Session(pwsh, scriptPath, psd1, path, since, "100");
                        runs[name].Add(session);
                        warmRuns[name].Add(Run(pwsh, warmScriptPath, psd1, path, session["count"].ToString(CultureInfo.InvariantCulture)));
                    }
                }

                foreach (var (name, _) in builds)
                {
                    Row(format.ToString(), size, name, runs[name]);
                    warmRows.Add(WarmRow(format.ToString(), size, name, warmRuns[name]));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("Where the first call's excess comes from (separate fresh sessions): PowerShell's own first and second pipeline of the");
        Console.WriteLine("same number of ready-made objects into Measure-Object, before the module has read anything; then the module's first");
        Console.WriteLine("and second call once PowerShell's pipeline is warm.");
        Console.WriteLine();
        Console.WriteLine("| Format | MB | Build | Floor first s | Floor second s | PowerShell's own first/second | Module first s (PowerShell warm) | Module second s | Module's own first/second |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in warmRows)
        {
            Console.WriteLine(row);
        }

        if (folderGigabytes > 0)
        {
            Folder(pwsh, builds, repeat, folderGigabytes, dir);
        }

        Console.WriteLine();
        Console.WriteLine($"Load after: {Load()}");
        return 0;
    }

    /// <summary>A folder of rolled-over HTTPERR files (HTTP.sys numbers them httperr1, httperr2, ...) read with -Since the last hour.</summary>
    private static void Folder(string pwsh, (string, string)[] builds, int repeat, int gigabytes, string dir)
    {
        var folder = Path.Combine(dir, $"httperr-{gigabytes}GB");
        Directory.CreateDirectory(folder);
        const int perFileMB = 10;
        var files = gigabytes * 1024 / perFileMB;
        var time = new DateTime(2026, 11, 10, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 1; i <= files; i++)
        {
            var path = Path.Combine(folder, $"httperr{i}.log");
            time = Generator.EnsureFile(path, LogFormat.HttpErr, perFileMB * 1024L * 1024, time);

            // As on the server: a file was last written when its last line was.
            File.SetLastWriteTimeUtc(path, time);
        }

        var since = time.AddHours(-1).ToString("o", CultureInfo.InvariantCulture);
        var script = Path.Combine(dir, "pwsh-folder.ps1");
        File.WriteAllText(script, """
            param($Module, $Folder, $Since)
            $ErrorActionPreference = 'Stop'
            Import-Module $Module
            $bound = [DateTime]::Parse($Since, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::AdjustToUniversal -bor [Globalization.DateTimeStyles]::AssumeUniversal)
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $count = (Get-WsusSyncLog -Path $Folder -Since $bound | Measure-Object).Count
            $time = $watch.Elapsed.TotalSeconds
            [ordered]@{ time = $time; count = $count; rss = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 } | ConvertTo-Json -Compress
            """);
        Console.WriteLine();
        Console.WriteLine($"{files} rolled-over HTTPERR files of {perFileMB} MB ({gigabytes} GB), `Get-WsusSyncLog -Path <folder> -Since <last hour>`, first call of a session:");
        Console.WriteLine();
        Console.WriteLine("| Build | Entries | Time s | Peak RSS MB |");
        Console.WriteLine("|---|---:|---:|---:|");
        var runs = builds.ToDictionary(b => b.Item1, _ => new List<Dictionary<string, double>>());
        for (var r = 0; r < repeat; r++)
        {
            foreach (var (name, psd1) in builds)
            {
                runs[name].Add(Run(pwsh, script, psd1, folder, since));
            }
        }

        foreach (var (name, _) in builds)
        {
            var list = runs[name];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(list, "count"):N0} | {Median(list, "time"):F2} | {Median(list, "rss") / (1024 * 1024):F0} |"));
        }
    }

    private static void Row(string format, int size, string build, List<Dictionary<string, double>> runs)
    {
        string Both(string key, string format) => string.Create(CultureInfo.InvariantCulture, $"{Median(runs, key).ToString(format, CultureInfo.InvariantCulture)} ({Median(runs, key + "Cpu").ToString(format, CultureInfo.InvariantCulture)})");
        string Ratio(string a, string b) => string.Create(CultureInfo.InvariantCulture, $"{Median(runs.Select(r => r[a] / r[b]).ToList()):F2} ({Median(runs.Select(r => r[a + "Cpu"] / r[b + "Cpu"]).ToList()):F2})");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {format} | {size} | {build} | {Median(runs, "count"):N0} | {Both("import", "F2")} | {Both("first", "F2")} | {Both("second", "F2")} | {Ratio("first", "second")} | {Both("floor", "F2")} | {Ratio("second", "floor")} | {Both("floorEntries", "F2")} | {Ratio("second", "floorEntries")} | {Median(runs, "rss") / (1024 * 1024):F0} | {Both("tail", "F3")} | {Both("since", "F3")} [{Median(runs, "sinceCount"):N0}] |"));
    }

    private static string WarmRow(string format, int size, string build, List<Dictionary<string, double>> runs)
    {
        string Both(string key) => string.Create(CultureInfo.InvariantCulture, $"{Median(runs, key):F2} ({Median(runs, key + "Cpu"):F2})");
        string Ratio(string a, string b) => string.Create(CultureInfo.InvariantCulture, $"{Median(runs.Select(r => r[a] / r[b]).ToList()):F2} ({Median(runs.Select(r => r[a + "Cpu"] / r[b + "Cpu"]).ToList()):F2})");
        return $"| {format} | {size} | {build} | {Both("floorFirst")} | {Both("floorSecond")} | {Ratio("floorFirst", "floorSecond")} | {Both("warmFirst")} | {Both("warmSecond")} | {Ratio("warmFirst", "warmSecond")} |";
    }

    private static double Median(List<Dictionary<string, double>> runs, string key) => Median(runs.Select(r => r[key]).ToList());

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    private static Dictionary<string, double> Session(string pwsh, string script, string module, string file, string since, string tail) =>
        Run(pwsh, script, module, file, since, tail);

    private static Dictionary<string, double> Run(string pwsh, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(pwsh) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-File", script }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var json = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (process.ExitCode != 0 || json is null)
        {
            throw new InvalidOperationException($"pwsh failed ({process.ExitCode}): {error}{output}");
        }

        return JsonSerializer.Deserialize<Dictionary<string, double>>(json)!;
    }

    private static string Version(string pwsh)
    {
        var start = new ProcessStartInfo(pwsh) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-NoProfile", "-Command", "\"PowerShell $($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription)\"" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }

    private static string Load()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
