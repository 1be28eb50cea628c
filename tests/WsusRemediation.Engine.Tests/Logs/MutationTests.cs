using System;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Logs;
using Xunit;

namespace WsusRemediation.Engine.Tests.Logs;

/// <summary>
/// Real-shaped files with pieces cut out, duplicated or swapped (what truncation, bad copies and merges do):
/// whatever the damage, a reader skips or reads records and never throws.
/// </summary>
public class MutationTests
{
    private const string Noise = "<>\"=]![$~\0\r\n\t-+:.0123456789";

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
            var text = new StringBuilder(original);
            for (var edits = random.Next(1, 4); edits > 0 && text.Length > 2; edits--)
            {
                var at = random.Next(text.Length);
                var length = Math.Min(text.Length - at, random.Next(1, 40));
                switch (random.Next(3))
                {
                    case 0:
                        text.Remove(at, length);
                        break;
                    case 1:
                        text.Insert(random.Next(text.Length), text.ToString(at, length));
                        break;
                    default:
                        text.Insert(at, Noise[random.Next(Noise.Length)]);
                        break;
                }
            }

            var summary = new LogReadSummary();
            var entries = EvidenceReader.ReadText(new StringReader(text.ToString()), fixture, format, summary).ToList();
            Assert.All(entries, e => Assert.NotNull(e.Message));
        }
    }
}
