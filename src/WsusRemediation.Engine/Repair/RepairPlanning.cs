using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>
    /// Builds a plan request for one server: the findings and the admin's choices, plus the pool that
    /// serves WSUS and what the profile would change on it, read from applicationHost.config (the live
    /// file, or the copy in an evidence folder). Shared by Get-WsusRepairPlan and Repair-WsusSync.
    /// </summary>
    public static class RepairPlanning
    {
        /// <summary>
        /// Diagnoses collected evidence (an Export-WsusSyncEvidence bundle, zip or folder, or any folder of
        /// files collected by hand) with Get-WsusSyncDiagnosis's engine, and reads the applicationHost.config
        /// found in it, so that a plan can be made offline, on any OS.
        /// </summary>
        public static EvidenceRepairInput DiagnoseEvidence(IEnumerable<string> paths, PoolTuningProfileName profile, CancellationToken cancellationToken, Action<string>? verbose)
        {
            using var evidence = EvidenceSet.FromPaths(paths);
            var diagnosis = new SyncDiagnosisService().Diagnose(evidence, new DiagnosisOptions { Profile = profile }, cancellationToken, verbose);
            var configuration = evidence.OfKind(EvidenceFileKind.ApplicationHostConfig).FirstOrDefault();
            ApplicationHostDocument? document = null;
            if (configuration is not null)
            {
                // Read now: a zip's files live in a temporary folder that goes with the evidence set.
                document = new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance).Load(configuration.Path);
                verbose?.Invoke($"The pool's settings are read from {configuration.DisplayPath}.");
            }

            var computer = string.IsNullOrEmpty(diagnosis.ComputerName) ? evidence.ComputerName : diagnosis.ComputerName;
            return new EvidenceRepairInput(diagnosis.Findings, computer, document, configuration?.DisplayPath) { Problems = evidence.Problems.ToList() };
        }

        /// <summary>
        /// The request. <paramref name="loadConfiguration"/> reads applicationHost.config; when it fails
        /// (no file in the evidence, no access), the plan still comes out, with the tuning's changes
        /// marked as not known yet, and <paramref name="verbose"/> says why.
        /// </summary>
        public static RepairPlanRequest Request(
            string computerName,
            bool isRemote,
            IReadOnlyList<WsusSyncFinding> findings,
            PoolTuningProfileName profile,
            bool all,
            IReadOnlyList<RepairStepName>? steps,
            bool skipSync,
            Func<ApplicationHostDocument?>? loadConfiguration,
            Action<string>? verbose,
            string? configurationShownAs = null,
            int? wsusPort = null,
            bool? useSsl = null)
        {
            string poolName = PoolTuningService.DefaultPoolName;
            string? path = null;
            IReadOnlyList<PoolSettingChange>? changes = null;
            try
            {
                var document = loadConfiguration?.Invoke();
                if (document is not null)
                {
                    poolName = PoolTuningService.FindWsusPoolName(document);

                    // A copy in the evidence gives the changes, but the step changes the server's own file: the
                    // target must not name the copy (Repair-WsusSync -WhatIf showed 'WsusPool (CM01.zip!collected/...)').
                    path = configurationShownAs is null ? document.Path : null;
                    changes = RepairPlanner.PoolChanges(document, poolName, profile);
                    verbose?.Invoke($"{poolName} in '{configurationShownAs ?? document.Path}': {(changes.Count == 0 ? $"already as the {profile} profile" : $"{changes.Count} setting(s) differ from the {profile} profile")}.");
                }
                else
                {
                    verbose?.Invoke("No applicationHost.config was given; the tuning's changes are not known yet.");
                }
            }
            catch (WsusRemediationException ex)
            {
                verbose?.Invoke($"applicationHost.config could not be read ({ex.Message}); the tuning's changes are not known yet.");
            }

            return new RepairPlanRequest
            {
                ComputerName = computerName,
                IsRemote = isRemote,
                Findings = findings ?? Array.Empty<WsusSyncFinding>(),
                Profile = profile,
                All = all,
                Steps = steps,
                SkipSync = skipSync,
                PoolName = poolName,
                ConfigurationPath = path,
                PoolChanges = changes,
                WsusPort = wsusPort,
                UseSsl = useSsl,
            };
        }
    }

    /// <summary>What a diagnosis of collected evidence gives the repair planner.</summary>
    public sealed class EvidenceRepairInput
    {
        /// <summary>Creates the input.</summary>
        public EvidenceRepairInput(IReadOnlyList<WsusSyncFinding> findings, string? computerName, ApplicationHostDocument? configuration, string? configurationShownAs)
        {
            Findings = findings;
            ComputerName = computerName;
            Configuration = configuration;
            ConfigurationShownAs = configurationShownAs;
        }

        /// <summary>The findings, most fundamental cause first.</summary>
        public IReadOnlyList<WsusSyncFinding> Findings { get; }

        /// <summary>The server the evidence is from, when it says.</summary>
        public string? ComputerName { get; }

        /// <summary>The applicationHost.config of the evidence, read; null when it has none.</summary>
        public ApplicationHostDocument? Configuration { get; }

        /// <summary>Where that file is within the evidence, as the plan shows it.</summary>
        public string? ConfigurationShownAs { get; }

        /// <summary>What is wrong with the evidence itself (a file changed after collection, one that could not be read), as Get-WsusSyncDiagnosis warns.</summary>
        public IReadOnlyList<string> Problems { get; init; } = Array.Empty<string>();
    }
}
