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
        /// <summary>The shared instance.</summary>
        public static WindowsPowerShellProcess Instance { get; } = new WindowsPowerShellProcess();

        /// <summary>Windows PowerShell 5.1, never the 32-bit one from a 32-bit host.</summary>
        public static string PowerShellPath => Path.Combine(WindowsPlatform.NativeSystem32, "WindowsPowerShell", "v1.0", "powershell.exe");

        /// <inheritdoc />
        public string Run(string script, TimeSpan timeout, CancellationToken cancellationToken)
        {
            WindowsPlatform.RequireWindows("Reaching the WSUS API or the SMS Provider", "-LogPath");
            cancellationToken.ThrowIfCancellationRequested();
            // -EncodedCommand (UTF-16LE, Base64) sidesteps every quoting problem of the command line.
            var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes("[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false\n" + script));
            var start = new ProcessStartInfo(PowerShellPath, "-NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand " + encoded)
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };

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
                throw new WsusRemediationException("PowerShellBridgeFailed", EngineErrorKind.NotInstalled, $"Windows PowerShell could not be started ({PowerShellPath}): {ex.Message}", PowerShellPath, ex);
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
                    throw new WsusRemediationException("PowerShellBridgeTimedOut", EngineErrorKind.OperationTimeout, $"The child Windows PowerShell did not answer within {timeout.TotalSeconds:0} s.", PowerShellPath);
                }

                // The parameterless wait flushes the asynchronous output readers.
                process.WaitForExit();
            }

            cancellationToken.ThrowIfCancellationRequested();
            lock (output)
            {
                if (output.Length == 0)
                {
                    throw new WsusRemediationException("PowerShellBridgeFailed", EngineErrorKind.InvalidData, $"The child Windows PowerShell printed nothing (exit code {process.ExitCode}): {errors.ToString().Trim()}", PowerShellPath);
                }

                return output.ToString();
            }
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

        /// <summary>A PowerShell single-quoted string literal.</summary>
        public static string Quote(string? value) => "'" + (value ?? string.Empty).Replace("'", "''") + "'";
    }
}
