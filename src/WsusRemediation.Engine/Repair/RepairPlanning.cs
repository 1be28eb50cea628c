using System;
using System.Collections.Generic;
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
            Action<string>? verbose)
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
                    path = document.Path;
                    changes = RepairPlanner.PoolChanges(document, poolName, profile);
                    verbose?.Invoke($"{poolName} in '{path}': {(changes.Count == 0 ? $"already as the {profile} profile" : $"{changes.Count} setting(s) differ from the {profile} profile")}.");
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
            };
        }
    }
}
