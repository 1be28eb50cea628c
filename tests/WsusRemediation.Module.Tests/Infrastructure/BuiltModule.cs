using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace WsusRemediation.Module.Tests.Infrastructure
{
    /// <summary>
    /// The module as the build laid it out in out/WsusRemediation, read through a
    /// MetadataLoadContext: nothing is executed, so this works without PowerShell and on any OS.
    /// One instance per test run (<see cref="Current"/>).
    /// </summary>
    public sealed class BuiltModule
    {
        public const string ModuleName = "WsusRemediation";
        private const string Sma = "System.Management.Automation";

        private static readonly Lazy<BuiltModule> Loaded = new(() => new BuiltModule());

        private BuiltModule()
        {
            RepoRoot = Metadata("RepoRoot");
            ModuleFolder = Path.Combine(RepoRoot, "out", ModuleName);
            AssemblyPath = Path.Combine(ModuleFolder, ModuleName + ".dll");
            SmaPath = Path.Combine(Metadata("PowerShellStandardPath"), "lib", "netstandard2.0", Sma + ".dll");

            if (!File.Exists(AssemblyPath))
            {
                throw new FileNotFoundException($"The built module is missing: {AssemblyPath}. Run 'dotnet build WsusRemediation.sln -c Release' first.", AssemblyPath);
            }

            if (!File.Exists(SmaPath))
            {
                throw new FileNotFoundException($"System.Management.Automation reference assembly not found at {SmaPath}.", SmaPath);
            }

            // The module folder first, then the SMA reference assembly, then this runtime's
            // framework (which includes netstandard.dll) for the netstandard2.0 facades.
            var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in Directory.GetFiles(ModuleFolder, "*.dll").Append(SmaPath)
                         .Concat(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }

            Context = new MetadataLoadContext(new PathAssemblyResolver(paths.Values), "System.Runtime");
            Assembly = Context.LoadFromAssemblyPath(AssemblyPath);
            SmaAssembly = Context.LoadFromAssemblyPath(SmaPath);
            ModuleAssemblies = Directory.GetFiles(ModuleFolder, "*.dll").OrderBy(p => p, StringComparer.Ordinal)
                .Select(Context.LoadFromAssemblyPath).ToList();
            ApprovedVerbs = ReadApprovedVerbs(SmaAssembly);
            Cmdlets = Assembly.GetTypes()
                .Select(ReadCmdlet)
                .OfType<CmdletInfo>()
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }

        public static BuiltModule Current => Loaded.Value;

        public string RepoRoot { get; }
        public string ModuleFolder { get; }
        public string AssemblyPath { get; }
        public string SmaPath { get; }
        public MetadataLoadContext Context { get; }
        public Assembly Assembly { get; }
        public Assembly SmaAssembly { get; }

        /// <summary>Every DLL in the module folder: the cmdlets and the engine.</summary>
        public IReadOnlyList<Assembly> ModuleAssemblies { get; }

        /// <summary>Every class in the module with [Cmdlet], sorted by name.</summary>
        public IReadOnlyList<CmdletInfo> Cmdlets { get; }

        /// <summary>The const fields of SMA's Verbs* classes (VerbsCommon, VerbsData, ...).</summary>
        public IReadOnlySet<string> ApprovedVerbs { get; }

        /// <summary>The assembly version as the manifest writes it: Major.Minor.Build.</summary>
        public string Version => Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : string.Empty;

        public string DocsFolder => Path.Combine(RepoRoot, "docs");

        public CmdletInfo? Cmdlet(string name) =>
            Cmdlets.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Finds a type of the module (or its engine) by full name.</summary>
        public Type? FindType(string fullName) =>
            ModuleAssemblies.Select(a => a.GetType(fullName)).FirstOrDefault(t => t is not null);

        /// <summary>Does output of <paramref name="outputType"/> bind, by property name or by value, to <paramref name="target"/>?</summary>
        public static PipelineBinding Binding(Type outputType, CmdletInfo target) => PipelineBinding.Analyze(outputType, target);

        private static string Metadata(string key) =>
            typeof(BuiltModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"The test assembly has no [AssemblyMetadata(\"{key}\")]; see the csproj.");

        private static HashSet<string> ReadApprovedVerbs(Assembly sma)
        {
            var verbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var classes = new[] { "VerbsCommon", "VerbsData", "VerbsLifecycle", "VerbsDiagnostic", "VerbsCommunications", "VerbsSecurity", "VerbsOther" };
            foreach (var name in classes)
            {
                var type = sma.GetType($"{Sma}.{name}") ?? throw new InvalidOperationException($"{Sma}.{name} not found in {sma.Location}.");
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
                {
                    verbs.Add((string)field.GetRawConstantValue()!);
                }
            }

            return verbs;
        }

        private static CmdletInfo? ReadCmdlet(Type type)
        {
            var cmdlet = Attribute(type.GetCustomAttributesData(), "CmdletAttribute");
            if (cmdlet is null)
            {
                return null;
            }

            var verb = (string)cmdlet.ConstructorArguments[0].Value!;
            var noun = (string)cmdlet.ConstructorArguments[1].Value!;
            var impact = Named(cmdlet, "ConfirmImpact") is int i ? ((ConfirmImpactName)i).ToString() : "Medium";
            return new CmdletInfo
            {
                Name = $"{verb}-{noun}",
                Verb = verb,
                Noun = noun,
                Type = type,
                SupportsShouldProcess = Named(cmdlet, "SupportsShouldProcess") is true,
                ConfirmImpact = impact,
                DefaultParameterSetName = Named(cmdlet, "DefaultParameterSetName") as string,
                Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Select(ReadParameter).OfType<CmdletParameterInfo>().ToList(),
                OutputTypes = type.GetCustomAttributesData()
                    .Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                    .SelectMany(ReadOutputTypes).ToList(),
                Aliases = AliasNames(type.GetCustomAttributesData()),
            };
        }

        private static CmdletParameterInfo? ReadParameter(PropertyInfo property)
        {
            var attributes = property.GetCustomAttributesData();
            var sets = attributes.Where(a => a.AttributeType.Name == "ParameterAttribute" && a.AttributeType.Namespace == Sma)
                .Select(a => new ParameterSetInfo
                {
                    Name = Named(a, "ParameterSetName") as string ?? CmdletInfo.AllParameterSets,
                    Position = Named(a, "Position") is int p && p != int.MinValue ? p : null,
                    Mandatory = Named(a, "Mandatory") is true,
                    ValueFromPipeline = Named(a, "ValueFromPipeline") is true,
                    ValueFromPipelineByPropertyName = Named(a, "ValueFromPipelineByPropertyName") is true,
                })
                .ToList();
            if (sets.Count == 0)
            {
                return null;
            }

            var validateSet = Attribute(attributes, "ValidateSetAttribute");
            return new CmdletParameterInfo
            {
                Name = property.Name,
                Type = property.PropertyType,
                Aliases = AliasNames(attributes),
                Sets = sets,
                SupportsWildcards = Attribute(attributes, "SupportsWildcardsAttribute") is not null,
                ValidValues = validateSet is null ? Array.Empty<string>() : Strings(validateSet),
            };
        }

        private static IEnumerable<OutputTypeInfo> ReadOutputTypes(CustomAttributeData attribute)
        {
            var sets = Named(attribute, "ParameterSetName") is ReadOnlyCollection<CustomAttributeTypedArgument> names
                ? names.Select(n => (string)n.Value!).ToList()
                : new List<string>();
            foreach (var argument in attribute.ConstructorArguments)
            {
                var values = argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list ? list.Select(v => v.Value) : new[] { argument.Value };
                foreach (var value in values)
                {
                    if (value is Type t)
                    {
                        yield return new OutputTypeInfo { TypeName = t.FullName ?? t.Name, Type = t, ParameterSets = sets };
                    }
                    else if (value is string s)
                    {
                        yield return new OutputTypeInfo { TypeName = s, Type = null, ParameterSets = sets };
                    }
                }
            }
        }

        private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
            attributes.FirstOrDefault(a => a.AttributeType.Name == name && a.AttributeType.Namespace == Sma);

        private static object? Named(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();

        private static List<string> AliasNames(IEnumerable<CustomAttributeData> attributes) =>
            attributes.Where(a => a.AttributeType.Name == "AliasAttribute" && a.AttributeType.Namespace == Sma)
                .SelectMany(Strings).ToList();

        private static List<string> Strings(CustomAttributeData attribute) =>
            attribute.ConstructorArguments
                .SelectMany(a => a.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list ? list.Select(v => v.Value) : new[] { a.Value })
                .OfType<string>()
                .ToList();

        /// <summary>SMA's ConfirmImpact values; the metadata context gives the enum as its number.</summary>
        private enum ConfirmImpactName
        {
            None = 0,
            Low = 1,
            Medium = 2,
            High = 3,
        }
    }
}
