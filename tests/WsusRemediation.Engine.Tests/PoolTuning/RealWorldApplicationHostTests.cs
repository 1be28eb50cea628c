using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.PoolTuning;

/// <summary>
/// applicationHost.config as a real server has it: XML declaration and IIS's header comment, configSections,
/// configProtectedData, an encrypted pool password, attributes spread over lines and indented with tabs,
/// single-quoted and space-padded attributes, entities, &lt;clear /&gt;, &lt;location&gt; sections.
/// </summary>
public class RealWorldApplicationHostTests
{
    private const string RealWorld = "PoolTuning/applicationHost.realworld.config";
    private const string EncryptedPassword = "[enc:IISWASOnlyCngProvider:Q29udG9zb1NhbXBsZUNpcGhlclRleHROb3RBUmVhbFBhc3N3b3JkPT0=:enc]";

    private readonly VirtualClock _clock = new();

    private PoolTuningService Service() => new(PhysicalFileStore.Instance, _clock);

    [Fact]
    public void The_WSUS_pool_and_its_values_are_read_through_quotes_tabs_and_line_breaks()
    {
        var document = Service().Load(TempFolder.Fixture(RealWorld));

        Assert.Equal(new[] { "DefaultAppPool", "Classic .NET AppPool", "SMS Management Point Pool", "WsusPool" }, document.PoolNames);
        Assert.Equal("WsusPool", PoolTuningService.FindWsusPoolName(document));
        var tuning = PoolTuningService.Read(document, "WsusPool", PoolTuningProfileName.Recommended, "CM01", null);
        Assert.Equal(1000L, tuning.QueueLength);
        Assert.Equal(1843200L, tuning.PrivateMemoryLimitKB);
        Assert.Equal(TimeSpan.FromHours(29), tuning.RegularTimeInterval);
        Assert.Equal(TimeSpan.FromMinutes(20), tuning.IdleTimeout);
        Assert.True(tuning.LoadUserProfile);
        Assert.Equal("v4.0", tuning.ManagedRuntimeVersion);
    }

    [Fact]
    public void Applying_the_profile_changes_only_the_targeted_values_and_keeps_quotes_tabs_and_the_password()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(RealWorld);
        var before = File.ReadAllText(path);
        var service = Service();
        var document = service.Load(path);
        var desired = PoolTuningService.DesiredValues(PoolTuningProfileName.Recommended, new Dictionary<string, object>(), force: false);

        var result = service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", desired), backupFolder: null);

        var after = File.ReadAllText(path);
        var expected = before
            .Replace("queueLength='1000'", "queueLength='2000'", StringComparison.Ordinal)
            .Replace("idleTimeout=\"00:20:00\"", "idleTimeout=\"00:00:00\"", StringComparison.Ordinal)
            .Replace("shutdownTimeLimit=\"00:01:30\" />", "shutdownTimeLimit=\"00:01:30\" pingingEnabled=\"false\" />", StringComparison.Ordinal)
            .Replace("<periodicRestart privateMemory='1843200' time=\"29:00:00\">", "<periodicRestart privateMemory='0' time=\"00:00:00\">", StringComparison.Ordinal);
        Assert.NotEqual(before, expected);
        Assert.Equal(expected, after);
        Assert.Equal(5, result.Changes.Count);
        Assert.False(File.ReadAllBytes(path).Take(3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.Contains("password=\"" + EncryptedPassword + "\"", after, StringComparison.Ordinal);

        var reread = PoolTuningService.Read(service.Load(path), "WsusPool", PoolTuningProfileName.Recommended, "CM01", null);
        Assert.True(reread.IsCompliant);
    }

    [Fact]
    public void Missing_elements_go_under_a_pool_whose_start_tag_spans_lines()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(RealWorld);
        var text = File.ReadAllText(path);
        var start = text.IndexOf("                <processModel identityType = \"NetworkService\"", StringComparison.Ordinal);
        var end = text.IndexOf("                <recycling ", StringComparison.Ordinal);
        File.WriteAllText(path, text.Remove(start, end - start));
        var service = Service();
        var document = service.Load(path);

        service.Apply(document, "WsusPool", PoolTuningService.PlanChanges(document, "WsusPool", PoolTuningService.DesiredValues(null, new Dictionary<string, object> { ["PingingEnabled"] = false }, false)), null);

        Assert.Contains(
            "\t\tstartMode=\"OnDemand\">\r\n                <processModel pingingEnabled=\"false\" />\r\n                <recycling ",
            File.ReadAllText(path),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_pool_with_an_encrypted_password_never_outputs_it()
    {
        var document = Service().Load(TempFolder.Fixture(RealWorld));
        var tuning = PoolTuningService.Read(document, "SMS Management Point Pool", PoolTuningProfileName.Recommended, "CM01", null);

        var seen = new StringBuilder();
        Dump(tuning, seen, 0);
        Assert.DoesNotContain("enc:", seen.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Q29udG9z", seen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Entities_and_single_quotes_in_the_targeted_attribute_survive_an_edit_of_another_one()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFixture(RealWorld);
        var service = Service();
        var document = service.Load(path);
        var before = File.ReadAllText(path);

        var changes = PoolTuningService.PlanChanges(document, "SMS Management Point Pool", PoolTuningService.DesiredValues(null, new Dictionary<string, object> { ["QueueLength"] = 2000L }, false));
        service.Apply(document, "SMS Management Point Pool", changes, null);

        var after = File.ReadAllText(path);
        Assert.Equal(
            before.Replace("<add name=\"SMS Management Point Pool\" managedRuntimeVersion=\"v4.0\">", "<add name=\"SMS Management Point Pool\" managedRuntimeVersion=\"v4.0\" queueLength=\"2000\">", StringComparison.Ordinal),
            after);
        Assert.Contains("userName=\"CONTOSO\\svc-mp&amp;sup\" password=\"" + EncryptedPassword + "\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_piped_files_name_is_not_taken_for_a_pool_name()
    {
        // Get-ChildItem ...\applicationHost.config | Get-WsusPoolTuning binds Name to -PoolName, FullName to -ConfigurationPath.
        Assert.Null(PoolTuningService.PoolNamesFromInput(new[] { "applicationHost.config" }, @"C:\Collected\CM01\applicationHost.config"));
        Assert.Null(PoolTuningService.PoolNamesFromInput(new[] { "ApplicationHost.config" }, "/evidence/cm01/applicationHost.config"));
        Assert.Equal(new[] { "WsusPool" }, PoolTuningService.PoolNamesFromInput(new[] { "WsusPool" }, @"C:\Collected\applicationHost.config"));
        Assert.Equal(new[] { "WsusPool" }, PoolTuningService.PoolNamesFromInput(new[] { "WsusPool" }, null));
        Assert.Null(PoolTuningService.PoolNamesFromInput(null, @"C:\x\applicationHost.config"));
    }

    private static void Dump(object? value, StringBuilder seen, int depth)
    {
        if (value is null || depth > 4)
        {
            return;
        }

        if (value is string || value.GetType().IsPrimitive || value is TimeSpan || value is Enum)
        {
            seen.Append(value).Append('\n');
            return;
        }

        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                Dump(item, seen, depth + 1);
            }

            return;
        }

        seen.Append(value).Append('\n');
        foreach (var property in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            Dump(property.GetValue(value), seen, depth + 1);
        }
    }
}
