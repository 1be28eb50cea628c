using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;

/// <summary>
/// How long reading and tuning WsusPool takes as applicationHost.config grows (shared IIS servers can
/// hold thousands of pools): load + parse, read WsusPool's settings, plan and write the Recommended
/// profile (backup, atomic replace, read-back), on generated files.
/// </summary>
internal static class PoolTuningBenchmark
{
    public static void Run(string dir)
    {
        Console.WriteLine("# Pool tuning benchmark");
        Console.WriteLine();
        Console.WriteLine("| Pools | File KB | Load+parse ms | Read WsusPool ms | Plan+apply (write) ms | Peak working set MB |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var pools in new[] { 10, 100, 1000, 5000 })
        {
            var path = Path.Combine(dir, $"applicationHost-{pools}.config");
            var original = Generate(pools);
            var service = new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance);

            // Warm-up, then the best of five runs of each step.
            double load = double.MaxValue, read = double.MaxValue, apply = double.MaxValue;
            for (var run = 0; run < 6; run++)
            {
                File.WriteAllBytes(path, original);
                foreach (var stale in Directory.GetFiles(dir, $"applicationHost-{pools}.config.*.bak"))
                {
                    File.Delete(stale);
                }

                var watch = Stopwatch.StartNew();
                var document = service.Load(path);
                var loadMs = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                PoolTuningService.Read(document, "WsusPool", PoolTuningProfileName.Recommended, "bench", null);
                var readMs = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                var changes = PoolTuningService.PlanChanges(document, "WsusPool", PoolTuningService.DesiredValues(null, new Dictionary<string, object>(), false));
                service.Apply(document, "WsusPool", changes, dir);
                var applyMs = watch.Elapsed.TotalMilliseconds;
                if (run > 0)
                {
                    load = Math.Min(load, loadMs);
                    read = Math.Min(read, readMs);
                    apply = Math.Min(apply, applyMs);
                }
            }

            Console.WriteLine($"| {pools} | {original.Length / 1024} | {load:F2} | {read:F3} | {apply:F1} | {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} |");
        }
    }

    private static byte[] Generate(int pools)
    {
        var text = new StringBuilder();
        text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<configuration>\r\n    <system.applicationHost>\r\n        <applicationPools>\r\n");
        for (var i = 0; i < pools - 1; i++)
        {
            text.Append("            <add name=\"Pool").Append(i).Append("\" managedRuntimeVersion=\"v4.0\">\r\n")
                .Append("                <processModel identityType=\"ApplicationPoolIdentity\" idleTimeout=\"00:20:00\" />\r\n")
                .Append("                <recycling><periodicRestart time=\"29:00:00\" /></recycling>\r\n")
                .Append("            </add>\r\n");
        }

        text.Append("            <add name=\"WsusPool\" managedRuntimeVersion=\"v4.0\" queueLength=\"1000\">\r\n")
            .Append("                <processModel identityType=\"NetworkService\" idleTimeout=\"00:20:00\" />\r\n")
            .Append("                <recycling><periodicRestart privateMemory=\"1843200\" time=\"29:00:00\" /></recycling>\r\n")
            .Append("            </add>\r\n")
            .Append("            <applicationPoolDefaults managedRuntimeVersion=\"v4.0\" />\r\n        </applicationPools>\r\n    </system.applicationHost>\r\n</configuration>\r\n");
        var body = Encoding.UTF8.GetBytes(text.ToString());
        var bytes = new byte[body.Length + 3];
        bytes[0] = 0xEF;
        bytes[1] = 0xBB;
        bytes[2] = 0xBF;
        Array.Copy(body, 0, bytes, 3, body.Length);
        return bytes;
    }
}
