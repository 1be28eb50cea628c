using System;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Windows;

/// <summary>
/// The child powershell.exe's start info, above all its PSModulePath: PowerShell 7's module folders
/// must not reach Windows PowerShell 5.1 (PowerShell/PowerShell#11057, #12997, #20804).
/// </summary>
public class WindowsPowerShellStartInfoTests
{
    private const string PersonalPs7 = @"C:\Users\ann\Documents\PowerShell\Modules";
    private const string SharedPs7 = @"C:\Program Files\PowerShell\Modules";
    private const string HomePs7 = @"C:\Program Files\PowerShell\7\Modules";
    private const string SharedWinPs = @"C:\Program Files\WindowsPowerShell\Modules";
    private const string HomeWinPs = @"C:\WINDOWS\system32\WindowsPowerShell\v1.0\Modules";
    private const string ConsoleModules = @"C:\Program Files (x86)\Microsoft Configuration Manager\AdminConsole\bin";

    // Folders that hold pwsh.dll: this installation, a preview beside it and the Store package.
    private static readonly string[] PowerShellHomes =
    {
        @"C:\Program Files\PowerShell\7",
        @"C:\Program Files\PowerShell\7-preview",
        @"C:\Program Files\WindowsApps\Microsoft.PowerShell_7.6.4.0_x64__8wekyb3d8bbwe",
    };

    private static PowerShellModulePaths Ps7(params string[] configured) =>
        new(new[] { PersonalPs7, SharedPs7, HomePs7 }.Concat(configured), dir => PowerShellHomes.Contains(dir, StringComparer.OrdinalIgnoreCase));

    private static string Join(params string[] paths) => string.Join(";", paths);

    [Fact]
    public void PowerShell_7s_own_folders_are_removed_and_the_rest_keeps_its_order()
    {
        // $env:PSModulePath in pwsh 7 on a site server with the MECM console.
        var current = Join(PersonalPs7, SharedPs7, @"c:\program files\powershell\7\Modules", SharedWinPs, HomeWinPs, ConsoleModules);

        Assert.Equal(Join(SharedWinPs, HomeWinPs, ConsoleModules), Ps7().ForWindowsPowerShell(current));
    }

    [Fact]
    public void The_child_process_gets_the_Windows_PowerShell_module_path()
    {
        var current = Join(PersonalPs7, SharedPs7, HomePs7, SharedWinPs, HomeWinPs);

        var start = WindowsPowerShellProcess.CreateStartInfo(@"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe", "Get-Date", current, Ps7());

        Assert.Equal(Join(SharedWinPs, HomeWinPs), start.Environment["PSModulePath"]);
    }

