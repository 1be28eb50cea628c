using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>The built manifest (out/WsusRemediation/WsusRemediation.psd1) agrees with the assembly.</summary>
    public class ManifestTests
    {
        private static BuiltModule Module => BuiltModule.Current;

        private static ManifestFile Manifest => new(Path.Combine(Module.ModuleFolder, "WsusRemediation.psd1"));

        [Fact]
        public void CmdletsToExport_lists_exactly_the_cmdlets_in_the_assembly()
        {
            var exported = Manifest.List("CmdletsToExport") ?? throw new InvalidOperationException("no CmdletsToExport");
            Assert.DoesNotContain("*", exported);
            var inAssembly = Module.Cmdlets.Select(c => c.Name).ToList();

            var notExported = inAssembly.Except(exported, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.True(notExported.Count == 0, "cmdlets missing from CmdletsToExport: " + string.Join(", ", notExported));

            // Before the first cmdlet is compiled the manifest may already name the planned ones;
            // from then on every exported name must exist.
            if (inAssembly.Count > 0)
            {
                var notImplemented = exported.Except(inAssembly, StringComparer.OrdinalIgnoreCase).ToList();
                Assert.True(notImplemented.Count == 0, "CmdletsToExport names cmdlets the assembly does not have: " + string.Join(", ", notImplemented));
            }

            Assert.Equal(exported.Count, exported.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        [Fact]
        public void AliasesToExport_lists_exactly_the_aliases_on_the_cmdlet_classes()
        {
            var exported = Manifest.List("AliasesToExport") ?? throw new InvalidOperationException("no AliasesToExport");
            var declared = Module.Cmdlets.SelectMany(c => c.Aliases).ToList();
            Assert.Equal(
                declared.OrderBy(a => a, StringComparer.OrdinalIgnoreCase),
                exported.OrderBy(a => a, StringComparer.OrdinalIgnoreCase),
                StringComparer.OrdinalIgnoreCase);
        }

        [Fact]
        public void The_other_export_lists_are_explicit_and_empty()
        {
            foreach (var key in new[] { "FunctionsToExport", "VariablesToExport" })
            {
                var list = Manifest.List(key);
                Assert.True(list is { Count: 0 }, $"{key} should be @() in a binary module");
            }
        }

        [Fact]
        public void ModuleVersion_is_the_assembly_version()
        {
            Assert.Equal(Module.Version, Manifest.Value("ModuleVersion"));
        }

        [Fact]
        public void The_manifest_declares_both_editions_and_PowerShell_5_1()
        {
            var editions = Manifest.List("CompatiblePSEditions") ?? Array.Empty<string>();
            Assert.Contains("Core", editions);
            Assert.Contains("Desktop", editions);
            Assert.Equal("5.1", Manifest.Value("PowerShellVersion"));
        }

        [Fact]
        public void The_files_the_manifest_names_exist_in_the_module_folder()
        {
            var files = new List<string> { Manifest.Value("RootModule") ?? "(no RootModule)" };
            files.AddRange(Manifest.List("RequiredAssemblies") ?? Array.Empty<string>());
            files.AddRange(Manifest.List("FormatsToProcess") ?? Array.Empty<string>());
            files.AddRange(Manifest.List("TypesToProcess") ?? Array.Empty<string>());
            files.AddRange(Manifest.List("NestedModules") ?? Array.Empty<string>());

            Assert.Equal("WsusRemediation.dll", Manifest.Value("RootModule"));
            var missing = files.Where(f => !File.Exists(Path.Combine(Module.ModuleFolder, f))).ToList();
            Assert.True(missing.Count == 0, "named in the manifest but not in out/WsusRemediation: " + string.Join(", ", missing));
        }

        [Fact]
        public void The_built_manifest_differs_from_the_source_only_in_the_stamped_version()
        {
            var source = new ManifestFile(Path.Combine(Module.RepoRoot, "WsusRemediation.psd1"));
            foreach (var key in new[] { "CmdletsToExport", "AliasesToExport", "FunctionsToExport", "FormatsToProcess", "RequiredAssemblies", "CompatiblePSEditions" })
            {
                Assert.Equal(source.List(key), Manifest.List(key));
            }
        }
    }
}
