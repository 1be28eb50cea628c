using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// The evidence of one server: files recognised by their content (from a live server, an
    /// Export-WsusSyncEvidence zip or folder, or any folder collected by hand) and the server state
    /// collected with them. A zip is unpacked into a temporary folder that <see cref="Dispose"/> removes.
    /// </summary>
    public sealed class EvidenceSet : IDisposable
    {
        private readonly string? _temporaryFolder;

        private EvidenceSet(IReadOnlyList<EvidenceFile> files, IReadOnlyList<string> ignored, IReadOnlyList<string> problems, ServerState? state, string? computerName, DateTime? collectedAtUtc, bool isLive, string? temporaryFolder)
        {
            Files = files;
            Ignored = ignored;
            Problems = problems;
            State = state;
            ComputerName = computerName;
            CollectedAtUtc = collectedAtUtc;
            IsLive = isLive;
            _temporaryFolder = temporaryFolder;
        }

        /// <summary>The files recognised, in reading order (each <c>.lo_</c> before its <c>.log</c>).</summary>
        public IReadOnlyList<EvidenceFile> Files { get; }

        /// <summary>Files that were looked at and not recognised (their place, for -Verbose).</summary>
        public IReadOnlyList<string> Ignored { get; }

        /// <summary>What is wrong with the evidence itself (a file whose SHA-256 differs from the manifest's).</summary>
        public IReadOnlyList<string> Problems { get; }

        /// <summary>The server state (WSUS settings, pool state, MECM's update count, network checks), when collected.</summary>
        public ServerState? State { get; }

        /// <summary>The computer the evidence is from, when the manifest or the state says it.</summary>
        public string? ComputerName { get; }

        /// <summary>When it was collected (the manifest's time, or now for a live server).</summary>
        public DateTime? CollectedAtUtc { get; }

        /// <summary>True when read from the live server.</summary>
        public bool IsLive { get; }

        /// <summary>The files of one kind.</summary>
        public IEnumerable<EvidenceFile> OfKind(EvidenceFileKind kind) => Files.Where(f => f.Kind == kind);

        /// <summary>
        /// Reads files, folders (searched with their subfolders) and Export-WsusSyncEvidence zips, each file
        /// recognised by its content. Throws <c>EvidencePathNotFound</c>, <c>EvidenceBundleInvalid</c> or,
        /// when nothing usable is found, <c>EvidenceNotFound</c>.
        /// </summary>
        public static EvidenceSet FromPaths(IEnumerable<string> paths)
        {
            var list = (paths ?? throw new ArgumentNullException(nameof(paths))).ToList();
            string? temporary = null;
            try
            {
                var candidates = new List<(string Path, string Display)>();
                foreach (var path in list)
                {
                    if (Directory.Exists(path))
                    {
                        var root = Path.GetFullPath(path);
                        foreach (var file in Enumerate(root))
                        {
                            candidates.Add((file, Relative(root, file)));
                        }
                    }
                    else if (File.Exists(path))
                    {
                        var full = Path.GetFullPath(path);
                        if (IsZip(full))
                        {
                            temporary ??= Path.Combine(Path.GetTempPath(), "WsusRemediation-" + Guid.NewGuid().ToString("N"));
                            var target = Path.Combine(temporary, candidates.Count.ToString(CultureInfo.InvariantCulture));
                            Unzip(full, target);
                            foreach (var file in Enumerate(target))
                            {
                                candidates.Add((file, Path.GetFileName(full) + "!" + Relative(target, file)));
                            }
                        }
                        else
                        {
                            candidates.Add((full, Path.GetFileName(full)));
                        }
                    }
                    else
                    {
                        throw new WsusRemediationException("EvidencePathNotFound", EngineErrorKind.ObjectNotFound, $"'{path}' does not exist.", path)
                        {
                            RecommendedAction = "Name an Export-WsusSyncEvidence zip, or a folder of files collected from the server.",
                        };
                    }
                }

                var files = new List<EvidenceFile>();
                var ignored = new List<string>();
                var problems = new List<string>();
                ServerState? state = null;
                string? computer = null;
                DateTime? collectedAt = null;
                var manifests = new List<(string Path, string Display)>();
                foreach (var (file, display) in candidates)
                {
                    var kind = EvidenceRecognizer.Recognize(file);
                    switch (kind)
                    {
                        case EvidenceFileKind.Unknown:
                            ignored.Add(display);

                            // What admins bring in a shape that is not read, though it holds what half the rules need
                            // (saved event logs, event lists as CSV, IIS's request logs): say so, and what to bring instead.
                            if (EvidenceRecognizer.NotReadAdvice(file, display) is { } advice)
                            {
                                problems.Add(advice);
                            }

                            break;
                        case EvidenceFileKind.Manifest:
                            manifests.Add((file, display));
                            break;
                        case EvidenceFileKind.ServerState:
                            state = ServerStateFile.Parse(File.ReadAllText(file));
                            files.Add(new EvidenceFile(file, display, kind));
                            break;
                        default:
                            files.Add(new EvidenceFile(file, display, kind));
                            break;
                    }
                }

                var origins = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var (manifest, display) in manifests)
                {
                    var read = EvidenceManifest.Read(File.ReadAllText(manifest), display);
                    computer ??= read.ComputerName;
                    collectedAt = Latest(collectedAt, read.CollectedAtUtc);
                    var folder = Path.GetDirectoryName(manifest) ?? string.Empty;
                    foreach (var entry in read.Files)
                    {
                        var onDisk = Path.Combine(folder, entry.Path.Replace('/', Path.DirectorySeparatorChar));
                        origins[Path.GetFullPath(onDisk)] = entry.From;
                        if (!File.Exists(onDisk))
                        {
                            problems.Add($"{entry.Path} is listed in {display} but missing from the bundle.");
                        }
                        else if (!string.Equals(Sha256(onDisk), entry.Sha256, StringComparison.OrdinalIgnoreCase))
                        {
                            problems.Add($"{entry.Path} differs from the SHA-256 in {display}: it was changed after collection.");
                        }
                    }
                }

                if (files.Count == 0)
                {
                    throw new WsusRemediationException(
                        "EvidenceNotFound",
                        EngineErrorKind.ObjectNotFound,
                        $"No evidence was recognised in {string.Join(", ", list.Select(p => "'" + p + "'"))}" + (ignored.Count > 0 ? $" ({ignored.Count} other file(s) looked at)." : "."),
                        string.Join(", ", list))
                    {
                        RecommendedAction = "Collect the evidence with Export-WsusSyncEvidence, or copy wsyncmgr.log, WCM.log, SoftwareDistribution.log, httperr*.log, applicationHost.config and the System/Application events as XML (wevtutil qe System /f:xml /e:Events).",
                    };
                }

                var ordered = EvidenceOrder(files.Select(f => origins.TryGetValue(Path.GetFullPath(f.Path), out var from) ? new EvidenceFile(f.Path, f.DisplayPath, f.Kind, from) : f));
                return new EvidenceSet(ordered, ignored, problems, state, computer ?? state?.ComputerName, collectedAt ?? state?.CollectedAtUtc, isLive: false, temporary);
            }
            catch
            {
                DeleteQuietly(temporary);
                throw;
            }
        }

        /// <summary>
        /// The evidence of a live server: its files where they are (logs in place, generated files in a
        /// folder the caller owns) and the state just read.
        /// </summary>
        public static EvidenceSet FromLive(IEnumerable<EvidenceFile> files, ServerState state, string computerName, DateTime collectedAtUtc, string? temporaryFolder = null) =>
            new EvidenceSet(EvidenceOrder(files ?? throw new ArgumentNullException(nameof(files))), Array.Empty<string>(), Array.Empty<string>(), state, computerName, collectedAtUtc, isLive: true, temporaryFolder);

        /// <summary>SHA-256 of a file, lower-case hex.</summary>
        public static string Sha256(string path)
        {
            using var stream = File.OpenRead(path);
            using var sha = SHA256.Create();
            return string.Concat(sha.ComputeHash(stream).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }

        /// <inheritdoc />
        public void Dispose() => DeleteQuietly(_temporaryFolder);

        private static List<EvidenceFile> EvidenceOrder(IEnumerable<EvidenceFile> files)
        {
            var all = files.ToList();
            var byPath = all.GroupBy(f => f.Path, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            return Logs.EvidenceReader.OrderForReading(byPath.Keys, addRollover: false).Select(p => byPath[p]).ToList();
        }

        private static IEnumerable<string> Enumerate(string root)
        {
            try
            {
                return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.OrdinalIgnoreCase).ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                throw new WsusRemediationException("EvidenceFolderUnreadable", ex is IOException ? EngineErrorKind.ReadError : EngineErrorKind.PermissionDenied, $"'{root}' cannot be searched: {ex.Message}", root, ex);
            }
        }

        private static string Relative(string root, string file)
        {
            var prefix = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            return (file.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? file.Substring(prefix.Length) : Path.GetFileName(file)).Replace('\\', '/');
        }

        private static bool IsZip(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);
                var magic = new byte[4];
                return stream.Read(magic, 0, 4) == 4 && magic[0] == 0x50 && magic[1] == 0x4B && magic[2] == 0x03 && magic[3] == 0x04;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static void Unzip(string zip, string target)
        {
            try
            {
                Directory.CreateDirectory(target);
                var root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
                using var archive = ZipFile.OpenRead(zip);
                foreach (var entry in archive.Entries)
                {
                    if (string.IsNullOrEmpty(entry.Name))
                    {
                        continue;
                    }

                    // An entry named "../x" must not write outside the temporary folder.
                    var destination = Path.GetFullPath(Path.Combine(target, entry.FullName.Replace('\\', '/').TrimStart('/')));
                    if (!destination.StartsWith(root, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new InvalidDataException($"the entry '{entry.FullName}' points outside the bundle");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    entry.ExtractToFile(destination, overwrite: true);
                }
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                throw new WsusRemediationException("EvidenceBundleInvalid", EngineErrorKind.InvalidData, $"'{zip}' cannot be read as an evidence bundle: {ex.Message}", zip, ex);
            }
        }

        private static DateTime? Latest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

        private static void DeleteQuietly(string? folder)
        {
            if (folder is null)
            {
                return;
            }

            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // A file still open (an antivirus scan) leaves the temporary folder behind; nothing else depends on it.
            }
        }
    }
}
