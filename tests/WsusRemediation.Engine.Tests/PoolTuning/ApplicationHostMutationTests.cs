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
    private static readonly string[] Noise = TextMutator.Tokens("<>\"'=/ \t\r\n&;:.0123456789-");

    [Theory]
    [InlineData("PoolTuning/applicationHost.realworld.config")]
    [InlineData("PoolTuning/applicationHost.siteserver.config")]
    public void Damaged_files_read_or_fail_with_an_engine_error(string fixture)
    {
        var original = System.IO.File.ReadAllText(TempFolder.Fixture(fixture));
        var random = new Random(20261122);
        var desired = PoolTuningService.DesiredValues(PoolTuningProfileName.Recommended, new Dictionary<string, object>(), force: false);
        for (var round = 0; round < 300; round++)
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
                }
            }
            catch (WsusRemediationException)
            {
            }
        }
    }
}
