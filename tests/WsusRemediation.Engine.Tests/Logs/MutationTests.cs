using System;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Tests.Shared;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// Real-shaped files with pieces cut out, duplicated or swapped (what truncation, bad copies and merges do):
/// whatever the damage, a reader skips or reads records and never throws.
/// </summary>
public class MutationTests
{
    private static readonly string[] Noise = TextMutator.Tokens("<>\"=]![$~\0\r\n\t-+:.0123456789");

    public static TheoryData<string, LogFormat> Files() => new()
    {
        { "realworld/wsyncmgr-cmtrace.log", LogFormat.CMTrace },
        { "realworld/WCM-simple.log", LogFormat.SmsSimple },
        { "realworld/SoftwareDistribution-ansi.log", LogFormat.SoftwareDistribution },
        { "realworld/httperr3.log", LogFormat.HttpErr },
        { "realworld/events-rendered.xml", LogFormat.EventXml },
        { "cmtrace/WCM.log", LogFormat.CMTrace },
        { "wsyncmgr.log", LogFormat.SmsSimple },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Cut_and_spliced_text_never_throws(string fixture, LogFormat format)
    {
        var original = Encoding.Latin1.GetString(File.ReadAllBytes(LogFixtures.Path(fixture.Split('/'))));
        var random = new Random(20261122);
        for (var round = 0; round < 400; round++)
        {
            var text = TextMutator.Mutate(original, random, Noise, maxEdits: 3, maxRun: 39);

            var summary = new LogReadSummary();
            var entries = EvidenceReader.ReadText(new StringReader(text), fixture, format, summary).ToList();
            Assert.All(entries, e => Assert.NotNull(e.Message));
        }
    }
}
