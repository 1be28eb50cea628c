using System;
using System.IO;
using System.Linq;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Services;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// A German site server (Fixtures/Evidence/LocalizedCase, README "LocalizedCase"): MECM writes its own lines in
/// English, but every .NET exception text and every SCM event word is German. The causes must be found from what
/// stays the same in every language: the HTTP status code's place, 7036's Binary.
/// </summary>
public sealed class LocalizedEvidenceTests
{
    private static string Evidence(params string[] parts) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evidence", Path.Combine(parts));

    [Fact]
    public void A_German_soap_503_in_wsyncmgr_is_the_WSUS_API_answering_503()
    {
        var entries = EvidenceReader.ReadFile(Evidence("LocalizedCase", "wsyncmgr.log"), new LogReadSummary()).ToList();

        var failures = entries.Where(e => e.Kind == EvidenceKind.SyncFailed).ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal(EvidenceKind.WsusApi503, f.Cause));
        Assert.StartsWith("Sync failed: UssCommunicationError: WebException: Die Anforderung ist mit HTTP-Status 503 fehlgeschlagen: Service Unavailable.\nbei System.Web", failures[0].Message, StringComparison.Ordinal);

        // -060: a UTC+1 server, 07:00 local is 06:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 6, 0, 2, 396, TimeSpan.Zero), failures[0].TimeUtc);
    }

    [Fact]
    public void A_German_WebException_503_in_an_ANSI_WCM_log_is_the_WSUS_API_answering_503()
    {
        var summary = new LogReadSummary();
        var entries = EvidenceReader.ReadFile(Evidence("LocalizedCase", "WCM.log"), summary).ToList();

        Assert.Equal(0, summary.SkippedCount);
        var exceptions = entries.Where(e => e.Message.StartsWith("System.Net.WebException", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, exceptions.Count);
        Assert.All(exceptions, e => Assert.Equal(EvidenceKind.WsusApi503, e.Kind));

        // Windows-1252 bytes (0xFC) read as the letter they are.
        Assert.Contains("zurückgegeben: (503) Server nicht verfügbar.", exceptions[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.Net.WebException: Le serveur distant a retourné une erreur : (407) Authentification proxy requise.", EvidenceKind.ProxyAuthenticationRequired)]
    [InlineData("Sync failed: UssCommunicationError: WebException: Le serveur distant a retourné une erreur : (503) Serveur non disponible.", EvidenceKind.WsusApi503)]
    [InlineData("Sync failed: UssCommunicationError: WebException: Die Anforderung ist mit HTTP-Status 407 fehlgeschlagen: Proxy Authentication Required.", EvidenceKind.ProxyAuthenticationRequired)]
    [InlineData("Sync failed: UssCommunicationError: WebException: Der Remotename konnte nicht aufgelöst werden: 'sws.update.microsoft.com'", EvidenceKind.RemoteNameNotResolved)]
    [InlineData("Sync failed: UssCommunicationError: WebException: Le nom distant n'a pas pu être résolu: 'sws.update.microsoft.com'", EvidenceKind.RemoteNameNotResolved)]
    [InlineData("Sync failed: UssCommunicationError: WebException: Der Vorgang hat das Zeitlimit überschritten.", EvidenceKind.OperationTimedOut)]
    [InlineData("Sync failed: UssCommunicationError: WebException: Die zugrunde liegende Verbindung wurde geschlossen: Für den geschützten SSL/TLS-Kanal konnte keine Vertrauensstellung hergestellt werden.", EvidenceKind.TlsFailure)]
    [InlineData("Sync failed: UssCommunicationError: WebException: Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Senden. ---> IOException: Eine vorhandene Verbindung wurde vom Remotehost geschlossen.", EvidenceKind.TlsFailure)]
    [InlineData("Sync failed: UssCommunicationError: WebException: La connexion sous-jacente a été fermée : Une erreur inattendue s'est produite lors d'un envoi. ---> Une connexion existante a dû être fermée par l’hôte distant", EvidenceKind.TlsFailure)]
    [InlineData("Sync failed: UssCommunicationError: WebException: Le nom distant n’a pas pu être résolu: 'sws.update.microsoft.com'", EvidenceKind.RemoteNameNotResolved)]
    public void Localized_failure_texts_give_the_cause_their_English_form_gives(string message, EvidenceKind cause)
    {
        var entry = new LogEntry(DateTimeOffset.UnixEpoch, LogSeverity.None, "SMS_WSUS_SYNC_MANAGER", "1", message, "wsyncmgr.log", 1, LogFormat.SmsSimple);

        EvidenceCatalog.Classify(entry);

        Assert.Equal(cause, message.StartsWith("Sync failed", StringComparison.Ordinal) ? entry.Cause : entry.Kind);
    }

    [Fact]
    public void German_SCM_events_give_their_state_from_the_Binary_and_BITS_disabled_from_Deaktiviert()
    {
        var events = EvidenceReader.ReadFile(Evidence("LocalizedCase", "System.xml"), new LogReadSummary()).ToList();

        Assert.Equal(6, events.Count);
        Assert.Equal(
            new ServiceState?[] { ServiceState.Running, ServiceState.Stopped, null, ServiceState.Stopped, ServiceState.Stopped, ServiceState.Running },
            events.Select(ServiceEvents.NewState));

        var bitsChange = events[2];
        Assert.Equal(EvidenceKind.ServiceStartTypeChanged, bitsChange.Kind);
        Assert.Equal(SiteServices.Bits, ServiceEvents.ServiceName(bitsChange));
        Assert.Equal(ServiceStartType.Disabled, ServiceEvents.NewStartType(bitsChange));

        // The display names are German; the key names come from param4 and the Binary.
        Assert.Equal(SiteServices.Bits, ServiceEvents.ServiceName(events[3]));
        Assert.Equal(SiteServices.SmsNotificationServer, ServiceEvents.ServiceName(events[4]));

        // A Windows service no sync needs stays unclassified, whatever its language.
        Assert.Equal(EvidenceKind.None, events[0].Kind);
    }

    [Fact]
    public void A_service_list_exported_with_the_German_list_separator_is_recognised_and_read()
    {
        var path = Evidence("LocalizedServices", "dienste.csv");
        Assert.Equal(EvidenceFileKind.ServiceStates, EvidenceRecognizer.Recognize(path));

        var services = ServerStateFile.ParseServiceCsv(File.ReadAllText(path));

        Assert.Equal(8, services.Count);
        var bits = services.Single(s => s.Name == SiteServices.Bits);
        Assert.Equal(ServiceState.Stopped, bits.State);
        Assert.Equal(ServiceStartType.Disabled, bits.StartType);
        Assert.Equal("WSUS-Dienst", services[0].DisplayName);
    }
}
