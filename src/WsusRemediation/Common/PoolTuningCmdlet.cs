using System;
using System.Collections.Generic;
using System.Management.Automation;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Windows;

namespace WsusRemediation.Common
{
    /// <summary>
    /// What the pool-tuning cmdlets share: which pools, in which applicationHost.config, and reading
    /// them with one error per pool that cannot be read.
    /// </summary>
    public abstract class PoolTuningCmdlet : WsusRemediationCmdlet
    {
        /// <summary>The pools; wildcards allowed. Default: the pool serving WSUS's ClientWebService, else WsusPool.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? PoolName { get; set; }

        /// <summary>
        /// applicationHost.config files (or folders holding one) to use instead of the live server's;
        /// each is read in turn, and one that cannot be read is one error.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Path", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? ConfigurationPath { get; set; }

        /// <summary>True when this pipeline item names files (offline) rather than servers.</summary>
        protected bool IsOffline => ConfigurationPath is { Length: > 0 };

        /// <summary>
        /// The server this pipeline item is about (null: this computer). Each cmdlet declares its own
        /// -ComputerName: one server for the ones that change or answer for the whole pipeline, several
        /// for Get-WsusPoolTuning, which reads them at the same time.
        /// </summary>
        protected abstract string? CurrentComputerName { get; }

        private readonly IAppPoolControl _pools = new AppPoolControlAdapter();

        /// <summary>The engine service.</summary>
        protected PoolTuningService Service { get; } = new PoolTuningService(PhysicalFileStore.Instance, SystemClock.Instance);

        /// <summary>The computer name shown on output: the one asked for, this computer when live, empty for a file read offline.</summary>
        protected string DisplayComputerName => DisplayNameOf(CurrentComputerName);

        /// <summary>See <see cref="DisplayComputerName"/>, for a given server.</summary>
        protected string DisplayNameOf(string? computerName) =>
            !string.IsNullOrEmpty(computerName) && computerName != "." ? computerName!
            : !IsOffline ? Environment.MachineName
            : string.Empty;

        /// <summary>The pools this pipeline item asks for in <paramref name="configurationPath"/> (a piped file's Name is not a pool name).</summary>
        protected IReadOnlyList<string>? RequestedPoolNamesIn(string? configurationPath) => PoolTuningService.PoolNamesFromInput(PoolName, configurationPath);

        /// <summary>The files this pipeline item names, or one null for the live server's.</summary>
        protected IReadOnlyList<string?> ConfigurationPaths => IsOffline ? ConfigurationPath! : new string?[] { null };

        /// <summary>
        /// Loads one configuration this pipeline item names (null: the live server's). A -ConfigurationPath
        /// is resolved against PowerShell's current location, which is not the process's current directory.
        /// </summary>
        protected ApplicationHostDocument LoadDocument(string? configurationPath)
        {
            var resolved = string.IsNullOrEmpty(configurationPath) ? null : ResolveFileSystemPath(configurationPath!, "InvalidConfigurationPath");
            var path = Service.ResolveConfigurationPath(resolved, CurrentComputerName);
            WriteVerbose($"Reading '{path}'.");
            return Service.Load(path);
        }

        /// <summary>
        /// Reads every pool this pipeline item names, file after file; each failure (a file or a pool)
        /// becomes one error record and calls <paramref name="onError"/>, and the other files are still read.
        /// </summary>
        protected IEnumerable<WsusPoolTuning> ReadPools(PoolTuningProfileName profile, Action? onError = null)
        {
            foreach (var configurationPath in ConfigurationPaths)
            {
                foreach (var tuning in ReadPools(configurationPath, profile, onError))
                {
                    yield return tuning;
                }
            }
        }

        private IEnumerable<WsusPoolTuning> ReadPools(string? configurationPath, PoolTuningProfileName profile, Action? onError)
        {
            ApplicationHostDocument document;
            try
            {
                document = LoadDocument(configurationPath);
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex);
                onError?.Invoke();
                yield break;
            }

            foreach (var name in PoolTuningService.ExpandPoolNames(document, RequestedPoolNamesIn(configurationPath)))
            {
                WsusPoolTuning tuning;
                try
                {
                    tuning = PoolTuningService.Read(document, name, profile, DisplayComputerName, LiveState(name));
                }
                catch (WsusRemediationException ex)
                {
                    WriteEngineError(ex);
                    onError?.Invoke();
                    continue;
                }

                yield return tuning;
            }
        }

        /// <summary>The pool's state from IIS when working live; a file read offline has none.</summary>
        protected string? LiveState(string poolName) => LiveStateOf(poolName, CurrentComputerName, WriteVerbose);

        /// <summary>See <see cref="LiveState"/>, for a given server; safe off the pipeline thread with a thread-safe <paramref name="verbose"/>.</summary>
        protected string? LiveStateOf(string poolName, string? computerName, Action<string> verbose)
        {
            if (IsOffline)
            {
                return null;
            }

            try
            {
                return _pools.GetPool(computerName, poolName)?.State.ToString();
            }
            catch (WsusRemediationException ex)
            {
                // The settings are still worth showing when IIS cannot tell the state.
                verbose?.Invoke($"The state of {poolName} could not be read: {ex.Message}");
                return AppPoolState.Unknown.ToString();
            }
        }

        /// <summary>Reads one live server for the fan-out: runs off the pipeline thread, so no session state and verbose lines through the context.</summary>
        protected PoolReads ReadServer(PoolTarget target, PoolTuningProfileName profile, QueryContext context)
        {
            var path = Service.ResolveConfigurationPath(null, target.ComputerName);
            context.Verbose($"Reading '{path}'.");
            var document = Service.Load(path);
            var items = new List<object>();
            foreach (var name in PoolTuningService.ExpandPoolNames(document, target.PoolNames))
            {
                try
                {
                    items.Add(PoolTuningService.Read(document, name, profile, DisplayNameOf(target.ComputerName), LiveStateOf(name, target.ComputerName, context.Verbose)));
                }
                catch (WsusRemediationException ex)
                {
                    items.Add(ex);
                }
            }

            return new PoolReads(items);
        }

        /// <summary>One server to read, with the pools its pipeline item asked for.</summary>
        protected sealed class PoolTarget
        {
            /// <summary>Creates the target.</summary>
            public PoolTarget(string? computerName, IReadOnlyList<string>? poolNames)
            {
                ComputerName = computerName;
                PoolNames = poolNames;
            }

            /// <summary>The server; null for this computer.</summary>
            public string? ComputerName { get; }

            /// <summary>The pools asked for; null for the pool that serves WSUS.</summary>
            public IReadOnlyList<string>? PoolNames { get; }
        }

        /// <summary>What one server gave: a WsusPoolTuning per pool, or the engine error for a pool that could not be read.</summary>
        protected sealed class PoolReads
        {
            /// <summary>Creates the result.</summary>
            public PoolReads(IReadOnlyList<object> items) => Items = items;

            /// <summary>WsusPoolTuning or WsusRemediationException items, in pool order.</summary>
            public IReadOnlyList<object> Items { get; }
        }
    }
}
