using System;
using Xunit;

namespace WsusRemediation.Engine.Tests.Common;

/// <summary>
/// A test of what the module does where Windows is missing. On Windows it is reported as skipped
/// (there the call would reach the real machine), never passed without checking anything.
/// </summary>
public sealed class OffWindowsFactAttribute : FactAttribute
{
    public OffWindowsFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = OffWindows.Reason;
        }
    }
}

/// <summary>The <see cref="OffWindowsFactAttribute"/> of a theory.</summary>
public sealed class OffWindowsTheoryAttribute : TheoryAttribute
{
    public OffWindowsTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = OffWindows.Reason;
        }
    }
}

internal static class OffWindows
{
    public const string Reason = "Checks the behaviour without Windows; on Windows the call would act on this machine.";
}
