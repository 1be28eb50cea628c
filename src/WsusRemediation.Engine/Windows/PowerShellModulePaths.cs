using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// The module folders that belong to PowerShell 7 and must not reach a child Windows PowerShell 5.1.
    /// Inherited, they make 5.1 auto-load PowerShell 7's Microsoft.PowerShell.Utility, Management and
    /// CimCmdlets, which do not load there: ConvertTo-Json and Get-CimInstance fail and the child prints
    /// nothing (PowerShell/PowerShell#12997, #20804). PowerShell itself rewrites PSModulePath when it
    /// starts powershell.exe (PowerShell/PowerShell#11057, RFC0049, about_PSModulePath "Starting Windows
    /// PowerShell from PowerShell 7"), but only for its own direct children, not for a process a module
    /// starts; this does the same.
    /// </summary>
    internal sealed class PowerShellModulePaths
    {
        private readonly char _separator;
        private readonly HashSet<string> _own;
        private readonly Func<string, bool> _isPowerShellHome;

        /// <summary>
        /// <paramref name="ownPaths"/>: PowerShell 7's CurrentUser, AllUsers and $PSHOME module folders and the
        /// ones its powershell.config.json files name. <paramref name="isPowerShellHome"/>: whether a folder
        /// is the home of a PowerShell 7 installation (it holds pwsh.dll). <paramref name="separator"/>: the
        /// platform's path-list separator (';' on Windows).
        /// </summary>
        public PowerShellModulePaths(IEnumerable<string?> ownPaths, Func<string, bool> isPowerShellHome, char separator = ';')
        {
            _separator = separator;
            _own = new HashSet<string>((ownPaths ?? throw new ArgumentNullException(nameof(ownPaths))).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Normalize(p!)), StringComparer.OrdinalIgnoreCase);
            _isPowerShellHome = isPowerShellHome ?? throw new ArgumentNullException(nameof(isPowerShellHome));
        }

        /// <summary>
        /// The PSModulePath for a child Windows PowerShell started from <paramref name="current"/>: every entry
        /// but PowerShell 7's own folders and folders of any PowerShell 7 installation (their parent holds
        /// pwsh.dll), in their order, as PowerShell's ModuleIntrinsics.GetWindowsPowerShellModulePath does.
        /// Entries are compared without a trailing backslash and empty entries are dropped (PowerShell keeps
        /// both; 5.1 skips them anyway). Null when nothing is left: the variable is then removed, and Windows
        /// PowerShell builds its default from the user's and the machine's settings.
        /// </summary>
        public string? ForWindowsPowerShell(string? current)
        {
            if (string.IsNullOrWhiteSpace(current))
            {
                return null;
            }

            var kept = current!.Split(_separator)
                .Select(p => p.Trim())
                .Where(p => p.Length > 0 && !_own.Contains(Normalize(p)) && !IsInPowerShellHome(p))
                .ToList();
            return kept.Count == 0 ? null : string.Join(_separator.ToString(), kept);
        }

        private bool IsInPowerShellHome(string path)
        {
            var trimmed = Normalize(path);
            var cut = trimmed.LastIndexOfAny(new[] { '\\', '/' });
            if (cut <= 0)
            {
                return false; // a drive root has no parent to hold pwsh.dll
            }

            var parent = trimmed.Substring(0, cut);
            return _isPowerShellHome(parent.EndsWith(":", StringComparison.Ordinal) ? parent + "\\" : parent);
        }

        /// <summary>The paths of the PowerShell hosting this process, found as PowerShell finds them.</summary>
        public static PowerShellModulePaths OfThisProcess()
        {
            var isCore = !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
            var documents = Environment.GetFolderPath(Environment.SpecialFolder.MyDocuments);
            var psHome = PowerShellHome();
            var configured = isCore
                ? new[] { Combine(psHome, "powershell.config.json"), Combine(documents, "PowerShell", "powershell.config.json") }.Select(ReadConfiguredModulePath)
                : Enumerable.Empty<string?>();
            return FromFolders(documents, Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), psHome, isCore, configured, HoldsPwshDll, Path.PathSeparator);
        }

        /// <summary>
        /// PowerShell 7's own folders: Documents\PowerShell\Modules (CurrentUser), Program Files\PowerShell\Modules
        /// (AllUsers), $PSHOME\Modules and the folders its powershell.config.json files set. Hosted by Windows
        /// PowerShell (<paramref name="isCore"/> false), $PSHOME\Modules is 5.1's own and stays.
        /// </summary>
        internal static PowerShellModulePaths FromFolders(string? documents, string? programFiles, string? psHome, bool isCore, IEnumerable<string?> configured, Func<string, bool> isPowerShellHome, char separator = ';')
        {
            var own = new List<string?> { Combine(documents, "PowerShell", "Modules"), Combine(programFiles, "PowerShell", "Modules") };
            if (isCore)
            {
                own.Add(Combine(psHome, "Modules"));
            }

            own.AddRange(configured ?? Enumerable.Empty<string?>());
            return new PowerShellModulePaths(own, isPowerShellHome, separator);
        }

        /// <summary>The "PSModulePath" setting of a powershell.config.json text, environment variables expanded; null when absent or unreadable.</summary>
        internal static string? ConfiguredModulePath(string? json)
        {
            if (string.IsNullOrWhiteSpace(json))
            {
                return null;
            }

            try
            {
                return BridgeJson.Parse(json!) is Dictionary<string, object?> settings && settings.TryGetValue("PSModulePath", out var value) && value is string path && path.Trim().Length > 0
                    ? Environment.ExpandEnvironmentVariables(path.Trim())
                    : null;
            }
            catch (FormatException)
            {
                return null; // PowerShell 7 ignores a broken file too; there is nothing of it to remove
            }
        }

        private static string? ReadConfiguredModulePath(string? file)
        {
            try
            {
                return file is not null && File.Exists(file) ? ConfiguredModulePath(File.ReadAllText(file)) : null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        // PowerShell's $PSHOME is the folder of System.Management.Automation.dll (the engine does not reference it).
        private static string? PowerShellHome()
        {
            var automation = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => string.Equals(a.GetName().Name, "System.Management.Automation", StringComparison.Ordinal));
            var location = automation is null || automation.IsDynamic ? null : automation.Location;
            return string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location);
        }

        private static bool HoldsPwshDll(string folder)
        {
            try
            {
                return File.Exists(Path.Combine(folder, "pwsh.dll"));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        // Joins with the folder's own separator, so Windows paths stay Windows paths wherever this runs.
        private static string? Combine(string? folder, params string[] names)
        {
            if (string.IsNullOrWhiteSpace(folder))
            {
                return null;
            }

            var separator = folder!.IndexOf('\\') >= 0 ? '\\' : Path.DirectorySeparatorChar;
            return folder.TrimEnd('\\', '/') + separator + string.Join(separator.ToString(), names);
        }

        private static string Normalize(string path) => path.Trim().TrimEnd('\\', '/');
    }
}
