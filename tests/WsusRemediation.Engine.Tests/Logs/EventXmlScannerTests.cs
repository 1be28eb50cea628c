using System;
using System.Collections.Generic;
using System.IO;
using System.Xml;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Tests.Shared;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// The fast event XML scanner stands in for XmlReader: whatever it accepts, real or damaged, it must read
/// exactly as XmlReader does (same nodes, names, values, attributes), and XmlReader must accept it too.
/// </summary>
public class EventXmlScannerTests
{
    private static readonly string[] Noise =
    {
        "<", ">", "\"", "'", "=", "/", "&", ";", "#", "\r", "\n", "\r\n", "\t", " ", ":", "]", "]]>", "&amp;", "&lt;", "&apos;", "&#x41;", "&#65;", "&#0;",
        "&#x9;", "&#13;", "&#32;", "&bogus;", "<![CDATA[x]]>", "<!-- c -->", "<?pi x?>", "xmlns:a='urn:a'", " xml:space='preserve'", " a='1'", "\u00e9", "\u0001",
        "\uD83D\uDE00", "<Data>", "</Data>", "<Data Name='x'/>", "</EventData>", "<Event>", "</Event>", " xmlns='http://www.w3.org/2000/xmlns/'",
    };

    [Fact]
    public void Real_events_are_read_by_the_scanner_itself()
    {
        foreach (var xml in FixtureEvents())
        {
            var scanner = new EventXmlScanner(new StringPool());
            scanner.Reset(xml);
            Assert.True(Nodes(scanner).Count > 10);
            Assert.False(scanner.Refused, xml);
        }
    }

    [Fact]
    public void Whatever_the_scanner_accepts_reads_as_XmlReader_reads_it()
    {
        var random = new Random(20261122);
        var accepted = 0;
        foreach (var original in FixtureEvents())
        {
            for (var round = 0; round < 300; round++)
            {
                var xml = TextMutator.Mutate(original, random, Noise, maxEdits: 2, maxRun: 11, copyRuns: false);
                var scanner = new EventXmlScanner(new StringPool());
                scanner.Reset(xml);
                var fast = Nodes(scanner);
                if (scanner.Refused)
                {
                    continue;
                }

                accepted++;
                using var reader = XmlReader.Create(new StringReader(xml), EventXmlParser.NewSettings());
                var slow = Nodes(new XmlReaderNodes(reader));
                Assert.Equal(slow, fast);
            }
        }

        // The damage must leave enough events readable for the comparison to mean something.
        Assert.True(accepted > 500, $"only {accepted} damaged events were accepted");
    }

    private static List<string> Nodes(IEventXmlNodes nodes)
    {
        var list = new List<string>();
        while (nodes.Read())
        {
            var node = $"{nodes.NodeType} {nodes.LocalName} {nodes.IsEmptyElement} [{nodes.Value}]";
            if (nodes.NodeType == XmlNodeType.Element)
            {
                foreach (var name in new[] { "Name", "EventSourceName", "Qualifiers", "SystemTime", "ProcessID", "ThreadID", "UserID", "Guid", "a", "xmlns" })
                {
                    node += $" {name}={nodes.GetAttribute(name) ?? "(null)"}";
                }
            }

            list.Add(node);
        }

        return list;
    }

    private static IEnumerable<string> FixtureEvents()
    {
        foreach (var file in new[] { new[] { "events", "events.xml" }, new[] { "events", "wevtutil-system.xml" }, new[] { "realworld", "events-rendered.xml" } })
        {
            var text = File.ReadAllText(LogFixtures.Path(file));
            for (var start = text.IndexOf("<Event", StringComparison.Ordinal); start >= 0; start = text.IndexOf("<Event", start + 1, StringComparison.Ordinal))
            {
                if (text[start + 6] != ' ' && text[start + 6] != '>')
                {
                    continue;
                }

                var end = text.IndexOf("</Event>", start, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                yield return text.Substring(start, end + "</Event>".Length - start);
            }
        }
    }
}
