using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// The diagnosis: reads an evidence set into facts, runs every rule of <see cref="DiagnosisRules"/>
    /// (pure functions over the facts), links each finding to the finding that explains it and orders
    /// them most fundamental cause first. Live and offline differ only in how the evidence set was made.
    /// </summary>
    public sealed class SyncDiagnosisService
    {
        /// <summary>Diagnoses one server's evidence.</summary>
        public SyncDiagnosis Diagnose(EvidenceSet evidence, DiagnosisOptions? options, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            var facts = SyncFactsBuilder.Build(evidence ?? throw new ArgumentNullException(nameof(evidence)), options, cancellationToken, verbose);
            var diagnosis = Diagnose(facts, WsusEndpoint.PortFor(options?.WsusPort, options?.UseSsl ?? false), options?.UseSsl ?? false);
            return new SyncDiagnosis
            {
                ComputerName = diagnosis.ComputerName,
                ReferenceTimeUtc = diagnosis.ReferenceTimeUtc,
                SinceUtc = diagnosis.SinceUtc,
                Findings = diagnosis.Findings,
                Checks = diagnosis.Checks,
                EvidenceFiles = evidence.Files,
                EvidenceProblems = evidence.Problems,
            };
        }

        /// <summary>
        /// Diagnoses a live server in one call: collects its evidence through <paramref name="sources"/> into a
        /// temporary folder (removed afterwards), runs the network checks, and diagnoses what was collected.
        /// </summary>
        public SyncDiagnosis DiagnoseLive(LiveEvidenceSources sources, string? computerName, DiagnosisOptions? options, bool runNetworkChecks, CancellationToken cancellationToken, Action<string>? verbose = null)
        {
            if (sources is null)
            {
                throw new ArgumentNullException(nameof(sources));
            }

            // Refused before minutes of collection: live, the evidence ends now.
            DiagnosisOptions.RequireSinceWithinEvidence(options?.SinceUtc, sources.Clock.UtcNow.UtcDateTime, live: true);
            var staging = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "WsusRemediation-" + Guid.NewGuid().ToString("N"));
            try
            {
                var collection = new LiveEvidenceCollector(sources).Collect(computerName, staging, options?.SinceUtc ?? sources.Clock.UtcNow.UtcDateTime - DiagnosisOptions.DefaultWindow, runNetworkChecks, cancellationToken, verbose);
                using var evidence = collection.ToEvidenceSet();
                return Diagnose(evidence, options, cancellationToken, verbose);
            }
            finally
            {
                try
                {
                    if (System.IO.Directory.Exists(staging))
                    {
                        System.IO.Directory.Delete(staging, recursive: true);
                    }
                }
                catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
                {
                    verbose?.Invoke($"Could not remove the temporary folder {staging}: {ex.Message}");
                }
            }
        }

        /// <summary>Runs the rules over facts already read.</summary>
        public static SyncDiagnosis Diagnose(SyncFacts facts) => Diagnose(facts, WsusEndpoint.DefaultPort, useSsl: false);

        // The findings carry the port and scheme the server's WSUS was reached at, for the repair that follows them.
        private static SyncDiagnosis Diagnose(SyncFacts facts, int wsusPort, bool useSsl)
        {
            if (facts is null)
            {
                throw new ArgumentNullException(nameof(facts));
            }

            var checks = new List<DiagnosisCheck>();
            var drafts = new List<FindingDraft>();
            foreach (var rule in DiagnosisRules.All)
            {
                var outcome = rule.Evaluate(facts);
                checks.Add(new DiagnosisCheck { Id = rule.Id, Result = outcome.Result, Detail = outcome.Detail });
                drafts.AddRange(outcome.Findings);
            }

            var present = new HashSet<string>(drafts.Select(d => d.Finding.Id), StringComparer.Ordinal);
            var linked = drafts.Select(d => Link(d, present, facts.ComputerName, wsusPort, useSsl)).ToList();
            return new SyncDiagnosis
            {
                ComputerName = facts.ComputerName,
                ReferenceTimeUtc = facts.ReferenceTimeUtc,
                SinceUtc = facts.SinceUtc,
                Findings = Order(linked),
                Checks = checks,
            };
        }

        /// <summary>
        /// Causes before effects: root findings by <see cref="DiagnosisRules.CausalOrder"/>, each followed
        /// by what it caused, depth first, so a chain reads as one story.
        /// </summary>
        public static IReadOnlyList<WsusSyncFinding> Order(IReadOnlyList<WsusSyncFinding> findings)
        {
            var byCause = findings.Where(f => f.CausedBy is not null).ToLookup(f => f.CausedBy!, StringComparer.Ordinal);
            var ids = new HashSet<string>(findings.Select(f => f.Id), StringComparer.Ordinal);
            var result = new List<WsusSyncFinding>();
            var done = new HashSet<WsusSyncFinding>();

            void Visit(WsusSyncFinding finding)
            {
                if (!done.Add(finding))
                {
                    return;
                }

                result.Add(finding);
                foreach (var child in byCause[finding.Id].OrderBy(Rank))
                {
                    Visit(child);
                }
            }

            foreach (var root in findings.Where(f => f.CausedBy is null || !ids.Contains(f.CausedBy)).OrderBy(Rank))
            {
                Visit(root);
            }

            // A cycle (never built by the rules) would leave findings out; they are kept, last.
            result.AddRange(findings.Where(f => !done.Contains(f)).OrderBy(Rank));
            return result;
        }

        private static int Rank(WsusSyncFinding finding)
        {
            var at = Array.IndexOf(DiagnosisRules.CausalOrder, finding.Id);
            return at < 0 ? int.MaxValue : at;
        }

        private static WsusSyncFinding Link(FindingDraft draft, HashSet<string> present, string computerName, int wsusPort, bool useSsl)
        {
            var finding = draft.Finding;
            var cause = draft.CausedByCandidates.FirstOrDefault(c => c != finding.Id && present.Contains(c));
            var times = finding.Evidence.Where(e => e.TimeUtc.HasValue).Select(e => e.TimeUtc!.Value).ToList();
            return new WsusSyncFinding
            {
                ComputerName = computerName,
                WsusPort = wsusPort,
                UseSsl = useSsl,
                Id = finding.Id,
                Severity = finding.Severity,
                Title = finding.Title,
                Cause = finding.Cause,
                Fix = finding.Fix,
                RepairStep = finding.RepairStep,
                Evidence = finding.Evidence,
                CausedBy = cause,
                FirstSeen = draft.FirstSeen ?? (times.Count > 0 ? times.Min() : null),
                LastSeen = draft.LastSeen ?? (times.Count > 0 ? times.Max() : null),
                Reference = finding.Reference,
            };
        }
    }

    /// <summary>A finding before it is linked to its cause: the Ids that could explain it, best first.</summary>
    public sealed class FindingDraft
    {
        /// <summary>Creates a draft.</summary>
        public FindingDraft(WsusSyncFinding finding, IEnumerable<string>? causedByCandidates = null, DateTime? firstSeen = null, DateTime? lastSeen = null)
        {
            Finding = finding;
            CausedByCandidates = causedByCandidates?.ToList() ?? new List<string>();
            FirstSeen = firstSeen;
            LastSeen = lastSeen;
        }

        /// <summary>The finding (its CausedBy is set when linked).</summary>
        public WsusSyncFinding Finding { get; }

        /// <summary>The Ids that would explain it, in order of preference.</summary>
        public IReadOnlyList<string> CausedByCandidates { get; }

        /// <summary>The earliest time over all its records (evidence lists only the newest).</summary>
        public DateTime? FirstSeen { get; }

        /// <summary>The latest time over all its records.</summary>
        public DateTime? LastSeen { get; }
    }
}
