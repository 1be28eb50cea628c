using System.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>The surface of Get-WsusSyncLog (issue 3) as a user meets it.</summary>
    public class SyncLogCmdletSurfaceTests
    {
        private static BuiltModule Module => BuiltModule.Current;

        private static CmdletInfo Cmdlet => Module.Cmdlet("Get-WsusSyncLog") ?? throw new Xunit.Sdk.XunitException("Get-WsusSyncLog is not in the module");

        [Fact]
        public void Reads_only_and_returns_log_entries()
        {
            Assert.False(Cmdlet.SupportsShouldProcess);
            Assert.Equal("WsusRemediation.Engine.Logs.LogEntry", Assert.Single(Cmdlet.OutputTypes).TypeName);
        }

        [Fact]
        public void Path_takes_wildcards_from_the_pipeline_and_LiteralPath_takes_PSPath_by_property_name()
        {
            var path = Cmdlet.Parameter("Path")!;
            Assert.True(path.SupportsWildcards);
            var pathSet = Assert.Single(path.Sets);
            Assert.Equal(0, pathSet.Position);
            Assert.True(pathSet.ValueFromPipeline);

            var literal = Cmdlet.Parameter("LiteralPath")!;
            Assert.Contains("PSPath", literal.Aliases);
            Assert.False(literal.SupportsWildcards);
            Assert.True(Assert.Single(literal.Sets).ValueFromPipelineByPropertyName);

            Assert.Equal(new[] { "Default", "LiteralPath", "Path" }, Cmdlet.ParameterSetNames);
            Assert.Equal("Default", Cmdlet.DefaultParameterSetName);
        }

        [Theory]
        [InlineData("Since", "DateTime")]
        [InlineData("Component", "String[]")]
        [InlineData("Severity", "LogSeverity[]")]
        [InlineData("Kind", "EvidenceKind[]")]
        [InlineData("Tail", "Int32")]
        [InlineData("Wait", "SwitchParameter")]
        [InlineData("Timeout", "TimeSpan")]
        [InlineData("PollInterval", "TimeSpan")]
        public void Filters_and_follow_parameters_are_in_every_set(string name, string type)
        {
            var parameter = Cmdlet.Parameter(name)!;
            Assert.True(parameter.InAllSets, $"{name} is not in every parameter set");
            Assert.Equal(type, parameter.TypeDisplayName);
        }

        [Fact]
        public void A_log_entry_carries_the_properties_the_issue_names()
        {
            var entry = Module.FindType("WsusRemediation.Engine.Logs.LogEntry")!;
            foreach (var property in new[] { "TimeUtc", "Severity", "Component", "Thread", "Message", "Kind", "Cause", "File", "Line", "Format", "Fields" })
            {
                Assert.NotNull(entry.GetProperty(property));
            }
        }
    }
}
