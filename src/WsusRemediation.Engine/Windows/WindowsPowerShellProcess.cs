using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>Runs a script in a child Windows PowerShell and returns what it printed. A port, so the adapters' bridge path is testable anywhere.</summary>
    public interface IPowerShellScriptRunner
    {
        /// <summary>Runs <paramref name="script"/>; returns standard output. Throws PowerShellBridgeTimedOut, PowerShellBridgeFailed, or OperationCanceledException.</summary>
        string Run(string script, TimeSpan timeout, CancellationToken cancellationToken);
    }

    /// <summary>
    /// The WinCompat pattern: <c>powershell.exe -NoProfile -NonInteractive -EncodedCommand …</c>.
    /// The WSUS API (.NET Framework SOAP client) and WMI (System.Management) do not work in
    /// PowerShell 7's process, but Windows PowerShell 5.1 is on every server.
    /// </summary>
    public sealed class WindowsPowerShellProcess : IPowerShellScriptRunner
    {
        /// <summary>The shared instance: Windows PowerShell 5.1, on Windows only.</summary>
        public static WindowsPowerShellProcess Instance { get; } = new WindowsPowerShellProcess(null);

        private readonly string? _executable;

        /// <summary>
        /// A runner for another PowerShell executable (tests run the bridge scripts in PowerShell 7 this
        /// way, exactly as the child would run them); null means Windows PowerShell 5.1.
        /// </summary>
        internal WindowsPowerShellProcess(string? executable) => _executable = executable;

        /// <summary>Windows PowerShell 5.1, never the 32-bit one from a 32-bit host.</summary>
        public static string PowerShellPath => Path.Combine(WindowsPlatform.NativeSystem32, "WindowsPowerShell", "v1.0", "powershell.exe");

        /// <inheritdoc />
        public string Run(string script, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (_executable is null)
            {
                WindowsPlatform.RequireWindows("Reaching the WSUS API or the SMS Provider", "-LogPath");
            }

            cancellationToken.ThrowIfCancellationRequested();
            var executable = _executable ?? PowerShellPath;
            var start = CreateStartInfo(executable, script, Environment.GetEnvironmentVariable("PSModulePath"), PowerShellModulePaths.OfThisProcess());

            using var process = new Process { StartInfo = start };
            var output = new StringBuilder();
            var errors = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errors) { errors.AppendLine(e.Data); } } };
            try
            {
                process.Start();
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                throw new WsusRemediationException("PowerShellBridgeFailed", EngineErrorKind.NotInstalled, $"Windows PowerShell could not be started ({executable}): {ex.Message}", executable, ex);
            }

            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child already ended; its output and exit code still tell what happened.
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using (cancellationToken.Register(() => Kill(process)))
            {
                var exited = process.WaitForExit((int)Math.Min(int.MaxValue, Math.Max(1, timeout.TotalMilliseconds)));
                if (!exited)
                {
                    Kill(process);
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new WsusRemediationException("PowerShellBridgeTimedOut", EngineErrorKind.OperationTimeout, $"The child Windows PowerShell did not answer within {timeout.TotalSeconds:0} s.", executable);
                }

                // The parameterless wait flushes the asynchronous output readers.
                process.WaitForExit();
            }

            cancellationToken.ThrowIfCancellationRequested();
            lock (output)
            {
                if (output.Length == 0)
                {
                    throw new WsusRemediationException("PowerShellBridgeFailed", EngineErrorKind.InvalidData, $"The child Windows PowerShell printed nothing (exit code {process.ExitCode}): {errors.ToString().Trim()}", executable);
                }

                return output.ToString();
            }
        }

        /// <summary>
        /// How the child is started: hidden, standard input an empty pipe closed at once (powershell.exe
        /// must never wait on the caller's console, or an inherited pipe nobody closes, for input), output
        /// and errors read as UTF-8, and this process's environment with PSModulePath cleared of
        /// PowerShell 7's module folders (<see cref="PowerShellModulePaths"/>).
        /// </summary>
        internal static ProcessStartInfo CreateStartInfo(string executable, string script, string? currentModulePath, PowerShellModulePaths modulePaths)
        {
            var start = new ProcessStartInfo(executable, Arguments(script))
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };

            // The environment block is a copy of this process's; only PSModulePath is rewritten.
            var modulePath = (modulePaths ?? throw new ArgumentNullException(nameof(modulePaths))).ForWindowsPowerShell(currentModulePath);
            if (modulePath is null)
            {
                start.Environment.Remove("PSModulePath");
            }
            else
            {
                start.Environment["PSModulePath"] = modulePath;
            }

            return start;
        }

        private static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Exiting right now.
            }
        }

        /// <summary>
        /// Runs before every bridge script, in Windows PowerShell 5.1: UTF-8 output without a byte order
        /// mark, attempted only (the setter is not confirmed to work in a process started with CreateNoWindow
        /// and may throw "The handle is invalid"); no progress records; no ETS Count property on arrays, which
        /// makes 5.1's ConvertTo-Json print some arrays as {"value":[...],"Count":n} (PowerShell/PowerShell#3222;
        /// removed in PowerShell 6); and Write-BridgeDocument, which prints the document as one line of pure
        /// ASCII (every other character as \uXXXX), so it reads the same whichever encoding the console ended
        /// up with, and straight to standard output, because the host would wrap a long line to its width.
        /// </summary>
        internal const string Preamble =
            "try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { $null = $_ }\n"
            + "$ProgressPreference = 'SilentlyContinue'\n"
            + "Remove-TypeData -TypeName System.Array -ErrorAction SilentlyContinue\n"
            + "function Write-BridgeDocument($Document) {\n"
            + "    $json = $Document | ConvertTo-Json -Depth 5 -Compress\n"
            + "    [Console]::Out.WriteLine([regex]::Replace($json, '[^\\u0000-\\u007F]', { param($m) '\\u{0:x4}' -f [int]$m.Value[0] }))\n"
            + "}\n";

        /// <summary>
        /// The command line: -EncodedCommand takes Base64 of the UTF-16LE script, which sidesteps every
        /// quoting problem. The whole line must stay under CreateProcess's 32,767 characters.
        /// </summary>
        internal static string Arguments(string script) =>
            "-NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "
            + Convert.ToBase64String(Encoding.Unicode.GetBytes(Preamble + script));

        /// <summary>
        /// A PowerShell single-quoted string literal. PowerShell also ends a single-quoted string at the
        /// typographic quotes U+2018, U+2019, U+201A and U+201B, so each of those is doubled as well.
        /// </summary>
        public static string Quote(string? value)
        {
            var text = new StringBuilder("'");
            foreach (var c in value ?? string.Empty)
            {
                text.Append(c);
                if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B')
                {
                    text.Append(c);
                }
            }

            return text.Append('\'').ToString();
        }
    }
}
