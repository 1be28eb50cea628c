using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>What a plan is made from: the findings and the admin's choices.</summary>
    public sealed class RepairPlanRequest
    {
        /// <summary>The server, as the steps name it.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>True when the server is not this computer: command lines then carry -ComputerName.</summary>
        public bool IsRemote { get; init; }

        /// <summary>The diagnosis (Get-WsusSyncDiagnosis), most fundamental cause first.</summary>
        public IReadOnlyList<WsusSyncFinding> Findings { get; init; } = Array.Empty<WsusSyncFinding>();

        /// <summary>The pool-tuning profile TunePool applies.</summary>
        public PoolTuningProfileName Profile { get; init; } = PoolTuningProfileName.Recommended;

        /// <summary>Plan the whole sequence whatever the findings say.</summary>
        public bool All { get; init; }

        /// <summary>Only these steps (WaitForSync brings StartSync with it); null or empty: what the findings call for.</summary>
        public IReadOnlyList<RepairStepName>? Steps { get; init; }

        /// <summary>Leave out StartSync and WaitForSync.</summary>
        public bool SkipSync { get; init; }

        /// <summary>The pool that serves WSUS.</summary>
        public string PoolName { get; init; } = PoolTuningService.DefaultPoolName;

        /// <summary>The applicationHost.config the pool is tuned in, when known.</summary>
        public string? ConfigurationPath { get; init; }

        /// <summary>What the profile would change on the pool (from the pool-tuning engine); null when the configuration was not read.</summary>
        public IReadOnlyList<PoolSettingChange>? PoolChanges { get; init; }

        /// <summary>The port of the server's WSUS web services for the steps; null: the findings' (or the scheme's default).</summary>
        public int? WsusPort { get; init; }

        /// <summary>HTTPS to the server's WSUS web services; null: as the findings say.</summary>
        public bool? UseSsl { get; init; }

        /// <summary>The port and scheme the steps carry: what was given, else what the findings were reached at, else 8530 over HTTP.</summary>
        internal (int Port, bool UseSsl) Endpoint()
        {
            var first = Findings.FirstOrDefault();
            var useSsl = UseSsl ?? first?.UseSsl ?? false;
            var port = WsusPort ?? (UseSsl is null ? first?.WsusPort : null);
            return (WsusEndpoint.PortFor(port, useSsl), useSsl);
        }
    }

    /// <summary>
    /// Turns findings into the ordered steps of a repair: a pure function, so a plan made offline from
    /// evidence is the same plan the repair runs. The order is <see cref="RepairStepName"/>'s numeric
    /// order (the guide's, with the TechNet page's BITS and WSUS service steps before the sync);
    /// Manual steps are listed right before the synchronization they would make fail.
    /// </summary>
    public static class RepairPlanner
    {
        /// <summary>Every automatic step, in run order (what -All plans).</summary>
        public static IReadOnlyList<RepairStepName> AutomaticSteps { get; } = new[]
        {
            RepairStepName.TunePool, RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices,
            RepairStepName.RepairBits, RepairStepName.RestartWsusService, RepairStepName.StartSync, RepairStepName.WaitForSync,
            RepairStepName.VerifyUpdates,
        };

        // The step a finding calls for when the diagnosis left its RepairStep empty.
        private static readonly Dictionary<string, RepairStepName> DefaultSteps = new Dictionary<string, RepairStepName>(StringComparer.Ordinal)
        {
            [FindingIds.PoolTuningNotCompliant] = RepairStepName.TunePool,
            [FindingIds.Pool32BitEnabled] = RepairStepName.TunePool,
            [FindingIds.PoolRecycledOnMemoryLimit] = RepairStepName.TunePool,
            [FindingIds.HttpQueueFull] = RepairStepName.TunePool,
            [FindingIds.PoolStopped] = RepairStepName.RestartPool,
            [FindingIds.PoolDisabledByRapidFailProtection] = RepairStepName.RestartPool,
            [FindingIds.PoolWorkerFailed] = RepairStepName.RestartPool,
            [FindingIds.HttpAppOffline] = RepairStepName.RestartPool,
            [FindingIds.WsusApiUnavailable] = RepairStepName.RestartPool,
            [FindingIds.SmsServiceNotRunning] = RepairStepName.RestartSmsServices,
            [FindingIds.BitsNotUsable] = RepairStepName.RepairBits,
            [FindingIds.WsusServiceNotRunning] = RepairStepName.RestartWsusService,
            [FindingIds.SyncFailureStreak] = RepairStepName.StartSync,
            [FindingIds.ConfigMgrHasNoUpdates] = RepairStepName.StartSync,
            [FindingIds.CatalogSyncFailed] = RepairStepName.Manual,
            [FindingIds.ProxyAuthenticationFailed] = RepairStepName.Manual,
            [FindingIds.UpstreamNameNotResolved] = RepairStepName.Manual,
            [FindingIds.UpstreamUnreachable] = RepairStepName.Manual,
            [FindingIds.TlsHandshakeFailed] = RepairStepName.Manual,
            [FindingIds.CertificateNotTrusted] = RepairStepName.Manual,
            [FindingIds.UpstreamMissingUpdates] = RepairStepName.Manual,
            [FindingIds.ContentFolderAccessDenied] = RepairStepName.Manual,
        };

        private static readonly Dictionary<string, string> ManualPlaces = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FindingIds.ProxyAuthenticationFailed] = "The proxy account of the software update point (MECM console)",
            [FindingIds.UpstreamNameNotResolved] = "The upstream server's name (DNS, the update source setting)",
            [FindingIds.UpstreamUnreachable] = "The firewall or proxy between the server and its update source",
            [FindingIds.TlsHandshakeFailed] = "TLS 1.2 and .NET strong cryptography on the server",
            [FindingIds.CertificateNotTrusted] = "The server's trusted root certificates",
            [FindingIds.UpstreamMissingUpdates] = "The upstream WSUS server's products and classifications",
            [FindingIds.ContentFolderAccessDenied] = "The WSUS content folder's permissions (NETWORK SERVICE, Users: Read)",
            [FindingIds.CatalogSyncFailed] = "The update source and proxy settings (WSUS Options → Update Source and Proxy Server)",
        };

        /// <summary>The step a finding calls for: its own RepairStep, else the rule's default; None for information.</summary>
        public static RepairStepName StepFor(WsusSyncFinding finding)
        {
            if (finding is null)
            {
                throw new ArgumentNullException(nameof(finding));
            }

            if (finding.Severity == FindingSeverity.Information)
            {
                return RepairStepName.None;
            }

            if (finding.RepairStep != RepairStepName.None)
            {
                return finding.RepairStep;
            }

            return DefaultSteps.TryGetValue(finding.Id, out var step) ? step : RepairStepName.None;
        }

        /// <summary>Plans the repair. Pure: the same request always gives the same plan.</summary>
        public static IReadOnlyList<WsusRepairStep> Plan(RepairPlanRequest request)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            var reasons = new Dictionary<RepairStepName, List<string>>();
            var manualFindings = new List<WsusSyncFinding>();
            foreach (var finding in request.Findings)
            {
                var step = StepFor(finding);
                if (step == RepairStepName.None)
                {
                    continue;
                }

                // A warning is history (a pool disabled last week, since started) or a setting that is off
                // now: only the tuning acts on it, and only when the configuration says something differs.
                if (finding.Severity == FindingSeverity.Warning && step != RepairStepName.TunePool && step != RepairStepName.Manual)
                {
                    continue;
                }

                if (step == RepairStepName.Manual)
                {
                    if (!manualFindings.Any(m => m.Id == finding.Id))
                    {
                        manualFindings.Add(finding);
                    }

                    continue;
                }

                AddReason(reasons, step, finding.Id);
            }

            var tuningKnownCompliant = request.PoolChanges is { Count: 0 };
            var wanted = new HashSet<RepairStepName>();
            if (request.Steps is { Count: > 0 })
            {
                wanted.UnionWith(request.Steps.Where(s => s != RepairStepName.None && s != RepairStepName.Manual));
                if (wanted.Contains(RepairStepName.WaitForSync))
                {
                    wanted.Add(RepairStepName.StartSync);
                }
            }
            else if (request.All)
            {
                wanted.UnionWith(AutomaticSteps);
            }
            else
            {
                wanted.UnionWith(reasons.Keys);
                if (tuningKnownCompliant)
                {
                    // The findings may predate a tuning already done; the configuration read now says there is nothing to change.
                    wanted.Remove(RepairStepName.TunePool);
                }

                if (wanted.Contains(RepairStepName.TunePool) || wanted.Contains(RepairStepName.RestartPool))
                {
                    // The guide's sequence: a pool change takes effect on the restart, the IIS reset and the SMS
                    // restarts make every component reconnect to the pool that is back.
                    wanted.UnionWith(new[] { RepairStepName.RestartPool, RepairStepName.RestartIis, RepairStepName.RestartSmsServices });
                }

                if (wanted.Count > 0 || manualFindings.Any(f => f.Severity >= FindingSeverity.Error))
                {
                    // Whatever was repaired (here or by hand) is proven by a synchronization that succeeds.
                    wanted.UnionWith(new[] { RepairStepName.StartSync, RepairStepName.WaitForSync });
                }

                wanted.Add(RepairStepName.VerifyUpdates);
            }

            if (request.SkipSync)
            {
                wanted.Remove(RepairStepName.StartSync);
                wanted.Remove(RepairStepName.WaitForSync);
            }

            var steps = new List<WsusRepairStep>();
            var order = 0;
            var manualPlaced = false;
            foreach (var name in AutomaticSteps)
            {
                var syncPart = name == RepairStepName.StartSync || name == RepairStepName.WaitForSync || name == RepairStepName.VerifyUpdates;
                if (syncPart && !manualPlaced)
                {
                    // Listed where they matter: a synchronization cannot succeed before they are done.
                    foreach (var finding in manualFindings)
                    {
                        steps.Add(Manual(request, finding, ++order));
                    }

                    manualPlaced = true;
                }

                if (wanted.Contains(name))
                {
                    reasons.TryGetValue(name, out var why);
                    steps.Add(Automatic(request, name, ++order, why ?? new List<string>()));
                }
            }

            return steps;
        }

        private static void AddReason(Dictionary<RepairStepName, List<string>> reasons, RepairStepName step, string id)
        {
            if (!reasons.TryGetValue(step, out var list))
            {
                list = new List<string>();
                reasons[step] = list;
            }

            if (!list.Contains(id))
            {
                list.Add(id);
            }
        }

        private static WsusRepairStep Manual(RepairPlanRequest request, WsusSyncFinding finding, int order) =>
            new WsusRepairStep
            {
                ComputerName = request.ComputerName,
                WsusPort = request.Endpoint().Port,
                UseSsl = request.Endpoint().UseSsl,
                Order = order,
                Name = RepairStepName.Manual,
                Target = ManualPlaces.TryGetValue(finding.Id, out var place) ? place : finding.Title,
                Reason = new[] { finding.Id },
                Changes = new[] { string.IsNullOrEmpty(finding.Title) ? finding.Id : finding.Title },
                Impact = RepairImpact.None,
                Command = string.IsNullOrEmpty(finding.Fix) ? $"By hand: see Get-WsusSyncDiagnosis, finding {finding.Id}." : finding.Fix,
                BlocksSync = finding.Severity >= FindingSeverity.Error,
            };

        private static WsusRepairStep Automatic(RepairPlanRequest request, RepairStepName name, int order, List<string> reasons)
        {
            var computer = request.ComputerName;
            var on = string.IsNullOrEmpty(computer) ? string.Empty : $" on {computer}";
            var cn = request.IsRemote && !string.IsNullOrEmpty(computer) ? $" -ComputerName {computer}" : string.Empty;
            var pool = request.PoolName;
            var poolArg = string.Equals(pool, PoolTuningService.DefaultPoolName, StringComparison.OrdinalIgnoreCase) ? string.Empty : $" -PoolName '{pool}'";
            var (port, useSsl) = request.Endpoint();
            var step = new WsusRepairStep
            {
                ComputerName = computer,
                WsusPort = port,
                UseSsl = useSsl,
                Order = order,
                Name = name,
                Reason = reasons,
            };
            switch (name)
            {
                case RepairStepName.TunePool:
                    step = new WsusRepairStep { ComputerName = step.ComputerName, WsusPort = step.WsusPort, UseSsl = step.UseSsl, Order = step.Order, Name = step.Name, Reason = step.Reason, Profile = request.Profile };
                    return With(step, $"{pool} ({request.ConfigurationPath ?? "applicationHost.config" + on})", TuningChanges(request), RepairImpact.Change,
                        $"Set-WsusPoolTuning{cn}{poolArg} -Profile {request.Profile}");
                case RepairStepName.RestartPool:
                    return With(step, pool + on, new[] { $"{pool}: stop, wait until Stopped, start, wait until Started (started if found Stopped)" }, RepairImpact.Restart,
                        $"Restart-WsusPool{cn}{poolArg}");
                case RepairStepName.RestartIis:
                    return With(step, $"{SiteServices.W3svc}, {SiteServices.Was}{on}", new[] { $"{SiteServices.W3svc}, {SiteServices.Was} and their running dependents: stop, start (iisreset)" }, RepairImpact.Restart,
                        $"Restart-IisService{cn}");
                case RepairStepName.RestartSmsServices:
                    return With(step, $"{SiteServices.SmsSiteComponentManager}, {SiteServices.SmsExecutive}, {SiteServices.SmsNotificationServer}, {SiteServices.CcmExec}{on}",
                        new[]
                        {
                            $"{SiteServices.SmsExecutive}, {SiteServices.SmsSiteComponentManager}: stop, start",
                            $"{SiteServices.SmsNotificationServer}: started if stopped",
                            $"{SiteServices.CcmExec} (SMS Agent Host): started if stopped",
                        },
                        RepairImpact.Restart,
                        $"Restart-SmsService{cn}");
                case RepairStepName.RepairBits:
                    return With(step, SiteServices.Bits + on, new[] { $"{SiteServices.Bits}: start type Manual if Disabled, started if stopped" }, RepairImpact.Change,
                        $"Set-Service -Name {SiteServices.Bits}{cn} -StartupType Manual -Status Running");
                case RepairStepName.RestartWsusService:
                    return With(step, SiteServices.Wsus + on, new[] { $"{SiteServices.Wsus}: start type Automatic if it is not, stop, start (started if stopped)" }, RepairImpact.Restart,
                        request.IsRemote ? $"Get-Service -Name {SiteServices.Wsus}{cn} | Restart-Service" : $"Restart-Service -Name {SiteServices.Wsus}");
                case RepairStepName.StartSync:
                    return With(step, string.IsNullOrEmpty(computer) ? "the site" : computer, new[] { "A synchronization: MECM SyncNow (else the WSyncMgr.box inbox file, else the WSUS API)" }, RepairImpact.Sync,
                        $"Invoke-WsusSync{cn}");
                case RepairStepName.WaitForSync:
                    return With(step, string.IsNullOrEmpty(computer) ? "the site" : computer, new[] { "Follows the synchronization to its end (nothing changes)" }, RepairImpact.Sync,
                        $"Invoke-WsusSync{cn} -Wait");
                default:
                    return With(step, string.IsNullOrEmpty(computer) ? "the site" : computer, new[] { $"Checks: last synchronization Succeeded, {pool} Started, MECM's update count above 0" }, RepairImpact.None,
                        $"Get-WsusSyncStatus{cn}");
            }
        }

        private static IReadOnlyList<string> TuningChanges(RepairPlanRequest request)
        {
            if (request.PoolChanges is null)
            {
                return new[] { $"The {request.Profile} profile's values where they differ (applicationHost.config not read)" };
            }

            if (request.PoolChanges.Count == 0)
            {
                return new[] { $"None: {request.PoolName} already has the {request.Profile} profile's values" };
            }

            return request.PoolChanges.Select(Describe).ToList();
        }

        /// <summary>What TunePool would change on the pool: the pool-tuning engine's own plan for the profile.</summary>
        public static IReadOnlyList<PoolSettingChange> PoolChanges(ApplicationHostDocument document, string poolName, PoolTuningProfileName profile) =>
            PoolTuningService.PlanChanges(document, poolName, PoolTuningService.DesiredValues(profile, new Dictionary<string, object>(), force: false));

        /// <summary>One change as the plan shows it: <c>queueLength 1000 → 2000</c>.</summary>
        public static string Describe(PoolSettingChange change)
        {
            if (change is null)
            {
                throw new ArgumentNullException(nameof(change));
            }

            return $"{change.Definition.Name} {change.Definition.Describe(change.OldValue)} → {change.Definition.Describe(change.NewValue)}";
        }

        private static WsusRepairStep With(WsusRepairStep step, string target, IReadOnlyList<string> changes, RepairImpact impact, string command) =>
            new WsusRepairStep
            {
                ComputerName = step.ComputerName,
                WsusPort = step.WsusPort,
                UseSsl = step.UseSsl,
                Order = step.Order,
                Name = step.Name,
                Reason = step.Reason,
                Target = target,
                Changes = changes,
                Impact = impact,
                Command = command,
                Profile = step.Profile,
            };
    }
}
