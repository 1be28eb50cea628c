using System.Management.Automation;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Common
{
    /// <summary>What the three pool-tuning cmdlets share: where the configuration is.</summary>
    internal static class PoolTuningCmdletSupport
    {
        /// <summary>
        /// A -ConfigurationPath is resolved against PowerShell's current location (not the process's,
        /// which differs in PowerShell); without one, the engine picks the live file.
        /// </summary>
        public static string ResolveConfigurationPath(PSCmdlet cmdlet, PoolTuningService service, string? configurationPath, string? computerName) =>
            service.ResolveConfigurationPath(
                string.IsNullOrEmpty(configurationPath) ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(configurationPath),
                computerName);

        /// <summary>The computer name shown on output: the one asked for, this computer when live, empty for a file read offline.</summary>
        public static string DisplayComputerName(string? configurationPath, string? computerName) =>
            !string.IsNullOrEmpty(computerName) && computerName != "." ? computerName!
            : string.IsNullOrEmpty(configurationPath) ? System.Environment.MachineName
            : string.Empty;
    }
}
