using System;
using System.Runtime.InteropServices;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Windows;

/// <summary>
/// The managed mirrors of winsvc.h structures have the native layout for this process's pointer size
/// (a wrong offset reads garbage on the server, in 32-bit and 64-bit PowerShell alike).
/// </summary>
public class ServiceStructLayoutTests
{
    private static int Align(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;

    [Fact]
    public void QUERY_SERVICE_CONFIGW_has_the_native_offsets()
    {
        var p = IntPtr.Size;
        var binaryPath = Align(12, p);             // three DWORDs, then the first pointer
        var tagId = binaryPath + (2 * p);
        var dependencies = Align(tagId + 4, p);
        var displayName = dependencies + (2 * p);

        Assert.Equal(binaryPath, (int)Marshal.OffsetOf<ServiceControlManagerAdapter.QueryServiceConfig>(nameof(ServiceControlManagerAdapter.QueryServiceConfig.BinaryPathName)));
        Assert.Equal(tagId, (int)Marshal.OffsetOf<ServiceControlManagerAdapter.QueryServiceConfig>(nameof(ServiceControlManagerAdapter.QueryServiceConfig.TagId)));
        Assert.Equal(dependencies, (int)Marshal.OffsetOf<ServiceControlManagerAdapter.QueryServiceConfig>(nameof(ServiceControlManagerAdapter.QueryServiceConfig.Dependencies)));
        Assert.Equal(displayName, (int)Marshal.OffsetOf<ServiceControlManagerAdapter.QueryServiceConfig>(nameof(ServiceControlManagerAdapter.QueryServiceConfig.DisplayName)));
        Assert.Equal(displayName + p, Marshal.SizeOf<ServiceControlManagerAdapter.QueryServiceConfig>()); // 36 on x86, 64 on x64
    }

    [Fact]
    public void ENUM_SERVICE_STATUSW_is_two_pointers_and_a_SERVICE_STATUS_padded_to_pointer_size()
    {
        var p = IntPtr.Size;
        Assert.Equal(28, Marshal.SizeOf<ServiceControlManagerAdapter.ServiceStatus>()); // seven DWORDs
        Assert.Equal(2 * p, (int)Marshal.OffsetOf<ServiceControlManagerAdapter.EnumServiceStatus>(nameof(ServiceControlManagerAdapter.EnumServiceStatus.Status)));
        Assert.Equal(Align((2 * p) + 28, p), Marshal.SizeOf<ServiceControlManagerAdapter.EnumServiceStatus>()); // 36 on x86, 48 on x64: the array stride
    }
}
