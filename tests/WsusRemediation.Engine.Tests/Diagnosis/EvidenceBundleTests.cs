using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Engine.Tests.Simulation;
using Xunit;

namespace WsusRemediation.Engine.Tests.Diagnosis;

/// <summary>
/// Export-WsusSyncEvidence: bundles round-trip into Get-WsusSyncDiagnosis -EvidencePath, and no secret
/// of Fixtures/Evidence/SecretsCase (an [enc:…:enc] pool password, password attributes, a connection
/// string, a proxy password in a text file and in a .reg export, a binary file) enters the zip.
/// </summary>
public sealed class EvidenceBundleTests
{
    private static readonly string[] Secrets = { "Pl@inText-Secret1", "PlainVdirSecret7", "Secret-Proxy-Pass9", "Reg-Stored-Secret4", "hAZBQ2Vjb3JkU2VjcmV0LVBvb2wtUGFzczE=", "Binary-Hidden-Secret5" };

    private static readonly DateTimeOffset ExportedAt = new(2026, 12, 24, 9, 0, 0, TimeSpan.Zero);

    private static string Folder(string scenario) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evidence", scenario);

    private static WsusEvidenceBundle Export(string zip, params string[] sources) =>
        new EvidenceExportService(new VirtualClock(ExportedAt)).ExportFiles(sources, zip, null, CancellationToken.None);

    private static List<(string Name, byte[] Bytes)> Entries(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
    }

    [Fact]
    public void A_log_with_the_NUL_padding_a_crash_leaves_goes_into_the_bundle_and_is_read_from_it()
    {
        // realworld/wsyncmgr-cmtrace.log: a record cut by 40 NUL bytes, logging resumed after them on the same line.
        // Before: excluded as a "binary file", so a bundle collected after a crash held no wsyncmgr.log at all.
        using var folder = new TempFolder();
        var collected = Directory.CreateDirectory(Path.Combine(folder.Path, "collected")).FullName;
        var log = Path.Combine(collected, "wsyncmgr.log");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Logs", "realworld", "wsyncmgr-cmtrace.log"), log);
        // A binary file that is not a log stays out, and so does one whose NULs are UTF-16 text inside binary data.
        File.WriteAllBytes(Path.Combine(collected, "System.evtx"), new byte[] { 0x45, 0x6C, 0x66, 0x46, 0x69, 0x6C, 0x65, 0x00, 0, 0, 0, 0, 1, 0, 0, 0, 0x80, 0, 0x10, 0 });
        var dump = File.ReadAllText(log).Replace("Starting Sync", "S\0t\0a\0r\0t\0");
        File.WriteAllText(Path.Combine(collected, "wcm-dump.log"), dump);
        var zip = Path.Combine(folder.Path, "evidence.zip");

        var bundle = Export(zip, collected);

        Assert.Equal(File.ReadAllBytes(log), Entries(zip).Single(e => e.Name == "collected/wsyncmgr.log").Bytes);
        Assert.Equal(new[] { "System.evtx", "wcm-dump.log" }, bundle.Excluded.Select(e => Path.GetFileName(e.From)).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(bundle.Excluded, e => Assert.StartsWith("binary file", e.Reason, StringComparison.Ordinal));

        using var evidence = EvidenceSet.FromPaths(new[] { zip });
        var diagnosis = new SyncDiagnosisService().Diagnose(evidence, null, CancellationToken.None);
        Assert.NotEqual(DiagnosisCheckResult.NotRun, diagnosis.Checks.Single(c => c.Id == FindingIds.SyncFailureStreak).Result);
    }

    [Fact]
    public void No_secret_enters_the_bundle_and_each_redaction_is_listed_by_place()
    {
        using var folder = new TempFolder();
        var zip = Path.Combine(folder.Path, "evidence.zip");

        var bundle = Export(zip, Folder("SecretsCase"));

        var entries = Entries(zip);
        foreach (var (name, bytes) in entries)
        {
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, Encoding.Unicode.GetString(bytes), StringComparison.Ordinal);
            }
        }

