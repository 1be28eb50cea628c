using System.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>The surface of the service and pool cmdlets (issue 4) as a user meets it.</summary>
    public class ServiceCmdletSurfaceTests
    {
        private static BuiltModule Module => BuiltModule.Current;

        private static CmdletInfo Cmdlet(string name) => Module.Cmdlet(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in the module");

        [Fact]
        public void The_guides_name_Restart_SmsServices_is_an_alias_of_Restart_SmsService()
        {
            Assert.Contains("Restart-SmsServices", Cmdlet("Restart-SmsService").Aliases);
        }

        [Theory]
        [InlineData("Restart-SmsService")]
        [InlineData("Restart-IisService")]
        [InlineData("Restart-WsusPool")]
        public void Restarts_confirm_by_default_and_take_computer_names_from_the_pipeline(string name)
        {
            var cmdlet = Cmdlet(name);

            Assert.True(cmdlet.SupportsShouldProcess);
            Assert.Equal("High", cmdlet.ConfirmImpact);
            var computer = cmdlet.Parameter("ComputerName")!;
            Assert.Contains("PSComputerName", computer.Aliases);
            Assert.True(computer.Sets.Single().ValueFromPipelineByPropertyName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("Timeout")!.TypeDisplayName);
        }

        [Fact]
        public void The_pool_state_pipes_into_the_pool_tuning_cmdlets_by_PoolName_and_ComputerName()
        {
            var state = Module.FindType("WsusRemediation.Engine.Iis.WsusPoolState")!;
            foreach (var consumer in new[] { "Get-WsusPoolTuning", "Set-WsusPoolTuning", "Test-WsusPoolTuning", "Restart-WsusPool" })
            {
                var binding = BuiltModule.Binding(state, Cmdlet(consumer));
                Assert.True(binding.Binds, $"{consumer}: {binding.Describe()}");
                Assert.True(binding.BindsParameter("PoolName"), $"{consumer}: PoolName does not bind");
                Assert.True(binding.BindsParameter("ComputerName"), $"{consumer}: ComputerName does not bind");
            }
        }

        [Fact]
        public void The_pool_tuning_output_pipes_into_Restart_WsusPool()
        {
            var tuning = Module.FindType("WsusRemediation.Engine.PoolTuning.WsusPoolTuning")!;

            var binding = BuiltModule.Binding(tuning, Cmdlet("Restart-WsusPool"));

            Assert.True(binding.BindsParameter("PoolName"), binding.Describe());
        }

        [Fact]
        public void A_row_of_the_status_view_pipes_into_Restart_WsusPool_and_the_service_restarts()
        {
            var row = Module.FindType("WsusRemediation.Engine.Services.SiteServiceStatus")!;

            Assert.True(BuiltModule.Binding(row, Cmdlet("Restart-WsusPool")).BindsParameter("PoolName"));
            Assert.True(BuiltModule.Binding(row, Cmdlet("Restart-SmsService")).BindsParameter("ComputerName"));
        }

        [Fact]
        public void A_restart_result_carries_the_properties_the_issue_names()
        {
            var result = Module.FindType("WsusRemediation.Engine.Services.ServiceRestartResult")!;

            foreach (var property in new[] { "ComputerName", "Name", "DisplayName", "StatusBefore", "StatusAfter", "Action", "Duration", "Error" })
            {
                Assert.NotNull(result.GetProperty(property));
            }
        }
    }
}
