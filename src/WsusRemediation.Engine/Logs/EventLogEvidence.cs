using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace WsusRemediation.Engine.Logs
{
    /// <summary>The live event log, as the engine needs it: event XML for a channel and an XPath filter.</summary>
    public interface IEventLogSource
    {
        /// <summary>Returns each matching event's XML (the EvtRender/ToXml shape), oldest first.</summary>
        IEnumerable<string> Query(string channel, string xpath, CancellationToken cancellationToken);
    }

    /// <summary>One event log query: a channel and its XPath filter.</summary>
    public sealed class EventLogQuery
    {
        /// <summary>Creates a query.</summary>
        public EventLogQuery(string channel, string xpath)
        {
            Channel = channel;
            XPath = xpath;
        }

        /// <summary>The channel (System, Application).</summary>
        public string Channel { get; }

        /// <summary>The XPath filter.</summary>
        public string XPath { get; }
    }

    /// <summary>Reads the events the catalog knows from the live event log, so only those are read.</summary>
    public static class EventLogEvidence
    {
        private static readonly Dictionary<string, string> ChannelOfProvider = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft-Windows-WAS"] = "System",
            ["Microsoft-Windows-IIS-W3SVC"] = "System",
            // The worker process's own events (2201-2307, e.g. 2299) go to Application, not System (KB 2635429).
            ["Microsoft-Windows-IIS-W3SVC-WP"] = "Application",
            ["Application Error"] = "Application",
            ["Windows Server Update Services"] = "Application",
            ["Service Control Manager"] = "System",
        };

        /// <summary>
        /// The most terms (provider and event-id tests, plus the time) one XPath query may hold: the event log
        /// refuses structured queries with more than about 22 (elastic/beats#1491).
        /// </summary>
        public const int MaxQueryTerms = 22;

        /// <summary>
        /// The queries for every event in <see cref="EvidenceCatalog.KnownEvents"/>, grouped by channel; a
        /// channel whose providers need more than <see cref="MaxQueryTerms"/> terms gets several queries.
        /// </summary>
        public static IReadOnlyList<EventLogQuery> KnownEventQueries(DateTimeOffset? since)
        {
            var queries = new List<EventLogQuery>();
            var timeTerms = since.HasValue ? 1 : 0;
            foreach (var channel in EvidenceCatalog.KnownEvents.GroupBy(e => ChannelOfProvider.TryGetValue(e.Provider, out var name) ? name : "Application", StringComparer.OrdinalIgnoreCase))
            {
                var batch = new List<(string, IEnumerable<int>)>();
                var terms = timeTerms;
                foreach (var provider in channel.GroupBy(e => e.Provider, StringComparer.OrdinalIgnoreCase))
                {
                    var ids = provider.Select(e => e.EventId).Distinct().ToList();
                    if (batch.Count > 0 && terms + 1 + ids.Count > MaxQueryTerms)
                    {
                        queries.Add(new EventLogQuery(channel.Key, BuildXPath(batch, since)));
                        batch = new List<(string, IEnumerable<int>)>();
                        terms = timeTerms;
                    }

                    batch.Add((provider.Key, ids));
                    terms += 1 + ids.Count;
                }

                if (batch.Count > 0)
                {
                    queries.Add(new EventLogQuery(channel.Key, BuildXPath(batch, since)));
                }
            }

            return queries;
        }

        /// <summary>
        /// Builds <c>*[System[((Provider[@Name='A'] and (EventID=1 or EventID=2)) or (...)) and TimeCreated[@SystemTime&gt;='...']]]</c>.
        /// </summary>
        public static string BuildXPath(IEnumerable<(string Provider, IEnumerable<int> EventIds)> providers, DateTimeOffset? since)
        {
            if (providers is null)
            {
                throw new ArgumentNullException(nameof(providers));
            }

            var clauses = new List<string>();
            foreach (var (provider, ids) in providers)
            {
                var idList = string.Join(" or ", ids.Select(id => "EventID=" + id.ToString(CultureInfo.InvariantCulture)));
                clauses.Add($"(Provider[@Name='{provider.Replace("'", string.Empty)}'] and ({idList}))");
            }

            var text = new StringBuilder("*[System[");
            text.Append('(').Append(string.Join(" or ", clauses)).Append(')');
            if (since.HasValue)
            {
                text.Append(" and TimeCreated[@SystemTime>='")
                    .Append(since.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                    .Append("']");
            }

            return text.Append("]]").ToString();
        }

        /// <summary>Reads the known events from the source, parsed like an exported file; the entry's File is the channel.</summary>
        public static IEnumerable<LogEntry> Read(IEventLogSource source, DateTimeOffset? since, LogFilter? filter, LogReadSummary? summary, CancellationToken cancellationToken)
        {
            if (source is null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            return ReadIterator(source, since, filter, summary ?? new LogReadSummary(), cancellationToken);
        }

        private static IEnumerable<LogEntry> ReadIterator(IEventLogSource source, DateTimeOffset? since, LogFilter? filter, LogReadSummary summary, CancellationToken cancellationToken)
        {
            foreach (var query in KnownEventQueries(since))
            {
                foreach (var entry in ReadQueryIterator(source, query, filter, summary, cancellationToken))
                {
                    yield return entry;
                }
            }
        }

        /// <summary>
        /// Reads one query of <see cref="KnownEventQueries"/> (one channel, oldest first) parsed like an exported file;
        /// the entry's File is <c>EventLog:</c> and the channel. Each channel is one time-ordered stream for the timeline.
        /// </summary>
        public static IEnumerable<LogEntry> ReadQuery(IEventLogSource source, EventLogQuery query, LogFilter? filter, LogReadSummary? summary, CancellationToken cancellationToken)
        {
            if (source is null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            if (query is null)
            {
                throw new ArgumentNullException(nameof(query));
            }

            return ReadQueryIterator(source, query, filter, summary ?? new LogReadSummary(), cancellationToken);
        }

        private static IEnumerable<LogEntry> ReadQueryIterator(IEventLogSource source, EventLogQuery query, LogFilter? filter, LogReadSummary summary, CancellationToken cancellationToken)
        {
            var context = new ParseContext("EventLog:" + query.Channel, summary);
            summary.AddFile(context.File);
            long index = 0;
            foreach (var xml in source.Query(query.Channel, query.XPath, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                index++;
                EventXmlParser.ParseEvent(xml, context.File, index, context);
                foreach (var entry in context.Output)
                {
                    summary.EntriesRead++;
                    if (filter is null || filter.Matches(entry))
                    {
                        summary.EntriesReturned++;
                        yield return entry;
                    }
                }

                context.Output.Clear();
            }
        }
    }
}
