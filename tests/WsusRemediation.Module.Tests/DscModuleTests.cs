using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>
    /// The companion module out/WsusRemediationDsc as DSC discovery reads it, without PowerShell:
    /// the manifest keys that decide whether ExportedDscResources is filled, and the class in the
    /// root .psm1 (tests/Pester/Dsc.Tests.ps1 calls Get/Test/Set where PowerShell runs).
    /// </summary>
    public class DscModuleTests
    {
        private static readonly Regex DscPropertyDeclaration = new(
            @"\[DscProperty\([^)]*\)\]\s*(?:\[Validate\w+\([^)]*\)\]\s*)*\[(?<type>[^\s$]+)\]\s*\$(?<name>\w+)",
            RegexOptions.CultureInvariant);

        private static BuiltModule Module => BuiltModule.Current;

        private static string DscFolder => Path.Combine(Module.RepoRoot, "out", "WsusRemediationDsc");

        private static ManifestFile DscManifest => new(Path.Combine(DscFolder, "WsusRemediationDsc.psd1"));

        private static string[] DscProperties(string script) =>
            DscPropertyDeclaration.Matches(script).Select(m => m.Groups["name"].Value).ToArray();

        [Fact]
        public void The_build_lays_out_the_DSC_module_beside_the_main_module()
        {
            foreach (var file in new[] { "WsusRemediationDsc.psd1", "WsusRemediationDsc.psm1", "LICENSE", Path.Combine("en-US", "about_WsusRemediationDsc.help.txt") })
            {
                Assert.True(File.Exists(Path.Combine(DscFolder, file)), "missing from out/WsusRemediationDsc: " + file);
            }

            Assert.True(File.Exists(Path.Combine(Module.ModuleFolder, "LICENSE")), "missing from out/WsusRemediation: LICENSE");
            Assert.Equal(File.ReadAllBytes(Path.Combine(Module.RepoRoot, "LICENSE")), File.ReadAllBytes(Path.Combine(DscFolder, "LICENSE")));
        }

        [Fact]
        public void The_manifest_has_a_script_root_requires_the_main_module_and_exports_the_resource()
        {
            var manifest = DscManifest;
            Assert.Equal("WsusRemediationDsc.psm1", manifest.Value("RootModule"));
            Assert.Equal(new[] { "WsusRemediation" }, manifest.List("RequiredModules"));
            Assert.Equal(new[] { "WsusPoolTuning" }, manifest.List("DscResourcesToExport"));
            Assert.Null(manifest.List("NestedModules"));
            Assert.Equal(new[] { "Core", "Desktop" }, manifest.List("CompatiblePSEditions"));
        }

        [Fact]
        public void The_manifest_does_not_make_ExportedDscResources_empty()
        {
            // With CmdletsToExport, FunctionsToExport and AliasesToExport all explicit lists,
            // PowerShell reports no ExportedDscResources (PowerShell#12054).
            var manifest = DscManifest;
            var explicitLists = new[] { "CmdletsToExport", "FunctionsToExport", "AliasesToExport" }
                .Count(key => manifest.List(key) is { } list && !list.Contains("*"));
            Assert.True(explicitLists < 3, "all three export lists are explicit: DSC discovery would find no resource");
        }

        [Fact]
        public void The_DSC_module_has_the_version_of_the_main_module()
        {
            Assert.Equal(new ManifestFile(Path.Combine(Module.ModuleFolder, "WsusRemediation.psd1")).Value("ModuleVersion"), DscManifest.Value("ModuleVersion"));
            Assert.Equal(Module.Assembly.GetName().Version!.ToString(3), DscManifest.Value("ModuleVersion"));
        }

        [Fact]
        public void The_root_module_holds_the_resource_class_with_its_key_and_read_only_properties()
        {
            var script = File.ReadAllText(Path.Combine(DscFolder, "WsusRemediationDsc.psm1"));
            Assert.Matches(new Regex(@"\[DscResource\(\)\]\s*class WsusPoolTuning\b"), script);
            Assert.Matches(new Regex(@"\[DscProperty\(Key\)\]\s*\[string\] \$Name\b"), script);
            Assert.Matches(new Regex(@"\[DscProperty\(NotConfigurable\)\]\s*\[bool\] \$IsCompliant\b"), script);
            Assert.Matches(new Regex(@"\[DscProperty\(NotConfigurable\)\]\s*\[WsusPoolTuningReason\[\]\] \$Reasons\b"), script);
            foreach (var method in new[] { @"\[WsusPoolTuning\] Get\(\)", @"\[bool\] Test\(\)", @"\[void\] Set\(\)" })
            {
                Assert.Matches(new Regex(method), script);
            }

            // The class must parse before WsusRemediation's DLL is loaded (Get-DscResource, the DSC v3
            // adapters): no type literal from the module's namespace.
            Assert.DoesNotMatch(new Regex(@"\[WsusRemediation\.", RegexOptions.IgnoreCase), script);
        }

        [Fact]
        public void Every_setting_parameter_of_Set_WsusPoolTuning_is_a_property_of_the_resource()
        {
            var script = File.ReadAllText(Path.Combine(DscFolder, "WsusRemediationDsc.psm1"));
            var set = Module.Cmdlets.Single(c => c.Name == "Set-WsusPoolTuning");
            var notSettings = new[] { "Profile", "BackupPath", "Force", "PassThru", "PoolName", "ConfigurationPath", "ComputerName" };
            var settings = set.Type.GetProperties()
                .Where(p => p.CustomAttributes.Any(a => a.AttributeType.Name == "ParameterAttribute"))
                .Select(p => p.Name)
                .Except(notSettings)
                .ToList();
            Assert.True(settings.Count >= 14, "only " + settings.Count + " setting parameters found");
            var declared = DscProperties(script);
            var missing = settings.Except(declared).ToList();
            Assert.True(missing.Count == 0, "settings of Set-WsusPoolTuning without a DSC property: " + string.Join(", ", missing));
        }
    }
}
