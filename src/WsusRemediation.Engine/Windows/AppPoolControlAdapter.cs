using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// Application pool control through IIS's Microsoft.Web.Administration (late bound:
    /// <c>ApplicationPools[name].State</c>, <c>Start()</c>, <c>Stop()</c>). When that assembly will not
    /// load (it fails under PowerShell 7 on some servers), the local computer falls back to
    /// <c>appcmd.exe</c>. A remote computer needs MWA's <c>ServerManager.OpenRemote</c> (DCOM), which
    /// works in Windows PowerShell 5.1.
    /// </summary>
    public sealed class AppPoolControlAdapter : IAppPoolControl
    {
        private const int AlreadyRunning = ServiceErrors.ServiceAlreadyRunning;
        private const int NotActive = ServiceErrors.ServiceNotActive;
        private static readonly TimeSpan AppCmdTimeout = TimeSpan.FromSeconds(60);

        /// <summary>Why the last call used appcmd.exe instead of Microsoft.Web.Administration, if it did.</summary>
        public string? FallbackReason { get; private set; }

        /// <inheritdoc />
        public AppPoolInfo? GetPool(string? computerName, string poolName) =>
            Use(computerName, poolName, "read", poolRequired: false, pool => pool is null ? null : ReadPool(pool, poolName), () => AppCmdGet(poolName));

        /// <inheritdoc />
        public void StartPool(string? computerName, string poolName) =>
            Use<object?>(computerName, poolName, "start", poolRequired: true, pool => Control(pool, computerName, poolName, "Start"), () => AppCmdControl("start", poolName));

        /// <inheritdoc />
        public void StopPool(string? computerName, string poolName) =>
            Use<object?>(computerName, poolName, "stop", poolRequired: true, pool => Control(pool, computerName, poolName, "Stop"), () => AppCmdControl("stop", poolName));

        private T Use<T>(string? computerName, string poolName, string operation, bool poolRequired, Func<object?, T> withPool, Func<T> withAppCmd)
        {
            ServiceControlManagerAdapter.RequireWindows("Application pool control");
            FallbackReason = null;
            var remote = !ServiceErrors.IsLocal(computerName);
            IDisposable serverManager;
            try
            {
                serverManager = remote ? OpenRemote(computerName!) : WebAdministrationLoader.CreateServerManager();
            }
            catch (WsusRemediationException ex) when (!remote && ex.ErrorId == "IisManagementUnavailable" && File.Exists(AppCmdPath))
            {
                FallbackReason = ex.Message;
                return withAppCmd();
            }

            using (serverManager)
            {
                object? pool;
                try
                {
                    var pools = LateBound.Get(serverManager, "ApplicationPools")
                        ?? throw new NotSupportedException("ServerManager.ApplicationPools returned nothing.");
                    pool = FindPool(pools, poolName);
                }
                catch (Exception ex) when (!remote && IsRuntimeIncompatibility(ex) && File.Exists(AppCmdPath))
                {
                    // The assembly loaded, but this runtime cannot use it (PowerShell 7: a type or member
                    // MWA needs from .NET Framework is missing). Only the first use shows it.
                    FallbackReason = $"Microsoft.Web.Administration failed in this PowerShell ({ex.GetType().Name}: {ex.Message}).";
                    return withAppCmd();
                }
                catch (Exception ex) when (remote && IsRuntimeIncompatibility(ex))
                {
                    throw RemoteUnavailable(computerName!, ex.Message, ex);
                }
                catch (COMException ex)
                {
                    throw ComError(ex, computerName, poolName, operation);
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw Denied(computerName, poolName, operation, ex);
                }

                try
                {
                    if (pool is null && poolRequired)
                    {
                        throw NotFound(computerName, poolName);
                    }

                    return withPool(pool);
                }
                catch (COMException ex)
                {
                    throw ComError(ex, computerName, poolName, operation);
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw Denied(computerName, poolName, operation, ex);
                }
            }
        }

        private static AppPoolInfo ReadPool(object pool, string poolName)
        {
            AppPoolState state;
            try
            {
                state = (AppPoolState)Convert.ToInt32(LateBound.Get(pool, "State"), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (COMException)
            {
                // The runtime state comes from WAS; while WAS is down only the configuration is readable.
                state = AppPoolState.Unknown;
            }

            var autoStart = LateBound.GetOrNull(pool, "AutoStart") as bool?;
            var failure = LateBound.GetOrNull(pool, "Failure");
            var rapidFail = failure is null ? null : LateBound.GetOrNull(failure, "RapidFailProtection") as bool?;
            return new AppPoolInfo(LateBound.GetOrNull(pool, "Name") as string ?? poolName, state, autoStart, rapidFail);
        }

        /// <summary>
        /// The pool of that name (IIS compares pool names case-insensitively), or null. The collection is
        /// walked rather than indexed: the string indexer's behaviour for a missing name is not documented
        /// (scripts rely on null), and by reflection it competes with ConfigurationElement's attribute indexer.
        /// </summary>
        private static object? FindPool(object pools, string poolName)
        {
            foreach (var pool in (System.Collections.IEnumerable)pools)
            {
                if (pool is not null && string.Equals(LateBound.GetOrNull(pool, "Name") as string, poolName, StringComparison.OrdinalIgnoreCase))
                {
                    return pool;
                }
            }

            return null;
        }

        private static bool IsRuntimeIncompatibility(Exception ex) =>
            ex is TypeLoadException || ex is MissingMemberException || ex is FileNotFoundException || ex is FileLoadException
            || ex is BadImageFormatException || ex is PlatformNotSupportedException || ex is NotSupportedException;

        private static object? Control(object? pool, string? computerName, string poolName, string method)
        {
            try
            {
                LateBound.Call(pool!, method);
            }
            catch (COMException ex) when ((ex.HResult & 0xFFFF) == AlreadyRunning || (ex.HResult & 0xFFFF) == NotActive)
            {
                // Starting a started pool or stopping a stopped one: already where the caller wants it.
            }

            return null;
        }

        private static IDisposable OpenRemote(string computerName)
        {
            if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase))
            {
                // On .NET (PowerShell 7) OpenRemote's DCOM client hands back objects whose collections are
                // null (dotnet/core#2691, #4845): fail with the clear error instead of a NullReference later.
                throw RemoteUnavailable(computerName, $"{RuntimeInformation.FrameworkDescription} has no DCOM client for Microsoft.Web.Administration", null);
            }

            // The ServerManager type comes from the local inetsrv copy; OpenRemote talks DCOM to the server.
            Type type;
            using (var local = WebAdministrationLoader.CreateServerManager())
            {
                type = local.GetType();
            }

            try
            {
                return (IDisposable)(type.InvokeMember("OpenRemote", BindingFlags.InvokeMethod | BindingFlags.Public | BindingFlags.Static, null, null, new object[] { computerName }, System.Globalization.CultureInfo.InvariantCulture)
                    ?? throw new InvalidOperationException("OpenRemote returned nothing."));
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is InvalidOperationException || ex is COMException || ex is UnauthorizedAccessException)
            {
                var inner = (ex as TargetInvocationException)?.InnerException ?? ex;
                if (inner is COMException com && ServiceErrors.IsUnreachable(com.HResult & 0xFFFF))
                {
                    throw ServiceErrors.FromWin32(com.HResult & 0xFFFF, computerName, null, "open IIS on", com.Message);
                }

                throw RemoteUnavailable(computerName, inner.Message, inner);
            }
        }

        private static WsusRemediationException RemoteUnavailable(string computerName, string reason, Exception? inner) =>
            new WsusRemediationException(
                "RemotePoolControlUnavailable",
                EngineErrorKind.ResourceUnavailable,
                $"IIS on {computerName} could not be opened remotely ({reason}). Microsoft.Web.Administration reaches other computers over DCOM, which works in Windows PowerShell 5.1 only.",
                computerName,
                inner)
            {
                RecommendedAction = $"Run the command on {computerName} (Invoke-Command -ComputerName {computerName} {{ Restart-WsusPool }}), or from Windows PowerShell 5.1.",
            };

        private static string AppCmdPath => Path.Combine(WindowsPlatform.InetsrvFolder, "appcmd.exe");

        private static AppPoolInfo? AppCmdGet(string poolName)
        {
            var (exitCode, output, xml) = RunAppCmd("list", "apppool", $"/apppool.name:{poolName}", "/xml");
            // Only standard output holds the XML; a line on standard error must not break the parse.
            var pools = AppCmdOutput.ParsePools(ExtractXml(xml));
            var pool = pools.FirstOrDefault(p => string.Equals(p.Name, poolName, StringComparison.OrdinalIgnoreCase));
            if (pool is null && exitCode != 0 && AppCmdOutput.ErrorHResult(output) is int hr)
            {
                throw AppCmdError(hr, poolName, "read", output);
            }

            return pool;
        }

        private static object? AppCmdControl(string verb, string poolName)
        {
            var (exitCode, output, _) = RunAppCmd(verb, "apppool", $"/apppool.name:{poolName}");
            if (exitCode != 0)
            {
                var hr = AppCmdOutput.ErrorHResult(output);
                if (hr is int code && ((code & 0xFFFF) == AlreadyRunning || (code & 0xFFFF) == NotActive))
                {
                    return null;
                }

                throw AppCmdError(hr ?? 0, poolName, verb, output);
            }

            return null;
        }

        internal static string ExtractXml(string output)
        {
            var start = output.IndexOf("<", StringComparison.Ordinal);
            return start < 0 ? string.Empty : output.Substring(start);
        }

        private static (int ExitCode, string Output, string StandardOutput) RunAppCmd(params string[] arguments)
        {
            var info = new ProcessStartInfo(AppCmdPath, string.Join(" ", arguments.Select(QuoteArgument)))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            Process? started;
            try
            {
                started = Process.Start(info);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                throw new WsusRemediationException("AppCmdFailed", EngineErrorKind.NotInstalled, $"{AppCmdPath} could not be started: {ex.Message}", AppCmdPath, ex);
            }

            using var process = started ?? throw new WsusRemediationException("AppCmdFailed", EngineErrorKind.NotInstalled, $"{AppCmdPath} could not be started.", AppCmdPath);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)AppCmdTimeout.TotalMilliseconds))
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }

                throw new WsusRemediationException("AppCmdTimeout", EngineErrorKind.OperationTimeout, $"appcmd.exe {string.Join(" ", arguments)} did not finish within {AppCmdTimeout.TotalSeconds:0} seconds.", AppCmdPath);
            }

            return (process.ExitCode, stdout.Result + stderr.Result, stdout.Result);
        }

        /// <summary>
        /// One argument as the standard Windows command-line rules (the C runtime's argv, CommandLineToArgvW)
        /// read it back: quoted when it holds white space or a quote; backslashes double only before a quote.
        /// </summary>
        internal static string QuoteArgument(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"' }) < 0)
            {
                return argument;
            }

            var quoted = new StringBuilder("\"");
            var backslashes = 0;
            foreach (var c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
                backslashes = 0;
            }

            return quoted.Append('\\', backslashes * 2).Append('"').ToString();
        }

        private static WsusRemediationException AppCmdError(int hresult, string poolName, string operation, string output)
        {
            var code = hresult & 0xFFFF;
            if (code == ServiceErrors.AccessDenied)
            {
                return Denied(null, poolName, operation, null);
            }

            return new WsusRemediationException(
                "PoolControlFailed",
                EngineErrorKind.NotSpecified,
                $"appcmd.exe could not {operation} application pool '{poolName}': {output.Trim()}",
                poolName);
        }

        private static WsusRemediationException ComError(COMException ex, string? computerName, string poolName, string operation)
        {
            var code = ex.HResult & 0xFFFF;
            if (code == ServiceErrors.AccessDenied)
            {
                return Denied(computerName, poolName, operation, ex);
            }

            if (ServiceErrors.IsUnreachable(code))
            {
                return ServiceErrors.FromWin32(code, computerName, null, $"{operation} application pool '{poolName}' on", ex.Message);
            }

            return new WsusRemediationException(
                "PoolControlFailed",
                EngineErrorKind.NotSpecified,
                $"Could not {operation} application pool '{poolName}' on {ServiceErrors.DisplayComputer(computerName)}: {ex.Message} (0x{ex.HResult:X8}).",
                poolName,
                ex)
            {
                RecommendedAction = "Check that WAS and W3SVC run (Get-WsusServiceStatus) and look in the System log for WAS events.",
            };
        }

        private static WsusRemediationException Denied(string? computerName, string poolName, string operation, Exception? inner) =>
            new WsusRemediationException(
                "PoolAccessDenied",
                EngineErrorKind.PermissionDenied,
                $"Access denied: could not {operation} application pool '{poolName}' on {ServiceErrors.DisplayComputer(computerName)}.",
                poolName,
                inner)
            {
                RecommendedAction = "Run PowerShell as Administrator (elevated); IIS configuration and pool control need it.",
            };

        private static WsusRemediationException NotFound(string? computerName, string poolName) =>
            new WsusRemediationException(
                "PoolNotFound",
                EngineErrorKind.ObjectNotFound,
                $"IIS on {ServiceErrors.DisplayComputer(computerName)} has no application pool named '{poolName}'.",
                poolName);
    }
}
