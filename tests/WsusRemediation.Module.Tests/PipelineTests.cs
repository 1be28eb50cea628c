using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>What a Get- cmdlet returns pipes into the cmdlets that act on the same noun.</summary>
    public class PipelineTests
    {
        private static BuiltModule Module => BuiltModule.Current;

        [Fact]
        public void Every_Get_output_binds_to_the_Set_and_Test_cmdlets_of_the_same_noun()
        {
            var failures = new List<string>();
            foreach (var get in Module.Cmdlets.Where(c => c.Verb == "Get"))
            {
                var consumers = Module.Cmdlets.Where(c => c.Noun == get.Noun && c.Verb is "Set" or "Test").ToList();
                foreach (var output in get.OutputTypes.Where(o => o.Type is not null && !o.IsPrimitive))
                {
                    foreach (var consumer in consumers.Where(c => c.Parameters.Any(p => p.Sets.Any(s => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName))))
                    {
                        var binding = BuiltModule.Binding(output.Type!, consumer);
                        if (!binding.Binds)
                        {
                            failures.Add($"{get.Name} | {consumer.Name} does not bind: {binding.Describe()}");
                        }
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void No_output_property_meets_a_same_named_pipeline_parameter_of_another_type()
        {
            // A property called PoolName that is not a string would fail at run time in any pipeline.
            var failures = new List<string>();
            var outputs = Module.Cmdlets.SelectMany(c => c.OutputTypes).Where(o => o.Type is not null && !o.IsPrimitive)
                .Select(o => o.Type!).DistinctBy(t => t.FullName).ToList();
            foreach (var output in outputs)
            {
                foreach (var cmdlet in Module.Cmdlets)
                {
                    failures.AddRange(BuiltModule.Binding(output, cmdlet).TypeMismatches.Select(m => $"{TypeNames.Display(output)} | {cmdlet.Name}: {m}"));
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Theory]
        [InlineData("Set-WsusPoolTuning")]
        [InlineData("Test-WsusPoolTuning")]
        public void Get_WsusPoolTuning_output_carries_the_pool_the_file_and_the_computer_to_the_next_cmdlet(string consumerName)
        {
            var get = Module.Cmdlet("Get-WsusPoolTuning");
            var consumer = Module.Cmdlet(consumerName);
            Assert.True(get is not null && consumer is not null, $"Get-WsusPoolTuning and {consumerName} should be in the module");

            var output = get!.OutputTypes.Single(o => o.Type is not null).Type!;
            var binding = BuiltModule.Binding(output, consumer!);

            Assert.True(binding.Binds, binding.Describe());
            foreach (var parameter in new[] { "PoolName", "ConfigurationPath", "ComputerName" })
            {
                Assert.True(binding.BindsParameter(parameter), $"-{parameter} is not fed: {binding.Describe()}");
            }
        }

        [Theory]
        [InlineData("Get-WsusSyncStatus", "ComputerName,WsusPort,UseSsl")]
        [InlineData("Get-WsusServiceStatus", "ComputerName")]
        [InlineData("Get-WsusPoolTuning", "ComputerName")]
        [InlineData("Repair-WsusSync", "ComputerName,WsusPort,UseSsl")]
        [InlineData("Get-WsusSyncDiagnosis", "ComputerName,WsusPort,UseSsl")]
        [InlineData("Get-WsusRepairPlan", "ComputerName,WsusPort,UseSsl")]
        public void Get_SoftwareUpdatePoint_output_feeds_each_server_to_the_read_cmdlets(string consumerName, string parameters)
        {
            var get = Module.Cmdlet("Get-SoftwareUpdatePoint");
            var consumer = Module.Cmdlet(consumerName);
            Assert.True(get is not null && consumer is not null, $"Get-SoftwareUpdatePoint and {consumerName} should be in the module");

            var binding = BuiltModule.Binding(get!.OutputTypes.Single(o => o.Type is not null).Type!, consumer!);

            Assert.True(binding.Binds, binding.Describe());
            foreach (var parameter in parameters.Split(','))
            {
                Assert.True(binding.BindsParameter(parameter), $"-{parameter} is not fed: {binding.Describe()}");
            }
        }

        [Theory]
        [InlineData("Get-WsusSyncStatus")]
        [InlineData("Get-WsusServiceStatus")]
        [InlineData("Get-WsusPoolTuning")]
        [InlineData("Test-WsusPoolTuning")]
        [InlineData("Get-WsusSyncDiagnosis")]
        public void The_read_cmdlets_take_several_computers_and_a_throttle_limit(string name)
        {
            var cmdlet = Module.Cmdlet(name);
            Assert.NotNull(cmdlet);
            Assert.Equal("String[]", cmdlet!.Parameters.Single(p => p.Name == "ComputerName").TypeDisplayName);
            Assert.Equal("Int32", cmdlet.Parameters.Single(p => p.Name == "ThrottleLimit").TypeDisplayName);
        }

        [Theory]
        [InlineData(typeof(string), typeof(string), true)]
        [InlineData(typeof(string), typeof(string[]), true)]
        [InlineData(typeof(string[]), typeof(string[]), true)]
        [InlineData(typeof(int), typeof(long?), true)]
        [InlineData(typeof(uint?), typeof(int), true)]
        [InlineData(typeof(DayOfWeek), typeof(string), true)]
        [InlineData(typeof(TimeSpan), typeof(TimeSpan?), true)]
        [InlineData(typeof(string), typeof(object), true)]
        [InlineData(typeof(string), typeof(int), false)]
        [InlineData(typeof(TimeSpan), typeof(int), false)]
        [InlineData(typeof(string), typeof(DayOfWeek), false)]
        [InlineData(typeof(int[]), typeof(string[]), false)]
        [InlineData(typeof(string), typeof(bool), false)]
        public void Type_compatibility_follows_what_the_binder_passes_without_loss(Type from, Type to, bool compatible)
        {
            Assert.Equal(compatible, PipelineBinding.IsCompatible(from, to));
        }
    }
}
