namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// The steps Repair-WsusSync knows, in the order it runs them (the guide's order, with the TechNet
    /// page's BITS and WSUS service steps before the sync). The numeric order is the run order: a
    /// stable API, members are only added.
    /// </summary>
    public enum RepairStepName
    {
        /// <summary>Nothing to repair (an informational finding).</summary>
        None = 0,
        /// <summary>Apply a pool-tuning profile to WsusPool (Set-WsusPoolTuning).</summary>
        TunePool = 1,
        /// <summary>Stop, wait, start WsusPool (Restart-WsusPool).</summary>
        RestartPool = 2,
        /// <summary>The guide's iisreset (Restart-IisService).</summary>
        RestartIis = 3,
        /// <summary>SMS_SITE_COMPONENT_MANAGER, SMS_EXECUTIVE, SMS_NOTIFICATION_SERVER, SMS Agent Host (Restart-SmsService).</summary>
        RestartSmsServices = 4,
        /// <summary>BITS back to Manual start and started.</summary>
        RepairBits = 5,
        /// <summary>Restart the WSUS service (WsusService).</summary>
        RestartWsusService = 6,
        /// <summary>Start a synchronization (Invoke-WsusSync).</summary>
        StartSync = 7,
        /// <summary>Follow the synchronization to its end (Invoke-WsusSync -Wait).</summary>
        WaitForSync = 8,
        /// <summary>Check that MECM's All Software Updates has updates (Get-WsusSyncStatus).</summary>
        VerifyUpdates = 9,
        /// <summary>Only a person can do it (a proxy password, a firewall rule): listed, never attempted.</summary>
        Manual = 100,
    }
}
