using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>
    /// Changes a service's start type (the TechNet page: BITS back to Manual). A port of its own so
    /// that the SCM port the restarts use stays read/start/stop only.
    /// </summary>
    public interface IServiceStartTypeControl
    {
        /// <summary>Sets the start type. Failures are WsusRemediationExceptions (ServiceAccessDenied, ComputerUnreachable…).</summary>
        void SetStartType(string? computerName, string serviceName, ServiceStartType startType);
    }
}
