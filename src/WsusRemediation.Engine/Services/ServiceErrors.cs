using System;
using System.Collections.Generic;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Services
{
    /// <summary>
    /// The one translation from Service Control Manager failures (Win32 error codes) to engine errors
    /// with stable ids. Shared by the Windows adapter and the simulated site server, so tests see
    /// exactly the errors a server gives.
    /// </summary>
    public static class ServiceErrors
    {
        /// <summary>ERROR_ACCESS_DENIED.</summary>
        public const int AccessDenied = 5;
        /// <summary>ERROR_BAD_NETPATH (the computer name does not resolve or answer).</summary>
        public const int BadNetPath = 53;
        /// <summary>ERROR_DEPENDENT_SERVICES_RUNNING.</summary>
        public const int DependentServicesRunning = 1051;
        /// <summary>ERROR_SERVICE_REQUEST_TIMEOUT: the service did not respond to the start or control request in a timely fashion.</summary>
        public const int ServiceRequestTimeout = 1053;
        /// <summary>ERROR_SERVICE_ALREADY_RUNNING.</summary>
        public const int ServiceAlreadyRunning = 1056;
        /// <summary>ERROR_SERVICE_DISABLED.</summary>
        public const int ServiceDisabled = 1058;
        /// <summary>ERROR_SERVICE_DOES_NOT_EXIST.</summary>
        public const int ServiceDoesNotExist = 1060;
        /// <summary>ERROR_SERVICE_CANNOT_ACCEPT_CTRL (the service is starting or stopping).</summary>
        public const int ServiceCannotAcceptControl = 1061;
        /// <summary>ERROR_SERVICE_NOT_ACTIVE.</summary>
        public const int ServiceNotActive = 1062;
        /// <summary>ERROR_SERVICE_DEPENDENCY_FAIL.</summary>
        public const int DependencyFailed = 1068;
        /// <summary>ERROR_SERVICE_LOGON_FAILED.</summary>
        public const int LogonFailed = 1069;
        /// <summary>RPC_S_SERVER_UNAVAILABLE.</summary>
        public const int RpcServerUnavailable = 1722;
        /// <summary>RPC_S_CALL_FAILED.</summary>
        public const int RpcCallFailed = 1726;
        /// <summary>EPT_S_NOT_REGISTERED (no RPC endpoint: the remote SCM is not listening).</summary>
        public const int EndpointNotRegistered = 1753;

        /// <summary>Whether the code means the computer, not the service, could not be reached.</summary>
        public static bool IsUnreachable(int win32Error) =>
            win32Error == BadNetPath || win32Error == RpcServerUnavailable || win32Error == RpcCallFailed || win32Error == EndpointNotRegistered;

        /// <summary>
        /// The servers a command that changes something (a restart, a repair) acts on. Not named: this computer
        /// (null). Named: each name, trimmed; an empty name is refused through <paramref name="reportEmpty"/> and
        /// left out instead of meaning this computer, because it is usually a variable that was never set or an
        /// object piped in from a file rather than from a server (Get-WsusPoolTuning -ConfigurationPath, evidence
        /// that does not name its server), and "this computer" would then restart or repair the wrong server.
        /// </summary>
        public static IReadOnlyList<string?> ComputersToChange(IReadOnlyList<string?>? names, bool named, Action<WsusRemediationException> reportEmpty)
        {
            if (reportEmpty is null)
            {
                throw new ArgumentNullException(nameof(reportEmpty));
            }

            if (!named)
            {
                return new string?[] { null };
            }

            var computers = new List<string?>();
            foreach (var name in names ?? Array.Empty<string?>())
            {
                if (string.IsNullOrWhiteSpace(name))
                {
                    reportEmpty(EmptyComputerName());
                }
                else
                {
                    computers.Add(name!.Trim());
                }
            }

            if (names is null || names.Count == 0)
            {
                reportEmpty(EmptyComputerName());
            }

            return computers;
        }

        /// <summary>The error for an empty -ComputerName given to a command that changes a server.</summary>
        public static WsusRemediationException EmptyComputerName() =>
            new WsusRemediationException(
                "ComputerNameEmpty",
                EngineErrorKind.InvalidArgument,
                "-ComputerName is empty (a variable that was not set, or an object piped in without a server name, such as one read from a file): nothing was done, rather than acting on this computer.",
                string.Empty)
            {
                RecommendedAction = "Name the server with -ComputerName; for this computer, leave -ComputerName out or use localhost.",
            };

        /// <summary>A readable name for the computer in messages.</summary>
        public static string DisplayComputer(string? computerName) => IsLocal(computerName) ? "this computer" : computerName!;

        /// <summary>
        /// True when the name means the local computer: empty, ".", localhost, the loopback addresses,
        /// the computer's name, or its fully qualified name (admins often type the FQDN of the server
        /// they are on, and a local call must not go through the remote path).
        /// </summary>
        public static bool IsLocal(string? computerName)
        {
            if (string.IsNullOrEmpty(computerName) || computerName == "." || computerName == "127.0.0.1" || computerName == "::1"
                || string.Equals(computerName, "localhost", StringComparison.OrdinalIgnoreCase)
                || string.Equals(computerName, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            var domain = LocalDomainName();
            return domain.Length > 0 && string.Equals(computerName, Environment.MachineName + "." + domain, StringComparison.OrdinalIgnoreCase);
        }

        private static string LocalDomainName()
        {
            try
            {
                return System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().DomainName ?? string.Empty;
            }
            catch (System.Net.NetworkInformation.NetworkInformationException)
            {
                return string.Empty;
            }
            catch (PlatformNotSupportedException)
            {
                return string.Empty;
            }
        }

        /// <summary>
        /// The engine error for a failed SCM call.
        /// </summary>
        /// <param name="win32Error">The Win32 error code.</param>
        /// <param name="computerName">The computer.</param>
        /// <param name="serviceName">The service, or null when the SCM itself could not be opened.</param>
        /// <param name="operation">What was attempted, in words ("start", "stop", "query").</param>
        /// <param name="systemMessage">The system's text for the code, when known.</param>
        public static WsusRemediationException FromWin32(int win32Error, string? computerName, string? serviceName, string operation, string? systemMessage = null)
        {
            var where = DisplayComputer(computerName);
            var subject = serviceName is null ? $"the Service Control Manager on {where}" : $"service '{serviceName}' on {where}";
            var detail = systemMessage is null ? $"Win32 error {win32Error}" : $"{systemMessage.TrimEnd('.', ' ', '\r', '\n')} (Win32 error {win32Error})";
            object target = serviceName ?? where;

            if (IsUnreachable(win32Error))
            {
                return new WsusRemediationException(
                    "ComputerUnreachable",
                    EngineErrorKind.ConnectionError,
                    $"Could not {operation} {subject}: the computer cannot be reached ({detail}).",
                    computerName ?? where)
                {
                    RecommendedAction = "Check the computer name, that it is on, and that the firewall allows remote service management (RPC, the 'Remote Service Management' rule group).",
                };
            }

            switch (win32Error)
            {
                case AccessDenied:
                    return new WsusRemediationException(
                        "ServiceAccessDenied",
                        EngineErrorKind.PermissionDenied,
                        $"Access denied: could not {operation} {subject} ({detail}).",
                        target)
                    {
                        RecommendedAction = "Run PowerShell as Administrator (elevated), with an account that is a local administrator on the target computer.",
                    };
                case ServiceDisabled:
                    return Disabled(computerName, serviceName ?? "?");
                case ServiceDoesNotExist:
                    return new WsusRemediationException(
                        "ServiceNotFound",
                        EngineErrorKind.ObjectNotFound,
                        $"Service '{serviceName}' is not installed on {where}.",
                        target);
                case ServiceRequestTimeout:
                case DependencyFailed:
                case LogonFailed:
                    return new WsusRemediationException(
                        "ServiceStartFailed",
                        EngineErrorKind.ResourceUnavailable,
                        win32Error == ServiceRequestTimeout
                            ? $"Could not {operation} {subject}: the service did not respond to the start or control request in a timely fashion ({detail})."
                            : $"Could not {operation} {subject} ({detail}).",
                        target)
                    {
                        RecommendedAction = "Look in the System event log (Service Control Manager events 7000, 7009, 7011, 7023, 7024) and in the service's own log for why it does not start.",
                    };
                case DependentServicesRunning:
                    return new WsusRemediationException(
                        "ServiceHasRunningDependents",
                        EngineErrorKind.InvalidOperation,
                        $"Could not {operation} {subject}: services that depend on it are running ({detail}).",
                        target);
                case ServiceCannotAcceptControl:
                    return new WsusRemediationException(
                        "ServiceBusy",
                        EngineErrorKind.ResourceBusy,
                        $"Could not {operation} {subject}: it is starting or stopping and accepts no control now ({detail}).",
                        target);
                default:
                    return new WsusRemediationException(
                        "ServiceControlFailed",
                        EngineErrorKind.NotSpecified,
                        $"Could not {operation} {subject} ({detail}).",
                        target);
            }
        }

        /// <summary>The error for a service whose start type is Disabled.</summary>
        public static WsusRemediationException Disabled(string? computerName, string serviceName) =>
            new WsusRemediationException(
                "ServiceDisabled",
                EngineErrorKind.InvalidOperation,
                $"Service '{serviceName}' on {DisplayComputer(computerName)} is Disabled, so it cannot be started.",
                serviceName)
            {
                RecommendedAction = serviceName.Equals("BITS", StringComparison.OrdinalIgnoreCase)
                    ? "WSUS synchronization fails while BITS is disabled: set it back to Manual (Set-Service BITS -StartupType Manual), then run the command again."
                    : $"Set its start type back (Set-Service {serviceName} -StartupType Automatic or Manual) if it should run, then run the command again.",
            };

        /// <summary>The error for a wait that ran out.</summary>
        public static WsusRemediationException StopTimeout(string? computerName, string serviceName, TimeSpan timeout, ServiceState lastState) =>
            new WsusRemediationException(
                "ServiceStopTimeout",
                EngineErrorKind.OperationTimeout,
                $"Service '{serviceName}' on {DisplayComputer(computerName)} did not stop within {timeout.TotalSeconds:0} seconds (it is {lastState}).",
                serviceName)
            {
                RecommendedAction = "Give it more time (-Timeout), or find the process that hangs (Get-CimInstance Win32_Service -Filter \"Name='<name>'\" gives its ProcessId).",
            };

        /// <summary>The error for a start that did not reach Running in time.</summary>
        public static WsusRemediationException StartTimeout(string? computerName, string serviceName, TimeSpan timeout, ServiceState lastState) =>
            new WsusRemediationException(
                "ServiceStartTimeout",
                EngineErrorKind.OperationTimeout,
                $"Service '{serviceName}' on {DisplayComputer(computerName)} did not reach Running within {timeout.TotalSeconds:0} seconds (it is {lastState}).",
                serviceName)
            {
                RecommendedAction = "Give it more time (-Timeout), and look in the System event log for Service Control Manager errors.",
            };

        /// <summary>The error for a service that stopped again right after it was started.</summary>
        public static WsusRemediationException StoppedAfterStart(string? computerName, string serviceName) =>
            new WsusRemediationException(
                "ServiceStartFailed",
                EngineErrorKind.ResourceUnavailable,
                $"Service '{serviceName}' on {DisplayComputer(computerName)} was started but stopped again before it was Running.",
                serviceName)
            {
                RecommendedAction = "Look in the System event log (Service Control Manager events 7023, 7024, 7034) and in the service's own log for why it stops.",
            };
    }
}
