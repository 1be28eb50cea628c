using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// Changes a service's start type through the Service Control Manager (advapi32
    /// ChangeServiceConfigW with SERVICE_NO_CHANGE for everything but the start type), locally or on
    /// -ComputerName, as <c>Set-Service -StartupType</c> does.
    /// </summary>
    public sealed class ServiceStartTypeAdapter : IServiceStartTypeControl
    {
        private const uint ScManagerConnect = 0x0001;
        private const uint ServiceChangeConfig = 0x0002;
        private const uint ServiceNoChange = 0xFFFFFFFF;

        /// <inheritdoc />
        public void SetStartType(string? computerName, string serviceName, ServiceStartType startType)
        {
            if (startType != ServiceStartType.Automatic && startType != ServiceStartType.Manual && startType != ServiceStartType.Disabled)
            {
                throw new ArgumentOutOfRangeException(nameof(startType), startType, "Only Automatic, Manual and Disabled apply to a service.");
            }

            ServiceControlManagerAdapter.RequireWindows("Changing a service's start type");
            var machine = ServiceErrors.IsLocal(computerName) ? null : computerName;
            using var manager = NativeMethods.OpenSCManagerW(machine, null, ScManagerConnect);
            if (manager.IsInvalid)
            {
                throw Error(Marshal.GetLastWin32Error(), computerName, null);
            }

            using var service = NativeMethods.OpenServiceW(manager, serviceName, ServiceChangeConfig);
            if (service.IsInvalid)
            {
                throw Error(Marshal.GetLastWin32Error(), computerName, serviceName);
            }

            if (!NativeMethods.ChangeServiceConfigW(service, ServiceNoChange, (uint)startType, ServiceNoChange, null, null, IntPtr.Zero, null, null, null, null))
            {
                throw Error(Marshal.GetLastWin32Error(), computerName, serviceName);
            }
        }

        private static Exception Error(int code, string? computerName, string? serviceName) =>
            ServiceErrors.FromWin32(code, computerName, serviceName, "change the start type of", new Win32Exception(code).Message);

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

            // BOOL ChangeServiceConfigW(SC_HANDLE, DWORD dwServiceType, DWORD dwStartType, DWORD dwErrorControl,
            //   LPCWSTR lpBinaryPathName, LPCWSTR lpLoadOrderGroup, LPDWORD lpdwTagId, LPCWSTR lpDependencies,
            //   LPCWSTR lpServiceStartName, LPCWSTR lpPassword, LPCWSTR lpDisplayName); NULL leaves each unchanged.
            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool ChangeServiceConfigW(ScHandle service, uint serviceType, uint startType, uint errorControl, string? binaryPathName, string? loadOrderGroup, IntPtr tagId, string? dependencies, string? serviceStartName, string? password, string? displayName);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool CloseServiceHandle(IntPtr handle);
        }
    }
}
