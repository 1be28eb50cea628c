using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// Starts an MECM synchronization without the SMS Provider: writes a zero-byte SELF.SYN (delta)
    /// or FULL.SYN (full) into <c>&lt;install dir&gt;\inboxes\WSyncMgr.box</c> of the site server. The
    /// install directory is the site server's registry value
    /// <c>HKLM\SOFTWARE\Microsoft\SMS\Identification\Installation Directory</c> (read through the admin share for another computer).
    /// </summary>
    public sealed class SyncInboxFileTrigger : ISyncInboxTrigger
    {
        private readonly string? _computerName;
        private readonly Func<string?> _installDirectory;

        /// <summary>Creates the trigger; <paramref name="installDirectory"/> overrides the registry lookup (tests, odd layouts).</summary>
        public SyncInboxFileTrigger(string? computerName, Func<string?>? installDirectory = null)
        {
            _computerName = ServiceErrors.IsLocal(computerName) ? null : computerName;
            _installDirectory = installDirectory ?? (() => ReadInstallDirectory(_computerName));
        }

        /// <summary>The file name for a delta or a full synchronization.</summary>
        public static string FileName(bool fullSync) => fullSync ? "FULL.SYN" : "SELF.SYN";

        /// <summary>The inbox folder, as reachable from here (UNC through the admin share for another computer).</summary>
        public string InboxFolder()
        {
            var install = _installDirectory();
            if (string.IsNullOrEmpty(install))
            {
                throw new WsusRemediationException(
                    "ConfigMgrInboxNotFound",
                    EngineErrorKind.ObjectNotFound,
                    $"'{_computerName ?? Environment.MachineName}' does not look like an MECM site server: its installation directory could not be read.",
                    _computerName)
                {
                    RecommendedAction = "Run on the site server, or name it with -ComputerName.",
                };
            }

            var onDrive = install!.Length >= 3 && install[1] == ':' && char.IsLetter(install[0]);
            return _computerName is not null && onDrive
                ? $@"\\{_computerName}\{install[0]}${install.Substring(2).TrimEnd('\\')}\inboxes\WSyncMgr.box"
                : Path.Combine(install, "inboxes", "WSyncMgr.box");
        }

        /// <inheritdoc />
        public string Drop(bool fullSync, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = InboxFolder();
            if (!Directory.Exists(folder))
            {
                throw new WsusRemediationException("ConfigMgrInboxNotFound", EngineErrorKind.ObjectNotFound, $"The inbox '{folder}' does not exist.", folder);
            }

            var path = Path.Combine(folder, FileName(fullSync));
            try
            {
                // Zero bytes: the file's presence is the request.
                using (new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read))
                {
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new WsusRemediationException("ConfigMgrInboxWriteFailed", ex is UnauthorizedAccessException ? EngineErrorKind.PermissionDenied : EngineErrorKind.WriteError, $"'{path}' could not be written: {ex.Message}", path, ex);
            }

            return path;
        }

        private static readonly string[] InstallKeys = { @"SOFTWARE\Microsoft\SMS\Identification", @"SOFTWARE\Microsoft\SMS\Setup" };

        /// <summary>
        /// The site server's installation directory: the shared registry reader on this computer; for
        /// another one, the remote registry (late-bound RegistryKey.OpenRemoteBaseKey), else MECM's default
        /// folder, which <see cref="Drop"/> then checks through the admin share.
        /// </summary>
        private static string? ReadInstallDirectory(string? computerName)
        {
            WindowsPlatform.RequireWindows("Finding the MECM inbox", "-Source Wsus");
            if (computerName is null)
            {
                return InstallKeys.Select(k => WindowsRegistry.ReadLocalMachineString(k, "Installation Directory")).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            }

            return ReadRemoteInstallDirectory(computerName) ?? @"C:\Program Files\Microsoft Configuration Manager";
        }

        private static string? ReadRemoteInstallDirectory(string computerName)
        {
            try
            {
                var keyType = FindType("Microsoft.Win32.RegistryKey");
                var hiveType = FindType("Microsoft.Win32.RegistryHive");
                var viewType = FindType("Microsoft.Win32.RegistryView");
                if (keyType is null || hiveType is null || viewType is null)
                {
                    return null;
                }

                var hive = Enum.Parse(hiveType, "LocalMachine");
                var view = Enum.Parse(viewType, "Registry64");
                var baseKey = keyType.GetMethod("OpenRemoteBaseKey", new[] { hiveType, typeof(string), viewType })!.Invoke(null, new[] { hive, computerName, view });
                using var disposeBase = baseKey as IDisposable;
                foreach (var subKey in InstallKeys)
                {
                    using var key = LateBound.Call(baseKey!, "OpenSubKey", subKey) as IDisposable;
                    if (key is not null && LateBound.Call(key, "GetValue", "Installation Directory") is string value && value.Length > 0)
                    {
                        return value;
                    }
                }

                return null;
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                return null;
            }
        }

        private static Type? FindType(string name)
        {
            foreach (var assembly in new[] { "Microsoft.Win32.Registry", "mscorlib" })
            {
                try
                {
                    var type = Type.GetType($"{name}, {assembly}", throwOnError: false);
                    if (type is not null)
                    {
                        return type;
                    }
                }
                catch (IOException)
                {
                    // That assembly does not exist in this runtime; try the next.
                }
            }

            return null;
        }
    }
}
