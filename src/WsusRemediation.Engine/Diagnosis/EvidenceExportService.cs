using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// Export-WsusSyncEvidence: collects a live server's evidence (or takes files already copied off a
    /// server) and writes one bundle that Get-WsusSyncDiagnosis -EvidencePath reads back.
    /// </summary>
    public sealed class EvidenceExportService
    {
        private readonly IClock _clock;

        /// <summary>Creates the service.</summary>
        public EvidenceExportService(IClock clock) => _clock = clock ?? throw new ArgumentNullException(nameof(clock));

        /// <summary>
        /// Checks the zip to write before anything is collected, and returns it as it will be written: a
        /// name without an extension gets <c>.zip</c> (as Compress-Archive does), so the bundle is not a
        /// file that no tool recognises. Throws <c>InvalidBundlePath</c> (a folder),
        /// <c>EvidenceBundleFolderNotFound</c> (its folder does not exist) or <c>EvidenceBundleExists</c>
        /// (without <paramref name="force"/>).
        /// </summary>
        public static string PrepareBundlePath(string fullPath, bool force)
        {
            if (string.IsNullOrEmpty(fullPath))
            {
                throw new ArgumentException("A path is required.", nameof(fullPath));
            }

            if (Directory.Exists(fullPath))
            {
                throw new WsusRemediationException("InvalidBundlePath", EngineErrorKind.InvalidArgument, $"'{fullPath}' is a folder; -Path names the zip to write.", fullPath)
                {
                    RecommendedAction = $"Name a zip in it, for example -Path '{Path.Combine(fullPath, "evidence.zip")}'.",
                };
            }

            var zip = Path.HasExtension(fullPath) ? fullPath : fullPath + ".zip";
            var folder = Path.GetDirectoryName(zip);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            {
                throw new WsusRemediationException("EvidenceBundleFolderNotFound", EngineErrorKind.ObjectNotFound, $"The folder '{folder}' does not exist, so '{zip}' cannot be written. Nothing was collected.", zip)
                {
                    RecommendedAction = $"Create it first (New-Item -ItemType Directory -Path '{folder}'), or choose another -Path.",
                };
            }

            if (File.Exists(zip) && !force)
            {
                throw new WsusRemediationException("EvidenceBundleExists", EngineErrorKind.InvalidOperation, $"'{zip}' already exists.", zip)
                {
                    RecommendedAction = "Choose another -Path, or add -Force to overwrite it.",
                };
            }

            return zip;
        }

        /// <summary>Collects from a live server into a temporary folder (removed afterwards) and writes the bundle.</summary>
        public WsusEvidenceBundle ExportLive(LiveEvidenceSources sources, string? computerName, string zipPath, DateTime? sinceUtc, bool runNetworkChecks, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            if (sources is null)
            {
                throw new ArgumentNullException(nameof(sources));
            }

            var staging = Path.Combine(Path.GetTempPath(), "WsusRemediation-" + Guid.NewGuid().ToString("N"));
            try
            {
                var collection = new LiveEvidenceCollector(sources).Collect(computerName, staging, sinceUtc, runNetworkChecks, cancellationToken, verbose);
                return EvidenceBundleWriter.Write(zipPath, collection.ComputerName, collection.CollectedAtUtc, sinceUtc, EvidenceBundleWriter.FromLive(collection), collection.NotCollected, cancellationToken, verbose);
            }
            finally
            {
                try
                {
                    if (Directory.Exists(staging))
                    {
                        Directory.Delete(staging, recursive: true);
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    verbose?.Invoke($"Could not remove the temporary folder {staging}: {ex.Message}");
                }
            }
        }

        /// <summary>
        /// Repackages files and folders collected by hand (folders with their subfolders): everything given,
        /// through the redactor, unless <paramref name="sinceUtc"/> leaves out logs with nothing newer. An
        /// older bundle's manifest is replaced by the new one.
        /// </summary>
        public WsusEvidenceBundle ExportFiles(IReadOnlyList<string> sourcePaths, string zipPath, DateTime? sinceUtc, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            if (sourcePaths is null)
            {
                throw new ArgumentNullException(nameof(sourcePaths));
            }

            var now = _clock.UtcNow.UtcDateTime;
            var sources = new List<BundleSource>();
            foreach (var path in sourcePaths)
            {
                if (Directory.Exists(path))
                {
                    sources.AddRange(EvidenceBundleWriter.FromFolder(path, now));
                }
                else if (File.Exists(path))
                {
                    var full = Path.GetFullPath(path);
                    sources.Add(new BundleSource(full, "collected/" + Path.GetFileName(full), full, EvidenceRecognizer.Recognize(full), now));
                }
                else
                {
                    throw new WsusRemediationException("EvidencePathNotFound", EngineErrorKind.ObjectNotFound, $"'{path}' does not exist.", path);
                }
            }

            var zipFull = Path.GetFullPath(zipPath);
            var excluded = new List<ManifestExclusion>();
            var kept = new List<BundleSource>();
            foreach (var source in sources)
            {
                if (string.Equals(Path.GetFullPath(source.Path), zipFull, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (source.Kind == EvidenceFileKind.Manifest)
                {
                    excluded.Add(new ManifestExclusion { From = source.From, Reason = "an earlier bundle's manifest: this bundle has its own" });
                    continue;
                }

                kept.Add(source);
            }

            if (kept.Count == 0)
            {
                throw new WsusRemediationException("EvidenceNotFound", EngineErrorKind.ObjectNotFound, $"No file to put in the bundle was found in {string.Join(", ", sourcePaths)}.", string.Join(", ", sourcePaths));
            }

            var computer = ComputerOf(sourcePaths);
            return EvidenceBundleWriter.Write(zipPath, computer, now, sinceUtc, kept, excluded, cancellationToken, verbose);
        }

        private static string ComputerOf(IReadOnlyList<string> paths)
        {
            try
            {
                using var evidence = EvidenceSet.FromPaths(paths);
                if (!string.IsNullOrEmpty(evidence.ComputerName))
                {
                    return evidence.ComputerName!;
                }

                // Hand-collected files name their server in their events or in wsyncmgr's status messages.
                var facts = SyncFactsBuilder.Build(evidence, null, CancellationToken.None);
                return facts.ComputerName;
            }
            catch (WsusRemediationException)
            {
                return string.Empty;
            }
        }
    }
}
