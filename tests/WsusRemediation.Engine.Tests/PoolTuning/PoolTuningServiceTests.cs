using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.PoolTuning;

public class PoolTuningServiceTests
{
    private const string SiteServer = "PoolTuning/applicationHost.siteserver.config";
    private const string Minimal = "PoolTuning/applicationHost.minimal.config";
    private const string CustomPool = "PoolTuning/applicationHost.custompool.config";

    private static readonly IReadOnlyDictionary<string, object> NoExplicitValues = new Dictionary<string, object>();

    private readonly VirtualClock _clock = new();

    private PoolTuningService Service(IFileStore? files = null) => new(files ?? PhysicalFileStore.Instance, _clock);

    private static PoolSettingStatus Setting(WsusPoolTuning tuning, PoolSettingDefinition definition) => tuning.Settings.Single(s => s.Definition == definition);

    [Fact]
    public void Effective_values_resolve_pool_then_defaults_then_schema_and_say_where_they_came_from()
    {
        var document = Service().Load(TempFolder.Fixture(SiteServer));
        var tuning = PoolTuningService.Read(document, "WsusPool", PoolTuningProfileName.Recommended, "CM01", null);

        Assert.Equal(1000L, tuning.QueueLength);
        Assert.Equal(PoolSettingSource.Pool, Setting(tuning, PoolSettingCatalog.QueueLength).Source);
        Assert.Equal(1843200L, tuning.PrivateMemoryLimitKB);
        Assert.Equal(TimeSpan.FromHours(29), tuning.RegularTimeInterval);
        Assert.True(tuning.LoadUserProfile);
        Assert.Equal(PoolSettingSource.PoolDefaults, Setting(tuning, PoolSettingCatalog.LoadUserProfile).Source);
        Assert.True(tuning.PingingEnabled);
        Assert.Equal(PoolSettingSource.SchemaDefault, Setting(tuning, PoolSettingCatalog.PingingEnabled).Source);
        Assert.Equal("v4.0", tuning.ManagedRuntimeVersion);
        Assert.Equal("Integrated", tuning.ManagedPipelineMode);
        Assert.Equal(0L, tuning.VirtualMemoryLimitKB);
    }

