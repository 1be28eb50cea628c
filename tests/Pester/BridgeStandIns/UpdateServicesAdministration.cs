// A stand-in for Microsoft.UpdateServices.Administration 4.0.0.0 (WSUS's administration API), with the
// names the bridge scripts use: AdminProxy.GetUpdateServer, IUpdateServer.GetSubscription and GetConfiguration, and the
// subscription's status, progress, last synchronization, history and StartSynchronization. Compiled by
// tests/Pester/Bridge.Tests.ps1 into "<ProgramFiles>/Update Services/Api/Microsoft.UpdateServices.Administration.dll",
// where the script looks for it. What it answers is chosen by WSUSREM_STANDIN_SCENARIO; every call is
// appended to the file WSUSREM_STANDIN_CALLS, so a test can see what the script asked for.
using System;
using System.Collections.ObjectModel;
using System.IO;
using System.Net;

[assembly: System.Reflection.AssemblyVersion("4.0.0.0")]

namespace Microsoft.UpdateServices.Administration
{
    using Microsoft.UpdateServices.Internal.BaseApi;

    public enum SynchronizationStatus { NotProcessing = 0, Running = 1, Stopping = 2 }

    public enum SynchronizationResult { NeverRun = 0, Succeeded = 1, Failed = 2, Canceled = 3, Unknown = 4 }

    public enum SynchronizationPhase { NotProcessing = 0, Updates = 1, Approvals = 2, Categories = 3 }

    public enum SynchronizationError { NotApplicable, UssCommunicationError, UserCanceled, Unknown }

    public interface ISynchronizationInfo
    {
        Guid Id { get; }
        DateTime StartTime { get; }
        DateTime EndTime { get; }
        SynchronizationResult Result { get; }
        SynchronizationError Error { get; }
        string ErrorText { get; }
        bool StartedManually { get; }
    }

    public class SynchronizationInfoCollection : Collection<ISynchronizationInfo>
    {
    }

    public class SynchronizationProgress
    {
        public SynchronizationProgress(SynchronizationPhase phase, int processed, int total)
        {
            Phase = phase;
            ProcessedItems = processed;
            TotalItems = total;
        }

        public SynchronizationPhase Phase { get; private set; }
        public int ProcessedItems { get; private set; }
        public int TotalItems { get; private set; }
    }

    public interface ISubscription
    {
        void StartSynchronization();
        SynchronizationStatus GetSynchronizationStatus();
        SynchronizationProgress GetSynchronizationProgress();
        ISynchronizationInfo GetLastSynchronizationInfo();
        SynchronizationInfoCollection GetSynchronizationHistory();
    }

    public interface IUpdateServer
    {
        string Name { get; }
        int PortNumber { get; }
        ISubscription GetSubscription();
        IUpdateServerConfiguration GetConfiguration();
    }

    // The settings the WSUS-settings script reads (a downstream server of cas01 over HTTPS, no proxy).
    public interface IUpdateServerConfiguration
    {
        bool SyncFromMicrosoftUpdate { get; }
        string UpstreamWsusServerName { get; }
        int UpstreamWsusServerPortNumber { get; }
        bool UpstreamWsusServerUseSsl { get; }
        bool UseProxy { get; }
        string ProxyName { get; }
        int ProxyServerPort { get; }
        string ProxyUserName { get; }
        string ProxyUserDomain { get; }
        bool AnonymousProxyAccess { get; }
    }

    public class AdminProxy
    {
        public static IUpdateServer GetUpdateServer()
        {
            StandIn.Log("GetUpdateServer()");
            return StandIn.Connect(Environment.GetEnvironmentVariable("COMPUTERNAME") ?? "localhost", 8530);
        }

        public static IUpdateServer GetUpdateServer(string serverName, bool useSecureConnection)
        {
            return GetUpdateServer(serverName, useSecureConnection, useSecureConnection ? 8531 : 80);
        }

        public static IUpdateServer GetUpdateServer(string serverName, bool useSecureConnection, int portNumber)
        {
            StandIn.Log("GetUpdateServer(" + serverName + "," + useSecureConnection + "," + portNumber + ")");
            return StandIn.Connect(serverName, portNumber);
        }
    }
}

namespace Microsoft.UpdateServices.Internal.BaseApi
{
    using Microsoft.UpdateServices.Administration;

    public class SynchronizationInfo : ISynchronizationInfo
    {
        public SynchronizationInfo(DateTime start, DateTime end, SynchronizationResult result, SynchronizationError error, string errorText, bool manual)
        {
            Id = Guid.NewGuid();
            StartTime = start;
            EndTime = end;
            Result = result;
            Error = error;
            ErrorText = errorText;
            StartedManually = manual;
        }

        public Guid Id { get; private set; }
        public DateTime StartTime { get; private set; }
        public DateTime EndTime { get; private set; }
        public SynchronizationResult Result { get; private set; }
        public SynchronizationError Error { get; private set; }
        public string ErrorText { get; private set; }
        public bool StartedManually { get; private set; }
    }

    public class UpdateServer : IUpdateServer
    {
        public UpdateServer(string name, int port)
        {
            Name = name;
            PortNumber = port;
        }

        public string Name { get; private set; }
        public int PortNumber { get; private set; }

        public ISubscription GetSubscription()
        {
            StandIn.Log("GetSubscription()");
            return new Subscription();
        }

