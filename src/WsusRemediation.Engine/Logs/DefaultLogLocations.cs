using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>A folder and the log files in it that matter for synchronization.</summary>
    public sealed class LogLocation
    {
        /// <summary>Creates a location.</summary>
        public LogLocation(string folder, IReadOnlyList<string> patterns, string description)
        {
            Folder = folder;
            Patterns = patterns;
            Description = description;
        }

        /// <summary>The folder.</summary>
        public string Folder { get; }

        /// <summary>File names or wildcard patterns in the folder.</summary>
        public IReadOnlyList<string> Patterns { get; }

        /// <summary>What the folder is, in words.</summary>
        public string Description { get; }

        /// <summary>The existing files in the folder that match, in reading order (<c>.lo_</c> before <c>.log</c>).</summary>
        public IReadOnlyList<string> FindFiles()
        {
            if (!Directory.Exists(Folder))
            {
                return Array.Empty<string>();
            }

            var files = Directory.EnumerateFiles(Folder)
                .Where(f => Patterns.Any(p => Wildcard.IsMatch(p, Path.GetFileName(f))))
                .ToList();
            return EvidenceReader.OrderForReading(files);
        }
    }

    /// <summary>Where a site server or WSUS server keeps the logs that tell the sync story.</summary>
    public static class DefaultLogLocations
    {
        /// <summary>The MECM components whose logs describe a sync: wsyncmgr (sync manager), WCM (WSUS configuration), WSUSCtrl (WSUS control).</summary>
        public static IReadOnlyList<string> MecmLogNames { get; } = new[] { "wsyncmgr.log", "wsyncmgr.lo_", "WCM.log", "WCM.lo_", "WSUSCtrl.log", "WSUSCtrl.lo_" };

        /// <summary>
        /// Resolves the default locations. <paramref name="readLocalMachineString"/> reads an HKLM string value
        /// (sub key, value name) and <paramref name="getEnvironment"/> an environment variable, so this works on
        /// any machine in tests and through the registry adapter on Windows.
        /// </summary>
        public static IReadOnlyList<LogLocation> Resolve(Func<string, string, string?> readLocalMachineString, Func<string, string?> getEnvironment)
        {
            if (readLocalMachineString is null)
            {
                throw new ArgumentNullException(nameof(readLocalMachineString));
            }

            if (getEnvironment is null)
            {
                throw new ArgumentNullException(nameof(getEnvironment));
            }

            // A 32-bit PowerShell sees "Program Files (x86)" in ProgramFiles; ProgramW6432 names the real one.
            var programFiles = getEnvironment("ProgramW6432") ?? getEnvironment("ProgramFiles") ?? @"C:\Program Files";
            var windows = getEnvironment("SystemRoot") ?? getEnvironment("windir") ?? @"C:\Windows";

            var smsInstall = NonEmpty(readLocalMachineString(@"SOFTWARE\Microsoft\SMS\Identification", "Installation Directory"))
                ?? NonEmpty(readLocalMachineString(@"SOFTWARE\Microsoft\SMS\Setup", "Installation Directory"))
                ?? Path.Combine(programFiles, "Microsoft Configuration Manager");

            var wsusTarget = NonEmpty(readLocalMachineString(@"SOFTWARE\Microsoft\Update Services\Server\Setup", "TargetDir"))
                ?? Path.Combine(programFiles, "Update Services");

            return new[]
            {
                new LogLocation(Path.Combine(smsInstall, "Logs"), MecmLogNames, "MECM site server logs"),
                new LogLocation(Path.Combine(wsusTarget, "LogFiles"), new[] { "SoftwareDistribution.log" }, "WSUS server log"),
                new LogLocation(Path.Combine(windows, "System32", "LogFiles", "HTTPERR"), new[] { "httperr*.log" }, "HTTP.sys error logs"),
            };
        }

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
