namespace WsusRemediation.Engine.Services
{
    /// <summary>
    /// The port to a computer's Service Control Manager. Calls return at once: Start and Stop only
    /// ask the SCM; callers wait for the state they want with <see cref="ServiceOperations"/>.
    /// Failures are <see cref="Common.WsusRemediationException"/>s built by <see cref="ServiceErrors"/>.
    /// </summary>
    public interface IServiceControlManager
    {
        /// <summary>
        /// The service's state, start type, dependencies and dependents, or null when no service of
        /// that name is installed (Win32 error 1060). Throws <c>ComputerUnreachable</c> when the
        /// computer cannot be reached.
        /// </summary>
        /// <param name="computerName">The computer; null, empty, "." or "localhost" mean this one.</param>
        /// <param name="serviceName">The service (key) name.</param>
        ServiceInfo? GetService(string? computerName, string serviceName);

        /// <summary>Asks the SCM to start the service. Starting a running service is not an error.</summary>
        void StartService(string? computerName, string serviceName);

        /// <summary>Sends the stop control. Stopping a stopped service is not an error.</summary>
        void StopService(string? computerName, string serviceName);
    }
}
