using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Common;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;

namespace WsusRemediation.Commands
{
    /// <summary>
    /// Changes WsusPool's settings in applicationHost.config to a profile and/or explicit values,
    /// after a backup, with one ShouldProcess per changed setting and one atomic write per pool.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "WsusPoolTuning", SupportsShouldProcess = true)]
    [OutputType(typeof(WsusPoolTuning))]
    public sealed class SetWsusPoolTuningCommand : PoolTuningCmdlet
    {
        private IReadOnlyDictionary<PoolSettingDefinition, object> _desired = new Dictionary<PoolSettingDefinition, object>();

        // Pools already set by this pipeline, by file and pool: the settings piped from
        // Test-WsusPoolTuning -Detailed name the same pool once per setting, and it is tuned once.
        private readonly HashSet<string> _poolsDone = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // Pools whose write failed in this pipeline: their error was written once; later settings piped for them are not tried again.
        private readonly HashSet<string> _poolsFailed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>A remote server, reached through its admin$ share.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "PSComputerName")]
        public string? ComputerName { get; set; }

        /// <inheritdoc />
        protected override string? CurrentComputerName => ComputerName;

        /// <summary>The profile to apply. Without it and without explicit values, Recommended applies.</summary>
        [Parameter]
        public PoolTuningProfileName? Profile { get; set; }

        /// <summary>Queue Length, 10 to 65535.</summary>
        [Parameter]
        public long? QueueLength { get; set; }

        /// <summary>Idle Time-out (hh:mm:ss); 00:00:00 disables it.</summary>
        [Parameter]
        [IisTimeSpanTransformation]
        public TimeSpan? IdleTimeout { get; set; }

        /// <summary>Ping Enabled.</summary>
        [Parameter]
        public bool? PingingEnabled { get; set; }

        /// <summary>Load User Profile.</summary>
        [Parameter]
        public bool? LoadUserProfile { get; set; }

        /// <summary>Private Memory Limit in KB; 0 = no limit.</summary>
        [Parameter]
        public long? PrivateMemoryLimitKB { get; set; }

        /// <summary>Virtual Memory Limit in KB; 0 = no limit.</summary>
        [Parameter]
        public long? VirtualMemoryLimitKB { get; set; }

        /// <summary>Regular Time Interval (hh:mm:ss, hours may exceed 23); 00:00:00 disables it.</summary>
        [Parameter]
        [IisTimeSpanTransformation]
        public TimeSpan? RegularTimeInterval { get; set; }

        /// <summary>Enable 32-Bit Applications. True breaks WSUS and needs -Force.</summary>
        [Parameter]
        public bool? Enable32BitAppOnWin64 { get; set; }

        /// <summary>.NET CLR Version: v4.0, v2.0 or "" (No Managed Code).</summary>
        [Parameter]
        public string? ManagedRuntimeVersion { get; set; }

        /// <summary>Managed Pipeline Mode: Integrated or Classic.</summary>
        [Parameter]
        [ValidateSet("Integrated", "Classic")]
        public string? ManagedPipelineMode { get; set; }

        /// <summary>Start Mode: OnDemand or AlwaysRunning.</summary>
        [Parameter]
        [ValidateSet("OnDemand", "AlwaysRunning")]
        public string? StartMode { get; set; }

        /// <summary>Rapid-Fail Protection.</summary>
        [Parameter]
        public bool? RapidFailProtection { get; set; }

        /// <summary>Rapid-Fail Protection failure interval (hh:mm:ss, whole minutes, at least 00:01:00).</summary>
        [Parameter]
        [IisTimeSpanTransformation]
        public TimeSpan? RapidFailProtectionInterval { get; set; }

        /// <summary>Rapid-Fail Protection maximum failures.</summary>
        [Parameter]
        public long? RapidFailProtectionMaxCrashes { get; set; }

        /// <summary>Folder for the backup of applicationHost.config. Default: the configuration file's folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BackupPath { get; set; }

        /// <summary>Allows Enable 32-Bit Applications = True.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the pool's tuning after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // Setting parameters are named exactly like the catalog's property names.
            var explicitValues = PoolSettingCatalog.All
                .Where(s => MyInvocation.BoundParameters.ContainsKey(s.PropertyName))
                .ToDictionary(s => s.PropertyName, s => MyInvocation.BoundParameters[s.PropertyName] ?? string.Empty);
            try
            {
                _desired = PoolTuningService.DesiredValues(Profile, explicitValues, Force);
            }
            catch (WsusRemediationException ex)
            {
                ThrowEngineError(ex);
            }

            if (_desired.TryGetValue(PoolSettingCatalog.Enable32BitAppOnWin64, out var enable32) && enable32 is true)
            {
                WriteWarning("Enable 32-Bit Applications = True: WSUS's 64-bit compression module (suscomp.dll) cannot load in a 32-bit worker; expect HTTP 500.19 (0x8007007e) from WSUS.");
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string? backupFolder;
            try
            {
                backupFolder = BackupPath is null ? null : ResolveFileSystemPath(BackupPath, "InvalidBackupPath");
            }
            catch (WsusRemediationException ex)
            {
                WriteEngineError(ex);
                return;
            }

            // File after file: one that cannot be read or written is one error, and the others are still set.
            foreach (var configurationPath in ConfigurationPaths)
            {
                try
                {
                    var document = LoadDocument(configurationPath);
                    foreach (var name in PoolTuningService.ExpandPoolNames(document, RequestedPoolNamesIn(configurationPath)))
                    {
                        var key = document.Path + "|" + name;
                        if (_poolsFailed.Contains(key))
                        {
                            // The same pool and file again (one piped setting each): the same write would fail the same way.
                            WriteVerbose($"{name} in '{document.Path}' could not be set earlier in this pipeline (the error above); not tried again.");
                            continue;
                        }

                        if (!_poolsDone.Add(key))
                        {
                            WriteVerbose($"{name} in '{document.Path}' was already set by this pipeline.");
                            continue;
                        }

                        try
                        {
                            document = SetPool(document, name, backupFolder);
                        }
                        catch (WsusRemediationException ex)
                        {
                            _poolsDone.Remove(key);
                            _poolsFailed.Add(key);
                            WriteEngineError(ex);
                        }
                    }
                }
                catch (WsusRemediationException ex)
                {
                    WriteEngineError(ex);
                }
            }
        }

        private ApplicationHostDocument SetPool(ApplicationHostDocument document, string name, string? backupFolder)
        {
            var changes = PoolTuningService.PlanChanges(document, name, _desired);
            var target = $"{name} ({document.Path})";
            var approved = changes.Where(change => ShouldProcess(target, change.Description)).ToList();
            if (changes.Count == 0)
            {
                WriteVerbose($"{name}: every setting already has the requested value; nothing was written and no backup was made.");
            }
            else if (approved.Count > 0)
            {
                var result = Service.Apply(document, name, approved, backupFolder);
                WriteVerbose($"{name}: backed up '{result.ConfigurationPath}' to '{result.BackupPath}'.");
                foreach (var change in result.Changes)
                {
                    WriteVerbose($"{name}: {change.Description}.");
                }

                document = Service.Load(document.Path);
            }

            if (PassThru)
            {
                WriteObject(PoolTuningService.Read(document, name, Profile ?? PoolTuningProfileName.Recommended, DisplayComputerName, LiveState(name)));
            }

            return document;
        }
    }
}
