using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Common
{
    /// <summary>What Get-WsusRepairPlan and Repair-WsusSync share: where the findings and the configuration come from, and the live wiring.</summary>
    internal static class RepairCmdletSupport
    {
        /// <summary>Progress id of the repair's steps; its waits are children of it.</summary>
        public const int StepProgressId = 11;

        /// <summary>Progress id of the waits inside a step.</summary>
        public const int WaitProgressId = 12;

        /// <summary>The name a server is shown by: the one given, else this computer's.</summary>
        public static string Shown(string? computerName) => ServiceErrors.IsLocal(computerName) ? Environment.MachineName : computerName!;

        /// <summary>The live applicationHost.config of a server, read through the pool-tuning engine; null off Windows.</summary>
        public static ApplicationHostDocument? LiveConfiguration(string? computerName)
        {
            if (!WindowsPlatform.IsWindows)
            {
                return null;
            }

            var tuning = new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance);
            return tuning.Load(tuning.ResolveConfigurationPath(null, ServiceErrors.IsLocal(computerName) ? null : computerName));
        }

        /// <summary>Groups piped findings by the server they are about (the -ComputerName given wins).</summary>
        public static IEnumerable<(string? Computer, IReadOnlyList<WsusSyncFinding> Findings)> ByComputer(IEnumerable<(string? Computer, WsusSyncFinding Finding)> items) =>
            items.GroupBy(i => ServiceCmdletSupport.Key(i.Computer), StringComparer.OrdinalIgnoreCase)
                .Select(g => (g.First().Computer, (IReadOnlyList<WsusSyncFinding>)g.Select(i => i.Finding).ToList()));

        /// <summary>The repair's ports on a live server: the same adapters the single cmdlets use (another server's WSUS API at its port and scheme).</summary>
        public static RepairEnvironment LiveEnvironment(string? computerName, ApplicationHostDocument? configuration, Func<CancellationToken, IReadOnlyList<WsusSyncFinding>>? diagnose, int? wsusPort = null, bool useSsl = false)
        {
            WindowsPlatform.RequireWindows("Repairing a live server", "Get-WsusRepairPlan -EvidencePath (a plan from collected evidence)");
            var clock = SystemClock.Instance;
            var remote = ServiceErrors.IsLocal(computerName) ? null : computerName;
            var serviceControlManager = new ServiceControlManagerAdapter();
            return new RepairEnvironment
            {
                Clock = clock,
                Files = PhysicalFileStore.Instance,
                Services = serviceControlManager,
                Pools = new AppPoolControlAdapter(),
                Sync = SyncSources.Live(remote, clock, wsusPort, useSsl),
                WebProbe = HttpWsusWebServiceProbe.FromConfiguration(configuration),
                StartTypes = serviceControlManager,
                Log = new CmTraceLog(CmTraceLog.DefaultPath, clock),
                Diagnose = diagnose,
            };
        }
    }
}
