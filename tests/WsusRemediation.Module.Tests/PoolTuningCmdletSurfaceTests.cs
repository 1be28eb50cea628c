using System.Linq;
using System.Reflection;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>The surface of the pool-tuning cmdlets (issue 2) as a user meets it.</summary>
    public class PoolTuningCmdletSurfaceTests
    {
        // The WsusPoolTuning properties that are not settings.
        private static readonly string[] NotSettings = { "ComputerName", "PoolName", "State", "ConfigurationPath", "Profile", "IsCompliant", "Settings", "Warnings" };

        private static BuiltModule Module => BuiltModule.Current;

        private static CmdletInfo Cmdlet(string name) => Module.Cmdlet(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in the module");

        [Fact]
        public void Every_setting_Get_shows_can_be_set_by_a_parameter_of_the_same_name_and_type()
        {
            // Set-WsusPoolTuning maps bound parameters to catalog settings by name, so a setting property
            // without its parameter could be read but never changed.
            var tuning = Module.FindType("WsusRemediation.Engine.PoolTuning.WsusPoolTuning")!;
            var set = Cmdlet("Set-WsusPoolTuning");
            var settings = tuning.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => !NotSettings.Contains(p.Name)).ToList();

            Assert.Equal(14, settings.Count);
            foreach (var property in settings)
            {
                var parameter = set.Parameter(property.Name);
                Assert.True(parameter is not null, $"Set-WsusPoolTuning has no -{property.Name}");
                // The types come from the metadata load context, so Nullable<T> is recognised by name.
                var parameterType = parameter!.Type.IsGenericType && parameter.Type.GetGenericTypeDefinition().FullName == "System.Nullable`1"
                    ? parameter.Type.GetGenericArguments()[0]
                    : parameter.Type;
                Assert.True(parameterType.FullName == property.PropertyType.FullName, $"-{property.Name} is {parameterType.FullName}, the property is {property.PropertyType.FullName}");

                // Setting values never come from the pipeline: piping Get- into Set- must not re-apply current values.
                Assert.All(parameter.Sets, s => Assert.False(s.ValueFromPipeline || s.ValueFromPipelineByPropertyName, $"-{property.Name} binds from the pipeline"));
            }
        }

        [Fact]
        public void Set_changes_with_ShouldProcess_and_Get_and_Test_do_not()
        {
            Assert.True(Cmdlet("Set-WsusPoolTuning").SupportsShouldProcess);
            Assert.False(Cmdlet("Get-WsusPoolTuning").SupportsShouldProcess);
            Assert.False(Cmdlet("Test-WsusPoolTuning").SupportsShouldProcess);
        }
    }
}
