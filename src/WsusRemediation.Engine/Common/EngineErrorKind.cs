namespace WsusRemediation.Engine.Common
{
    /// <summary>
    /// The kind of failure, named exactly like PowerShell's ErrorCategory members so that the cmdlet
    /// layer maps one onto the other by name, without the engine referencing PowerShell.
    /// </summary>
    public enum EngineErrorKind
    {
        /// <summary>Anything not covered below.</summary>
        NotSpecified,
        /// <summary>A parameter value is wrong (out of range, malformed).</summary>
        InvalidArgument,
        /// <summary>A file or record does not have the expected shape.</summary>
        InvalidData,
        /// <summary>The thing named does not exist (pool, service, file).</summary>
        ObjectNotFound,
        /// <summary>The operation is not allowed in the current state.</summary>
        InvalidOperation,
        /// <summary>Access was denied.</summary>
        PermissionDenied,
        /// <summary>A resource is locked or used by someone else.</summary>
        ResourceBusy,
        /// <summary>A resource (service, API, machine) cannot be used right now.</summary>
        ResourceUnavailable,
        /// <summary>A wait ran out of time.</summary>
        OperationTimeout,
        /// <summary>A remote machine or service could not be reached.</summary>
        ConnectionError,
        /// <summary>A required component (IIS, WSUS API, Windows) is not present.</summary>
        NotInstalled,
        /// <summary>Writing failed.</summary>
        WriteError,
        /// <summary>Reading failed.</summary>
        ReadError,
        /// <summary>The operation was stopped by the user.</summary>
        OperationStopped,
        /// <summary>The operation ran but its result is not what it should be (a sync that did not succeed, a failed verification).</summary>
        InvalidResult,
    }
}
