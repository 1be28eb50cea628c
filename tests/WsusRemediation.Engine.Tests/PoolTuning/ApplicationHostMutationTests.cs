using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Tests.Common;
using WsusRemediation.Tests.Shared;
using Xunit;

namespace WsusRemediation.Engine.Tests.PoolTuning;

/// <summary>
/// A damaged or hand-edited applicationHost.config either reads (and edits) cleanly or fails with an
/// engine error naming the file: never another exception.
/// </summary>
public class ApplicationHostMutationTests
{
    private const int Rounds = 300;
    private const int MinimumReadAndTuned = 120;
    private static readonly string[] Noise = TextMutator.Tokens("<>\"'=/ \t\r\n&;:.0123456789-");
    private static readonly string[] ExpectedRefusals = { "NotApplicationHostConfig", "InvalidSettingValue", "PoolNotFound" };

    [Theory]
    [InlineData("PoolTuning/applicationHost.realworld.config")]
    [InlineData("PoolTuning/applicationHost.siteserver.config")]
    public void Damaged_files_read_or_fail_with_an_engine_error(string fixture)
    {
        var original = System.IO.File.ReadAllText(TempFolder.Fixture(fixture));
        var random = new Random(20261122);
        var desired = PoolTuningService.DesiredValues(PoolTuningProfileName.Recommended, new Dictionary<string, object>(), force: false);
        var readAndTuned = 0;
        var poolsTuned = 0;
        var refusals = new Dictionary<string, int>();
        for (var round = 0; round < Rounds; round++)
        {
            var text = TextMutator.Mutate(original, random, Noise, maxEdits: 2, maxRun: 11, copyRuns: false);

            try
            {
                var document = ApplicationHostDocument.Parse("applicationHost.config", Encoding.UTF8.GetBytes(text));
                foreach (var pool in document.PoolNames)
                {
                    PoolTuningService.Read(document, pool, PoolTuningProfileName.Recommended, "CM01", null);
                    var changes = PoolTuningService.PlanChanges(document, pool, desired);
                    var edited = ApplicationHostEditor.Apply(document, pool, changes.Select(c => new KeyValuePair<PoolSettingDefinition, object>(c.Definition, c.NewValue)));
                    var reread = ApplicationHostDocument.Parse("applicationHost.config", Encoding.UTF8.GetBytes(edited));
                    Assert.True(PoolTuningService.Read(reread, pool, PoolTuningProfileName.Recommended, "CM01", null).IsCompliant);
                    poolsTuned++;
                }

                readAndTuned++;
            }
            catch (WsusRemediationException ex)
            {
                // A refusal must be one of the documented ids and say which file it is about.
                Assert.Contains(ex.ErrorId, ExpectedRefusals);
                Assert.Contains("applicationHost.config", ex.Message + " " + ex.Target, StringComparison.Ordinal);
                refusals[ex.ErrorId] = refusals.TryGetValue(ex.ErrorId, out var seen) ? seen + 1 : 1;
            }
        }

        // A parser that refused everything would pass the loop above: most damaged copies (2 small edits
        // in a large file) must still read and tune: with this seed 146 and 148 of 300 rounds do (the rest are
        // NotApplicationHostConfig, and 4 InvalidSettingValue), so 120 leaves room for a changed mutator.
        var figures = $"{readAndTuned} of {Rounds} rounds read and tuned ({poolsTuned} pools); refused: " + string.Join(", ", refusals.Select(r => $"{r.Key} {r.Value}"));
        Assert.True(readAndTuned >= MinimumReadAndTuned, figures);
        Assert.True(poolsTuned >= readAndTuned, figures);
    }
}