        Assert.Equal(
            new[]
            {
                ("collected/iis/applicationHost.config", 17, "[enc:...:enc] encrypted value"),
                ("collected/wsus/proxy-settings.txt", 5, "value of ProxyPassword"),
                ("collected/wsus/proxy.reg", 5, "value of ProxyPassword"),
                ("collected/wsus/web.config", 4, "value of Password"),
                ("collected/wsus/web.config", 9, "value of password"),
            },
            bundle.Redactions.Select(r => (r.Path, r.Line, r.What)));
        var excluded = Assert.Single(bundle.Excluded);
        Assert.EndsWith("System.evtx", excluded.From);
        Assert.StartsWith("binary file", excluded.Reason);

        // The manifest lists every file with the SHA-256 of its bytes in the zip, and the redactions by place.
        var manifest = EvidenceManifest.Read(Encoding.UTF8.GetString(entries.Single(e => e.Name == "manifest.json").Bytes), "manifest.json");
        Assert.Equal(entries.Where(e => e.Name != "manifest.json").Select(e => e.Name).OrderBy(n => n), manifest.Files.Select(f => f.Path).OrderBy(n => n));
        foreach (var file in manifest.Files)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            Assert.Equal(Convert.ToHexString(sha.ComputeHash(entries.Single(e => e.Name == file.Path).Bytes)).ToLowerInvariant(), file.Sha256);
        }

        Assert.Equal(5, manifest.Redactions.Count);
        // What Format-List shows for the nested lists: the place, never the value.
        Assert.Equal("collected/wsus/web.config(9): value of password", manifest.Redactions[4].ToString());
        var log = manifest.Files.Single(f => f.Path == "collected/wsyncmgr.log");
        Assert.Equal($"collected/wsyncmgr.log ({log.What})", log.ToString());
        Assert.EndsWith("System.evtx: " + excluded.Reason, excluded.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExportedAt.UtcDateTime, manifest.CollectedAtUtc);
        Assert.Equal("CM01.CONTOSO.COM", manifest.ComputerName);
    }

    [Fact]
    public void Redacted_files_keep_their_encoding_and_everything_that_is_not_secret()
    {
        using var folder = new TempFolder();
        var zip = Path.Combine(folder.Path, "evidence.zip");
        Export(zip, Folder("SecretsCase"));
        var entries = Entries(zip);

        var reg = entries.Single(e => e.Name == "collected/wsus/proxy.reg").Bytes;
        Assert.Equal(new byte[] { 0xFF, 0xFE }, reg.Take(2));
        var original = File.ReadAllText(Path.Combine(Folder("SecretsCase"), "wsus", "proxy.reg"));
        Assert.Equal(original.Replace("Reg-Stored-Secret4", "REDACTED"), Encoding.Unicode.GetString(reg, 2, reg.Length - 2));

        var config = Encoding.UTF8.GetString(entries.Single(e => e.Name == "collected/iis/applicationHost.config").Bytes);
        var originalConfig = File.ReadAllText(Path.Combine(Folder("SecretsCase"), "iis", "applicationHost.config"));
        Assert.Equal(originalConfig.Replace("hAZBQ2Vjb3JkU2VjcmV0LVBvb2wtUGFzczE=", "REDACTED").Replace("IISWASOnlyCngProvider:", string.Empty), config.TrimStart('\uFEFF'));

        // A file without secrets is copied byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(Folder("SecretsCase"), "wsyncmgr.log")), entries.Single(e => e.Name == "collected/wsyncmgr.log").Bytes);
    }

    [Theory]
    [InlineData("<add name=\"a\" password='s3cret' />", "<add name=\"a\" password='REDACTED' />", "value of password")]
    [InlineData("Server=SQL01;Database=SUSDB;Uid=sa;Pwd=hunter2;", "Server=SQL01;Database=SUSDB;Uid=sa;Pwd=REDACTED;", "value of Pwd")]
    [InlineData("{ \"proxyPassword\": \"p@ss\" }", "{ \"proxyPassword\": \"REDACTED\" }", "value of proxyPassword")]
    [InlineData("<processModel password=\"[enc:AesProvider:abc/def==:enc]\" />", "<processModel password=\"[enc:REDACTED:enc]\" />", "[enc:...:enc] encrypted value")]
    [InlineData("ProxyPassword = with spaces inside\r\n", "ProxyPassword = REDACTED\r\n", "value of ProxyPassword")]
    public void Redactor_takes_out_the_value_and_names_the_place(string line, string expected, string what)
    {
        var redactions = new List<ManifestRedaction>();

        Assert.Equal(expected, SecretRedactor.Redact(line, "f", redactions));
        var redaction = Assert.Single(redactions);
        Assert.Equal(("f", 1, what), (redaction.Path, redaction.Line, redaction.What));
    }

    [Theory]
    [InlineData("Sync failed: UssCommunicationError: WebException: The request failed with HTTP status 407: Proxy Authentication Required.")]
    [InlineData("<add name=\"WsusPool\" queueLength=\"2000\" />")]
    [InlineData("password=\"\" userName=\"\"")]
    public void Redactor_leaves_text_without_secrets_alone(string line)
    {
        var redactions = new List<ManifestRedaction>();

        Assert.Equal(line, SecretRedactor.Redact(line, "f", redactions));
        Assert.Empty(redactions);
    }

    [Fact]
    public void A_bundle_read_a_month_later_gives_the_same_findings_as_the_folder()
    {
        using var folder = new TempFolder();
        var zip = Path.Combine(folder.Path, "guide.zip");
        Export(zip, Folder("GuideCase"));

        using var fromFolder = EvidenceSet.FromPaths(new[] { Folder("GuideCase") });
        using var fromZip = EvidenceSet.FromPaths(new[] { zip });
        var direct = new SyncDiagnosisService().Diagnose(fromFolder, null, CancellationToken.None);
        var bundled = new SyncDiagnosisService().Diagnose(fromZip, null, CancellationToken.None);

        Assert.Empty(fromZip.Problems);
        Assert.Equal(direct.ReferenceTimeUtc, bundled.ReferenceTimeUtc);
        Assert.Equal(direct.Findings.Select(f => (f.Id, f.Severity, f.CausedBy, f.Title, f.Evidence.Count)), bundled.Findings.Select(f => (f.Id, f.Severity, f.CausedBy, f.Title, f.Evidence.Count)));
        Assert.All(bundled.Findings.SelectMany(f => f.Evidence).Where(e => e.Line is not null), e => Assert.StartsWith("guide.zip!collected/", e.Source));
    }

    [Fact]
    public void A_file_changed_after_collection_is_reported()
    {
        using var folder = new TempFolder();
        var zip = Path.Combine(folder.Path, "guide.zip");
        Export(zip, Folder("GuideCase"));
        var unpacked = Path.Combine(folder.Path, "unpacked");
        ZipFile.ExtractToDirectory(zip, unpacked);
        File.AppendAllText(Path.Combine(unpacked, "collected", "WCM.log"), "edited by hand\r\n");

        using var evidence = EvidenceSet.FromPaths(new[] { unpacked });

        Assert.Equal("collected/WCM.log differs from the SHA-256 in manifest.json: it was changed after collection.", Assert.Single(evidence.Problems));
        Assert.Equal("CM01.CONTOSO.COM", evidence.ComputerName);

        // A repair plan made from the same evidence carries the same warning (Get-WsusRepairPlan writes it).
        var planInput = RepairPlanning.DiagnoseEvidence(new[] { unpacked }, PoolTuningProfileName.Recommended, CancellationToken.None, null);
        Assert.Equal(evidence.Problems, planInput.Problems);
    }

    [Fact]
    public void A_saved_evtx_beside_the_logs_is_named_as_not_read_with_the_command_that_makes_it_readable()
    {
        using var folder = new TempFolder();
        var collected = Path.Combine(folder.Path, "collected");
        Directory.CreateDirectory(collected);
        File.Copy(Path.Combine(Folder("GuideCase"), "wsyncmgr.log"), Path.Combine(collected, "wsyncmgr.log"));
        // The start of a real .evtx: the "ElfFile" signature, NUL-padded, then binary.
        File.WriteAllBytes(Path.Combine(collected, "System.evtx"), new byte[] { 0x45, 0x6C, 0x66, 0x46, 0x69, 0x6C, 0x65, 0x00, 0, 0, 0, 0, 1, 0, 0, 0, 0x80, 0, 0x10, 0 });

        using var evidence = EvidenceSet.FromPaths(new[] { collected });

        var problem = Assert.Single(evidence.Problems);
        Assert.StartsWith("System.evtx is a saved event log (.evtx), which is not read", problem, StringComparison.Ordinal);
        Assert.Contains("wevtutil qe \"" + Path.Combine(collected, "System.evtx") + "\" /lf:true /f:xml /e:Events > System.xml", problem, StringComparison.Ordinal);
        Assert.Contains("System.evtx", evidence.Ignored);
    }

    [Fact]
    public void Since_leaves_out_logs_with_nothing_newer()
    {
        using var folder = new TempFolder();
        var zip = Path.Combine(folder.Path, "recent.zip");

        var bundle = new EvidenceExportService(new VirtualClock(ExportedAt)).ExportFiles(new[] { Folder("GuideCase") }, zip, new DateTime(2026, 11, 7, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);

        Assert.Contains(bundle.Excluded, e => e.From.EndsWith("wsyncmgr.lo_", StringComparison.Ordinal) && e.Reason.StartsWith("nothing in it is newer than -Since", StringComparison.Ordinal));
        Assert.Contains(bundle.Files, f => f.Path == "collected/wsyncmgr.log");
        Assert.Contains(bundle.Files, f => f.Path == "collected/applicationHost.config");
    }

    // ---- live collection, on the simulated site server

    private sealed class FakeEvents : IEventLogSource
    {
        private readonly string _system;

        public FakeEvents(string system) => _system = system;

        public IEnumerable<string> Query(string channel, string xpath, CancellationToken cancellationToken) =>
            channel == "System" ? _system.Split('\n').Where(l => l.StartsWith("<Event", StringComparison.Ordinal)).Select(l => l.TrimEnd('\r')) : Enumerable.Empty<string>();
    }

    private sealed class FakeWsus : IWsusServerInspector
    {
        public WsusServerFacts Read(CancellationToken cancellationToken) => new()
        {
            Configuration = new WsusServerConfiguration { SyncFromMicrosoftUpdate = true, UseProxy = true, ProxyName = "proxy.contoso.com", ProxyServerPort = 8080, ProxyUserName = "svc-wsus", ContentDirectory = @"D:\WSUS" },
            ContentFolderSddl = "D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;NS)",
        };
    }

    private sealed class FakeNetwork : INetworkProbe
    {
        public List<string> Calls { get; } = new();

        public NetworkProbeResult Resolve(string host, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Calls.Add("resolve " + host);
            return new NetworkProbeResult { Step = "NameResolution", Target = host, Outcome = NetworkProbeOutcome.Succeeded };
        }

        public NetworkProbeResult Connect(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Calls.Add($"connect {host}:{port}");
            return new NetworkProbeResult { Step = "TcpConnect", Target = host, Port = port, Outcome = NetworkProbeOutcome.Succeeded };
        }

        public NetworkProbeResult ConnectThroughProxy(string proxyHost, int proxyPort, string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Calls.Add($"connect {host}:{port} via {proxyHost}:{proxyPort}");
            return new NetworkProbeResult { Step = "ProxyConnect", Target = host, Port = port, Proxy = $"{proxyHost}:{proxyPort}", Outcome = NetworkProbeOutcome.TimedOut, Detail = "no answer within 5 s" };
        }
    }

    private static (LiveEvidenceSources Sources, SimulatedSiteServer Server, FakeNetwork Network) LiveGuideServer(TempFolder folder)
    {
        var logs = Path.Combine(folder.Path, "Logs");
        Directory.CreateDirectory(logs);
        foreach (var name in new[] { "wsyncmgr.log", "wsyncmgr.lo_", "WCM.log", "SoftwareDistribution.log", "httperr2.log" })
        {
            File.Copy(Path.Combine(Folder("GuideCase"), name), Path.Combine(logs, name));
        }

        var clock = new VirtualClock(new DateTimeOffset(2026, 11, 13, 14, 45, 0, TimeSpan.Zero));
        var server = SimulatedSiteServer.Typical(clock, "CM01");
        server.Pool("WsusPool").State = AppPoolState.Stopped;
        server.Service("SMS_EXECUTIVE").State = ServiceState.Stopped;
        var network = new FakeNetwork();
        var sources = new LiveEvidenceSources
        {
            Clock = clock,
            Services = server,
            Pools = server,
            Events = new FakeEvents(File.ReadAllText(Path.Combine(Folder("GuideCase"), "events.xml"))),
            Wsus = new FakeWsus(),
            Network = network,
            LogLocations = new[] { new LogLocation(logs, new[] { "wsyncmgr.lo?", "WCM.log", "SoftwareDistribution.log", "httperr*.log" }, "collected logs") },
            ApplicationHostConfigPath = Path.Combine(Folder("GuideCase"), "applicationHost.config"),
        };
        return (sources, server, network);
    }

    [Fact]
    public void Live_diagnosis_adds_what_only_a_live_server_shows()
    {
        using var folder = new TempFolder();
        var (sources, _, network) = LiveGuideServer(folder);

        var diagnosis = new SyncDiagnosisService().DiagnoseLive(sources, null, null, runNetworkChecks: true, CancellationToken.None);

        Assert.Equal(new DateTime(2026, 11, 13, 14, 45, 0, DateTimeKind.Utc), diagnosis.ReferenceTimeUtc);
        var ids = diagnosis.Findings.Select(f => f.Id).ToList();
        Assert.Contains(FindingIds.PoolStopped, ids);
        Assert.Contains(FindingIds.SmsServiceNotRunning, ids);
        Assert.Contains(FindingIds.ContentFolderAccessDenied, ids);
        Assert.Contains(FindingIds.UpstreamUnreachable, ids);
        Assert.Equal(FindingIds.PoolDisabledByRapidFailProtection, diagnosis.Findings.Single(f => f.Id == FindingIds.PoolStopped).CausedBy);
        Assert.Equal(FindingSeverity.Critical, diagnosis.Findings.Single(f => f.Id == FindingIds.SmsServiceNotRunning).Severity);
        Assert.EndsWith("lacks Read for Users (Missing)", diagnosis.Findings.Single(f => f.Id == FindingIds.ContentFolderAccessDenied).Title, StringComparison.Ordinal);
        Assert.DoesNotContain(diagnosis.Checks, c => c.Result == DiagnosisCheckResult.NotRun && c.Id != FindingIds.ConfigMgrHasNoUpdates);

        // The names exactly as configured, through the proxy; the check never sends credentials (the port has no way to).
        Assert.Equal(new[] { "resolve proxy.contoso.com", "connect proxy.contoso.com:8080", "connect sws.update.microsoft.com:443 via proxy.contoso.com:8080" }, network.Calls);
    }

    [Fact]
    public void A_live_diagnosis_refuses_a_Since_in_the_future_before_it_collects_anything()
    {
        using var folder = new TempFolder();
        var (sources, _, network) = LiveGuideServer(folder);
        var tomorrow = sources.Clock.UtcNow.UtcDateTime.AddDays(1);

        var refused = Assert.Throws<WsusRemediationException>(() => new SyncDiagnosisService().DiagnoseLive(sources, null, new DiagnosisOptions { SinceUtc = tomorrow }, runNetworkChecks: true, CancellationToken.None));

        Assert.Equal("SinceAfterEvidence", refused.ErrorId);
        Assert.Contains("when it was collected", refused.Message, StringComparison.Ordinal);
        Assert.Empty(network.Calls);
    }

    [Fact]
    public void A_live_bundle_read_back_gives_the_live_findings()
    {
        using var folder = new TempFolder();
        var (sources, _, _) = LiveGuideServer(folder);
        var zip = Path.Combine(folder.Path, "cm01.zip");

        var live = new SyncDiagnosisService().DiagnoseLive(sources, null, null, runNetworkChecks: true, CancellationToken.None);
        var bundle = new EvidenceExportService(sources.Clock).ExportLive(sources, null, zip, null, runNetworkChecks: true, CancellationToken.None);
        using var evidence = EvidenceSet.FromPaths(new[] { zip });
        var offline = new SyncDiagnosisService().Diagnose(evidence, null, CancellationToken.None);

        Assert.Contains(bundle.Files, f => f.Path == "state/server-state.ini" && f.What == EvidenceFileKind.ServerState);
        Assert.Contains(bundle.Files, f => f.Path == "state/services.csv" && f.From == "Service Control Manager");
        Assert.Contains(bundle.Files, f => f.Path == "events/System.xml" && f.From == "EventLog:System");
        Assert.Contains(bundle.Files, f => f.Path == "logs/configmgr/wsyncmgr.lo_");
        Assert.Contains(bundle.Files, f => f.Path == "config/applicationHost.config");
        Assert.Equal(live.Findings.Select(f => (f.Id, f.CausedBy)), offline.Findings.Select(f => (f.Id, f.CausedBy)));
    }

    [Fact]
    public void Network_checks_use_the_upstream_server_as_configured_and_skip_what_cannot_resolve()
    {
        var plan = NetworkChecks.Plan(new WsusServerConfiguration { SyncFromMicrosoftUpdate = false, UpstreamServerName = "upstream01", UpstreamServerUseSsl = true });
        Assert.Equal(new[] { "NameResolution upstream01", "TcpConnect upstream01:8531" }, plan.Select(c => c.ToString()));

        var probe = new UnresolvingNetwork();
        var results = NetworkChecks.Run(plan, probe, NetworkChecks.DefaultTimeout, CancellationToken.None);
        Assert.Equal(NetworkProbeOutcome.NameNotResolved, Assert.Single(results).Outcome);
    }

    private sealed class UnresolvingNetwork : INetworkProbe
    {
        public NetworkProbeResult Resolve(string host, TimeSpan timeout, CancellationToken cancellationToken) =>
            new() { Step = "NameResolution", Target = host, Outcome = NetworkProbeOutcome.NameNotResolved };

        public NetworkProbeResult Connect(string host, int port, TimeSpan timeout, CancellationToken cancellationToken) => throw new InvalidOperationException("must not connect to a name that does not resolve");

        public NetworkProbeResult ConnectThroughProxy(string proxyHost, int proxyPort, string host, int port, TimeSpan timeout, CancellationToken cancellationToken) => throw new InvalidOperationException();
    }

    [Fact]
    public void Server_state_file_round_trips_and_has_no_password_key()
    {
        var state = new ServerState
        {
            ComputerName = "CM01",
            CollectedAtUtc = new DateTime(2026, 11, 13, 14, 45, 0, DateTimeKind.Utc),
            Wsus = new WsusServerConfiguration { UseProxy = true, ProxyName = "proxy", ProxyServerPort = 8080, ProxyUserName = "svc", SyncFromMicrosoftUpdate = true },
            PoolName = "WsusPool",
            PoolState = "Stopped",
            ConfigMgrUpdateCount = 0,
            NetworkProbes = new[] { new NetworkProbeResult { Step = "TcpConnect", Target = "proxy", Port = 8080, Outcome = NetworkProbeOutcome.Refused, Detail = "refused" } },
        };

        var text = ServerStateFile.Write(state);
        var read = ServerStateFile.Parse(text);

        Assert.Equal(EvidenceFileKind.ServerState, EvidenceRecognizer.Recognize(text, "anything.txt"));
        Assert.DoesNotContain("password", text.Replace("no secret is ever written here", string.Empty), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("CM01", "Stopped", 0, "proxy", 8080), (read.ComputerName, read.PoolState, read.ConfigMgrUpdateCount, read.Wsus!.ProxyName, read.Wsus.ProxyServerPort));
        Assert.Equal(NetworkProbeOutcome.Refused, Assert.Single(read.NetworkProbes).Outcome);
    }
}
