namespace WsusRemediation.Engine.Repair
{
    /// <summary>What a repair step does to the server, from nothing to a synchronization.</summary>
    public enum RepairImpact
    {
        /// <summary>Reads only (verification), or only a person can act (a Manual step).</summary>
        None = 0,
        /// <summary>Changes configuration (applicationHost.config, a service's start type).</summary>
        Change = 1,
        /// <summary>Stops and starts something (a pool, IIS, services): a short outage.</summary>
        Restart = 2,
        /// <summary>Starts or follows a synchronization.</summary>
        Sync = 3,
    }

    /// <summary>How a step of a repair ended.</summary>
    public enum RepairStepOutcome
    {
        /// <summary>Done, and it worked.</summary>
        Done = 0,
        /// <summary>The server was already as the step would leave it; nothing was touched.</summary>
        NotNeeded = 1,
        /// <summary>Not done: declined, blocked by a Manual step, after a step it depends on failed, or after Ctrl+C.</summary>
        Skipped = 2,
        /// <summary>Tried and failed; see Error.</summary>
        Failed = 3,
        /// <summary>Done, then undone because WsusPool did not come back after it (the backup was restored).</summary>
        RolledBack = 4,
        /// <summary>-WhatIf: the step would have run.</summary>
        WhatIf = 5,
    }
}