    [Fact]
    public void A_default_WSUS_pool_is_not_compliant_with_KB4490414_and_says_which_settings_are_off()
    {
        var document = Service().Load(TempFolder.Fixture(SiteServer));
        var tuning = PoolTuningService.Read(document, "WsusPool", PoolTuningProfileName.Recommended, "CM01", null);

        Assert.False(tuning.IsCompliant);
        var off = tuning.Settings.Where(s => !s.IsCompliant).Select(s => s.Name).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "processModel.idleTimeout", "processModel.pingingEnabled", "queueLength", "recycling.periodicRestart.privateMemory", "recycling.periodicRestart.time" }, off);
        Assert.Equal(1843200L, Setting(tuning, PoolSettingCatalog.PrivateMemoryLimit).Current);
        Assert.Equal(0L, Setting(tuning, PoolSettingCatalog.PrivateMemoryLimit).Recommended);
        Assert.Equal("KB", Setting(tuning, PoolSettingCatalog.PrivateMemoryLimit).Unit);
        Assert.Equal(TimeSpan.FromHours(29), Setting(tuning, PoolSettingCatalog.RegularTimeInterval).Current);
        Assert.Equal(string.Empty, Setting(tuning, PoolSettingCatalog.RegularTimeInterval).Unit);
        Assert.Equal(false, Setting(tuning, PoolSettingCatalog.PingingEnabled).Recommended);
        Assert.Null(Setting(tuning, PoolSettingCatalog.StartMode).Recommended);
    }

    [Fact]
    public void The_WSUS_pool_is_found_from_the_ClientWebService_application_with_IIS_inheritance()
    {
        Assert.Equal("WsusPool", PoolTuningService.FindWsusPoolName(Service().Load(TempFolder.Fixture(SiteServer))));
        Assert.Equal("WsusCustomPool", PoolTuningService.FindWsusPoolName(Service().Load(TempFolder.Fixture(CustomPool))));

        // The site names a pool that does not exist: fall back to WsusPool.
        Assert.Equal("WsusPool", PoolTuningService.FindWsusPoolName(Service().Load(TempFolder.Fixture(Minimal))));
    }

    [Fact]
    public void Pool_names_expand_wildcards_and_default_to_the_WSUS_pool()
    {
        var document = Service().Load(TempFolder.Fixture(SiteServer));
        Assert.Equal(new[] { "WsusPool" }, PoolTuningService.ExpandPoolNames(document, null));
        Assert.Equal(new[] { ".NET v4.5 Classic", ".NET v4.5" }, PoolTuningService.ExpandPoolNames(document, new[] { ".NET*" }));
        Assert.Equal(new[] { "Missing" }, PoolTuningService.ExpandPoolNames(document, new[] { "Missing" }));
        Assert.Empty(PoolTuningService.ExpandPoolNames(document, new[] { "Nothing*" }));
    }

    [Fact]
    public void Enable32Bit_true_is_flagged_wherever_it_is_found()
    {
        var document = Service().Load(TempFolder.Fixture(CustomPool));
        var tuning = PoolTuningService.Read(document, "WsusCustomPool", PoolTuningProfileName.LargeEnvironment, "CM01", null);

        Assert.True(tuning.Enable32BitAppOnWin64);
        Assert.False(Setting(tuning, PoolSettingCatalog.Enable32BitAppOnWin64).IsCompliant);
        Assert.Contains(tuning.Warnings, w => w.Contains("500.19", StringComparison.Ordinal));
    }

    [Fact]
    public void Applying_the_profile_changes_only_the_targeted_attributes_byte_for_byte()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(SiteServer);
        var before = File.ReadAllBytes(path);
        var service = Service();
        var document = service.Load(path);
        var desired = PoolTuningService.DesiredValues(PoolTuningProfileName.Recommended, NoExplicitValues, force: false);
        var changes = PoolTuningService.PlanChanges(document, "WsusPool", desired);

        var result = service.Apply(document, "WsusPool", changes, backupFolder: null);

        var after = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, after.Take(3));
        var oldText = Encoding.UTF8.GetString(before, 3, before.Length - 3);
        var expected = oldText
            .Replace("queueLength=\"1000\"", "queueLength=\"2000\"")
            .Replace("<processModel identityType=\"NetworkService\"   idleTimeout=\"00:20:00\" />", "<processModel identityType=\"NetworkService\"   idleTimeout=\"00:00:00\" pingingEnabled=\"false\" />")
            .Replace("<periodicRestart privateMemory=\"1843200\" time=\"29:00:00\">", "<periodicRestart privateMemory=\"0\" time=\"00:00:00\" memory=\"0\">".Replace(" memory=\"0\"", string.Empty, StringComparison.Ordinal));
        var newText = Encoding.UTF8.GetString(after, 3, after.Length - 3);

        // Virtual memory is 0 by schema default already, so it is not written at all.
        Assert.Equal(expected, newText);
        Assert.DoesNotContain("\n", newText.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(result.BackupPath!));
        Assert.Equal(5, result.Changes.Count);

        var reread = PoolTuningService.Read(service.Load(path), "WsusPool", PoolTuningProfileName.Recommended, "CM01", null);
        Assert.True(reread.IsCompliant);
    }

    [Fact]
    public void Missing_elements_are_added_in_the_files_own_style_to_a_self_closing_pool()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(Minimal);
        var service = Service();
        var document = service.Load(path);
        var desired = PoolTuningService.DesiredValues(PoolTuningProfileName.LargeEnvironment, NoExplicitValues, force: false);

        service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", desired), null);

        var text = File.ReadAllText(path);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.Contains(
            "      <add name=\"WsusPool\" managedRuntimeVersion=\"v4.0\" queueLength=\"30000\">\n" +
            "        <recycling>\n" +
            "          <periodicRestart time=\"00:00:00\" />\n" +
            "        </recycling>\n" +
            "        <processModel idleTimeout=\"00:00:00\" loadUserProfile=\"true\" pingingEnabled=\"false\" />\n" +
            "      </add>\n",
            text,
            StringComparison.Ordinal);

        // Everything outside WsusPool is untouched.
        var original = File.ReadAllText(TempFolder.Fixture(Minimal));
        Assert.Equal(original.Substring(0, original.IndexOf("<add name=\"WsusPool\"", StringComparison.Ordinal)), text.Substring(0, text.IndexOf("<add name=\"WsusPool\"", StringComparison.Ordinal)));
        Assert.EndsWith(original.Substring(original.IndexOf("      <applicationPoolDefaults>", StringComparison.Ordinal)), text, StringComparison.Ordinal);

        var reread = PoolTuningService.Read(service.Load(path), "WsusPool", PoolTuningProfileName.LargeEnvironment, "CM01", null);
        Assert.True(reread.IsCompliant);
        Assert.Equal(30000L, reread.QueueLength);
    }

    [Fact]
    public void A_UTF16_file_stays_UTF16_with_its_BOM_and_a_look_alike_comment_is_left_alone()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "applicationHost.config");
        var text = File.ReadAllText(TempFolder.Fixture(Minimal))
            .Replace("<add name=\"DefaultAppPool\" />", "<add name=\"DefaultAppPool\" />\n      <!-- <add name=\"WsusPool\" queueLength=\"1000\" /> -->", StringComparison.Ordinal);
        File.WriteAllText(path, text, new UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        var service = Service();
        var document = service.Load(path);

        service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", PoolTuningService.DesiredValues(null, new Dictionary<string, object> { ["QueueLength"] = 2000L }, false)), null);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xFF, 0xFE }, bytes.Take(2));
        var after = Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        Assert.Equal(text.Replace("<add name=\"WsusPool\" managedRuntimeVersion=\"v4.0\"/>", "<add name=\"WsusPool\" managedRuntimeVersion=\"v4.0\" queueLength=\"2000\"/>", StringComparison.Ordinal), after);
    }

    [Fact]
    public void Explicit_values_override_the_profile_and_alone_change_only_themselves()
    {
        var onlyQueue = PoolTuningService.DesiredValues(null, new Dictionary<string, object> { ["QueueLength"] = 5000L }, force: false);
        Assert.Equal(new[] { PoolSettingCatalog.QueueLength }, onlyQueue.Keys);

        var profilePlus = PoolTuningService.DesiredValues(PoolTuningProfileName.Recommended, new Dictionary<string, object> { ["QueueLength"] = 5000L }, force: false);
        Assert.Equal(5000L, profilePlus[PoolSettingCatalog.QueueLength]);
        Assert.Equal(TimeSpan.Zero, profilePlus[PoolSettingCatalog.IdleTimeout]);

        var nothingSaid = PoolTuningService.DesiredValues(null, NoExplicitValues, force: false);
        Assert.Equal(2000L, nothingSaid[PoolSettingCatalog.QueueLength]);
    }

    [Fact]
    public void Enable32Bit_true_needs_Force()
    {
        var error = Assert.Throws<WsusRemediationException>(() =>
            PoolTuningService.DesiredValues(null, new Dictionary<string, object> { ["Enable32BitAppOnWin64"] = true }, force: false));
        Assert.Equal("Enable32BitRequiresForce", error.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidOperation, error.Kind);

        var forced = PoolTuningService.DesiredValues(null, new Dictionary<string, object> { ["Enable32BitAppOnWin64"] = true }, force: true);
        Assert.Equal(true, forced[PoolSettingCatalog.Enable32BitAppOnWin64]);
    }

    [Fact]
    public void Profiles_restore_Enable32Bit_to_false()
    {
        var document = Service().Load(TempFolder.Fixture(CustomPool));
        var changes = PoolTuningService.PlanChanges(document, "WsusCustomPool", PoolTuningService.DesiredValues(PoolTuningProfileName.Recommended, NoExplicitValues, false));
        var change = Assert.Single(changes, c => c.Definition == PoolSettingCatalog.Enable32BitAppOnWin64);
        Assert.Equal("Set enable32BitAppOnWin64: True -> False", change.Description);
    }

    [Fact]
    public void A_time_span_over_a_day_is_written_so_that_it_reads_back_the_same()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(SiteServer);
        var service = Service();
        var document = service.Load(path);
        var desired = PoolTuningService.DesiredValues(null, new Dictionary<string, object> { ["RegularTimeInterval"] = "30:00:00" }, false);
        service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", desired), null);

        Assert.Contains("time=\"1.06:00:00\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(30), PoolTuningService.Read(service.Load(path), "WsusPool", PoolTuningProfileName.Recommended, "x", null).RegularTimeInterval);
    }

    [Fact]
    public void Nothing_to_change_means_no_write_and_no_backup()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(SiteServer);
        var service = Service();
        var document = service.Load(path);
        var desired = PoolTuningService.DesiredValues(null, new Dictionary<string, object> { ["QueueLength"] = 1000L }, false);
        var changes = PoolTuningService.PlanChanges(document, "WsusPool", desired);

        var result = service.Apply(document, "WsusPool", changes, null);

        Assert.Empty(changes);
        Assert.Null(result.BackupPath);
        Assert.Single(temp.Files());
    }

    [Fact]
    public void The_backup_goes_to_BackupPath_when_given()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(SiteServer);
        var backups = Path.Combine(temp.Path, "backups");
        var service = Service();
        var document = service.Load(path);
        var result = service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", PoolTuningService.DesiredValues(null, NoExplicitValues, false)), backups);

        Assert.StartsWith(backups, result.BackupPath, StringComparison.Ordinal);
        Assert.Equal("applicationHost.siteserver.config.20261110-080000.bak", Path.GetFileName(result.BackupPath));
    }

    [Fact]
    public void A_change_made_by_someone_else_after_reading_is_detected_and_refused()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(SiteServer);
        var service = Service();
        var document = service.Load(path);
        var theirs = File.ReadAllText(path).Replace("queueLength=\"1000\"", "queueLength=\"4000\"", StringComparison.Ordinal);
        File.WriteAllText(path, theirs);

        var error = Assert.Throws<WsusRemediationException>(() =>
            service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", PoolTuningService.DesiredValues(null, NoExplicitValues, false)), null));

        Assert.Equal("ConfigurationChangedSinceRead", error.ErrorId);
        Assert.Equal(theirs, File.ReadAllText(path));
        Assert.Single(temp.Files());
    }

    [Fact]
    public void A_fault_at_any_file_operation_leaves_the_file_wholly_old_or_wholly_new()
    {
        using var template = new TempFolder();
        var templatePath = template.CopyFixture(SiteServer);
        var original = File.ReadAllBytes(templatePath);
        var clean = Service();
        var cleanDocument = clean.Load(templatePath);
        clean.Apply(cleanDocument, "WsusPool", PoolTuningService.PlanChanges(cleanDocument, "WsusPool", PoolTuningService.DesiredValues(null, NoExplicitValues, false)), Path.Combine(template.Path, "b"));
        var updated = File.ReadAllBytes(templatePath);

        var operations = 0;
        var outcomes = new List<string>();
        for (var failAt = 1; failAt < 40; failAt++)
        {
            using var temp = new TempFolder();
            var path = temp.CopyFixture(SiteServer);
            var store = new FaultyFileStore(failAt);
            var service = Service(store);
            Exception? error = null;
            try
            {
                var document = service.Load(path);
                service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", PoolTuningService.DesiredValues(null, NoExplicitValues, false)), null);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            var now = File.ReadAllBytes(path);
            var whole = now.SequenceEqual(original) ? "old" : now.SequenceEqual(updated) ? "new" : "TORN";
            outcomes.Add($"{failAt}:{whole}:{error?.GetType().Name}");
            Assert.True(whole != "TORN", string.Join(" ", outcomes));
            if (error is null)
            {
                operations = failAt;
                Assert.Equal("new", whole);
                break;
            }

            // Every injected fault surfaces as an engine error the cmdlet can report.
            Assert.True(error is WsusRemediationException, $"fault {failAt}: {error}");
            Assert.False(File.Exists(path + ".wsusremediation.tmp"), $"temporary file left at fault {failAt}");
        }

        Assert.True(operations > 8, $"the loop must get past every write step; it stopped at {operations}");
    }

    [Fact]
    public void A_read_only_file_is_refused_and_left_unchanged()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(SiteServer);
        var before = File.ReadAllBytes(path);
        var service = Service();
        var document = service.Load(path);
        File.SetAttributes(path, FileAttributes.ReadOnly);

        var error = Assert.Throws<WsusRemediationException>(() =>
            service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", PoolTuningService.DesiredValues(null, NoExplicitValues, false)), null));

        Assert.Equal("ConfigurationFileReadOnly", error.ErrorId);
        Assert.Equal(EngineErrorKind.PermissionDenied, error.Kind);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_locked_file_is_refused_and_left_unchanged()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(SiteServer);
        var before = File.ReadAllBytes(path);
        var service = Service();
        var document = service.Load(path);

        WsusRemediationException error;
        using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            error = Assert.Throws<WsusRemediationException>(() =>
                service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", PoolTuningService.DesiredValues(null, NoExplicitValues, false)), null));
        }

        Assert.Equal("ConfigurationFileLocked", error.ErrorId);
        Assert.Equal(EngineErrorKind.ResourceBusy, error.Kind);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void An_unknown_pool_is_reported_with_the_pools_that_exist()
    {
        var document = Service().Load(TempFolder.Fixture(SiteServer));
        var error = Assert.Throws<WsusRemediationException>(() => PoolTuningService.Read(document, "WSUSPool2", PoolTuningProfileName.Recommended, "x", null));
        Assert.Equal("PoolNotFound", error.ErrorId);
        Assert.Equal(EngineErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains("WsusPool", error.Message, StringComparison.Ordinal);

        // Pool names are case-insensitive in IIS.
        Assert.Equal("WsusPool", PoolTuningService.Read(document, "wsuspool", PoolTuningProfileName.Recommended, "x", null).PoolName);
    }

    [Theory]
    [InlineData("PoolTuning/web.config")]
    [InlineData("PoolTuning/README.md")]
    public void A_file_that_is_not_applicationHost_config_is_refused(string fixture)
    {
        var error = Assert.Throws<WsusRemediationException>(() => Service().Load(TempFolder.Fixture(fixture)));
        Assert.Equal("NotApplicationHostConfig", error.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidData, error.Kind);
    }

    [Fact]
    public void Binary_garbage_and_a_missing_file_are_refused_clearly()
    {
        using var temp = new TempFolder();
        var garbage = Path.Combine(temp.Path, "applicationHost.config");
        File.WriteAllBytes(garbage, new byte[] { 0x00, 0xFF, 0x13, 0x80, 0xC3, 0x28, 0x00, 0x01 });

        Assert.Equal("NotApplicationHostConfig", Assert.Throws<WsusRemediationException>(() => Service().Load(garbage)).ErrorId);
        Assert.Equal("ConfigurationFileNotFound", Assert.Throws<WsusRemediationException>(() => Service().Load(Path.Combine(temp.Path, "nope.config"))).ErrorId);
    }

    [Fact]
    public void A_folder_given_as_the_configuration_means_the_applicationHost_config_in_it()
    {
        using var temp = new TempFolder();
        var config = temp.CopyFixture(SiteServer, "applicationHost.config");
        var empty = Path.Combine(temp.Path, "empty");
        Directory.CreateDirectory(empty);

        Assert.Equal(config, Service().ResolveConfigurationPath(temp.Path, null));
        Assert.Equal("WsusPool", PoolTuningService.FindWsusPoolName(Service().Load(Service().ResolveConfigurationPath(temp.Path, null))));
        var error = Assert.Throws<WsusRemediationException>(() => Service().ResolveConfigurationPath(empty, null));
        Assert.Equal("ConfigurationFileNotFound", error.ErrorId);
        Assert.Equal(EngineErrorKind.ObjectNotFound, error.Kind);
        Assert.Equal($"'{empty}' is a folder without an applicationHost.config. Name the file itself, or the folder it was collected to.", error.Message);
    }

    [OffWindowsFact]
    public void Discovering_the_WSUS_pool_falls_back_to_WsusPool_when_the_configuration_is_out_of_reach()
    {
        var said = new List<string>();
        Assert.Equal("WsusPool", Service().DiscoverWsusPoolName(null, said.Add));
        Assert.Contains(said, s => s.Contains("using 'WsusPool'", StringComparison.Ordinal));
    }

    [OffWindowsFact]
    public void Off_Windows_the_live_configuration_names_the_offline_parameter()
    {
        var error = Assert.Throws<WsusRemediationException>(() => Service().ResolveConfigurationPath(null, null));
        Assert.Equal("LiveAccessRequiresWindows", error.ErrorId);
        Assert.Contains("-ConfigurationPath", error.Message, StringComparison.Ordinal);
        Assert.Equal("/tmp/a.config", Service().ResolveConfigurationPath("/tmp/a.config", null));
    }
}
