using System;
using System.IO;
using System.Runtime.InteropServices;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>Facts about the local Windows installation that every adapter needs.</summary>
    public static class WindowsPlatform
    {
        /// <summary>True on Windows.</summary>
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>
        /// The real System32 folder. A 32-bit process on 64-bit Windows is silently redirected to
        /// SysWOW64 (which holds a copy of applicationHost.config that IIS never reads), so it goes
        /// through the Sysnative alias instead.
        /// </summary>
        public static string NativeSystem32
        {
            get
            {
                var windows = Environment.GetFolderPath(Environment.SpecialFolder.Windows);
                var redirected = !Environment.Is64BitProcess && Environment.Is64BitOperatingSystem;
                return Path.Combine(windows, redirected ? "Sysnative" : "System32");
            }
        }

        /// <summary>The inetsrv folder of the installed IIS.</summary>
        public static string InetsrvFolder => Path.Combine(NativeSystem32, "inetsrv");

        /// <summary>The applicationHost.config that IIS uses.</summary>
        public static string ApplicationHostConfigPath => Path.Combine(InetsrvFolder, "config", "applicationHost.config");

        /// <summary>
        /// Throws the error a command that has no offline mode gives off Windows (Invoke-WsusSync,
        /// Get-SoftwareUpdatePoint): it must not point to an offline parameter the command does not have.
        /// </summary>
        public static void RequireWindows(string what)
        {
            if (!IsWindows)
            {
                throw new WsusRemediationException(
                    "LiveAccessRequiresWindows",
                    EngineErrorKind.NotInstalled,
                    $"{what} needs Windows; this machine runs {RuntimeInformation.OSDescription}. This command has no offline mode.")
                {
                    RecommendedAction = "Run the command on Windows: on the site server, or on a computer that reaches it.",
                };
            }
        }

        /// <summary>
        /// Throws the error every live-only operation gives off Windows, naming the offline parameter
        /// that works anywhere.
        /// </summary>
        public static void RequireWindows(string what, string offlineParameter)
        {
            if (!IsWindows)
            {
                throw new WsusRemediationException(
                    "LiveAccessRequiresWindows",
                    EngineErrorKind.NotInstalled,
                    $"{what} needs Windows; this machine runs {RuntimeInformation.OSDescription}. Use {offlineParameter} to work on collected files instead.")
                {
                    RecommendedAction = $"Run the command on the server, or pass {offlineParameter}.",
                };
            }
        }
    }
}