        public IUpdateServerConfiguration GetConfiguration()
        {
            StandIn.Log("GetConfiguration()");
            return new UpdateServerConfiguration();
        }
    }

    public class UpdateServerConfiguration : IUpdateServerConfiguration
    {
        public bool SyncFromMicrosoftUpdate { get { return false; } }
        public string UpstreamWsusServerName { get { return "cas01.contoso.com"; } }
        public int UpstreamWsusServerPortNumber { get { return 8531; } }
        public bool UpstreamWsusServerUseSsl { get { return true; } }
        public bool UseProxy { get { return false; } }
        public string ProxyName { get { return ""; } }
        public int ProxyServerPort { get { return 80; } }
        public string ProxyUserName { get { return ""; } }
        public string ProxyUserDomain { get { return ""; } }
        public bool AnonymousProxyAccess { get { return true; } }
    }

    public class Subscription : ISubscription
    {
        public void StartSynchronization()
        {
            StandIn.Log("StartSynchronization()");
            switch (StandIn.Scenario)
            {
                case "SavingConfiguration":
                    // What the API documents for a subscription that is stopping or saving its configuration.
                    throw new InvalidOperationException("Operation is not valid due to the current state of the object.");
                case "Unauthorized":
                    throw StandIn.SoapFailure(401, "Unauthorized");
            }
        }

        public SynchronizationStatus GetSynchronizationStatus()
        {
            StandIn.Log("GetSynchronizationStatus()");
            if (StandIn.Scenario == "PoolDown")
            {
                throw StandIn.SoapFailure(503, "Service Unavailable");
            }

            return StandIn.Scenario == "Running" ? SynchronizationStatus.Running : SynchronizationStatus.NotProcessing;
        }

        public SynchronizationProgress GetSynchronizationProgress()
        {
            // "If the server is not synchronizing, then the value for TotalItems and ProcessedItems will both be 0."
            return StandIn.Scenario == "Running"
                ? new SynchronizationProgress(SynchronizationPhase.Updates, 3100, 9873)
                : new SynchronizationProgress(SynchronizationPhase.NotProcessing, 0, 0);
        }

        public ISynchronizationInfo GetLastSynchronizationInfo()
        {
            if (StandIn.Scenario == "NeverRun")
            {
                // NeverRun: StartTime is DateTime.MinValue; with Unknown EndTime equals StartTime.
                return new SynchronizationInfo(DateTime.MinValue, DateTime.MinValue, SynchronizationResult.NeverRun, SynchronizationError.NotApplicable, string.Empty, false);
            }

            return History()[0];
        }

        public SynchronizationInfoCollection GetSynchronizationHistory()
        {
            StandIn.Log("GetSynchronizationHistory()");
            var all = new SynchronizationInfoCollection();
            if (StandIn.Scenario != "NeverRun")
            {
                // Oldest first, as a list the script must sort itself.
                var history = History();
                for (var i = history.Length - 1; i >= 0; i--)
                {
                    all.Add(history[i]);
                }
            }

            return all;
        }

        // The WSUS API's times are UTC with Kind Unspecified. Newest first.
        private static SynchronizationInfo[] History()
        {
            return new[]
            {
                new SynchronizationInfo(new DateTime(2026, 11, 9, 10, 0, 5, 311), new DateTime(2026, 11, 9, 10, 6, 45, 18), SynchronizationResult.Canceled, SynchronizationError.UserCanceled, string.Empty, true),
                new SynchronizationInfo(new DateTime(2026, 11, 9, 9, 0, 3, 402), new DateTime(2026, 11, 9, 9, 3, 50, 224), SynchronizationResult.Failed, SynchronizationError.UssCommunicationError,
                    "WebException: The request failed with HTTP status 503: Service Unavailable. at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(\u2026) \u2014 \u00ab Zürich \u00bb \U0001F600", false),
                new SynchronizationInfo(new DateTime(2026, 11, 8, 3, 0, 0, 0), new DateTime(2026, 11, 8, 3, 4, 12, 500), SynchronizationResult.Succeeded, SynchronizationError.NotApplicable, string.Empty, false),
            };
        }
    }

    internal static class StandIn
    {
        public static string Scenario
        {
            get { return Environment.GetEnvironmentVariable("WSUSREM_STANDIN_SCENARIO") ?? "Idle"; }
        }

        public static void Log(string call)
        {
            var file = Environment.GetEnvironmentVariable("WSUSREM_STANDIN_CALLS");
            if (!string.IsNullOrEmpty(file))
            {
                File.AppendAllText(file, call + Environment.NewLine);
            }
        }

        public static IUpdateServer Connect(string name, int port)
        {
            if (Scenario == "Unreachable")
            {
                throw new WebException("Unable to connect to the remote server", WebExceptionStatus.ConnectFailure);
            }

            if (Scenario == "ConnectUnauthorized")
            {
                throw SoapFailure(401, "Unauthorized");
            }

            return new UpdateServer(name, port);
        }

        // The SOAP client's (SoapHttpClientProtocol) wording of an HTTP error status.
        public static WebException SoapFailure(int status, string reason)
        {
            return new WebException("The request failed with HTTP status " + status + ": " + reason + ".", WebExceptionStatus.ProtocolError);
        }
    }
}
