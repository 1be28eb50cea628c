using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// <see cref="IWsusSyncApi"/> over Microsoft.UpdateServices.Administration 4.0.0.0: late-bound in
    /// this process on .NET Framework (Windows PowerShell 5.1), else through a child powershell.exe
    /// that prints a <see cref="SyncBridgeContract"/> document (PowerShell 7 cannot host the API's
    /// .NET Framework SOAP client).
    /// </summary>
    public sealed class WsusApiAdapter : IWsusSyncApi
    {
        private const string AssemblyName = "Microsoft.UpdateServices.Administration, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35";

        private readonly string? _computerName;
        private readonly int _port;
        private readonly bool _useSsl;
        private readonly IPowerShellScriptRunner _runner;
        private readonly bool _inProcess;

        /// <summary>Creates the adapter for the local WSUS (no name) or a remote one (default port 8530, HTTP).</summary>
        public WsusApiAdapter(string? computerName, IPowerShellScriptRunner? runner = null, bool? inProcess = null, int port = 8530, bool useSsl = false)
        {
            _computerName = ServiceErrors.IsLocal(computerName) ? null : computerName;
            _port = port;
            _useSsl = useSsl;
            _runner = runner ?? WindowsPowerShellProcess.Instance;
            _inProcess = inProcess ?? RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>How long the child process may take.</summary>
        public TimeSpan BridgeTimeout { get; init; } = TimeSpan.FromMinutes(2);

        private string Target => _computerName ?? Environment.MachineName;

        /// <inheritdoc />
        public WsusSyncSnapshot Read(int historyCount, CancellationToken cancellationToken)
        {
            if (!_inProcess)
            {
                return SyncBridgeContract.ParseWsusStatus(_runner.Run(Script("Read", historyCount), BridgeTimeout, cancellationToken), Target);
            }

            WindowsPlatform.RequireWindows("Reading the WSUS API", "-LogPath");
            return InProcess("Read", () =>
            {
                var subscription = Subscription(out var server);
                var progress = LateBound.Call(subscription, "GetSynchronizationProgress")!;
                var history = ((IEnumerable)LateBound.Call(subscription, "GetSynchronizationHistory")!).Cast<object>()
                    .Select(Info).OrderByDescending(i => i.StartTime ?? DateTime.MinValue).Take(historyCount).ToList();
                var last = LateBound.Call(subscription, "GetLastSynchronizationInfo");
                return new WsusSyncSnapshot
                {
                    ServerName = LateBound.GetOrNull(server, "Name")?.ToString() ?? Target,
                    Status = LateBound.Call(subscription, "GetSynchronizationStatus")?.ToString() ?? "NotProcessing",
                    Phase = LateBound.GetOrNull(progress, "Phase")?.ToString(),
                    ProcessedItems = Convert.ToInt64(LateBound.GetOrNull(progress, "ProcessedItems") ?? 0, CultureInfo.InvariantCulture),
                    TotalItems = Convert.ToInt64(LateBound.GetOrNull(progress, "TotalItems") ?? 0, CultureInfo.InvariantCulture),
                    LastSynchronization = last is null ? null : Info(last),
                    History = history,
                };
            });
        }

        /// <inheritdoc />
        public void StartSynchronization(CancellationToken cancellationToken)
        {
            if (!_inProcess)
            {
                SyncBridgeContract.ParseWsusStarted(_runner.Run(Script("Start", 0), BridgeTimeout, cancellationToken), Target);
                return;
            }

            WindowsPlatform.RequireWindows("Starting a WSUS synchronization", "-LogPath");
            InProcess("Start", () => LateBound.Call(Subscription(out _), "StartSynchronization"));
        }

        private T InProcess<T>(string stage, Func<T> call)
        {
            var current = "LoadApi";
            try
            {
                Load();
                current = stage;
                return call();
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is FileLoadException || ex is BadImageFormatException || ex is TypeLoadException)
            {
                throw SyncBridgeContract.WsusError("LoadApi", ex.GetType().FullName!, ex.Message, Target);
            }
            catch (Exception ex) when (!(ex is WsusRemediationException) && !(ex is OperationCanceledException) && !(ex is OutOfMemoryException))
            {
                // The same mapping as the child-process bridge, whose script catches every exception: the
                // API also throws its own types (WsusInvalidServerException, SqlException, ...), which must
                // not reach the cmdlet as raw exceptions.
                throw SyncBridgeContract.WsusError(current, ex.GetType().FullName!, ex.Message, Target, HttpStatus(ex));
            }
        }

        private static int? HttpStatus(Exception ex) =>
            ex is System.Net.WebException web && web.Response is System.Net.HttpWebResponse response ? (int)response.StatusCode : null;

        private static Assembly? _assembly;

        private static Assembly Load()
        {
            if (_assembly is not null)
            {
                return _assembly;
            }

            var path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "Update Services", "Api", "Microsoft.UpdateServices.Administration.dll");
            _assembly = File.Exists(path) ? Assembly.LoadFrom(path) : Assembly.Load(AssemblyName);
            return _assembly;
        }

        private object Subscription(out object server)
        {
            var proxy = Load().GetType("Microsoft.UpdateServices.Administration.AdminProxy", throwOnError: true)!;
            server = _computerName is null
                ? Invoke(proxy.GetMethod("GetUpdateServer", Type.EmptyTypes)!, Array.Empty<object>())
                : Invoke(proxy.GetMethod("GetUpdateServer", new[] { typeof(string), typeof(bool), typeof(int) })!, new object[] { _computerName, _useSsl, _port });
            return LateBound.Call(server, "GetSubscription")!;
        }

        private static object Invoke(MethodInfo method, object[] arguments) =>
            LateBound.CallStatic(method, arguments) ?? throw new InvalidOperationException("AdminProxy.GetUpdateServer returned nothing.");

        private static WsusSyncInfo Info(object info) => new WsusSyncInfo
        {
            StartTime = Utc(LateBound.GetOrNull(info, "StartTime")),
            EndTime = Utc(LateBound.GetOrNull(info, "EndTime")),
            Result = LateBound.GetOrNull(info, "Result")?.ToString() ?? "Unknown",
            Error = LateBound.GetOrNull(info, "Error")?.ToString(),
            ErrorText = LateBound.GetOrNull(info, "ErrorText")?.ToString(),
            StartedManually = LateBound.GetOrNull(info, "StartedManually") as bool?,
        };

        // The API documents its times as UTC; only a Local-kind value is converted.
        private static DateTime? Utc(object? value) =>
            value is DateTime d ? (d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc)) : null;

        /// <summary>The script the child powershell.exe runs; prints one <see cref="SyncBridgeContract"/> document.</summary>
        internal string Script(string action, int historyCount) =>
            "$Action = " + WindowsPowerShellProcess.Quote(action) + "\n"
            + "$ComputerName = " + WindowsPowerShellProcess.Quote(_computerName) + "\n"
            + "$UseSsl = " + (_useSsl ? "$true" : "$false") + "\n"
            + "$Port = " + _port.ToString(CultureInfo.InvariantCulture) + "\n"
            + "$HistoryCount = " + Math.Max(1, historyCount).ToString(CultureInfo.InvariantCulture) + "\n"
            + "$Contract = " + WindowsPowerShellProcess.Quote(SyncBridgeContract.ContractName) + "\n"
            + BridgeScript;

        private const string BridgeScript = @"
