using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Iis;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Services;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>One thing collected from a live server: the file (in place, or written into the staging folder) and its place in a bundle.</summary>
    public sealed class CollectedEvidence
    {
        /// <summary>Creates an item.</summary>
        public CollectedEvidence(EvidenceFile file, string bundlePath, DateTime collectedAtUtc)
        {
            File = file;
            BundlePath = bundlePath;
            CollectedAtUtc = collectedAtUtc;
        }

        /// <summary>The file; <see cref="EvidenceFile.Origin"/> says where it came from.</summary>
        public EvidenceFile File { get; }

        /// <summary>Where Export-WsusSyncEvidence puts it (forward slashes).</summary>
        public string BundlePath { get; }

        /// <summary>When it was collected.</summary>
        public DateTime CollectedAtUtc { get; }
    }

    /// <summary>What a live collection found, and what it could not collect.</summary>
    public sealed class LiveCollection
    {
        /// <summary>The files.</summary>
        public IReadOnlyList<CollectedEvidence> Items { get; init; } = Array.Empty<CollectedEvidence>();

        /// <summary>The state read besides files.</summary>
        public ServerState State { get; init; } = new ServerState();

        /// <summary>What could not be collected, and why.</summary>
        public IReadOnlyList<ManifestExclusion> NotCollected { get; init; } = Array.Empty<ManifestExclusion>();

        /// <summary>The computer.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>When the collection ran.</summary>
        public DateTime CollectedAtUtc { get; init; }

        /// <summary>The evidence set the diagnosis reads (the caller keeps the staging folder until done).</summary>
        public EvidenceSet ToEvidenceSet() => EvidenceSet.FromLive(Items.Select(i => i.File), State, ComputerName, CollectedAtUtc);
    }

    /// <summary>The ports a live collection reads through; each may be missing (that evidence is then not collected).</summary>
    public sealed class LiveEvidenceSources
    {
        /// <summary>The clock (collection time).</summary>
        public IClock Clock { get; init; } = SystemClock.Instance;

        /// <summary>Service states.</summary>
        public IServiceControlManager? Services { get; init; }

        /// <summary>The pool's state.</summary>
        public IAppPoolControl? Pools { get; init; }

        /// <summary>System and Application events.</summary>
        public IEventLogSource? Events { get; init; }

        /// <summary>MECM's update count.</summary>
        public IConfigMgrSyncProvider? ConfigMgr { get; init; }

        /// <summary>WSUS's settings and content folder rules.</summary>
        public IWsusServerInspector? Wsus { get; init; }

        /// <summary>TLS and WSUS setup registry values.</summary>
        public IRegistryValues? Registry { get; init; }

        /// <summary>Network checks; null skips them (Export-WsusSyncEvidence runs them too, so a bundle carries them).</summary>
        public INetworkProbe? Network { get; init; }

        /// <summary>The folders holding the MECM, WSUS and HTTPERR logs.</summary>
        public IReadOnlyList<LogLocation> LogLocations { get; init; } = Array.Empty<LogLocation>();

        /// <summary>The applicationHost.config IIS uses.</summary>
        public string? ApplicationHostConfigPath { get; init; }
    }

    /// <summary>
    /// Collects a live server's evidence: its logs where they are (MECM logs with their rollovers,
    /// SoftwareDistribution.log, HTTPERR), applicationHost.config, and, written into a staging folder,
    /// the known System/Application events as XML, service states (CSV), TLS and WSUS registry values
    /// (a .reg export), the content folder's SDDL (icacls /save form) and the server state (WSUS
    /// settings, pool state, MECM's update count, network checks). A part that cannot be read is
    /// listed in <see cref="LiveCollection.NotCollected"/>; the rest goes on.
    /// </summary>
    public sealed class LiveEvidenceCollector
    {
        /// <summary>The registry values read: .NET strong cryptography, SCHANNEL's TLS 1.2 client, WSUS setup.</summary>
        public static readonly IReadOnlyList<(string Key, string Name)> RegistryValues = new[]
        {
            (@"SOFTWARE\Microsoft\.NETFramework\v4.0.30319", "SchUseStrongCrypto"),
            (@"SOFTWARE\Microsoft\.NETFramework\v4.0.30319", "SystemDefaultTlsVersions"),
            (@"SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319", "SchUseStrongCrypto"),
            (@"SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319", "SystemDefaultTlsVersions"),
            (@"SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client", "Enabled"),
            (@"SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client", "DisabledByDefault"),
            (@"SOFTWARE\Microsoft\Update Services\Server\Setup", "ContentDir"),
            (@"SOFTWARE\Microsoft\Update Services\Server\Setup", "PortNumber"),
            (@"SOFTWARE\Microsoft\Update Services\Server\Setup", "UsingSSL"),
        };

        private readonly LiveEvidenceSources _sources;

        /// <summary>Creates a collector over the given ports.</summary>
        public LiveEvidenceCollector(LiveEvidenceSources sources) => _sources = sources ?? throw new ArgumentNullException(nameof(sources));

        /// <summary>Collects. <paramref name="stagingFolder"/> receives the generated files (the caller deletes it).</summary>
        public LiveCollection Collect(string? computerName, string stagingFolder, DateTime? sinceUtc, bool runNetworkChecks, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            Directory.CreateDirectory(stagingFolder ?? throw new ArgumentNullException(nameof(stagingFolder)));
            var now = _sources.Clock.UtcNow.UtcDateTime;
            var shown = ServiceErrors.IsLocal(computerName) ? Environment.MachineName : computerName!;
            var items = new List<CollectedEvidence>();
            var missing = new List<ManifestExclusion>();

            void Skip(string what, string why)
            {
                missing.Add(new ManifestExclusion { From = what, Reason = why });
                verbose?.Invoke($"Not collected: {what}: {why}");
            }

            void Generated(string name, string text, Encoding encoding, EvidenceFileKind kind, string origin, string bundlePath)
            {
                var path = Path.Combine(stagingFolder, name);
                File.WriteAllText(path, text, encoding);
                items.Add(new CollectedEvidence(new EvidenceFile(path, origin, kind, origin), bundlePath, now));
            }

            // Logs, in place.
            foreach (var location in _sources.LogLocations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var files = location.FindFiles();
                    if (files.Count == 0)
                    {
                        Skip(location.Folder, $"{location.Description}: none of {string.Join(", ", location.Patterns)} found");
                    }

                    foreach (var file in files)
                    {
                        var kind = EvidenceRecognizer.Recognize(file);
                        if (kind == EvidenceFileKind.Unknown)
                        {
                            Skip(file, "not a recognised log");
                            continue;
                        }

                        items.Add(new CollectedEvidence(new EvidenceFile(file, file, kind, file), BundleFolder(kind) + "/" + Path.GetFileName(file), now));
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
                {
                    Skip(location.Folder, $"{location.Description}: {ex.Message}");
                }
            }

            if (_sources.ApplicationHostConfigPath is { } config)
            {
                if (File.Exists(config))
                {
                    items.Add(new CollectedEvidence(new EvidenceFile(config, config, EvidenceFileKind.ApplicationHostConfig, config), "config/applicationHost.config", now));
                }
                else
                {
                    Skip(config, "IIS configuration not found");
                }
            }

            // Events, as XML.
            if (_sources.Events is { } events)
            {
                foreach (var channel in new[] { "System", "Application" })
                {
                    try
                    {
                        var xml = new StringBuilder();
                        var count = 0;
                        foreach (var query in EventLogEvidence.KnownEventQueries(sinceUtc).Where(q => q.Channel == channel))
                        {
                            foreach (var record in events.Query(query.Channel, query.XPath, cancellationToken))
                            {
                                xml.Append(record).Append("\r\n");
                                count++;
                            }
                        }

                        Generated($"events-{channel}.xml", xml.ToString(), new UTF8Encoding(false), EvidenceFileKind.EventXml, "EventLog:" + channel, $"events/{channel}.xml");
                        verbose?.Invoke($"Read {count} {channel} events.");
                    }
                    catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
                    {
                        Skip("EventLog:" + channel, ex.Message);
                    }
                }
            }
            else
            {
                Skip("EventLog", ServiceErrors.IsLocal(computerName) ? "the event log cannot be read here" : "events are read on the local computer only; run the command on the server");
            }

            // Services.
            if (_sources.Services is { } scm)
            {
                try
                {
                    var scmComputer = ServiceErrors.IsLocal(computerName) ? null : computerName;
                    var snapshots = SiteServices.StatusView().Select(expected =>
                    {
                        var info = scm.GetService(scmComputer, expected.Name);
                        return info is null
                            ? new ServiceSnapshot { Name = expected.Name, DisplayName = expected.Name, Present = false }
                            : new ServiceSnapshot { Name = info.Name, DisplayName = info.DisplayName, State = info.State, StartType = info.StartType };
                    }).ToList();
                    Generated("services.csv", ServerStateFile.WriteServiceCsv(snapshots), new UTF8Encoding(false), EvidenceFileKind.ServiceStates, "Service Control Manager", "state/services.csv");
                }
                catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
                {
                    Skip("Service Control Manager", ex.Message);
                }
            }

            // Registry.
            if (_sources.Registry is { } registry)
            {
                var values = new List<RegistryValue>();
                foreach (var (key, name) in RegistryValues)
                {
                    if (registry.Read(key, name) is { } value)
                    {
                        values.Add(new RegistryValue(@"HKEY_LOCAL_MACHINE\" + key, name, value));
                    }
                }

                Generated("registry.reg", RegistryExport.Write(values), Encoding.Unicode, EvidenceFileKind.RegistryExport, "HKLM (TLS, .NET, WSUS setup)", "state/registry.reg");
            }

            // WSUS settings and the content folder.
            WsusServerConfiguration? wsus = null;
            if (_sources.Wsus is { } inspector)
            {
                try
                {
                    var facts = inspector.Read(cancellationToken);
                    wsus = facts.Configuration;
                    foreach (var note in facts.Notes)
                    {
                        Skip("WSUS", note);
                    }

                    if (facts.ContentFolderSddl is { } sddl && wsus?.ContentDirectory is { } folder)
                    {
                        Generated("content-folder.acl", folder + "\r\n" + sddl + "\r\n", Encoding.Unicode, EvidenceFileKind.AccessControlList, folder + " (icacls /save)", "state/content-folder.acl");
                    }
                }
                catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
                {
                    Skip("WSUS configuration", ex.Message);
                }
            }

            // The pool and MECM.
            string? poolName = null;
            string? poolState = null;
            if (_sources.Pools is { } pools)
            {
                try
                {
                    poolName = PoolNameFrom(items) ?? PoolTuningService.DefaultPoolName;
                    poolState = pools.GetPool(ServiceErrors.IsLocal(computerName) ? null : computerName, poolName)?.State.ToString() ?? "NotFound";
                }
                catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
                {
                    Skip("IIS application pool", ex.Message);
                }
            }

            int? updateCount = null;
            if (_sources.ConfigMgr is { } configMgr)
            {
                try
                {
                    updateCount = configMgr.Read(countUpdates: true, cancellationToken).UpdateCount;
                }
                catch (WsusRemediationException ex) when (ex.Kind != EngineErrorKind.OperationStopped)
                {
                    Skip("MECM SMS Provider", ex.Message);
                }
            }

            IReadOnlyList<NetworkProbeResult> probes = Array.Empty<NetworkProbeResult>();
            if (runNetworkChecks && _sources.Network is { } network)
            {
                if (wsus is null)
                {
                    Skip("Network checks", "WSUS's upstream and proxy settings could not be read, so there is no name to check");
                }
                else
                {
                    probes = NetworkChecks.Run(NetworkChecks.Plan(wsus), network, NetworkChecks.DefaultTimeout, cancellationToken, verbose);
                }
            }

            var state = new ServerState
            {
                ComputerName = shown,
                CollectedAtUtc = now,
                Wsus = wsus,
                PoolName = poolName,
                PoolState = poolState,
                ConfigMgrUpdateCount = updateCount,
                NetworkProbes = probes,
            };
            Generated("server-state.ini", ServerStateFile.Write(state), new UTF8Encoding(false), EvidenceFileKind.ServerState, "WSUS API, IIS, SMS Provider, network checks", "state/server-state.ini");
            return new LiveCollection { Items = items, State = state, NotCollected = missing, ComputerName = shown, CollectedAtUtc = now };
        }

        /// <summary>The bundle folder for a kind of file.</summary>
        public static string BundleFolder(EvidenceFileKind kind) => kind switch
        {
            EvidenceFileKind.MecmLog => "logs/configmgr",
            EvidenceFileKind.SoftwareDistributionLog => "logs/wsus",
            EvidenceFileKind.HttpErrLog => "logs/httperr",
            EvidenceFileKind.EventXml => "events",
            EvidenceFileKind.ApplicationHostConfig => "config",
            _ => "state",
        };

        private static string? PoolNameFrom(IEnumerable<CollectedEvidence> items)
        {
            var config = items.FirstOrDefault(i => i.File.Kind == EvidenceFileKind.ApplicationHostConfig);
            if (config is null)
            {
                return null;
            }

            try
            {
                return PoolTuningService.FindWsusPoolName(ApplicationHostDocument.Parse(config.File.Path, File.ReadAllBytes(config.File.Path)));
            }
            catch (Exception ex) when (ex is WsusRemediationException || ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
