using System.IO;
using System.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>The fixture itself, and the layout of out/WsusRemediation.</summary>
    public class BuiltModuleTests
    {
        private static BuiltModule Module => BuiltModule.Current;

        [Fact]
        public void The_fixture_loads_the_built_module_assembly_and_reads_the_approved_verbs()
        {
            Assert.True(File.Exists(Module.AssemblyPath), Module.AssemblyPath);
            Assert.Equal(BuiltModule.ModuleName, Module.Assembly.GetName().Name);
            Assert.Contains(Module.ModuleAssemblies, a => a.GetName().Name == "WsusRemediation.Engine");

            // A sample from several Verbs* classes proves all seven were read.
            foreach (var verb in new[] { "Get", "Set", "Test", "Invoke", "Restart", "Repair", "Export", "Send", "Grant", "Use" })
            {
                Assert.Contains(verb, Module.ApprovedVerbs);
            }

            Assert.DoesNotContain("Fix", Module.ApprovedVerbs);
            Assert.True(Module.ApprovedVerbs.Count > 90, $"only {Module.ApprovedVerbs.Count} verbs read");
        }

        [Fact]
        public void The_fixture_finds_the_cmdlet_base_class_but_lists_only_concrete_cmdlets()
        {
            Assert.NotNull(Module.Assembly.GetType("WsusRemediation.Common.WsusRemediationCmdlet"));
            Assert.All(Module.Cmdlets, c => Assert.False(c.Type.IsAbstract, c.Name));
            Assert.Equal(Module.Cmdlets.Select(c => c.Name).Distinct().Count(), Module.Cmdlets.Count);
        }

        [Fact]
        public void The_module_folder_holds_the_manifest_both_assemblies_the_format_and_types_files_and_the_help()
        {
            var expected = new[]
            {
                "WsusRemediation.psd1",
                "WsusRemediation.dll",
                "WsusRemediation.Engine.dll",
                "WsusRemediation.Format.ps1xml",
                "WsusRemediation.Types.ps1xml",
                Path.Combine("en-US", "about_WsusRemediation.help.txt"),
            }.ToList();
            if (Module.Cmdlets.Count > 0)
            {
                expected.Add(Path.Combine("en-US", "WsusRemediation.dll-Help.xml"));
            }

            var missing = expected.Where(f => !File.Exists(Path.Combine(Module.ModuleFolder, f))).ToList();
            Assert.True(missing.Count == 0, "missing from out/WsusRemediation: " + string.Join(", ", missing));
        }

        [Fact]
        public void The_module_folder_ships_no_PowerShell_assembly()
        {
            // PowerShell provides System.Management.Automation; a copy in the folder would shadow it.
            Assert.False(File.Exists(Path.Combine(Module.ModuleFolder, "System.Management.Automation.dll")));
        }
    }
}