$ErrorActionPreference = 'Stop'
function ConvertTo-UtcText($d) {
    if ($null -eq $d) { return $null }
    $d = [datetime]$d
    if ($d -le [datetime]::MinValue.AddDays(1)) { return $null }
    # The WSUS API's times are UTC already but often come back with Kind Unspecified: convert only Local ones.
    if ($d.Kind -eq [DateTimeKind]::Local) { $d = $d.ToUniversalTime() }
    $d.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture)
}
function ConvertTo-SyncInfo($i) {
    if ($null -eq $i) { return $null }
    [ordered]@{ startTime = ConvertTo-UtcText $i.StartTime; endTime = ConvertTo-UtcText $i.EndTime; result = [string]$i.Result
                error = [string]$i.Error; errorText = [string]$i.ErrorText; startedManually = [bool]$i.StartedManually }
}
$stage = 'LoadApi'
try {
    $api = Join-Path $env:ProgramFiles 'Update Services\Api\Microsoft.UpdateServices.Administration.dll'
    if (Test-Path -LiteralPath $api) { [void][Reflection.Assembly]::LoadFrom($api) }
    else { [void][Reflection.Assembly]::Load('Microsoft.UpdateServices.Administration, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35') }
    $stage = 'Connect'
    if ($ComputerName) { $server = [Microsoft.UpdateServices.Administration.AdminProxy]::GetUpdateServer($ComputerName, $UseSsl, $Port) }
    else { $server = [Microsoft.UpdateServices.Administration.AdminProxy]::GetUpdateServer() }
    $subscription = $server.GetSubscription()
    if ($Action -eq 'Start') {
        $stage = 'Start'
        $subscription.StartSynchronization()
        $doc = [ordered]@{ contract = $Contract; kind = 'WsusStarted' }
    }
    else {
        $stage = 'Read'
        $progress = $subscription.GetSynchronizationProgress()
        $history = @($subscription.GetSynchronizationHistory() | Sort-Object StartTime -Descending | Select-Object -First $HistoryCount | ForEach-Object { ConvertTo-SyncInfo $_ })
        $doc = [ordered]@{
            contract = $Contract; kind = 'WsusStatus'; serverName = [string]$server.Name
            status = [string]$subscription.GetSynchronizationStatus(); phase = [string]$progress.Phase
            processedItems = [long]$progress.ProcessedItems; totalItems = [long]$progress.TotalItems
            lastSynchronization = (ConvertTo-SyncInfo $subscription.GetLastSynchronizationInfo()); history = $history
        }
    }
}
catch {
    $e = $_.Exception
    while ($e -is [System.Management.Automation.MethodInvocationException] -and $null -ne $e.InnerException) { $e = $e.InnerException }
    # The status code, unlike the message, is not translated on a localized server.
    $status = $null
    if ($e -is [System.Net.WebException] -and $null -ne $e.Response) { try { $status = [int]$e.Response.StatusCode } catch { $status = $null } }
    $doc = [ordered]@{ contract = $Contract; kind = 'Error'; error = [ordered]@{ stage = $stage; type = $e.GetType().FullName; message = $e.Message; httpStatus = $status } }
}
Write-BridgeDocument $doc
";
    }
}
