using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests.InProcess
{
    /// <summary>
    /// Get-/Set-/Test-WsusPoolTuning run in a real runspace on a copy of the site-server fixture
    /// (WsusPool: queueLength 1000, idleTimeout 20 min, pinging on, privateMemory 1843200 KB, time 29 h).
    /// </summary>
    public sealed class PoolTuningInProcessTests : IDisposable
    {
        private const string SetId = "WsusRemediation.Commands.SetWsusPoolTuningCommand";
        private const string GetId = "WsusRemediation.Commands.GetWsusPoolTuningCommand";
        private readonly string _folder;
        private readonly string _config;
        private readonly byte[] _before;

        public PoolTuningInProcessTests()
        {
            _folder = Path.Combine(Path.GetTempPath(), "WsusRemediation-inprocess-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_folder);
            _config = Path.Combine(_folder, "applicationHost.config");
            File.Copy(Path.Combine(InProcessPowerShell.RepoRoot, "tests", "WsusRemediation.Engine.Tests", "Fixtures", "PoolTuning", "applicationHost.siteserver.config"), _config);
            _before = File.ReadAllBytes(_config);
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private string[] FilesBesideConfig() => Directory.GetFiles(_folder).Select(Path.GetFileName).OfType<string>().Where(n => n != "applicationHost.config").ToArray();

        [Fact]
        public void Test_answers_false_before_and_true_after_Get_is_piped_into_Set()
        {
            var run = InProcessPowerShell.Run(
                "Test-WsusPoolTuning -ConfigurationPath $config; " +
                "Get-WsusPoolTuning -ConfigurationPath $config | Set-WsusPoolTuning -Confirm:$false; " +
                "Test-WsusPoolTuning -ConfigurationPath $config",
                ("config", _config)).AssertNoErrors();

            Assert.Equal(new object[] { false, true }, run.Output.Select(o => o.BaseObject).ToArray());
            Assert.NotEqual(_before, File.ReadAllBytes(_config));
            Assert.Single(FilesBesideConfig());
        }

        [Fact]
        public void Test_Detailed_returns_exactly_the_settings_Get_shows_as_off()
        {
            var run = InProcessPowerShell.Run(
                "$off = @(Test-WsusPoolTuning -ConfigurationPath $config -Detailed); " +
                "$all = (Get-WsusPoolTuning -ConfigurationPath $config).Settings; " +
                "($off | ForEach-Object Name) -join ','; (($all | Where-Object { -not $_.IsCompliant }) | ForEach-Object Name) -join ','",
                ("config", _config)).AssertNoErrors();

            // The fixture's four settings the Recommended profile changes, and pinging (inherited True).
            Assert.Equal("queueLength,processModel.idleTimeout,processModel.pingingEnabled,recycling.periodicRestart.privateMemory,recycling.periodicRestart.time", run.Output[0].BaseObject);
            Assert.Equal(run.Output[0].BaseObject, run.Output[1].BaseObject);
        }

        [Fact]
        public void WhatIf_from_the_pipeline_says_each_change_and_writes_nothing()
        {
            var run = InProcessPowerShell.Run(
                "Get-WsusPoolTuning -ConfigurationPath $config | Set-WsusPoolTuning -WhatIf -PassThru",
                ("config", _config)).AssertNoErrors();

            var target = $"on target \"WsusPool ({_config})\".";
            Assert.Equal(new[]
            {
                "What if: Performing the operation \"Set queueLength: 1000 -> 2000\" " + target,
                "What if: Performing the operation \"Set processModel.idleTimeout: 00:20:00 -> 00:00:00\" " + target,
                "What if: Performing the operation \"Set processModel.pingingEnabled: True -> False\" " + target,
                "What if: Performing the operation \"Set recycling.periodicRestart.privateMemory: 1843200 KB -> 0 KB\" " + target,
                "What if: Performing the operation \"Set recycling.periodicRestart.time: 1.05:00:00 -> 00:00:00\" " + target,
            }, run.WhatIfLines);
            Assert.Equal(_before, File.ReadAllBytes(_config));
            Assert.Empty(FilesBesideConfig());
        }

        [Fact]
        public void Settings_from_Test_Detailed_piped_into_Set_WhatIf_name_the_tested_file_once_per_pool()
        {
            // Five settings are off; each piped setting names its pool and file, and the pool is planned once.
            var run = InProcessPowerShell.Run(
                "Test-WsusPoolTuning -ConfigurationPath $config -Detailed | Set-WsusPoolTuning -WhatIf",
                ("config", _config)).AssertNoErrors();

            var target = $"on target \"WsusPool ({_config})\".";
            Assert.Equal(5, run.WhatIfLines.Count);
            Assert.All(run.WhatIfLines, line => Assert.EndsWith(target, line));
            Assert.Equal(_before, File.ReadAllBytes(_config));
        }

        [Fact]
        public void Settings_from_Test_Detailed_piped_into_Set_tune_the_tested_file_with_one_backup()
        {
            var run = InProcessPowerShell.Run(
                "Test-WsusPoolTuning -ConfigurationPath $config -Detailed | Set-WsusPoolTuning -Confirm:$false -Verbose; " +
                "Test-WsusPoolTuning -ConfigurationPath $config",
                ("config", _config)).AssertNoErrors();

            Assert.Equal(new object[] { true }, run.Output.Select(o => o.BaseObject).ToArray());
            Assert.Single(FilesBesideConfig());
            Assert.Equal(4, run.Verbose.Count(v => v.Contains("already set by this pipeline", StringComparison.Ordinal)));
        }

        [Fact]
        public void A_pool_whose_write_fails_is_one_error_and_its_other_piped_settings_say_why_they_are_skipped()
        {
            // A backup folder below a file cannot be made: the write of WsusPool fails before anything changes.
            var blocker = Path.Combine(_folder, "not-a-folder");
            File.WriteAllText(blocker, "x");
            var run = InProcessPowerShell.Run(
                "Test-WsusPoolTuning -ConfigurationPath $config -Detailed | Set-WsusPoolTuning -Confirm:$false -BackupPath $backup -Verbose",
                ("config", _config), ("backup", Path.Combine(blocker, "sub")));

            Assert.Equal(new[] { "BackupFailed," + SetId }, run.ErrorIds);
            Assert.Equal(4, run.Verbose.Count(v => v.Contains("could not be set earlier in this pipeline", StringComparison.Ordinal)));
            Assert.DoesNotContain(run.Verbose, v => v.Contains("already set by this pipeline", StringComparison.Ordinal));
            Assert.Equal(_before, File.ReadAllBytes(_config));
        }

        [Fact]
        public void A_setting_status_carries_the_server_and_file_it_was_read_from()
        {
            var run = InProcessPowerShell.Run(
                "@(Test-WsusPoolTuning -ConfigurationPath $config -Detailed)[0]",
                ("config", _config)).AssertNoErrors();

            var setting = Assert.Single(run.Output);
            Assert.Equal(_config, setting.Properties["ConfigurationPath"].Value);
            Assert.Equal(string.Empty, setting.Properties["ComputerName"].Value);
        }

        [Fact]
        public void Several_configuration_paths_are_read_in_turn_and_the_bad_one_is_one_error()
        {
            var second = Path.Combine(_folder, "second");
            Directory.CreateDirectory(second);
            File.Copy(_config, Path.Combine(second, "applicationHost.config"));
            var missing = Path.Combine(_folder, "missing.config");

            var run = InProcessPowerShell.Run(
                "Get-WsusPoolTuning -ConfigurationPath $config, $missing, $second -ErrorAction SilentlyContinue; " +
                "Test-WsusPoolTuning -ConfigurationPath $config, $missing -ErrorAction SilentlyContinue",
                ("config", _config), ("missing", missing), ("second", second));

            Assert.Null(run.TerminatingError);
            Assert.Equal(new object[] { _config, Path.Combine(second, "applicationHost.config") }, run.Output.Take(2).Select(o => o.Properties["ConfigurationPath"].Value).ToArray());
            Assert.Equal(false, run.Output[2].BaseObject);
            Assert.Equal(3, run.Output.Count);
            Assert.Equal(new[] { "ConfigurationFileNotFound," + GetId, "ConfigurationFileNotFound,WsusRemediation.Commands.TestWsusPoolTuningCommand" }, run.RecordedErrors.Select(e => e.FullyQualifiedErrorId).ToArray());
            Assert.All(run.RecordedErrors, e => Assert.Equal(missing, e.TargetObject));
        }

        [Fact]
        public void Set_with_several_configuration_paths_changes_each_file_after_its_own_backup()
        {
            var second = Path.Combine(_folder, "cm02.config");
            File.Copy(_config, second);

            var whatIf = InProcessPowerShell.Run("Set-WsusPoolTuning -ConfigurationPath $config, $second -QueueLength 2000 -WhatIf", ("config", _config), ("second", second)).AssertNoErrors();
            Assert.Equal(new[] { $"WsusPool ({_config})", $"WsusPool ({second})" }, whatIf.WhatIfLines.Select(l => l.Substring(l.IndexOf("on target \"", StringComparison.Ordinal) + 11).TrimEnd('.', '"')).ToArray());

            InProcessPowerShell.Run("Set-WsusPoolTuning -ConfigurationPath $config, $second -QueueLength 2000 -Confirm:$false", ("config", _config), ("second", second)).AssertNoErrors();
            var after = InProcessPowerShell.Run("(Get-WsusPoolTuning -ConfigurationPath $config, $second).QueueLength", ("config", _config), ("second", second)).AssertNoErrors();
            Assert.Equal(new object[] { 2000L, 2000L }, after.Output.Select(o => o.BaseObject).ToArray());
            Assert.Equal(2, Directory.GetFiles(_folder, "*.bak").Length);
        }

        [Fact]
        public void A_path_of_another_provider_is_refused_in_plain_words_and_the_file_after_it_is_read()
        {
            var run = InProcessPowerShell.Run("Get-WsusPoolTuning -ConfigurationPath Env:\\PATH, $config -ErrorAction SilentlyContinue", ("config", _config));

            var error = Assert.Single(run.RecordedErrors);
            Assert.Equal("InvalidConfigurationPath," + GetId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal("'Env:\\PATH' is a path of the Environment provider, not a file system path.", error.Exception.Message);
            Assert.Equal("WsusPool", Assert.Single(run.Output).Properties["PoolName"].Value);
        }

        [Fact]
        public void PassThru_returns_the_tuned_pool_read_back_from_the_file()
        {
            var run = InProcessPowerShell.Run(
                "Set-WsusPoolTuning -ConfigurationPath $config -QueueLength 3000 -Confirm:$false -PassThru",
                ("config", _config)).AssertNoErrors();

            var tuned = Assert.Single(run.Output);
            Assert.Equal("WsusPool", tuned.Properties["PoolName"].Value);
            Assert.Equal(3000L, tuned.Properties["QueueLength"].Value);
            // Only the explicit value changed: the other settings are still off the profile.
            Assert.Equal(false, tuned.Properties["IsCompliant"].Value);
        }

        [Theory]
        [InlineData("9")]
        [InlineData("65536")]
        public void An_out_of_range_queue_length_stops_the_cmdlet_whatever_the_error_action_and_changes_nothing(string value)
        {
            foreach (var action in new[] { "Stop", "SilentlyContinue", "Continue" })
            {
                var run = InProcessPowerShell.RunStatement(
                    $"Set-WsusPoolTuning -ConfigurationPath $config -QueueLength {value} -Confirm:$false -ErrorAction {action}",
                    ("config", _config));

                // Bad input for the whole call stops the command: it is raised before any pool is read.
                var error = run.TerminatingError ?? throw new Xunit.Sdk.XunitException($"-ErrorAction {action}: the command was not stopped.");
                Assert.Equal("QueueLengthOutOfRange," + SetId, error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                Assert.Equal(_before, File.ReadAllBytes(_config));
                Assert.Empty(FilesBesideConfig());
            }
        }

        [Fact]
        public void An_unknown_pool_among_several_is_a_per_item_error_and_the_others_are_read()
        {
            var run = InProcessPowerShell.Run(
                "Get-WsusPoolTuning -ConfigurationPath $config -PoolName NoSuchPool, WsusPool -ErrorAction SilentlyContinue; 'after'",
                ("config", _config));

            Assert.Null(run.TerminatingError);
            Assert.Empty(run.Errors);
            var error = Assert.Single(run.RecordedErrors);
            Assert.Equal("PoolNotFound," + GetId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("WsusPool", run.Output[0].Properties["PoolName"].Value);
            Assert.Equal("after", run.Output[1].BaseObject);
        }

        [Fact]
        public void ErrorAction_Stop_turns_the_per_item_error_into_the_one_that_stops_the_script()
        {
            var run = InProcessPowerShell.Run(
                "Get-WsusPoolTuning -ConfigurationPath $config -PoolName NoSuchPool -ErrorAction Stop",
                ("config", _config));

            Assert.Equal("PoolNotFound," + GetId, run.TerminatingError?.FullyQualifiedErrorId);
            Assert.Empty(run.Output);
        }
    }
}