    [Fact]
    public void Folders_of_other_PowerShell_7_installations_are_removed_by_their_pwsh_dll()
    {
        // A preview and the Store build: their $PSHOME\Modules, in any case and with a trailing backslash.
        var current = Join(SharedWinPs, @"C:\PROGRAM FILES\POWERSHELL\7-PREVIEW\Modules\", @"c:\program files\windowsapps\microsoft.powershell_7.6.4.0_x64__8wekyb3d8bbwe\Modules", HomeWinPs);

        Assert.Equal(Join(SharedWinPs, HomeWinPs), Ps7().ForWindowsPowerShell(current));
    }

    [Fact]
    public void A_module_folder_named_in_powershell_config_json_is_removed()
    {
        const string configured = @"D:\Ps7Modules";
        var current = Join(configured, SharedWinPs, HomeWinPs, @"D:\Ps7Modules\Other");

        Assert.Equal(Join(SharedWinPs, HomeWinPs, @"D:\Ps7Modules\Other"), Ps7(configured).ForWindowsPowerShell(current));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(PersonalPs7 + ";" + SharedPs7 + ";" + HomePs7)]
    public void With_nothing_left_the_variable_is_removed_so_Windows_PowerShell_builds_its_default(string? current)
    {
        Assert.Null(Ps7().ForWindowsPowerShell(current));

        var start = WindowsPowerShellProcess.CreateStartInfo("powershell.exe", "Get-Date", current, Ps7());

        Assert.False(start.Environment.ContainsKey("PSModulePath"));
    }

    [Fact]
    public void Empty_entries_and_a_folder_at_a_drive_root_are_handled()
    {
        // PowerShell keeps a root folder (it has no parent to hold pwsh.dll) and so do we; empty entries go.
        var current = ";" + Join(@"M:\", SharedWinPs) + ";;" + HomeWinPs + ";";

        Assert.Equal(Join(@"M:\", SharedWinPs, HomeWinPs), Ps7().ForWindowsPowerShell(current));
    }

    [Fact]
    public void The_rest_of_the_start_info_runs_the_script_hidden_with_UTF8_pipes()
    {
        var start = WindowsPowerShellProcess.CreateStartInfo(@"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe", "Get-Date", SharedWinPs, Ps7());

        Assert.Equal(@"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe", start.FileName);
        Assert.Equal(WindowsPowerShellProcess.Arguments("Get-Date"), start.Arguments);
        Assert.False(start.UseShellExecute); // required for an edited environment block and redirection
        Assert.True(start.CreateNoWindow);
        Assert.True(start.RedirectStandardInput);
        Assert.True(start.RedirectStandardOutput);
        Assert.True(start.RedirectStandardError);
        Assert.Equal(Encoding.UTF8.WebName, start.StandardOutputEncoding!.WebName);
        Assert.Equal(Encoding.UTF8.WebName, start.StandardErrorEncoding!.WebName);
        Assert.Equal(SharedWinPs, start.Environment["PSModulePath"]);
    }

    [Fact]
    public void Hosted_by_Windows_PowerShell_nothing_of_its_own_path_is_removed()
    {
        // In powershell.exe the module's process is 5.1 itself: its $PSHOME is not PowerShell 7's.
        var paths = PowerShellModulePaths.FromFolders(@"C:\Users\ann\Documents", @"C:\Program Files", @"C:\WINDOWS\system32\WindowsPowerShell\v1.0", isCore: false, Array.Empty<string>(), _ => false);
        var current = Join(@"C:\Users\ann\Documents\WindowsPowerShell\Modules", SharedWinPs, HomeWinPs);

        Assert.Equal(current, paths.ForWindowsPowerShell(current));
    }

    [Fact]
    public void Hosted_by_PowerShell_7_its_three_folders_come_from_documents_program_files_and_PSHOME()
    {
        var paths = PowerShellModulePaths.FromFolders(@"C:\Users\ann\Documents", @"C:\Program Files", @"C:\Program Files\PowerShell\7", isCore: true, new[] { @"E:\Team\Modules" }, _ => false);
        var current = Join(PersonalPs7, SharedPs7, HomePs7, SharedWinPs, HomeWinPs, @"E:\Team\Modules");

        Assert.Equal(Join(SharedWinPs, HomeWinPs), paths.ForWindowsPowerShell(current));
    }

    [Fact]
    public void The_module_path_setting_of_powershell_config_json_is_read_and_a_broken_file_is_ignored()
    {
        Assert.Equal(@"E:\Team\Modules", PowerShellModulePaths.ConfiguredModulePath("{\"Microsoft.PowerShell:ExecutionPolicy\":\"RemoteSigned\",\"PSModulePath\":\"E:\\\\Team\\\\Modules\"}"));
        Assert.Null(PowerShellModulePaths.ConfiguredModulePath("{\"Microsoft.PowerShell:ExecutionPolicy\":\"RemoteSigned\"}"));
        Assert.Null(PowerShellModulePaths.ConfiguredModulePath("{ not json"));
        Assert.Null(PowerShellModulePaths.ConfiguredModulePath(null));
    }
}
