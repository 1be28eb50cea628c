using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace WsusRemediation.Module.Tests.Infrastructure
{
    /// <summary>
    /// Runs PowerShell script inside the test process (System.Management.Automation 7.6) with the
    /// built module (out/WsusRemediation/WsusRemediation.psd1) imported, so tests see real parameter
    /// and pipeline binding, ShouldProcess, error records and streams — what reflection cannot show.
    /// <para>
    /// Use: <c>var run = InProcessPowerShell.Run("Get-WsusPoolTuning -ConfigurationPath $path", ("path", file));</c>
    /// (or <c>RunStatement</c> to see whether an error stops the command)
    /// then assert on <see cref="PowerShellRun.Output"/> (base objects via <c>.Of&lt;T&gt;()</c> or
    /// properties by name), <see cref="PowerShellRun.Errors"/> (non-terminating, with
    /// FullyQualifiedErrorId and CategoryInfo), <see cref="PowerShellRun.RecordedErrors"/> ($Error: also
    /// those -ErrorAction SilentlyContinue silenced), <see cref="PowerShellRun.TerminatingError"/> (what
    /// stopped the script, e.g. under -ErrorAction Stop), <see cref="PowerShellRun.Warnings"/>,
    /// <see cref="PowerShellRun.Verbose"/> and <see cref="PowerShellRun.HostText"/> (what went to the
    /// host: -WhatIf lines, Write-Host). Each run gets a fresh runspace; variables are set in it
    /// before the script runs, and the location is the repository root unless the script moves.
    /// </para>
    /// Only the Core cmdlets are there (Where-Object, ForEach-Object, Get-Command...): the package
    /// source has no Microsoft.PowerShell.Commands.Utility/Management, so no Write-Warning, Select-Object,
    /// Format-Table, Out-String, Export-Clixml, Get-ChildItem. Use $PSCmdlet.Write*, $Host.UI, .NET
    /// calls, or test views and serialization in tests/Pester.
    /// </summary>
    public static class InProcessPowerShell
    {
        private static readonly Lazy<string> ManifestLazy = new(FindManifest);

        /// <summary>The built module's manifest.</summary>
        public static string ManifestPath => ManifestLazy.Value;

        /// <summary>The repository root (the location each run starts in).</summary>
        public static string RepoRoot => Metadata("RepoRoot");

        /// <summary>Runs <paramref name="script"/> with the module imported and returns everything it wrote.</summary>
        /// <remarks>
        /// A cmdlet's ThrowTerminatingError ends only its own statement: the script goes on, and the error
        /// is in <see cref="PowerShellRun.Errors"/>. Use <see cref="RunStatement"/> to tell it from a
        /// per-item error.
        /// </remarks>
        public static PowerShellRun Run(string script, params (string Name, object? Value)[] variables) => Invoke(script, caught: false, variables);

        /// <summary>
        /// Runs <paramref name="statement"/> inside <c>try { } catch { }</c>, as a script does to tell what
        /// stops a command from what it reports per item: <see cref="PowerShellRun.TerminatingError"/> is the
        /// error that stopped the statement (a ThrowTerminatingError, or any error under -ErrorAction Stop);
        /// <see cref="PowerShellRun.Errors"/> holds the per-item errors written before it.
        /// </summary>
        public static PowerShellRun RunStatement(string statement, params (string Name, object? Value)[] variables) =>
            Invoke("try {\n" + statement + "\n} catch { $WsusRemediationTestsStoppedBy = $_ }", caught: true, variables);

        private static PowerShellRun Invoke(string script, bool caught, (string Name, object? Value)[] variables)
        {
            var host = new CapturingHost();
            var state = InitialSessionState.CreateDefault2();
            // On Windows a hosted runspace would otherwise take the machine's policy, and Restricted
            // refuses the module's format file (.ps1xml); this touches only this runspace. Elsewhere
            // there is no execution policy (setting one throws PlatformNotSupportedException).
            if (OperatingSystem.IsWindows())
            {
                state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }

            state.ImportPSModule(new[] { ManifestPath });
            using var runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(RepoRoot);
            foreach (var (name, value) in variables)
            {
                runspace.SessionStateProxy.SetVariable(name, value);
            }

            using var shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript(script);

            // Output goes to a collection of our own so what came before a terminating error is kept.
            var output = new PSDataCollection<PSObject>();
            ErrorRecord? terminating = null;
            try
            {
                shell.Invoke(null, output);
            }
            catch (RuntimeException stopped)
            {
                // -ErrorAction Stop, a ThrowTerminatingError, or a parameter binding failure.
                terminating = stopped.ErrorRecord;
            }

            if (caught && terminating is null)
            {
                terminating = runspace.SessionStateProxy.GetVariable("WsusRemediationTestsStoppedBy") as ErrorRecord;
            }

            // $Error also holds what -ErrorAction SilentlyContinue kept off the error stream (newest first).
            var recorded = runspace.SessionStateProxy.GetVariable("Error") is System.Collections.IEnumerable all
                ? all.OfType<object>().Select(e => e as ErrorRecord ?? (e as IContainsErrorRecord)?.ErrorRecord).OfType<ErrorRecord>().Reverse().ToList()
                : new List<ErrorRecord>();

            return new PowerShellRun(
                output.Where(o => o is not null).ToList(),
                shell.Streams.Error.ToList(),
                recorded,
                terminating,
                shell.Streams.Warning.Select(w => w.Message).ToList(),
                shell.Streams.Verbose.Select(v => v.Message).ToList(),
                shell.Streams.Progress.ToList(),
                host.Text);
        }

        private static string FindManifest()
        {
            var manifest = Path.Combine(RepoRoot, "out", BuiltModule.ModuleName, BuiltModule.ModuleName + ".psd1");
            if (!File.Exists(manifest))
            {
                throw new FileNotFoundException($"The built module is missing: {manifest}. Run 'dotnet build WsusRemediation.sln -c Release' first.", manifest);
            }

            return manifest;
        }

        private static string Metadata(string key) =>
            typeof(InProcessPowerShell).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"The test assembly has no [AssemblyMetadata(\"{key}\")]; see the csproj.");
    }

    /// <summary>What one <see cref="InProcessPowerShell.Run"/> wrote, stream by stream.</summary>
    public sealed class PowerShellRun
    {
        public PowerShellRun(IReadOnlyList<PSObject> output, IReadOnlyList<ErrorRecord> errors, IReadOnlyList<ErrorRecord> recordedErrors, ErrorRecord? terminatingError,
            IReadOnlyList<string> warnings, IReadOnlyList<string> verbose, IReadOnlyList<ProgressRecord> progress, string hostText)
        {
            Output = output;
            Errors = errors;
            RecordedErrors = recordedErrors;
            TerminatingError = terminatingError;
            Warnings = warnings;
            Verbose = verbose;
            Progress = progress;
            HostText = hostText;
        }

        /// <summary>The output objects, as PowerShell wrapped them.</summary>
        public IReadOnlyList<PSObject> Output { get; }

        /// <summary>Non-terminating errors that reached the error stream (not those silenced by -ErrorAction SilentlyContinue).</summary>
        public IReadOnlyList<ErrorRecord> Errors { get; }

        /// <summary>Every error the session recorded in $Error, oldest first: silenced ones and the terminating one too.</summary>
        public IReadOnlyList<ErrorRecord> RecordedErrors { get; }

        /// <summary>The error that stopped the script, or null when it ran to its end.</summary>
        public ErrorRecord? TerminatingError { get; }

        public IReadOnlyList<string> Warnings { get; }
        public IReadOnlyList<string> Verbose { get; }
        public IReadOnlyList<ProgressRecord> Progress { get; }

        /// <summary>Everything written to the host: "What if: …" lines, Write-Host text, one line each.</summary>
        public string HostText { get; }

        /// <summary>The FullyQualifiedErrorId of every non-terminating error, in order.</summary>
        public IReadOnlyList<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId).ToList();

        /// <summary>The "What if: …" lines the host received.</summary>
        public IReadOnlyList<string> WhatIfLines => HostText.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();

        /// <summary>The output's base objects of type <typeparamref name="T"/> (a non-T object fails the cast).</summary>
        public IReadOnlyList<T> Of<T>() => Output.Select(o => (T)o.BaseObject).ToList();

        /// <summary>Fails with every error when the script stopped or wrote an error.</summary>
        public PowerShellRun AssertNoErrors()
        {
            if (TerminatingError is not null || Errors.Count > 0)
            {
                var all = Errors.Append(TerminatingError).OfType<ErrorRecord>()
                    .Select(e => $"{e.FullyQualifiedErrorId} ({e.CategoryInfo.Category}): {e.Exception.Message}");
                throw new Xunit.Sdk.XunitException("The script wrote errors:" + Environment.NewLine + string.Join(Environment.NewLine, all));
            }

            return this;
        }
    }
}
