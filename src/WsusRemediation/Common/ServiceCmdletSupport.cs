using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Common
{
    /// <summary>What the service and pool cmdlets share: the computers to work on and the error ids that stop the whole command.</summary>
    internal static class ServiceCmdletSupport
    {
        /// <summary>Progress id of the service and pool waits.</summary>
        public const int WaitProgressId = 4;

        /// <summary>The computers asked for; null (this computer) when none.</summary>
        public static IEnumerable<string?> Computers(string[]? computerNames)
        {
            if (computerNames is null || computerNames.Length == 0)
            {
                yield return null;
                yield break;
            }

            foreach (var name in computerNames)
            {
                yield return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
            }
        }

        /// <summary>One key per computer, so that this computer named in different ways counts once.</summary>
        public static string Key(string? computerName) => ServiceErrors.IsLocal(computerName) ? "." : computerName!;

        /// <summary>Errors after which no other computer or item can do better.</summary>
        public static bool IsCommandWide(WsusRemediationException exception) =>
            exception.ErrorId == "LiveAccessRequiresWindows";

        /// <summary>A line for -Verbose that says what a plan will do.</summary>
        public static string Describe(ServiceRestartPlan plan)
        {
            var parts = new List<string>();
            foreach (var service in plan.Services)
            {
                parts.Add(service.Present ? $"{service.Name} ({service.StateBefore}, {service.StartType}) -> {service.Action}" : $"{service.Name} not installed");
            }

            return $"Plan on {plan.ComputerName}: " + string.Join("; ", parts) + ".";
        }
    }
}
