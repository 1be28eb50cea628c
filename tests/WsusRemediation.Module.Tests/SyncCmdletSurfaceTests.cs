using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>Get-WsusSyncStatus | Invoke-WsusSync, seen from outside the built module.</summary>
    public sealed class SyncCmdletSurfaceTests : IDisposable
    {
        private readonly MetadataLoadContext _context;
        private readonly Assembly _module;

        public SyncCmdletSurfaceTests()
        {
            var metadata = typeof(SyncCmdletSurfaceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
            var folder = Path.Combine(metadata["RepoRoot"]!, "out", "WsusRemediation");
            var sma = Directory.GetFiles(metadata["PowerShellStandardPath"]!, "System.Management.Automation.dll", SearchOption.AllDirectories).First();
            var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Concat(Directory.GetFiles(folder, "*.dll")).Append(sma);
            _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
            _module = _context.LoadFromAssemblyPath(Path.Combine(folder, "WsusRemediation.dll"));
        }

        public void Dispose() => _context.Dispose();

        private Type Command(string name) => _module.GetType("WsusRemediation.Commands." + name, throwOnError: true)!;

        private static CustomAttributeData? Attribute(MemberInfo member, string name) =>
            member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);

        private static object? Named(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name).TypedValue.Value;

        private static IEnumerable<string> Aliases(PropertyInfo property) =>
            property.GetCustomAttributesData().Where(a => a.AttributeType.Name == "AliasAttribute")
                .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!));

        [Fact]
        public void Get_WsusSyncStatus_output_binds_ComputerName_and_Source_of_Invoke_WsusSync_by_property_name()
        {
            var types = (IEnumerable<CustomAttributeTypedArgument>)Attribute(Command("GetWsusSyncStatusCommand"), "OutputTypeAttribute")!.ConstructorArguments[0].Value!;
            var output = (Type)types.First().Value!;
            Assert.Equal("WsusRemediation.Engine.Sync.WsusSyncStatus", output.FullName);

            var invoke = Command("InvokeWsusSyncCommand");
            var bound = new List<string>();
            foreach (var parameter in invoke.GetProperties().Where(p => Attribute(p, "ParameterAttribute") is { } a && Named(a, "ValueFromPipelineByPropertyName") is true))
            {
                var names = Aliases(parameter).Prepend(parameter.Name);
                var property = names.Select(n => output.GetProperty(n)).FirstOrDefault(p => p is not null);
                if (property is null)
                {
                    continue;
                }

                // -Source is a validated string: the enum's name binds to it.
                var target = Nullable.GetUnderlyingType(parameter.PropertyType) ?? parameter.PropertyType;
                Assert.True(target.FullName == property.PropertyType.FullName || (target.FullName == "System.String" && property.PropertyType.IsEnum), $"{property.Name} is {property.PropertyType} but -{parameter.Name} is {target}");
                bound.Add(parameter.Name);
            }

            Assert.Equal(new[] { "ComputerName", "Source" }, bound.OrderBy(n => n));
        }

        [Fact]
        public void Every_SyncSource_name_is_an_accepted_Invoke_WsusSync_Source()
        {
            var sourceEnum = _module.GetReferencedAssemblies().Select(n => _context.LoadFromAssemblyName(n)).Select(a => a.GetType("WsusRemediation.Engine.Sync.SyncSource")).First(t => t is not null)!;
            var validate = Attribute(Command("InvokeWsusSyncCommand").GetProperty("Source")!, "ValidateSetAttribute")!;
            var accepted = ((IEnumerable<CustomAttributeTypedArgument>)validate.ConstructorArguments[0].Value!).Select(v => (string)v.Value!);
            Assert.Equal(sourceEnum.GetEnumNames().OrderBy(n => n), accepted.OrderBy(n => n));
        }

        [Fact]
        public void Invoke_WsusSync_supports_ShouldProcess_and_both_cmdlets_declare_their_output()
        {
            var cmdlet = Attribute(Command("InvokeWsusSyncCommand"), "CmdletAttribute")!;
            Assert.Equal(true, Named(cmdlet, "SupportsShouldProcess"));
            Assert.NotNull(Attribute(Command("InvokeWsusSyncCommand"), "OutputTypeAttribute"));
            Assert.NotNull(Attribute(Command("GetWsusSyncStatusCommand"), "OutputTypeAttribute"));
        }

        [Fact]
        public void Both_cmdlets_are_exported_and_have_a_table_view_and_a_help_page()
        {
            var root = typeof(SyncCmdletSurfaceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
            var manifest = File.ReadAllText(Path.Combine(root, "out", "WsusRemediation", "WsusRemediation.psd1"));
            var format = File.ReadAllText(Path.Combine(root, "out", "WsusRemediation", "WsusRemediation.Format.ps1xml"));
            foreach (var name in new[] { "Get-WsusSyncStatus", "Invoke-WsusSync" })
            {
                Assert.Contains($"'{name}'", manifest);
                Assert.True(File.Exists(Path.Combine(root, "docs", name + ".md")), name + ".md");
            }

            Assert.Contains("<TypeName>WsusRemediation.Engine.Sync.WsusSyncStatus</TypeName>", format);
        }
    }
}
