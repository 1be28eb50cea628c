using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// The Service Control Manager through advapi32, locally or on a remote computer (the same calls
    /// with a machine name; they travel over RPC). Works in Windows PowerShell 5.1 and PowerShell 7
    /// alike, which System.ServiceProcess (a package on .NET) would not without a runtime dependency.
    /// It also changes start types (the repair's BITS and WSUS steps), a port of its own so that the
    /// restarts keep a read/start/stop-only view of the same Service Control Manager.
    /// </summary>
    public sealed class ServiceControlManagerAdapter : IServiceControlManager, IServiceStartTypeControl
    {
        // SC_MANAGER_CONNECT is all OpenServiceW needs. SC_MANAGER_ENUMERATE_SERVICE (EnumServicesStatus) is
        // not used, and remote non-administrators are granted SC_MANAGER_CONNECT only, so asking for more
        // would turn a readable remote query into ERROR_ACCESS_DENIED.
        private const uint ScManagerConnect = 0x0001;
        private const uint ServiceQueryConfig = 0x0001;
        private const uint ServiceQueryStatus = 0x0004;
        private const uint ServiceEnumerateDependents = 0x0008;
        private const uint ServiceStart = 0x0010;
        private const uint ServiceStop = 0x0020;
        private const uint ServiceChangeConfig = 0x0002;
        private const uint ServiceNoChange = 0xFFFFFFFF;
        private const int ScStatusProcessInfo = 0;
        private const uint ServiceStateAll = 0x3;
        private const uint ServiceControlStop = 0x1;
        private const int ErrorInsufficientBuffer = 122;
        private const int ErrorMoreData = 234;

        /// <inheritdoc />
        public ServiceInfo? GetService(string? computerName, string serviceName)
        {
            using var scm = OpenManager(computerName);
            using var service = OpenService(scm, computerName, serviceName, ServiceQueryConfig | ServiceQueryStatus | ServiceEnumerateDependents, "query", allowMissing: true);
            if (service is null)
            {
                return null;
            }

            var state = QueryState(service, computerName, serviceName);
            var (startType, displayName, dependsOn) = QueryConfig(service, computerName, serviceName);
            var dependents = QueryDependents(service, computerName, serviceName);
            return new ServiceInfo(serviceName, displayName, state, startType, dependsOn, dependents);
        }

        /// <inheritdoc />
        public void StartService(string? computerName, string serviceName)
        {
            using var scm = OpenManager(computerName);
            using var service = OpenService(scm, computerName, serviceName, ServiceStart, "start", allowMissing: false)!;
            if (!NativeMethods.StartServiceW(service, 0, IntPtr.Zero))
            {
                var error = Marshal.GetLastWin32Error();
                if (error != ServiceErrors.ServiceAlreadyRunning)
                {
                    throw Error(error, computerName, serviceName, "start");
                }
            }
        }

        /// <inheritdoc />
        public void StopService(string? computerName, string serviceName)
        {
            using var scm = OpenManager(computerName);
            using var service = OpenService(scm, computerName, serviceName, ServiceStop, "stop", allowMissing: false)!;
            if (!NativeMethods.ControlService(service, ServiceControlStop, out _))
            {
                var error = Marshal.GetLastWin32Error();
                if (error != ServiceErrors.ServiceNotActive)
                {
                    throw Error(error, computerName, serviceName, "stop");
                }
            }
        }

        /// <summary>
        /// Throws the error every live service call gives off Windows. There is no offline form of
        /// service control, so the message points at running the command on (or against) a Windows server.
        /// </summary>
        /// <inheritdoc />
        /// <remarks>ChangeServiceConfigW with SERVICE_NO_CHANGE for everything but the start type, as
        /// <c>Set-Service -StartupType</c> does.</remarks>
        public void SetStartType(string? computerName, string serviceName, ServiceStartType startType)
        {
            if (startType != ServiceStartType.Automatic && startType != ServiceStartType.Manual && startType != ServiceStartType.Disabled)
            {
                throw new ArgumentOutOfRangeException(nameof(startType), startType, "Only Automatic, Manual and Disabled apply to a service.");
            }

            RequireWindows("Changing a service's start type");
            using var scm = OpenManager(computerName);
            using var service = OpenService(scm, computerName, serviceName, ServiceChangeConfig, "change the start type of", allowMissing: false)!;
            if (!NativeMethods.ChangeServiceConfigW(service, ServiceNoChange, (uint)startType, ServiceNoChange, null, null, IntPtr.Zero, null, null, null, null))
            {
                throw Error(Marshal.GetLastWin32Error(), computerName, serviceName, "change the start type of");
            }
        }

        internal static void RequireWindows(string what)
        {
            if (!WindowsPlatform.IsWindows)
            {
                throw new WsusRemediationException(
                    "LiveAccessRequiresWindows",
                    EngineErrorKind.NotInstalled,
                    $"{what} needs Windows; this machine runs {RuntimeInformation.OSDescription}.")
                {
                    RecommendedAction = "Run the command on a Windows computer: on the site server itself, or from a Windows machine with -ComputerName.",
                };
            }
        }

        private static ScHandle OpenManager(string? computerName)
        {
            RequireWindows("Service control");
            var machine = ServiceErrors.IsLocal(computerName) ? null : computerName;
            var handle = NativeMethods.OpenSCManagerW(machine, null, ScManagerConnect);
            if (handle.IsInvalid)
            {
                var error = Marshal.GetLastWin32Error();
                handle.Dispose();
                throw Error(error, computerName, null, "open");
            }

            return handle;
        }

        private static ScHandle? OpenService(ScHandle scm, string? computerName, string serviceName, uint access, string operation, bool allowMissing)
        {
            var handle = NativeMethods.OpenServiceW(scm, serviceName, access);
            if (handle.IsInvalid)
            {
                var error = Marshal.GetLastWin32Error();
                handle.Dispose();
                if (allowMissing && error == ServiceErrors.ServiceDoesNotExist)
                {
                    return null;
                }

                throw Error(error, computerName, serviceName, operation);
            }

            return handle;
        }

        private static ServiceState QueryState(ScHandle service, string? computerName, string serviceName)
        {
            // SERVICE_STATUS_PROCESS: nine DWORDs; dwCurrentState is the second.
            var buffer = new byte[36];
            if (!NativeMethods.QueryServiceStatusEx(service, ScStatusProcessInfo, buffer, buffer.Length, out _))
            {
                throw Error(Marshal.GetLastWin32Error(), computerName, serviceName, "query");
            }

            var state = BitConverter.ToInt32(buffer, 4);
            return Enum.IsDefined(typeof(ServiceState), state) ? (ServiceState)state : ServiceState.Unknown;
        }

        private static (ServiceStartType StartType, string DisplayName, IReadOnlyList<string> DependsOn) QueryConfig(ScHandle service, string? computerName, string serviceName)
        {
            // Sizing call: it must fail with ERROR_INSUFFICIENT_BUFFER; any other failure (access denied,
            // service deleted meanwhile) is the real error, not something the second call should report.
            if (!NativeMethods.QueryServiceConfigW(service, IntPtr.Zero, 0, out var needed))
            {
                var error = Marshal.GetLastWin32Error();
                if (error != ErrorInsufficientBuffer)
                {
                    throw Error(error, computerName, serviceName, "query the configuration of");
                }
            }

            var size = Math.Max(needed, Marshal.SizeOf<QueryServiceConfig>());
            var buffer = Marshal.AllocHGlobal(size);
            try
            {
                if (!NativeMethods.QueryServiceConfigW(service, buffer, size, out _))
                {
                    throw Error(Marshal.GetLastWin32Error(), computerName, serviceName, "query the configuration of");
                }

                var config = Marshal.PtrToStructure<QueryServiceConfig>(buffer);
                var startType = (ServiceStartType)config.StartType;
                var displayName = Marshal.PtrToStringUni(config.DisplayName) ?? serviceName;
                return (startType, displayName, ReadMultiString(config.Dependencies));
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        private static IReadOnlyList<string> QueryDependents(ScHandle service, string? computerName, string serviceName)
        {
            if (NativeMethods.EnumDependentServicesW(service, ServiceStateAll, IntPtr.Zero, 0, out var needed, out _))
            {
                return Array.Empty<string>();
            }

            var first = Marshal.GetLastWin32Error();
            if (first != ErrorMoreData && first != ErrorInsufficientBuffer)
            {
                throw Error(first, computerName, serviceName, "list the dependents of");
            }

            var buffer = Marshal.AllocHGlobal(needed);
            try
            {
                if (!NativeMethods.EnumDependentServicesW(service, ServiceStateAll, buffer, needed, out _, out var count))
                {
                    throw Error(Marshal.GetLastWin32Error(), computerName, serviceName, "list the dependents of");
                }

                var names = new List<string>(count);
                var size = Marshal.SizeOf<EnumServiceStatus>();
                for (var i = 0; i < count; i++)
                {
                    var entry = Marshal.PtrToStructure<EnumServiceStatus>(IntPtr.Add(buffer, i * size));
                    var name = Marshal.PtrToStringUni(entry.ServiceName);
                    if (!string.IsNullOrEmpty(name))
                    {
                        names.Add(name!);
                    }
                }

                return names;
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        /// <summary>
        /// Reads QUERY_SERVICE_CONFIG.lpDependencies: NUL-separated names ending in an empty string (double
        /// NUL). Names starting with SC_GROUP_IDENTIFIER '+' are load-order groups, not services, and are skipped.
        /// </summary>
        internal static IReadOnlyList<string> ReadMultiString(IntPtr pointer)
        {
            var list = new List<string>();
            if (pointer == IntPtr.Zero)
            {
                return list;
            }

            var offset = 0;
            while (true)
            {
                var item = Marshal.PtrToStringUni(IntPtr.Add(pointer, offset));
                if (string.IsNullOrEmpty(item))
                {
                    return list;
                }

                if (item![0] != '+')
                {
                    list.Add(item);
                }

                offset += (item.Length + 1) * 2;
            }
        }

        private static WsusRemediationException Error(int code, string? computerName, string? serviceName, string operation) =>
            ServiceErrors.FromWin32(code, computerName, serviceName, operation, new Win32Exception(code).Message);

        [StructLayout(LayoutKind.Sequential)]
        internal struct QueryServiceConfig
        {
            public uint ServiceType;
            public uint StartType;
            public uint ErrorControl;
            public IntPtr BinaryPathName;
            public IntPtr LoadOrderGroup;
            public uint TagId;
            public IntPtr Dependencies;
            public IntPtr ServiceStartName;
            public IntPtr DisplayName;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ServiceStatus
        {
            public uint ServiceType;
            public uint CurrentState;
            public uint ControlsAccepted;
            public uint Win32ExitCode;
            public uint ServiceSpecificExitCode;
            public uint CheckPoint;
            public uint WaitHint;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct EnumServiceStatus
        {
            public IntPtr ServiceName;
            public IntPtr DisplayName;
            public ServiceStatus Status;
        }

        private sealed class ScHandle : SafeHandle
        {
            public ScHandle()
                : base(IntPtr.Zero, ownsHandle: true)
            {
            }

            public override bool IsInvalid => handle == IntPtr.Zero;

            protected override bool ReleaseHandle() => NativeMethods.CloseServiceHandle(handle);
        }

        private static class NativeMethods
        {
            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern ScHandle OpenSCManagerW(string? machineName, string? databaseName, uint desiredAccess);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern ScHandle OpenServiceW(ScHandle manager, string serviceName, uint desiredAccess);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool QueryServiceStatusEx(ScHandle service, int infoLevel, [Out] byte[] buffer, int bufferSize, out int bytesNeeded);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool QueryServiceConfigW(ScHandle service, IntPtr config, int bufferSize, out int bytesNeeded);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool EnumDependentServicesW(ScHandle service, uint serviceState, IntPtr services, int bufferSize, out int bytesNeeded, out int servicesReturned);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool StartServiceW(ScHandle service, int argumentCount, IntPtr arguments);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool ControlService(ScHandle service, uint control, out ServiceStatus status);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool CloseServiceHandle(IntPtr handle);

            // BOOL ChangeServiceConfigW(SC_HANDLE, DWORD dwServiceType, DWORD dwStartType, DWORD dwErrorControl,
            //   LPCWSTR lpBinaryPathName, LPCWSTR lpLoadOrderGroup, LPDWORD lpdwTagId, LPCWSTR lpDependencies,
            //   LPCWSTR lpServiceStartName, LPCWSTR lpPassword, LPCWSTR lpDisplayName); NULL leaves each unchanged.
            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool ChangeServiceConfigW(ScHandle service, uint serviceType, uint startType, uint errorControl, string? binaryPathName, string? loadOrderGroup, IntPtr tagId, string? dependencies, string? serviceStartName, string? password, string? displayName);
        }
    }
}
