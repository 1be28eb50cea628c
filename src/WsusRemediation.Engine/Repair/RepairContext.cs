using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>The outside systems a repair works on: the same ports the single cmdlets use.</summary>
    public sealed class RepairEnvironment
    {
        /// <summary>Time and waits.</summary>
        public IClock Clock { get; init; } = SystemClock.Instance;

        /// <summary>Files (applicationHost.config, its backup, the report).</summary>
        public IFileStore Files { get; init; } = PhysicalFileStore.Instance;

        /// <summary>The Service Control Manager.</summary>
        public IServiceControlManager Services { get; init; } = null!;

        /// <summary>IIS's application pools.</summary>
        public IAppPoolControl Pools { get; init; } = null!;

        /// <summary>The synchronization (WSUS API, SMS Provider, inbox file).</summary>
        public SyncStatusService Sync { get; init; } = null!;

        /// <summary>Asks WSUS's web services whether they answer (a 500 or 503 means the pool is not back); optional.</summary>
        public IWsusWebServiceProbe? WebProbe { get; init; }

        /// <summary>Changes a service's start type (RepairBits); without it a Disabled BITS is reported, not changed.</summary>
        public IServiceStartTypeControl? StartTypes { get; init; }

        /// <summary>The CMTrace log every run appends to; optional.</summary>
        public CmTraceLog? Log { get; init; }

        /// <summary>Diagnoses the server again after the repair (Get-WsusSyncDiagnosis's engine); optional.</summary>
        public Func<CancellationToken, IReadOnlyList<WsusSyncFinding>>? Diagnose { get; init; }
    }

    /// <summary>The admin's choices for a repair.</summary>
    public sealed class RepairOptions
    {
        /// <summary>The server; null or empty for this computer.</summary>
        public string? ComputerName { get; init; }

        /// <summary>The pool that serves WSUS.</summary>
        public string PoolName { get; init; } = PoolTuningService.DefaultPoolName;

        /// <summary>The profile TunePool applies.</summary>
        public PoolTuningProfileName Profile { get; init; } = PoolTuningProfileName.Recommended;

        /// <summary>applicationHost.config; null: the live file of the server.</summary>
        public string? ConfigurationPath { get; init; }

        /// <summary>The folder for the configuration's backup; null: beside the file.</summary>
        public string? BackupFolder { get; init; }

        /// <summary>Writes the result as JSON here; null: no report.</summary>
        public string? ReportPath { get; init; }

        /// <summary>The most each service stop or start may take.</summary>
        public TimeSpan ServiceTimeout { get; init; } = TimeSpan.FromSeconds(180);

        /// <summary>The most each pool stop or start may take.</summary>
        public TimeSpan PoolTimeout { get; init; } = TimeSpan.FromSeconds(90);

        /// <summary>The most the synchronization may take.</summary>
        public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromHours(2);

        /// <summary>How often service and pool states are read while waiting.</summary>
        public TimeSpan PollInterval { get; init; } = ServiceOperations.DefaultPollInterval;

        /// <summary>How often the synchronization status is read while waiting (each read may start a child process).</summary>
        public TimeSpan SyncPollInterval { get; init; } = TimeSpan.FromSeconds(10);

        /// <summary>Go on to the synchronization although a Manual step blocks it (the admin has done it).</summary>
        public bool Force { get; init; }
    }

    /// <summary>The cmdlet's side of a repair: confirmation, the story, progress.</summary>
    public sealed class RepairHooks
    {
        /// <summary>Asked once per step, right before it acts: (target, action) → go ahead?</summary>
        public Func<string, string, bool>? ShouldProcess { get; init; }

        /// <summary>True under -WhatIf: a step not confirmed is reported WhatIf rather than Skipped.</summary>
        public bool WhatIf { get; init; }

        /// <summary>One line per thing done.</summary>
        public Action<string>? Verbose { get; init; }

        /// <summary>Things the admin must read (a Manual step, a rollback, a log that cannot be written).</summary>
        public Action<string>? Warning { get; init; }

        /// <summary>Progress of every wait.</summary>
        public Action<WaitProgress>? Progress { get; init; }

        /// <summary>Called as each step begins: (step, index from 0, count).</summary>
        public Action<WsusRepairStep, int, int>? StepStarting { get; init; }
    }

    /// <summary>A repair's result and the errors to report.</summary>
    public sealed class RepairOutcome
    {
        internal RepairOutcome(WsusRepairResult result, IReadOnlyList<WsusRemediationException> errors)
        {
            Result = result;
            Errors = errors;
        }

        /// <summary>The result.</summary>
        public WsusRepairResult Result { get; }

        /// <summary>What failed, in order, for the cmdlet's WriteError.</summary>
        public IReadOnlyList<WsusRemediationException> Errors { get; }
    }
}
