using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;

namespace WsusRemediation.Engine.Services
{
    /// <summary>What a row of the read-only view is about.</summary>
    public enum SiteComponentKind
    {
        /// <summary>A Windows service.</summary>
        Service,
        /// <summary>An IIS application pool.</summary>
        ApplicationPool,
    }

    /// <summary>One service (or the WSUS pool) on a site server, as Get-WsusServiceStatus shows it.</summary>
    public sealed class SiteServiceStatus
    {
        /// <summary>The computer.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>The service or pool name; a pool row pipes into Restart-WsusPool (its -PoolName has the alias Name).</summary>
        public string Name { get; init; } = string.Empty;

        /// <summary>The display name.</summary>
        public string DisplayName { get; init; } = string.Empty;

        /// <summary>Service or application pool.</summary>
        public SiteComponentKind Kind { get; init; }

        /// <summary>The part of the site it belongs to (WSUS, IIS, MECM site...).</summary>
        public string Role { get; init; } = string.Empty;

        /// <summary>Whether it exists on the computer.</summary>
        public bool Present { get; init; }

        /// <summary>The state: a service state (Running, Stopped...) or a pool state (Started, Stopped...).</summary>
        public string Status { get; init; } = string.Empty;

        /// <summary>The start type (Automatic, Manual, Disabled) or, for the pool, AutoStart/OnDemand when known.</summary>
        public string StartType { get; init; } = string.Empty;

        /// <summary>True when the state is what a healthy site needs.</summary>
        public bool Healthy { get; init; }

        /// <summary>What is wrong, or why it matters.</summary>
        public string Note { get; init; } = string.Empty;
    }

    /// <summary>Reads the services that matter (and the WSUS pool) without changing anything.</summary>
    public sealed class SiteServiceInspector
    {
        private readonly IServiceControlManager _scm;
        private readonly IAppPoolControl? _pools;

        /// <summary>Creates an inspector; without a pool port the pool row is left out.</summary>
        public SiteServiceInspector(IServiceControlManager scm, IAppPoolControl? pools)
        {
            _scm = scm ?? throw new ArgumentNullException(nameof(scm));
            _pools = pools;
        }

        /// <summary>
        /// One row per service of <see cref="SiteServices.StatusView"/> (Present = false for missing
        /// ones), then the pool's row. Throws <c>ComputerUnreachable</c> when the SCM cannot be reached;
        /// an IIS that cannot be queried gives a pool row with Status Unknown and the reason.
        /// </summary>
        public IReadOnlyList<SiteServiceStatus> Inspect(string? computerName, string poolName = AppPoolRestarter.DefaultPoolName)
        {
            var isLocal = ServiceErrors.IsLocal(computerName);
            var scmComputer = isLocal ? null : computerName;
            var shown = isLocal ? Environment.MachineName : computerName!;
            var rows = new List<SiteServiceStatus>();
            foreach (var expected in SiteServices.StatusView())
            {
                var info = _scm.GetService(scmComputer, expected.Name);
                rows.Add(Row(shown, expected, info));
            }

            if (_pools is not null && !string.IsNullOrEmpty(poolName))
            {
                rows.Add(PoolRow(scmComputer, shown, poolName));
            }

            return rows;
        }

        private static SiteServiceStatus Row(string computer, ServiceExpectation expected, ServiceInfo? info)
        {
            if (info is null)
            {
                return new SiteServiceStatus
                {
                    ComputerName = computer,
                    Name = expected.Name,
                    DisplayName = expected.Name,
                    Kind = SiteComponentKind.Service,
                    Role = expected.Role,
                    Present = false,
                    Status = "NotPresent",
                    Healthy = true,
                    Note = "Not installed on this computer (it may run on another site system).",
                };
            }

            string note;
            bool healthy;
            if (info.StartType == ServiceStartType.Disabled)
            {
                healthy = false;
                note = $"Disabled. {expected.Purpose}";
            }
            else if (expected.MustRun && info.State != ServiceState.Running)
            {
                healthy = false;
                note = $"{info.State}; expected Running. {expected.Purpose}";
            }
            else
            {
                healthy = true;
                note = expected.Purpose;
            }

            return new SiteServiceStatus
            {
                ComputerName = computer,
                Name = info.Name,
                DisplayName = info.DisplayName,
                Kind = SiteComponentKind.Service,
                Role = expected.Role,
                Present = true,
                Status = info.State.ToString(),
                StartType = info.StartType.ToString(),
                Healthy = healthy,
                Note = note,
            };
        }

        private SiteServiceStatus PoolRow(string? scmComputer, string computer, string poolName)
        {
            AppPoolInfo? pool;
            try
            {
                pool = _pools!.GetPool(scmComputer, poolName);
            }
            catch (WsusRemediationException ex)
            {
                return PoolRow(computer, poolName, present: true, "Unknown", string.Empty, healthy: false, $"IIS could not be queried: {ex.Message}");
            }

            if (pool is null)
            {
                return PoolRow(computer, poolName, present: false, "NotPresent", string.Empty, healthy: false, "IIS has no pool of this name; WSUS serves its web services from WsusPool.");
            }

            var startType = pool.AutoStart switch { true => "AutoStart", false => "NoAutoStart", _ => string.Empty };
            return pool.State == AppPoolState.Started
                ? PoolRow(computer, poolName, present: true, pool.State.ToString(), startType, healthy: true, "Serves the WSUS web services.")
                : PoolRow(computer, poolName, present: true, pool.State.ToString(), startType, healthy: false,
                    pool.State == AppPoolState.Stopped
                        ? "Stopped: rapid-fail protection disables WsusPool this way (WAS event 5002). Restart-WsusPool starts it; Get-WsusPoolTuning shows why it fails."
                        : $"{pool.State}; expected Started.");
        }

        private static SiteServiceStatus PoolRow(string computer, string poolName, bool present, string status, string startType, bool healthy, string note) =>
            new SiteServiceStatus
            {
                ComputerName = computer,
                Name = poolName,
                DisplayName = $"IIS application pool {poolName}",
                Kind = SiteComponentKind.ApplicationPool,
                Role = "IIS",
                Present = present,
                Status = status,
                StartType = startType,
                Healthy = healthy,
                Note = note,
            };
    }
}
