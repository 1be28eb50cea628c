using System;
using Xunit;

namespace WsusRemediation.Module.Tests.Infrastructure
{
    /// <summary>
    /// A cmdlet test of what happens where Windows is missing; reported as skipped on Windows, where the
    /// cmdlet would act on the real machine.
    /// </summary>
    public sealed class OffWindowsFactAttribute : FactAttribute
    {
        public OffWindowsFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Checks the behaviour without Windows; on Windows the cmdlet would act on this machine.";
            }
        }
    }
}
