using System;
using System.IO;
using System.Reflection;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// Loads IIS's own Microsoft.Web.Administration 7.0.0.0 from inetsrv. Never the IIS Express
    /// 7.9.0.0 copy in the GAC (it edits IIS Express's config), and never a NuGet copy (it wraps COM
    /// interfaces that only the installed IIS provides).
    /// </summary>
    public static class WebAdministrationLoader
    {
        private static readonly object Gate = new object();
        private static Assembly? _assembly;

        /// <summary>The path the assembly is loaded from.</summary>
        public static string AssemblyPath => Path.Combine(WindowsPlatform.InetsrvFolder, "Microsoft.Web.Administration.dll");

        /// <summary>
        /// Creates a <c>Microsoft.Web.Administration.ServerManager</c>. Throws a
        /// <see cref="WsusRemediationException"/> with id <c>IisManagementUnavailable</c> when IIS or the
        /// assembly cannot be used here; callers fall back to reading the configuration file.
        /// </summary>
        public static IDisposable CreateServerManager()
        {
            WindowsPlatform.RequireWindows("Live IIS access", "-ConfigurationPath");
            var assembly = Load();
            try
            {
                var type = assembly.GetType("Microsoft.Web.Administration.ServerManager", throwOnError: true)!;
                return (IDisposable)Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException ex)
            {
                throw Unavailable($"IIS management could not be opened: {ex.InnerException?.Message ?? ex.Message}", ex.InnerException ?? ex);
            }
            catch (Exception ex) when (ex is TypeLoadException || ex is TypeInitializationException || ex is FileNotFoundException || ex is FileLoadException
                || ex is MissingMemberException || ex is PlatformNotSupportedException || ex is NotSupportedException)
            {
                // Under PowerShell 7 the .NET Framework assembly loads, but resolving its types can fail
                // (a dependency only .NET Framework has): the same "unavailable" that sends callers to their fallback.
                throw Unavailable($"Microsoft.Web.Administration cannot be used in this PowerShell ({ex.GetType().Name}: {ex.Message}).", ex);
            }
        }

        private static Assembly Load()
        {
            lock (Gate)
            {
                if (_assembly is not null)
                {
                    return _assembly;
                }

                var path = AssemblyPath;
                if (!File.Exists(path))
                {
                    throw new WsusRemediationException(
                        "IisNotInstalled",
                        EngineErrorKind.NotInstalled,
                        $"IIS management is not installed on this computer ({path} not found). Use -ConfigurationPath to work on an applicationHost.config file.",
                        path);
                }

                try
                {
                    var loaded = Assembly.LoadFrom(path);
                    if (loaded.GetName().Version?.Major != 7 || loaded.GetName().Version?.Minor != 0)
                    {
                        throw Unavailable($"{path} is version {loaded.GetName().Version}, not IIS's 7.0.0.0.", null);
                    }

                    _assembly = loaded;
                    return loaded;
                }
                catch (Exception ex) when (ex is FileLoadException || ex is BadImageFormatException || ex is NotSupportedException || ex is IOException)
                {
                    throw Unavailable($"Microsoft.Web.Administration could not be loaded in this PowerShell ({ex.Message}).", ex);
                }
            }
        }

        private static WsusRemediationException Unavailable(string message, Exception? inner) =>
            new WsusRemediationException("IisManagementUnavailable", EngineErrorKind.ResourceUnavailable, message, AssemblyPath, inner);
    }
}
