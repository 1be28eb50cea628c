using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>
    /// Reads, compares and changes WsusPool's settings in applicationHost.config. The same code
    /// serves a live server (the file IIS uses, reached through Sysnative from a 32-bit process, or
    /// the admin share of a remote server) and a copy collected from one.
    /// </summary>
    public sealed class PoolTuningService
    {
        /// <summary>The name WSUS setup gives its pool.</summary>
        public const string DefaultPoolName = "WsusPool";

        /// <summary>The file IIS keeps its configuration in (in inetsrv\config).</summary>
        public const string ApplicationHostFileName = "applicationHost.config";

        /// <summary>The WSUS web service whose application pool is "the WSUS pool".</summary>
        public const string WsusApplicationPath = "/ClientWebService";

        private readonly IFileStore _files;
        private readonly IClock _clock;

        /// <summary>Creates the service.</summary>
        public PoolTuningService(IFileStore files, IClock clock)
        {
            _files = files ?? throw new ArgumentNullException(nameof(files));
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        }

        /// <summary>
        /// The applicationHost.config to use: <paramref name="configurationPath"/> when given (offline;
        /// a folder means the applicationHost.config in it, as in a copy of inetsrv\config or an evidence
        /// folder); otherwise the live file of the local server or, for another computer, its admin share.
        /// Throws <c>ConfigurationFileNotFound</c> for a folder without one, and <c>IisNotInstalled</c> or
        /// <c>RemoteConfigurationUnavailable</c>, naming -ConfigurationPath, when there is no live file to use.
        /// </summary>
        public string ResolveConfigurationPath(string? configurationPath, string? computerName)
        {
            if (!string.IsNullOrEmpty(configurationPath))
            {
                if (!_files.DirectoryExists(configurationPath!))
                {
                    return configurationPath!;
                }

                var inFolder = Path.Combine(configurationPath!, ApplicationHostFileName);
                if (!_files.FileExists(inFolder))
                {
                    throw new WsusRemediationException(
                        "ConfigurationFileNotFound",
                        EngineErrorKind.ObjectNotFound,
                        $"'{configurationPath}' is a folder without an {ApplicationHostFileName}. Name the file itself, or the folder it was collected to.",
                        configurationPath);
                }

                return inFolder;
            }

            WindowsPlatform.RequireWindows("Reading the live IIS configuration", "-ConfigurationPath");
            if (ServiceErrors.IsLocal(computerName))
            {
                var local = WindowsPlatform.ApplicationHostConfigPath;
                if (!_files.FileExists(local))
                {
                    throw new WsusRemediationException(
                        "IisNotInstalled",
                        EngineErrorKind.NotInstalled,
                        $"IIS is not installed on this computer ({local} not found). To work on a configuration collected from a WSUS server, use -ConfigurationPath.",
                        local);
                }

                return local;
            }

            var remote = $@"\\{computerName}\admin$\System32\inetsrv\config\applicationHost.config";
            bool exists = false;
            SafeConfigurationWriter.Guard(remote, () => exists = _files.FileExists(remote));
            if (!exists)
            {
                throw new WsusRemediationException(
                    "RemoteConfigurationUnavailable",
                    EngineErrorKind.ConnectionError,
                    $"The IIS configuration of '{computerName}' cannot be reached at {remote}: the computer is unreachable, its admin$ share is closed to you, or IIS is not installed there. Run the command on that server, or copy the file and use -ConfigurationPath.",
                    computerName);
            }

            return remote;
        }

        /// <summary>Reads and parses the configuration file.</summary>
        public ApplicationHostDocument Load(string path)
        {
            byte[] bytes = Array.Empty<byte>();
            SafeConfigurationWriter.Guard(path, () =>
            {
                if (!_files.FileExists(path))
                {
                    throw new FileNotFoundException($"'{path}' does not exist.", path);
                }

                bytes = _files.ReadAllBytes(path);
            });
            return ApplicationHostDocument.Parse(path, bytes);
        }

        /// <summary>
        /// The pool that serves WSUS: the application pool of the <c>/ClientWebService</c> application
        /// (with IIS's inheritance from the site and the sites' defaults), else <c>WsusPool</c>.
        /// </summary>
        public static string FindWsusPoolName(ApplicationHostDocument document)
        {
            if (document is null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            var sites = document.Sites;
            if (sites is not null)
            {
                var globalDefault = sites.Child("applicationDefaults")?.GetAttribute("applicationPool");
                foreach (var site in sites.Children.Where(c => c.Name == "site"))
                {
                    var siteDefault = site.Child("applicationDefaults")?.GetAttribute("applicationPool");
                    foreach (var application in site.Children.Where(c => c.Name == "application"))
                    {
                        if (string.Equals(application.GetAttribute("path"), WsusApplicationPath, StringComparison.OrdinalIgnoreCase))
                        {
                            var pool = application.GetAttribute("applicationPool") ?? siteDefault ?? globalDefault;
                            if (!string.IsNullOrEmpty(pool) && document.FindPool(pool!) is not null)
                            {
                                return pool!;
                            }
                        }
                    }
                }
            }

            return DefaultPoolName;
        }

        /// <summary>
        /// The pool names a pipeline item really asks for. A file piped in (<c>Get-ChildItem applicationHost.config |</c>)
        /// binds its Name to -PoolName and its FullName to -ConfigurationPath: that file name is not a pool,
        /// so it is dropped and the WSUS pool is found as when no name is given.
        /// </summary>
        public static IReadOnlyList<string>? PoolNamesFromInput(IReadOnlyList<string>? names, string? configurationPath)
        {
            if (names is null || names.Count == 0 || string.IsNullOrEmpty(configurationPath))
            {
                return names;
            }

            // Either separator: a Windows path is also examined off Windows (tests, collected evidence).
            var trimmed = configurationPath!.TrimEnd('\\', '/');
            var fileName = trimmed.Substring(trimmed.LastIndexOfAny(new[] { '\\', '/' }) + 1);
            return names.All(n => string.Equals(n, fileName, StringComparison.OrdinalIgnoreCase)) ? null : names;
        }

        /// <summary>
        /// The pool that serves WSUS on a live server (see <see cref="FindWsusPoolName"/>), read from
        /// its applicationHost.config; <c>WsusPool</c> when that file cannot be read, so that a pool
        /// restart never fails only because the configuration is out of reach.
        /// </summary>
        public string DiscoverWsusPoolName(string? computerName, Action<string>? verbose = null)
        {
            try
            {
                var name = FindWsusPoolName(Load(ResolveConfigurationPath(null, computerName)));
                verbose?.Invoke($"The pool serving WSUS's ClientWebService is '{name}'.");
                return name;
            }
            catch (WsusRemediationException ex)
            {
                verbose?.Invoke($"The IIS configuration could not be read ({ex.Message}); using '{DefaultPoolName}'.");
                return DefaultPoolName;
            }
        }

        /// <summary>Expands pool names with wildcards (<c>*</c>, <c>?</c>) against the pools in the file; plain names pass through.</summary>
        public static IReadOnlyList<string> ExpandPoolNames(ApplicationHostDocument document, IEnumerable<string>? names)
        {
            if (document is null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            var requested = names?.Where(n => !string.IsNullOrEmpty(n)).ToList() ?? new List<string>();
            if (requested.Count == 0)
            {
                return new[] { FindWsusPoolName(document) };
            }

            var result = new List<string>();
            foreach (var name in requested)
            {
                if (name.IndexOfAny(new[] { '*', '?' }) < 0)
                {
                    result.Add(name);
                    continue;
                }

                var pattern = new Regex("^" + Regex.Escape(name).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
                result.AddRange(document.PoolNames.Where(p => pattern.IsMatch(p)));
            }

            return result.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Reads one pool's settings and compares them with a profile. Throws <c>PoolNotFound</c>.</summary>
        public static WsusPoolTuning Read(ApplicationHostDocument document, string poolName, PoolTuningProfileName profile, string computerName, string? state)
        {
            if (document is null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            var pool = document.FindPool(poolName) ?? throw PoolNotFound(poolName, document);
            var targets = PoolTuningProfiles.Get(profile);
            var statuses = new List<PoolSettingStatus>();
            foreach (var definition in PoolSettingCatalog.All)
            {
                var (value, source) = Effective(document, pool, definition);
                targets.TryGetValue(definition, out var recommended);
                statuses.Add(new PoolSettingStatus(computerName, document.Path, pool.GetAttribute("name")!, definition, value, source, recommended, WarningFor(definition, value)));
            }

            return new WsusPoolTuning(computerName, pool.GetAttribute("name")!, state, document.Path, profile, statuses);
        }

        /// <summary>
        /// The values Set-WsusPoolTuning aims for: the profile's (when one is named, or when nothing
        /// else is asked for), overridden by explicit values. Every value is validated here.
        /// </summary>
        public static IReadOnlyDictionary<PoolSettingDefinition, object> DesiredValues(
            PoolTuningProfileName? profile,
            IReadOnlyDictionary<string, object> explicitValues,
            bool force)
        {
            if (explicitValues is null)
            {
                throw new ArgumentNullException(nameof(explicitValues));
            }

            var desired = new Dictionary<PoolSettingDefinition, object>();
            if (profile.HasValue || explicitValues.Count == 0)
            {
                foreach (var pair in PoolTuningProfiles.Get(profile ?? PoolTuningProfileName.Recommended))
                {
                    desired[pair.Key] = pair.Value;
                }
            }

            foreach (var pair in explicitValues)
            {
                var definition = PoolSettingCatalog.Find(pair.Key);
                var value = definition.Validate(pair.Value);
                if (ReferenceEquals(definition, PoolSettingCatalog.Enable32BitAppOnWin64) && (bool)value && !force)
                {
                    throw new WsusRemediationException(
                        "Enable32BitRequiresForce",
                        EngineErrorKind.InvalidOperation,
                        "Enable 32-Bit Applications = True breaks WSUS: its compression module suscomp.dll is 64-bit only, so the pool fails with HTTP 500.19 (0x8007007e). Nothing was changed. Add -Force only if you really mean it.",
                        definition.Name);
                }

                desired[definition] = value;
            }

            return desired;
        }

        /// <summary>The settings whose effective value differs from the desired one.</summary>
        public static IReadOnlyList<PoolSettingChange> PlanChanges(ApplicationHostDocument document, string poolName, IReadOnlyDictionary<PoolSettingDefinition, object> desired)
        {
            if (document is null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            if (desired is null)
            {
                throw new ArgumentNullException(nameof(desired));
            }

            var pool = document.FindPool(poolName) ?? throw PoolNotFound(poolName, document);
            var changes = new List<PoolSettingChange>();
            foreach (var definition in PoolSettingCatalog.All)
            {
                if (!desired.TryGetValue(definition, out var target))
                {
                    continue;
                }

                var (current, source) = Effective(document, pool, definition);

                // An inherited value that already matches is left inherited: writing it on the pool
                // would change nothing now and would stop the pool following applicationPoolDefaults.
                if (!definition.ValuesEqual(current, target))
                {
                    changes.Add(new PoolSettingChange(pool.GetAttribute("name")!, definition, current, source, target));
                }
            }

            return changes;
        }

        /// <summary>
        /// Writes the changes (backup first, atomic replace), reads the file back, and checks every
        /// setting now has its new value; on any failure the original is restored.
        /// </summary>
        public PoolTuningResult Apply(ApplicationHostDocument document, string poolName, IReadOnlyList<PoolSettingChange> changes, string? backupFolder)
        {
            if (document is null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            if (changes is null || changes.Count == 0)
            {
                return new PoolTuningResult(document.Path, null, Array.Empty<PoolSettingChange>());
            }

            var newText = ApplicationHostEditor.Apply(document, poolName, changes.Select(c => new KeyValuePair<PoolSettingDefinition, object>(c.Definition, c.NewValue)));
            var newBytes = document.Encode(newText);
            var writer = new SafeConfigurationWriter(_files, _clock);
            var backup = writer.Write(document.Path, document.Bytes, newBytes, backupFolder);
            try
            {
                var written = Load(document.Path);
                var pool = written.FindPool(poolName) ?? throw PoolNotFound(poolName, written);
                foreach (var change in changes)
                {
                    var (value, _) = Effective(written, pool, change.Definition);
                    if (!change.Definition.ValuesEqual(value, change.NewValue))
                    {
                        throw new WsusRemediationException(
                            "ConfigurationWriteFailed",
                            EngineErrorKind.WriteError,
                            $"After writing, {change.Definition.Name} reads {change.Definition.Describe(value)} instead of {change.Definition.Describe(change.NewValue)}; the original file was restored from '{backup}'.",
                            document.Path);
                    }
                }
            }
            catch (WsusRemediationException)
            {
                writer.Restore(document.Path, backup);
                throw;
            }

            return new PoolTuningResult(document.Path, backup, changes);
        }

        internal static (object Value, PoolSettingSource Source) Effective(ApplicationHostDocument document, ConfigElement pool, PoolSettingDefinition definition)
        {
            var own = pool.Descendant(definition.ElementPath)?.GetAttribute(definition.Attribute);
            if (own is not null)
            {
                return (ParseStoredIn(document, $"pool '{pool.GetAttribute("name")}'", definition, own), PoolSettingSource.Pool);
            }

            var inherited = document.PoolDefaults?.Descendant(definition.ElementPath)?.GetAttribute(definition.Attribute);
            if (inherited is not null)
            {
                return (ParseStoredIn(document, "applicationPoolDefaults", definition, inherited), PoolSettingSource.PoolDefaults);
            }

            return (definition.SchemaDefault, PoolSettingSource.SchemaDefault);
        }

        // A value the file holds but IIS would not accept: the error says which file and which element,
        // so an admin with several collected files knows where to look.
        private static object ParseStoredIn(ApplicationHostDocument document, string where, PoolSettingDefinition definition, string text)
        {
            try
            {
                return definition.ParseStored(text);
            }
            catch (WsusRemediationException ex)
            {
                throw new WsusRemediationException(ex.ErrorId, ex.Kind, $"{ex.Message.TrimEnd('.')} ({where} in '{document.Path}').", ex.Target, ex);
            }
        }

        internal static WsusRemediationException PoolNotFound(string poolName, ApplicationHostDocument document) =>
            new WsusRemediationException(
                "PoolNotFound",
                EngineErrorKind.ObjectNotFound,
                $"There is no application pool named '{poolName}' in '{document.Path}'. Pools found: {(document.PoolNames.Count == 0 ? "none" : string.Join(", ", document.PoolNames))}.",
                poolName);

        private static string? WarningFor(PoolSettingDefinition definition, object value) =>
            ReferenceEquals(definition, PoolSettingCatalog.Enable32BitAppOnWin64) && value is true
                ? "Enable 32-Bit Applications is True: WSUS's 64-bit compression module (suscomp.dll) cannot load in a 32-bit worker, so requests fail with HTTP 500.19 (0x8007007e). Set it to False."
                : null;
    }
}
