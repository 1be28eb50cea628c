using System;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Iis
{
    /// <summary>A pool restart stopped by the user (Ctrl+C) after its stop was sent; the pool has been started again where it could be.</summary>
    public sealed class PoolRestartCancelledException : StoppedAfterCleanUpException
    {
        /// <summary>Creates the exception.</summary>
        public PoolRestartCancelledException(string computerName, string poolName, AppPoolState stateAfter, string whatWasDone, Exception? innerException)
            : base($"The restart of application pool '{poolName}' on {computerName} was stopped by the user.", innerException)
        {
            ComputerName = computerName;
            PoolName = poolName;
            StateAfter = stateAfter;
            WhatWasDone = whatWasDone;
        }

        /// <summary>The computer.</summary>
        public string ComputerName { get; }

        /// <summary>The pool.</summary>
        public string PoolName { get; }

        /// <summary>The pool's state after the clean-up.</summary>
        public AppPoolState StateAfter { get; }

        /// <summary>What the clean-up did, in words.</summary>
        public string WhatWasDone { get; }

        /// <summary>True when the pool went Stopped again after it was started: WAS refused it, so a plain retry is not the advice.</summary>
        public bool FellBack { get; init; }

        /// <inheritdoc />
        public override string Summary =>
            $"Stopped by the user on {ComputerName} after {PoolName} had been asked to stop: {WhatWasDone}, now {StateAfter}."
            + (StateAfter == AppPoolState.Started ? string.Empty
                : FellBack ? $" WSUS answers HTTP 503 while it is not Started; WAS disables a pool whose worker processes keep failing (event 5002): find the cause (Get-WsusSyncDiagnosis, Get-WsusSyncLog -Kind PoolDisabledRapidFail) before Restart-WsusPool -PoolName {PoolName}."
                : $" WSUS answers HTTP 503 while it is not Started: run Restart-WsusPool -PoolName {PoolName} again.");
    }
}
