using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>What one rule concluded.</summary>
    public sealed class RuleOutcome
    {
        private RuleOutcome(DiagnosisCheckResult result, string detail, IReadOnlyList<FindingDraft> findings)
        {
            Result = result;
            Detail = detail;
            Findings = findings;
        }

        /// <summary>Passed, Found or NotRun.</summary>
        public DiagnosisCheckResult Result { get; }

        /// <summary>What was looked at, or what was missing.</summary>
        public string Detail { get; }

        /// <summary>The findings (none unless Found).</summary>
        public IReadOnlyList<FindingDraft> Findings { get; }

        /// <summary>The evidence the rule needs is missing.</summary>
        public static RuleOutcome NotRun(string missing) => new RuleOutcome(DiagnosisCheckResult.NotRun, missing, Array.Empty<FindingDraft>());

        /// <summary>Nothing found in the evidence named.</summary>
        public static RuleOutcome Passed(string lookedAt) => new RuleOutcome(DiagnosisCheckResult.Passed, lookedAt, Array.Empty<FindingDraft>());

        /// <summary>A finding.</summary>
        public static RuleOutcome Found(string lookedAt, FindingDraft finding) => new RuleOutcome(DiagnosisCheckResult.Found, lookedAt, new[] { finding });
    }

    /// <summary>One check: a pure function from the facts to an outcome.</summary>
    public sealed class DiagnosisRule
    {
        /// <summary>Creates a rule.</summary>
        public DiagnosisRule(string id, Func<SyncFacts, RuleOutcome> evaluate)
        {
            Id = id;
            Evaluate = evaluate;
        }

        /// <summary>The finding Id it looks for.</summary>
        public string Id { get; }

        /// <summary>The rule.</summary>
        public Func<SyncFacts, RuleOutcome> Evaluate { get; }
    }

    /// <summary>
    /// The diagnosis rules, one per finding Id: the guide's cause (WsusPool) and the TechNet page's
    /// (proxy, firewall, upstream name, content folder, missing updates, BITS and the WSUS service,
    /// catalog sync events). Each looks only at <see cref="SyncFacts"/>. Evidence seen only before the
    /// last successful synchronization is reported as Warning: it explains the past, not the present.
    /// </summary>
    public static class DiagnosisRules
    {
        /// <summary>How many evidence items a finding lists (the newest); its title counts them all.</summary>
        public const int MaxEvidence = 10;

        private const string Guide = "The community guide (WsusPool settings, restarts); KB4490414 (WSUS best practices)";
        private const string TechNet = "TechNet: Issues with Synchronization (WSUS)";
        private const string Kb4490414 = "KB4490414 (WSUS IIS pool settings)";
        private const string Kb820729 = "KB 820729 (HTTP.sys error logging)";

        /// <summary>
        /// The Ids from the most fundamental cause to the last symptom: the order of root findings, and of
        /// the findings one cause explains.
        /// </summary>
        public static readonly string[] CausalOrder =
        {
            FindingIds.Pool32BitEnabled,
            FindingIds.PoolTuningNotCompliant,
            FindingIds.ContentFolderAccessDenied,
            FindingIds.WsusServiceNotRunning,
            FindingIds.BitsNotUsable,
            FindingIds.SmsServiceNotRunning,
            FindingIds.ProxyAuthenticationFailed,
            FindingIds.UpstreamNameNotResolved,
            FindingIds.UpstreamUnreachable,
            FindingIds.TlsHandshakeFailed,
            FindingIds.CertificateNotTrusted,
            FindingIds.UpstreamMissingUpdates,
            FindingIds.PoolRecycledOnMemoryLimit,
            FindingIds.PoolWorkerFailed,
            FindingIds.PoolDisabledByRapidFailProtection,
            FindingIds.PoolStopped,
            FindingIds.HttpQueueFull,
            FindingIds.HttpAppOffline,
            FindingIds.WsusApiUnavailable,
            FindingIds.CatalogSyncFailed,
            FindingIds.SyncFailureStreak,
            FindingIds.ConfigMgrHasNoUpdates,
        };

        private static readonly string[] NetworkCauses =
        {
            FindingIds.ProxyAuthenticationFailed, FindingIds.UpstreamNameNotResolved, FindingIds.UpstreamUnreachable, FindingIds.TlsHandshakeFailed, FindingIds.CertificateNotTrusted,
        };

        private static readonly string[] SmsServices = { SiteServices.SmsExecutive, SiteServices.SmsSiteComponentManager, SiteServices.SmsNotificationServer, SiteServices.CcmExec };

        /// <summary>Every rule, in the order they run.</summary>
        public static IReadOnlyList<DiagnosisRule> All { get; } = new[]
        {
            new DiagnosisRule(FindingIds.Pool32BitEnabled, Pool32Bit),
            new DiagnosisRule(FindingIds.PoolTuningNotCompliant, PoolTuning),
            new DiagnosisRule(FindingIds.PoolRecycledOnMemoryLimit, PoolRecycled),
            new DiagnosisRule(FindingIds.PoolWorkerFailed, PoolWorkerFailed),
            new DiagnosisRule(FindingIds.PoolDisabledByRapidFailProtection, PoolDisabled),
            new DiagnosisRule(FindingIds.PoolStopped, PoolStopped),
            new DiagnosisRule(FindingIds.HttpQueueFull, QueueFull),
            new DiagnosisRule(FindingIds.HttpAppOffline, AppOffline),
            new DiagnosisRule(FindingIds.WsusApiUnavailable, WsusApiUnavailable),
            new DiagnosisRule(FindingIds.SyncFailureStreak, SyncStreak),
            new DiagnosisRule(FindingIds.ConfigMgrHasNoUpdates, NoUpdates),
            new DiagnosisRule(FindingIds.CatalogSyncFailed, CatalogSync),
            new DiagnosisRule(FindingIds.ProxyAuthenticationFailed, ProxyAuthentication),
            new DiagnosisRule(FindingIds.UpstreamNameNotResolved, NameNotResolved),
            new DiagnosisRule(FindingIds.UpstreamUnreachable, Unreachable),
            new DiagnosisRule(FindingIds.TlsHandshakeFailed, Tls),
            new DiagnosisRule(FindingIds.CertificateNotTrusted, Certificate),
            new DiagnosisRule(FindingIds.UpstreamMissingUpdates, MissingUpstream),
            new DiagnosisRule(FindingIds.SmsServiceNotRunning, SmsService),
            new DiagnosisRule(FindingIds.BitsNotUsable, Bits),
            new DiagnosisRule(FindingIds.WsusServiceNotRunning, WsusService),
            new DiagnosisRule(FindingIds.ContentFolderAccessDenied, ContentFolder),
        };

        // ---------------------------------------------------------------- the pool

        private static RuleOutcome Pool32Bit(SyncFacts facts)
        {
            if (facts.Pool is not { } pool)
            {
                return RuleOutcome.NotRun("no applicationHost.config in the evidence");
            }

            var where = $"{facts.PoolConfigurationSource} ({pool.PoolName})";
            if (!pool.Enable32BitAppOnWin64)
            {
                return RuleOutcome.Passed($"{where}: enable32BitAppOnWin64 is false");
            }

            return RuleOutcome.Found(where, Draft(
                facts,
                FindingIds.Pool32BitEnabled,
                FindingSeverity.Critical,
                $"Enable 32-Bit Applications is True on {pool.PoolName}",
                "WSUS's compression module (suscomp.dll) is 64-bit only: with 32-bit applications enabled the pool cannot load it and every WSUS web service answers HTTP 500.19. The community guide's step 'Enable 32-Bit Applications = True' causes this.",
                $"Set it back: Set-WsusPoolTuning -PoolName {pool.PoolName} -Enable32BitAppOnWin64 $false (or apply a profile: Set-WsusPoolTuning), then Restart-WsusPool.",
                RepairStepName.TunePool,
                new[] { Setting(facts, pool, PoolSettingCatalog.Enable32BitAppOnWin64) },
                "IIS error 500.19 0x8007007e with suscomp.dll; " + Kb4490414));
        }

        private static RuleOutcome PoolTuning(SyncFacts facts)
        {
            if (facts.Pool is not { } pool)
            {
                return RuleOutcome.NotRun("no applicationHost.config in the evidence");
            }

            var where = $"{facts.PoolConfigurationSource} ({pool.PoolName}, profile {pool.Profile})";
            var off = pool.Settings.Where(s => !s.IsCompliant && s.Definition != PoolSettingCatalog.Enable32BitAppOnWin64).ToList();
            if (off.Count == 0)
            {
                return RuleOutcome.Passed($"{where}: every setting matches");
            }

            return RuleOutcome.Found(where, Draft(
                facts,
                FindingIds.PoolTuningNotCompliant,
                FindingSeverity.Warning,
                $"{pool.PoolName}: {off.Count} setting(s) differ from the {pool.Profile} profile ({string.Join(", ", off.Select(s => s.Name))})",
                "WSUS's defaults are too tight for a synchronization: a private memory limit recycles the worker in the middle of it, a short queue rejects requests with 503 (QueueFull), and recycles or ping failures in a row make rapid-fail protection stop the pool.",
                $"Set-WsusPoolTuning -PoolName {pool.PoolName} -Profile {pool.Profile} (backs up applicationHost.config first), then Restart-WsusPool.",
                RepairStepName.TunePool,
                off.Select(s => Setting(facts, pool, s.Definition)).ToList(),
                Kb4490414 + "; " + Guide));
        }

        private static RuleOutcome PoolRecycled(SyncFacts facts)
        {
            if (!facts.HasSystemEvents)
            {
                return RuleOutcome.NotRun("no System-log events (WAS 5117/5077) in the evidence");
            }

            var entries = ForPool(facts, facts.Of(EvidenceKind.PoolRecycledPrivateMemory)
                .Concat(facts.Of(EvidenceKind.PoolRecycled).Where(e => e.GetField("EventId") == "5077"))).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("System events since " + Day(facts.SinceUtc) + ": no memory-limit recycle of the WSUS pool");
            }

            var causes = new List<string>();
            if (facts.Pool is { } pool && (pool.PrivateMemoryLimitKB > 0 || pool.VirtualMemoryLimitKB > 0))
            {
                causes.Add(FindingIds.PoolTuningNotCompliant);
            }

            return Events(facts, entries, FindingIds.PoolRecycledOnMemoryLimit, FindingSeverity.Error,
                n => $"The WSUS pool's worker was recycled on its memory limit {Times(n)} (WAS 5117/5077)",
                "The pool's private (or virtual) memory limit was reached; WAS recycles the worker, and a synchronization running in it is cut off. Several in a row count towards rapid-fail protection.",
                "Remove the memory limits: Set-WsusPoolTuning (private and virtual memory limit 0, KB4490414), then Restart-WsusPool.",
                RepairStepName.TunePool,
                "WAS 5117 / 5077 (TechNet dd349270); " + Kb4490414,
                causes);
        }

        private static RuleOutcome PoolWorkerFailed(SyncFacts facts)
        {
            if (!facts.HasSystemEvents)
            {
                return RuleOutcome.NotRun("no System-log events (WAS 5009/5010/5011) in the evidence");
            }

            var entries = ForPool(facts, facts.Of(EvidenceKind.WorkerProcessTerminated, EvidenceKind.WorkerProcessPingFailed, EvidenceKind.WorkerProcessCommunicationError)).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("System events since " + Day(facts.SinceUtc) + ": no worker failure of the WSUS pool");
            }

            var causes = new List<string> { FindingIds.Pool32BitEnabled };
            if (facts.Pool is { } pool && (pool.PingingEnabled || pool.PrivateMemoryLimitKB > 0))
            {
                causes.Add(FindingIds.PoolTuningNotCompliant);
            }

            return Events(facts, entries, FindingIds.PoolWorkerFailed, FindingSeverity.Error,
                n => $"The WSUS pool's worker process failed {Times(n)} (WAS 5009/5010/5011)",
                "The worker process serving WSUS crashed, stopped answering WAS's pings or lost its channel to WAS; requests in flight are abandoned (HTTPERR Connection_Abandoned_By_AppPool), and failures in a row make rapid-fail protection stop the pool.",
                "Apply the recommended pool settings (Set-WsusPoolTuning: pinging off, no memory limit), then Restart-WsusPool; look at the Application log's crash events if it goes on.",
                RepairStepName.TunePool,
                "WAS 5009/5010/5011 (TechNet cc735151); " + Kb4490414,
                causes);
        }

        private static RuleOutcome PoolDisabled(SyncFacts facts)
        {
            if (!facts.HasSystemEvents)
            {
                return RuleOutcome.NotRun("no System-log events (WAS 5002) in the evidence");
            }

            var entries = ForPool(facts, facts.Of(EvidenceKind.PoolDisabledRapidFail)).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("System events since " + Day(facts.SinceUtc) + ": WAS did not disable the WSUS pool");
            }

            return Events(facts, entries, FindingIds.PoolDisabledByRapidFailProtection, FindingSeverity.Critical,
                n => $"Rapid-fail protection disabled the WSUS pool {Times(n)} (WAS 5002)",
                "After several worker failures within the rapid-fail interval WAS stops the pool and leaves it stopped: from then on every WSUS request gets HTTP 503 (HTTPERR AppOffline) and MECM cancels each synchronization.",
                "Fix what made the worker fail (the findings before this one), then start the pool: Restart-WsusPool.",
                RepairStepName.RestartPool,
                "WAS 5002 (TechNet dd364088); the guide (WsusPool Stopped)",
                new[] { FindingIds.PoolRecycledOnMemoryLimit, FindingIds.PoolWorkerFailed, FindingIds.Pool32BitEnabled });
        }

        private static RuleOutcome PoolStopped(SyncFacts facts)
        {
            if (facts.PoolState is not { } state)
            {
                return RuleOutcome.NotRun("the pool's state is read live from IIS (or from an Export-WsusSyncEvidence bundle); it is not in the evidence");
            }

            var name = facts.Pool?.PoolName ?? PoolTuningService.DefaultPoolName;
            if (!string.Equals(state, "Stopped", StringComparison.OrdinalIgnoreCase) && !string.Equals(state, "Stopping", StringComparison.OrdinalIgnoreCase))
            {
                return RuleOutcome.Passed($"{name} is {state}");
            }

            var evidence = new[] { new FindingEvidence { Source = "IIS application pool " + name, TimeUtc = facts.ReferenceTimeUtc, Text = "State: " + state } };
            return RuleOutcome.Found($"{name} is {state}", new FindingDraft(
                new WsusSyncFinding
                {
                    Id = FindingIds.PoolStopped,
                    Severity = FindingSeverity.Critical,
                    Title = $"{name} is {state}",
                    Cause = "With the pool stopped no WSUS web service answers (HTTP 503): the WSUS console, WCM and every synchronization fail.",
                    Fix = "Restart-WsusPool (it starts a pool found stopped and says so); fix the pool's settings first if rapid-fail protection stopped it.",
                    RepairStep = RepairStepName.RestartPool,
                    Evidence = evidence,
                    Reference = "The guide (IIS Manager → Application Pools → WsusPool Stopped)",
                },
                new[] { FindingIds.PoolDisabledByRapidFailProtection }));
        }

        private static RuleOutcome QueueFull(SyncFacts facts)
        {
            if (!facts.Has(EvidenceFileKind.HttpErrLog))
            {
                return RuleOutcome.NotRun("no HTTPERR log in the evidence");
            }

            var entries = ForQueue(facts, facts.Of(EvidenceKind.QueueFull)).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("HTTPERR since " + Day(facts.SinceUtc) + ": no QueueFull for the WSUS pool");
            }

            var causes = facts.Pool is { } pool && pool.QueueLength < 2000 ? new[] { FindingIds.PoolTuningNotCompliant } : Array.Empty<string>();
            return Events(facts, entries, FindingIds.HttpQueueFull, FindingSeverity.Error,
                n => $"HTTP.sys rejected {n} request(s) to the WSUS pool with 503 QueueFull",
                "The pool's request queue (queueLength) was full: HTTP.sys answered 503 without passing the request to WSUS.",
                "Raise the queue length: Set-WsusPoolTuning (2000 recommended by KB4490414; the LargeEnvironment profile sets 30000).",
                RepairStepName.TunePool,
                Kb820729 + " (QueueFull); " + Kb4490414,
                causes);
        }

        private static RuleOutcome AppOffline(SyncFacts facts)
        {
            if (!facts.Has(EvidenceFileKind.HttpErrLog))
            {
                return RuleOutcome.NotRun("no HTTPERR log in the evidence");
            }

            var entries = ForQueue(facts, facts.Of(EvidenceKind.AppOffline)).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("HTTPERR since " + Day(facts.SinceUtc) + ": no AppOffline for the WSUS pool");
            }

            return Events(facts, entries, FindingIds.HttpAppOffline, FindingSeverity.Error,
                n => $"HTTP.sys answered {n} request(s) to the WSUS pool with 503 AppOffline",
                "Requests arrived while the pool was taken offline after application errors (rapid-fail protection): HTTP.sys answers 503 itself.",
                "Start the pool (Restart-WsusPool) once the reason it was stopped is fixed.",
                RepairStepName.RestartPool,
                Kb820729 + " (AppOffline)",
                new[] { FindingIds.PoolDisabledByRapidFailProtection, FindingIds.PoolStopped });
        }

        private static RuleOutcome WsusApiUnavailable(SyncFacts facts)
        {
            if (!facts.Has(EvidenceFileKind.MecmLog) && !facts.Has(EvidenceFileKind.SoftwareDistributionLog) && !facts.HasApplicationEvents)
            {
                return RuleOutcome.NotRun("no MECM log (wsyncmgr.log, WCM.log), SoftwareDistribution.log or Application events in the evidence");
            }

            var entries = facts.Of(EvidenceKind.WsusApi503, EvidenceKind.WsusContentNotAccessible).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("no HTTP 503 from the WSUS web services since " + Day(facts.SinceUtc));
            }

            return Events(facts, entries, FindingIds.WsusApiUnavailable, FindingSeverity.Error,
                n => $"The WSUS web services answered HTTP 503 {Times(n)}",
                "MECM's sync manager, WCM and WSUS's own API reach WSUS through IIS; a 503 means the WSUS pool was stopped, full or recycling, so the call (and the synchronization) failed.",
                "Fix the pool (the findings before this one), then Restart-WsusPool and Restart-IisService; Invoke-WsusSync -Wait to check.",
                RepairStepName.RestartPool,
                "SA troubleshoot-software-update-synchronization (HTTP 503); WSUS 12072",
                new[] { FindingIds.HttpAppOffline, FindingIds.PoolDisabledByRapidFailProtection, FindingIds.PoolStopped, FindingIds.HttpQueueFull, FindingIds.PoolRecycledOnMemoryLimit, FindingIds.PoolWorkerFailed, FindingIds.Pool32BitEnabled });
        }

        // ---------------------------------------------------------------- synchronization

        private static RuleOutcome SyncStreak(SyncFacts facts)
        {
            if (facts.Sync is not { } sync)
            {
                return RuleOutcome.NotRun("no wsyncmgr.log or SoftwareDistribution.log in the evidence");
            }

            var streak = sync.CancelledOrFailedStreak;
            if (streak == 0)
            {
                return RuleOutcome.Passed(sync.LastResult == SyncResult.Succeeded
                    ? $"the last synchronization succeeded ({Time(sync.LastEndTime)})"
                    : $"no Cancelled/Failed synchronization in a row (last result {sync.LastResult})");
            }

            var failures = facts.Of(EvidenceKind.SyncFailed, EvidenceKind.SyncCancelled)
                .Where(e => facts.LastSuccessUtc is null || e.TimeUtc?.UtcDateTime > facts.LastSuccessUtc).ToList();
            var causes = failures.AsEnumerable().Reverse().Select(e => CauseFinding(e.Cause)).Where(id => id is not null).Select(id => id!).Distinct().ToList();
            causes.AddRange(new[] { FindingIds.WsusApiUnavailable, FindingIds.CatalogSyncFailed, FindingIds.WsusServiceNotRunning, FindingIds.BitsNotUsable, FindingIds.SmsServiceNotRunning, FindingIds.ContentFolderAccessDenied });
            causes.AddRange(NetworkCauses);

            var results = sync.History.Take(streak).Select(h => h.Result).Distinct().ToList();
            var what = results.Count == 1 ? results[0].ToString() : "Cancelled or Failed";
            var evidence = Latest(failures).Select(e => Evidence(facts, e)).ToList();
            if (evidence.Count == 0)
            {
                evidence = sync.History.Take(Math.Min(streak, MaxEvidence)).Select(h => new FindingEvidence
                {
                    Source = string.Join(", ", sync.LogFiles),
                    TimeUtc = h.EndTime,
                    Text = $"{h.Result}{(h.ErrorText is null ? string.Empty : ": " + h.ErrorText)}",
                }).ToList();
            }

            var first = sync.History.Take(streak).LastOrDefault()?.StartTime;
            return RuleOutcome.Found($"{sync.History.Count} synchronizations read", new FindingDraft(
                new WsusSyncFinding
                {
                    Id = FindingIds.SyncFailureStreak,
                    Severity = streak >= SyncReasoning.UnhealthyStreak ? FindingSeverity.Critical : FindingSeverity.Error,
                    Title = $"{streak} synchronization(s) in a row ended {what}" + (sync.LastSuccessTime is { } ok ? $"; the last success was {Time(ok)}" : "; no success in the evidence"),
                    Cause = "Each synchronization MECM starts fails or is cancelled for the reason its log line gives (see Evidence and CausedBy); until one succeeds, no new update reaches MECM.",
                    Fix = "Fix the cause (CausedBy), then start a synchronization and follow it: Invoke-WsusSync -Wait (Repair-WsusSync does the whole sequence).",
                    RepairStep = RepairStepName.StartSync,
                    Evidence = evidence,
                    Reference = "SA track-software-update-synchronization (wsyncmgr.log); the guide (Cancelled syncs)",
                },
                causes,
                first,
                sync.LastEndTime));
        }

        private static RuleOutcome NoUpdates(SyncFacts facts)
        {
            if (facts.ConfigMgrUpdateCount is not { } count)
            {
                return RuleOutcome.NotRun("MECM's update count is read live from the SMS Provider (or from an Export-WsusSyncEvidence bundle); it is not in the evidence");
            }

            if (count > 0)
            {
                return RuleOutcome.Passed($"MECM has {count} software updates");
            }

            return RuleOutcome.Found("MECM has 0 software updates", new FindingDraft(
                new WsusSyncFinding
                {
                    Id = FindingIds.ConfigMgrHasNoUpdates,
                    Severity = FindingSeverity.Critical,
                    Title = "MECM's All Software Updates shows 0 items",
                    Cause = "MECM only lists what a successful WSUS synchronization brought in; with every synchronization cancelled, the list stays empty.",
                    Fix = "Fix the synchronization (CausedBy), then Invoke-WsusSync -Wait and check Software Library → Software Updates → All Software Updates (Get-WsusSyncStatus shows the count).",
                    RepairStep = RepairStepName.VerifyUpdates,
                    Evidence = new[] { new FindingEvidence { Source = "SMS Provider (SMS_SoftwareUpdate)", TimeUtc = facts.ReferenceTimeUtc, Text = "0 software updates" } },
                    Reference = "The guide (All Software Updates shows 0 items)",
                },
                new[] { FindingIds.SyncFailureStreak }));
        }

        private static RuleOutcome CatalogSync(SyncFacts facts)
        {
            if (!facts.HasApplicationEvents && !facts.Has(EvidenceFileKind.SoftwareDistributionLog))
            {
                return RuleOutcome.NotRun("no Application-log events (WSUS 10021/10022) or SoftwareDistribution.log in the evidence");
            }

            var entries = facts.Of(EvidenceKind.WsusCatalogSyncFailed)
                .Concat(facts.Entries.Where(e => e.Format == LogFormat.SoftwareDistribution && (e.GetField("EventId") == "10021" || e.GetField("EventId") == "10022"))).Distinct().ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("no WSUS event 10021/10022 since " + Day(facts.SinceUtc));
            }

            return Events(facts, entries, FindingIds.CatalogSyncFailed, FindingSeverity.Error,
                n => $"The last catalog synchronization failed (WSUS event 10021/10022, {Times(n)})",
                "WSUS could not synchronize its catalog from the update source: the upstream server or the proxy settings are wrong or unreachable.",
                "Check the update source and proxy (WSUS console: Options → Update Source and Proxy Server; on a MECM site they come from the software update point's settings), then Invoke-WsusSync.",
                RepairStepName.Manual,
                TechNet + " (event 10021/10022)",
                NetworkCauses);
        }

        // ---------------------------------------------------------------- network and upstream

        private static RuleOutcome ProxyAuthentication(SyncFacts facts)
        {
            if (!HasSyncLogs(facts) && facts.NetworkProbes is null)
            {
                return RuleOutcome.NotRun("no MECM log, SoftwareDistribution.log or live network check in the evidence");
            }

            var entries = facts.Of(EvidenceKind.ProxyAuthenticationRequired).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("no HTTP 407 from the proxy since " + Day(facts.SinceUtc));
            }

            var proxy = facts.Wsus?.ProxyName is { } name ? $" ({name}{(facts.Wsus.ProxyServerPort is { } port ? ":" + port : string.Empty)}{(facts.Wsus.ProxyUserName is { } user ? ", account " + (facts.Wsus.ProxyUserDomain is { } domain ? domain + "\\" : string.Empty) + user : string.Empty)})" : string.Empty;
            var extra = new List<FindingEvidence>();
            if (facts.Wsus?.UseProxy is not null)
            {
                extra.Add(new FindingEvidence { Source = "WSUS configuration", Text = $"UseProxy = {facts.Wsus.UseProxy}, ProxyName = {facts.Wsus.ProxyName}, ProxyServerPort = {facts.Wsus.ProxyServerPort}, ProxyUserName = {facts.Wsus.ProxyUserName}" });
            }

            return Events(facts, entries, FindingIds.ProxyAuthenticationFailed, FindingSeverity.Critical,
                n => $"The proxy refused WSUS's credentials with HTTP 407 {Times(n)}{proxy}",
                "The proxy asks for authentication and rejects the account WSUS uses: most often its password expired or was changed. This is not a WSUS configuration failure: WCM configures WSUS correctly, with a password the proxy no longer accepts.",
                "Update the proxy account's password in MECM, not in WSUS (WCM rewrites WSUS's proxy settings every hour): Administration → Site Configuration → Servers and Site System Roles → the software update point's server → Site system properties → Proxy tab (Set the account), with 'Use a proxy server when synchronizing software updates' on the software update point's properties. Then Invoke-WsusSync -Wait.",
                RepairStepName.Manual,
                TechNet + " (expired proxy password); SA troubleshoot-software-update-synchronization (HTTP 407)",
                Array.Empty<string>(),
                extra);
        }

        private static RuleOutcome NameNotResolved(SyncFacts facts)
        {
            if (!HasSyncLogs(facts) && facts.NetworkProbes is null)
            {
                return RuleOutcome.NotRun("no MECM log, SoftwareDistribution.log or live network check in the evidence");
            }

            var entries = facts.Of(EvidenceKind.RemoteNameNotResolved).ToList();
            var probes = (facts.NetworkProbes ?? Array.Empty<NetworkProbeResult>()).Where(p => p.Outcome == NetworkProbeOutcome.NameNotResolved).ToList();
            if (entries.Count == 0 && probes.Count == 0)
            {
                return RuleOutcome.Passed("the upstream names resolved" + (facts.NetworkProbes is null ? " (logs only)" : " (logs and live check)"));
            }

            var target = facts.Wsus?.SyncFromMicrosoftUpdate == false && facts.Wsus.UpstreamServerName is { } upstream ? $" (upstream server '{upstream}' as configured)" : string.Empty;
            return Events(facts, entries, FindingIds.UpstreamNameNotResolved, FindingSeverity.Critical,
                n => $"The update source's name does not resolve{target}",
                "WSUS cannot resolve the name of its update source (the upstream WSUS server, the proxy or Microsoft Update): the name is misspelt, or DNS/NetBIOS cannot resolve it from this server.",
                "Check the upstream server's name exactly as configured (MECM: the software update point's synchronization source; WSUS console: Options → Update Source) and resolve it from this server (Resolve-DnsName, ping with the same name form); use another name form or the IP address if resolution cannot be fixed.",
                RepairStepName.Manual,
                TechNet + " (check the name of the upstream WSUS server)",
                Array.Empty<string>(),
                probes.Select(ProbeEvidence).ToList());
        }

        private static RuleOutcome Unreachable(SyncFacts facts)
        {
            if (!HasSyncLogs(facts) && facts.NetworkProbes is null)
            {
                return RuleOutcome.NotRun("no MECM log, SoftwareDistribution.log or live network check in the evidence");
            }

            var entries = facts.Of(EvidenceKind.UpstreamConnectionFailure)
                .Concat(facts.Entries.Where(e => e.Format == LogFormat.SoftwareDistribution && e.Message.IndexOf("actively refused", StringComparison.OrdinalIgnoreCase) >= 0))
                .Distinct().ToList();
            var probes = (facts.NetworkProbes ?? Array.Empty<NetworkProbeResult>())
                .Where(p => p.Outcome is NetworkProbeOutcome.TimedOut or NetworkProbeOutcome.Refused or NetworkProbeOutcome.ProxyRefused or NetworkProbeOutcome.Failed).ToList();
            if (entries.Count == 0 && probes.Count == 0)
            {
                return RuleOutcome.Passed("no refused or timed-out connection to the update source" + (facts.NetworkProbes is null ? " (logs only)" : " (logs and live check)"));
            }

            return Events(facts, entries, FindingIds.UpstreamUnreachable, FindingSeverity.Error,
                n => "The update source cannot be reached (connection refused, reset or timed out)",
                "Something between WSUS and its update source drops or refuses the connection: a firewall without the WSUS ports or Microsoft Update's domains, a proxy refusing the destination, or the upstream server down.",
                "Open the ports and domains WSUS needs (80/443 to Microsoft Update, 8530/8531 to an upstream WSUS server) on the firewall and proxy; check the upstream server runs. Then Invoke-WsusSync -Wait.",
                RepairStepName.Manual,
                TechNet + " (check the firewall settings)",
                new[] { FindingIds.UpstreamNameNotResolved },
                probes.Select(ProbeEvidence).ToList());
        }

        private static RuleOutcome Tls(SyncFacts facts)
        {
            if (!HasSyncLogs(facts) && facts.Registry is null)
            {
                return RuleOutcome.NotRun("no MECM log, SoftwareDistribution.log or TLS registry values in the evidence");
            }

            var entries = facts.Of(EvidenceKind.TlsFailure).ToList();
            var settings = TlsSettings(facts, out var weak);
            if (entries.Count == 0 && !weak)
            {
                return RuleOutcome.Passed(facts.Registry is null ? "no TLS failure in the logs (TLS registry values not collected)" : "no TLS failure, and no registry value turns TLS 1.2 or .NET strong cryptography off");
            }

            if (entries.Count == 0)
            {
                return RuleOutcome.Found(facts.RegistrySource ?? "registry", new FindingDraft(Finding(
                    FindingIds.TlsHandshakeFailed,
                    FindingSeverity.Warning,
                    "TLS 1.2 is not enabled for .NET on this server (no failure logged yet)",
                    settings)));
            }

            var result = Events(facts, entries, FindingIds.TlsHandshakeFailed, FindingSeverity.Error,
                n => $"TLS could not be negotiated with the update source {Times(n)}",
                TlsCause,
                TlsFix,
                RepairStepName.Manual,
                TlsReference,
                Array.Empty<string>(),
                settings);
            return result;
        }

        private const string TlsCause = "Microsoft Update and most upstream servers accept only TLS 1.2; WSUS runs on .NET Framework, which offers TLS 1.2 only when strong cryptography is on (SchUseStrongCrypto / SystemDefaultTlsVersions) and SCHANNEL's TLS 1.2 client is enabled.";
        private const string TlsFix = @"Set SchUseStrongCrypto = 1 and SystemDefaultTlsVersions = 1 under HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319 (and WOW6432Node), make sure SCHANNEL\Protocols\TLS 1.2\Client is not disabled, restart the server, then Invoke-WsusSync -Wait.";
        private const string TlsReference = "SA troubleshoot-wsus-import-sync-issues (TLS); SA wsus-not-sync-with-certificate-error-800B0109";

        private static WsusSyncFinding Finding(string id, FindingSeverity severity, string title, IReadOnlyList<FindingEvidence> evidence) => new WsusSyncFinding
        {
            Id = id,
            Severity = severity,
            Title = title,
            Cause = TlsCause,
            Fix = TlsFix,
            RepairStep = RepairStepName.Manual,
            Evidence = evidence,
            Reference = TlsReference,
        };

        private static List<FindingEvidence> TlsSettings(SyncFacts facts, out bool weak)
        {
            weak = false;
            var evidence = new List<FindingEvidence>();
            if (facts.Registry is not { } registry)
            {
                return evidence;
            }

            long? Dword(string key, string name) => RegistryExport.Find(registry, key, name)?.Value is long value ? value : null;
            var strong = Dword(@".NETFramework\v4.0.30319", "SchUseStrongCrypto");
            var systemDefault = Dword(@".NETFramework\v4.0.30319", "SystemDefaultTlsVersions");
            var enabled = Dword(@"Protocols\TLS 1.2\Client", "Enabled");
            var disabledByDefault = Dword(@"Protocols\TLS 1.2\Client", "DisabledByDefault");
            void Add(string what, long? value) => evidence.Add(new FindingEvidence { Source = facts.RegistrySource ?? "registry", Text = $"{what} = {(value is null ? "not set" : value.Value.ToString(CultureInfo.InvariantCulture))}" });
            Add(@"HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319\SchUseStrongCrypto", strong);
            Add(@"HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319\SystemDefaultTlsVersions", systemDefault);
            Add(@"SCHANNEL\Protocols\TLS 1.2\Client\Enabled", enabled);
            Add(@"SCHANNEL\Protocols\TLS 1.2\Client\DisabledByDefault", disabledByDefault);
            // Only what is set counts: an absent value leaves the .NET and Windows defaults, which are not judged here.
            weak = (strong == 0 && systemDefault != 1) || enabled == 0 || disabledByDefault == 1;
            return evidence;
        }

        private static RuleOutcome Certificate(SyncFacts facts)
        {
            if (!HasSyncLogs(facts))
            {
                return RuleOutcome.NotRun("no MECM log or SoftwareDistribution.log in the evidence");
            }

            var entries = facts.Of(EvidenceKind.CertificateChainUntrusted).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("no untrusted-certificate error since " + Day(facts.SinceUtc));
            }

            return Events(facts, entries, FindingIds.CertificateNotTrusted, FindingSeverity.Error,
                n => $"The update source's certificate is not trusted {Times(n)} (800B0109)",
                "The certificate chain of the upstream server (or of a TLS-inspecting proxy) ends in a root this server does not trust.",
                "Import the issuing root certificate into the computer's Trusted Root Certification Authorities (or exempt the update endpoints from TLS inspection on the proxy), then Invoke-WsusSync -Wait.",
                RepairStepName.Manual,
                "SA wsus-not-sync-with-certificate-error-800B0109",
                Array.Empty<string>());
        }

        private static RuleOutcome MissingUpstream(SyncFacts facts)
        {
            if (!facts.Has(EvidenceFileKind.SoftwareDistributionLog) && !facts.HasApplicationEvents)
            {
                return RuleOutcome.NotRun("no SoftwareDistribution.log or Application events in the evidence");
            }

            if (facts.Wsus?.SyncFromMicrosoftUpdate == true)
            {
                return RuleOutcome.Passed("WSUS synchronizes from Microsoft Update, not from an upstream WSUS server");
            }

            var entries = facts.Of(EvidenceKind.ContentDownloadFailed)
                .Where(e => e.Message.IndexOf("404", StringComparison.Ordinal) >= 0 || e.Message.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0).ToList();
            if (entries.Count == 0)
            {
                return RuleOutcome.Passed("no content download refused by the upstream server since " + Day(facts.SinceUtc));
            }

            var upstream = facts.Wsus?.UpstreamServerName is { } name ? $" '{name}'" : string.Empty;
            return Events(facts, entries, FindingIds.UpstreamMissingUpdates, FindingSeverity.Error,
                n => $"The upstream server{upstream} does not have updates this server asks for ({n} download(s) failed)",
                "The downstream server requests updates its upstream server has not got (its products, classifications or languages were reduced, or it was rebuilt); those downloads fail at every synchronization.",
                "On the upstream server select the missing products and classifications and synchronize it; or decline the updates that are not needed on this server. A transient miss resolves itself at the next synchronization.",
                RepairStepName.Manual,
                TechNet + " (updates available on the upstream server)",
                Array.Empty<string>());
        }

        // ---------------------------------------------------------------- services and files

        private static RuleOutcome SmsService(SyncFacts facts)
        {
            if (facts.Services is null && !facts.HasSystemEvents)
            {
                return RuleOutcome.NotRun("no service states and no System-log events (SCM 7031/7034/7036) in the evidence");
            }

            var evidence = new List<FindingEvidence>();
            var current = false;
            var names = new List<string>();
            if (facts.Services is { } services)
            {
                foreach (var service in services.Where(s => s.Present && Array.IndexOf(SmsServices, s.Name) >= 0 && s.State != ServiceState.Running))
                {
                    names.Add(service.Name);
                    current = true;
                    evidence.Add(new FindingEvidence { Source = $"service {service.Name} ({facts.ServicesSource})", TimeUtc = facts.ReferenceTimeUtc, Text = $"{service.State}, {service.StartType}" });
                }
            }

            var events = ScmEvents(facts, SmsServices).ToList();
            if (facts.Services is null)
            {
                foreach (var group in events.GroupBy(e => ServiceEvents.ServiceName(e)!))
                {
                    var last = group.Last();
                    var stopped = last.Kind == EvidenceKind.ServiceTerminated || (last.Kind == EvidenceKind.ServiceStateChanged && ServiceEvents.NewState(last) == ServiceState.Stopped);
                    if (stopped)
                    {
                        names.Add(group.Key);
                        current = true;
                    }
                }
            }

            var crashes = events.Where(e => e.Kind == EvidenceKind.ServiceTerminated).ToList();
            evidence.AddRange(Latest(events.Where(e => e.Kind == EvidenceKind.ServiceTerminated || ServiceEvents.NewState(e) == ServiceState.Stopped)).Select(e => Evidence(facts, e)));
            if (!current && crashes.Count == 0)
            {
                return RuleOutcome.Passed(facts.Services is null ? "no SMS service stopped or crashed in the System log" : "the SMS services are running");
            }

            var severity = current ? (names.Contains(SiteServices.SmsExecutive) ? FindingSeverity.Critical : FindingSeverity.Error) : FindingSeverity.Warning;
            var title = current
                ? $"{string.Join(", ", names.Distinct())} {(names.Distinct().Count() == 1 ? "is" : "are")} not running"
                : $"SMS services terminated unexpectedly {Times(crashes.Count)} (SCM 7031/7034); they run now or their state was not collected";
            return RuleOutcome.Found("SMS services", new FindingDraft(new WsusSyncFinding
            {
                Id = FindingIds.SmsServiceNotRunning,
                Severity = severity,
                Title = title,
                Cause = "SMS_EXECUTIVE runs the WSUS sync manager (wsyncmgr) and WCM; without it, or without SMS_SITE_COMPONENT_MANAGER, MECM neither configures WSUS nor synchronizes. The guide also expects SMS_NOTIFICATION_SERVER and SMS Agent Host running.",
                Fix = "Restart-SmsService (restarts SMS_SITE_COMPONENT_MANAGER and SMS_EXECUTIVE in the guide's order, starts SMS_NOTIFICATION_SERVER, checks SMS Agent Host).",
                RepairStep = RepairStepName.RestartSmsServices,
                Evidence = evidence,
                Reference = "The guide (restart SMS services); SCM 7031/7034/7036",
            }));
        }

        private static RuleOutcome Bits(SyncFacts facts)
        {
            if (facts.Services is null && !facts.HasSystemEvents)
            {
                return RuleOutcome.NotRun("no service states and no System-log events (SCM 7040/7036) in the evidence");
            }

            var evidence = new List<FindingEvidence>();
            FindingSeverity? severity = null;
            var bits = facts.Services?.FirstOrDefault(s => string.Equals(s.Name, SiteServices.Bits, StringComparison.OrdinalIgnoreCase));
            if (bits is not null && bits.Present)
            {
                if (bits.StartType == ServiceStartType.Disabled)
                {
                    severity = FindingSeverity.Critical;
                }
                else if (bits.StartType == ServiceStartType.Automatic && bits.State != ServiceState.Running)
                {
                    severity = FindingSeverity.Warning;
                }

                if (severity is not null)
                {
                    evidence.Add(new FindingEvidence { Source = $"service BITS ({facts.ServicesSource})", TimeUtc = facts.ReferenceTimeUtc, Text = $"{bits.State}, {bits.StartType}" });
                }
            }

            var changes = ScmEvents(facts, new[] { SiteServices.Bits }).Where(e => e.Kind == EvidenceKind.ServiceStartTypeChanged).ToList();
            if (facts.Services is null && changes.Count > 0 && ServiceEvents.NewStartType(changes.Last()) == ServiceStartType.Disabled)
            {
                severity = Current(facts, changes) ? FindingSeverity.Critical : FindingSeverity.Warning;
            }

            evidence.AddRange(Latest(changes.Where(e => ServiceEvents.NewStartType(e) == ServiceStartType.Disabled)).Select(e => Evidence(facts, e)));
            if (severity is null)
            {
                return RuleOutcome.Passed(bits is null ? "BITS was not set to disabled (System log)" : $"BITS is {bits.State}, {bits.StartType}");
            }

            return RuleOutcome.Found("BITS", new FindingDraft(new WsusSyncFinding
            {
                Id = FindingIds.BitsNotUsable,
                Severity = severity.Value,
                Title = severity == FindingSeverity.Critical ? "BITS is disabled" : "BITS was disabled or is not running as configured",
                Cause = "WSUS downloads through the Background Intelligent Transfer Service; if BITS is disabled during a synchronization, the synchronization fails.",
                Fix = "Set BITS back to Manual and start it, then restart the WSUS service: Restart-SmsService -IncludeBits -IncludeWsus (Repair-WsusSync's RepairBits step), or Services → Background Intelligent Transfer Service → Startup type Manual → Start.",
                RepairStep = RepairStepName.RepairBits,
                Evidence = evidence,
                Reference = TechNet + " (restart the BITS service); SCM 7040",
            }));
        }

        private static RuleOutcome WsusService(SyncFacts facts)
        {
            if (facts.Services is null && !facts.HasSystemEvents)
            {
                return RuleOutcome.NotRun("no service states and no System-log events (SCM 7031/7034/7036/7040) in the evidence");
            }

            var evidence = new List<FindingEvidence>();
            FindingSeverity? severity = null;
            string? title = null;
            var wsus = facts.Services?.FirstOrDefault(s => string.Equals(s.Name, SiteServices.Wsus, StringComparison.OrdinalIgnoreCase));
            if (wsus is not null && wsus.Present)
            {
                if (wsus.State != ServiceState.Running)
                {
                    severity = FindingSeverity.Critical;
                    title = $"The WSUS service is {wsus.State}";
                }
                else if (wsus.StartType is not null && wsus.StartType != ServiceStartType.Automatic)
                {
                    severity = FindingSeverity.Warning;
                    title = $"The WSUS service starts {wsus.StartType}, not Automatic";
                }

                if (severity is not null)
                {
                    evidence.Add(new FindingEvidence { Source = $"service WsusService ({facts.ServicesSource})", TimeUtc = facts.ReferenceTimeUtc, Text = $"{wsus.State}, {wsus.StartType}" });
                }
            }

            var events = ScmEvents(facts, new[] { SiteServices.Wsus }).ToList();
            if (facts.Services is null && events.Count > 0)
            {
                var last = events.Last();
                if (last.Kind == EvidenceKind.ServiceTerminated || (last.Kind == EvidenceKind.ServiceStateChanged && ServiceEvents.NewState(last) == ServiceState.Stopped))
                {
                    severity = Current(facts, new[] { last }) ? FindingSeverity.Error : FindingSeverity.Warning;
                    title = "The WSUS service stopped and the System log shows no start after it";
                }
                else if (events.Where(e => e.Kind == EvidenceKind.ServiceStartTypeChanged).LastOrDefault() is { } change && ServiceEvents.NewStartType(change) is { } type && type != ServiceStartType.Automatic)
                {
                    severity = FindingSeverity.Warning;
                    title = $"The WSUS service's start type was changed to {type}";
                }
            }

            evidence.AddRange(Latest(events.Where(e => e.Kind != EvidenceKind.ServiceStateChanged || ServiceEvents.NewState(e) == ServiceState.Stopped)).Select(e => Evidence(facts, e)));
            if (severity is null)
            {
                return RuleOutcome.Passed(wsus is null ? "no stop of the WSUS service left unresolved in the System log" : $"WsusService is {wsus.State}, {wsus.StartType}");
            }

            return RuleOutcome.Found("WsusService", new FindingDraft(new WsusSyncFinding
            {
                Id = FindingIds.WsusServiceNotRunning,
                Severity = severity.Value,
                Title = title!,
                Cause = "The WSUS service performs the synchronization itself; stopped, every synchronization fails, and without Automatic start it stays stopped after a reboot.",
                Fix = "Set WsusService to Automatic and restart it: Restart-SmsService -IncludeWsus (Repair-WsusSync's RestartWsusService step), or Services → WSUS Service.",
                RepairStep = RepairStepName.RestartWsusService,
                Evidence = evidence,
                Reference = TechNet + " (restart the BITS service and the WSUS service; set both to start automatically)",
            }));
        }

        private static RuleOutcome ContentFolder(SyncFacts facts)
        {
            if (facts.ContentAccess is not { } access)
            {
                return RuleOutcome.NotRun("the content folder's access rules (icacls <folder> /save) are not in the evidence");
            }

            var missing = new List<string>();
            if (access.NetworkService != ReadAccess.Granted)
            {
                missing.Add($"NETWORK SERVICE ({access.NetworkService})");
            }

            if (access.Users != ReadAccess.Granted)
            {
                missing.Add($"Users ({access.Users})");
            }

            if (missing.Count == 0)
            {
                return RuleOutcome.Passed($"{access.Folder}: NETWORK SERVICE and Users can read");
            }

            return RuleOutcome.Found(access.Folder, new FindingDraft(new WsusSyncFinding
            {
                Id = FindingIds.ContentFolderAccessDenied,
                Severity = FindingSeverity.Error,
                Title = $"The content folder {access.Folder} lacks Read for {string.Join(" and ", missing)}",
                Cause = "WSUS (running as NETWORK SERVICE) and its clients read update files from the content folder; without Read for NETWORK SERVICE and Users, downloads and synchronization fail. This holds on upstream and downstream servers.",
                Fix = $"Grant Read: icacls \"{access.Folder}\" /grant \"*S-1-5-20:(OI)(CI)RX\" \"*S-1-5-32-545:(OI)(CI)RX\" (folder Properties → Security), then Invoke-WsusSync.",
                RepairStep = RepairStepName.Manual,
                Evidence = new[] { new FindingEvidence { Source = facts.ContentAccessSource ?? access.Folder, Text = access.Sddl } },
                Reference = TechNet + " (Read permissions for NETWORK SERVICE and Users on the content folder)",
            }));
        }

        // ---------------------------------------------------------------- helpers

        private static bool HasSyncLogs(SyncFacts facts) => facts.Has(EvidenceFileKind.MecmLog) || facts.Has(EvidenceFileKind.SoftwareDistributionLog);

        private static string? CauseFinding(EvidenceKind cause) => cause switch
        {
            EvidenceKind.WsusApi503 => FindingIds.WsusApiUnavailable,
            EvidenceKind.ProxyAuthenticationRequired => FindingIds.ProxyAuthenticationFailed,
            EvidenceKind.RemoteNameNotResolved => FindingIds.UpstreamNameNotResolved,
            EvidenceKind.UpstreamConnectionFailure => FindingIds.UpstreamUnreachable,
            EvidenceKind.TlsFailure => FindingIds.TlsHandshakeFailed,
            EvidenceKind.CertificateChainUntrusted => FindingIds.CertificateNotTrusted,
            _ => null,
        };

        private static IEnumerable<LogEntry> ForPool(SyncFacts facts, IEnumerable<LogEntry> entries)
        {
            var pool = facts.Pool?.PoolName ?? PoolTuningService.DefaultPoolName;
            return entries.Where(e =>
            {
                var id = e.GetField("AppPoolID") ?? e.GetField("AppPoolName") ?? e.GetField("Data1") ?? e.GetField("Data2");
                return id is null || string.Equals(id, pool, StringComparison.OrdinalIgnoreCase) || e.Message.IndexOf("'" + pool + "'", StringComparison.OrdinalIgnoreCase) >= 0;
            });
        }

        private static IEnumerable<LogEntry> ForQueue(SyncFacts facts, IEnumerable<LogEntry> entries)
        {
            var pool = facts.Pool?.PoolName ?? PoolTuningService.DefaultPoolName;
            return entries.Where(e => e.GetField("s-queuename") is not { } queue || queue == "-" || string.Equals(queue, pool, StringComparison.OrdinalIgnoreCase));
        }

        private static IEnumerable<LogEntry> ScmEvents(SyncFacts facts, string[] services) =>
            facts.Of(EvidenceKind.ServiceStartTypeChanged, EvidenceKind.ServiceStateChanged, EvidenceKind.ServiceTerminated)
                .Where(e => ServiceEvents.ServiceName(e) is { } name && Array.IndexOf(services, name) >= 0);

        private static bool Current(SyncFacts facts, IEnumerable<LogEntry> entries) =>
            facts.LastSuccessUtc is not { } success || entries.Any(e => e.TimeUtc is null || e.TimeUtc.Value.UtcDateTime > success);

        private static IEnumerable<LogEntry> Latest(IEnumerable<LogEntry> entries)
        {
            var list = entries.ToList();
            return list.Skip(Math.Max(0, list.Count - MaxEvidence));
        }

        private static RuleOutcome Events(
            SyncFacts facts,
            IReadOnlyList<LogEntry> entries,
            string id,
            FindingSeverity severity,
            Func<int, string> title,
            string cause,
            string fix,
            RepairStepName step,
            string reference,
            IEnumerable<string> causes,
            IReadOnlyList<FindingEvidence>? extra = null)
        {
            var evidence = Latest(entries).Select(e => Evidence(facts, e)).Concat(extra ?? Array.Empty<FindingEvidence>()).ToList();
            var times = entries.Where(e => e.TimeUtc.HasValue).Select(e => e.TimeUtc!.Value.UtcDateTime).ToList();
            var heading = entries.Count > 0 ? title(entries.Count) : title(evidence.Count);
            if (entries.Count > 0 && !Current(facts, entries))
            {
                // Everything predates the last successful synchronization: history, not today's cause.
                severity = severity > FindingSeverity.Warning ? FindingSeverity.Warning : severity;
                heading += $", all before the last successful synchronization ({Time(facts.LastSuccessUtc)})";
            }

            return RuleOutcome.Found(
                $"{entries.Count} record(s)",
                new FindingDraft(
                    new WsusSyncFinding
                    {
                        Id = id,
                        Severity = severity,
                        Title = heading,
                        Cause = cause,
                        Fix = fix,
                        RepairStep = step,
                        Evidence = evidence,
                        Reference = reference,
                    },
                    causes,
                    times.Count > 0 ? times.Min() : null,
                    times.Count > 0 ? times.Max() : null));
        }

        private static FindingDraft Draft(SyncFacts facts, string id, FindingSeverity severity, string title, string cause, string fix, RepairStepName step, IReadOnlyList<FindingEvidence> evidence, string reference) =>
            new FindingDraft(new WsusSyncFinding { Id = id, Severity = severity, Title = title, Cause = cause, Fix = fix, RepairStep = step, Evidence = evidence, Reference = reference });

        private static FindingEvidence Setting(SyncFacts facts, WsusPoolTuning pool, PoolSettingDefinition definition)
        {
            var status = pool.Settings.First(s => s.Definition == definition);
            return new FindingEvidence
            {
                Source = $"{facts.PoolConfigurationSource}: {pool.PoolName}/{status.Name}",
                Text = $"{status.Name} = {status.Definition.Describe(status.Current)}" + (status.Recommended is null ? string.Empty : $" (expected {status.Definition.Describe(status.Recommended)}; {status.Source})"),
            };
        }

        /// <summary>A record as a finding's evidence: its file (as named in the evidence), line, UTC time and first line of text.</summary>
        public static FindingEvidence Evidence(SyncFacts facts, LogEntry entry)
        {
            if (facts is null || entry is null)
            {
                throw new ArgumentNullException(facts is null ? nameof(facts) : nameof(entry));
            }

            var text = entry.Message.Replace("~~", " ").Replace("\r", string.Empty);
            var newline = text.IndexOf('\n');
            if (newline > 0)
            {
                text = text.Substring(0, newline);
            }

            if (entry.Format == LogFormat.HttpErr)
            {
                text = $"{entry.GetField("cs-method")} {entry.GetField("cs-uri")} {entry.GetField("sc-status")} {entry.GetField("s-reason")} {entry.GetField("s-queuename")}".Trim();
            }
            else if (entry.Format == LogFormat.EventXml)
            {
                text = $"{entry.Component} {entry.GetField("EventId")}: {text}";
            }
            else if (entry.Kind == EvidenceKind.SyncStatusMessage && entry.Message.StartsWith("STATMSG: ID=6703", StringComparison.Ordinal))
            {
                // The raw line spends its first 150 characters on ids and dates; the reason sits in the insertion strings.
                text = SyncLogParser.StatusMessageFailureText(entry.Message);
            }

            return new FindingEvidence
            {
                Source = facts.DisplayName(entry.File),
                Line = entry.Line,
                TimeUtc = entry.TimeUtc?.UtcDateTime,
                Text = text.Length > 400 ? text.Substring(0, 397) + "..." : text.Trim(),
            };
        }

        private static FindingEvidence ProbeEvidence(NetworkProbeResult probe) => new FindingEvidence
        {
            Source = "live network check",
            TimeUtc = probe.TimeUtc == default ? null : probe.TimeUtc,
            Text = probe.ToString(),
        };

        private static string Times(int n) => n == 1 ? "once" : n.ToString(CultureInfo.InvariantCulture) + " times";

        private static string Day(DateTime time) => time.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

        private static string Time(DateTime? time) => time?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "unknown";
    }
}
