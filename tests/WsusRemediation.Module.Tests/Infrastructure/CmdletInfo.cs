using System;
using System.Collections.Generic;
using System.Linq;

namespace WsusRemediation.Module.Tests.Infrastructure
{
    /// <summary>A cmdlet class of the built module, as its attributes describe it.</summary>
    public sealed class CmdletInfo
    {
        /// <summary>The parameter-set name PowerShell uses for parameters that belong to every set.</summary>
        public const string AllParameterSets = "__AllParameterSets";

        public required string Name { get; init; }
        public required string Verb { get; init; }
        public required string Noun { get; init; }

        /// <summary>The class, loaded in the metadata load context (inspect only, never instantiate).</summary>
        public required Type Type { get; init; }
        public required bool SupportsShouldProcess { get; init; }

        /// <summary>None, Low, Medium or High; Medium when the attribute does not say.</summary>
        public required string ConfirmImpact { get; init; }
        public required string? DefaultParameterSetName { get; init; }
        public required IReadOnlyList<CmdletParameterInfo> Parameters { get; init; }
        public required IReadOnlyList<OutputTypeInfo> OutputTypes { get; init; }

        /// <summary>The [Alias] names on the class (command aliases such as Restart-SmsServices).</summary>
        public required IReadOnlyList<string> Aliases { get; init; }

        /// <summary>The named parameter sets; just <see cref="AllParameterSets"/> when no parameter names one.</summary>
        public IReadOnlyList<string> ParameterSetNames
        {
            get
            {
                var named = Parameters.SelectMany(p => p.Sets).Select(s => s.Name)
                    .Where(n => n != AllParameterSets)
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                    .ToList();
                return named.Count > 0 ? named : new[] { AllParameterSets };
            }
        }

        public CmdletParameterInfo? Parameter(string name) =>
            Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The parameters a user can pass in a set (its own and the ones in every set).</summary>
        public IEnumerable<CmdletParameterInfo> ParametersIn(string setName) =>
            Parameters.Where(p => p.SetFor(setName) is not null);

        public override string ToString() => Name;
    }

    /// <summary>A property with [Parameter] (one entry per [Parameter] attribute in <see cref="Sets"/>).</summary>
    public sealed class CmdletParameterInfo
    {
        public required string Name { get; init; }
        public required Type Type { get; init; }
        public required IReadOnlyList<string> Aliases { get; init; }
        public required IReadOnlyList<ParameterSetInfo> Sets { get; init; }
        public required bool SupportsWildcards { get; init; }

        /// <summary>The values of [ValidateSet], if any.</summary>
        public required IReadOnlyList<string> ValidValues { get; init; }

        public bool IsSwitch => Type.FullName == "System.Management.Automation.SwitchParameter";

        /// <summary>The type as platyPS names it: String[], Int32 (also for Nullable&lt;Int32&gt;), SwitchParameter.</summary>
        public string TypeDisplayName => TypeNames.Display(Type);

        /// <summary>The attribute that applies in a set: the one naming it, else the one for all sets.</summary>
        public ParameterSetInfo? SetFor(string setName) =>
            Sets.FirstOrDefault(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase))
            ?? Sets.FirstOrDefault(s => s.Name == CmdletInfo.AllParameterSets);

        public bool InAllSets => Sets.Any(s => s.Name == CmdletInfo.AllParameterSets);

        public override string ToString() => Name;
    }

    /// <summary>One [Parameter] attribute.</summary>
    public sealed class ParameterSetInfo
    {
        public required string Name { get; init; }

        /// <summary>The position, or null for a named parameter.</summary>
        public required int? Position { get; init; }
        public required bool Mandatory { get; init; }
        public required bool ValueFromPipeline { get; init; }
        public required bool ValueFromPipelineByPropertyName { get; init; }
    }

    /// <summary>One type named by [OutputType].</summary>
    public sealed class OutputTypeInfo
    {
        /// <summary>The full type name (for [OutputType("Name")] the string as written).</summary>
        public required string TypeName { get; init; }

        /// <summary>The type when [OutputType(typeof(...))] names one.</summary>
        public required Type? Type { get; init; }
        public required IReadOnlyList<string> ParameterSets { get; init; }

        /// <summary>bool, string and numbers need no table view.</summary>
        public bool IsPrimitive => TypeNames.IsPrimitiveName(TypeName);

        public override string ToString() => TypeName;
    }

    /// <summary>Type names as help pages write them.</summary>
    public static class TypeNames
    {
        private static readonly HashSet<string> Primitives = new(StringComparer.Ordinal)
        {
            "System.Boolean", "System.String", "System.Int16", "System.Int32", "System.Int64", "System.UInt16",
            "System.UInt32", "System.UInt64", "System.Byte", "System.Double", "System.Single", "System.Decimal",
            "System.DateTime", "System.TimeSpan", "System.Object", "System.Void",
        };

        public static bool IsPrimitiveName(string fullName) => Primitives.Contains(fullName.TrimEnd('[', ']'));

        public static string Display(Type type)
        {
            var nullable = Nullable(type);
            if (nullable is not null)
            {
                return Display(nullable);
            }

            if (type.IsArray)
            {
                return Display(type.GetElementType()!) + "[]";
            }

            if (type.IsGenericType)
            {
                var name = type.Name.Substring(0, type.Name.IndexOf('`', StringComparison.Ordinal));
                return $"{name}[{string.Join(", ", type.GetGenericArguments().Select(Display))}]";
            }

            return type.Name;
        }

        /// <summary>The full name, with Nullable unwrapped: what a help page may write instead of the short name.</summary>
        public static string FullDisplay(Type type)
        {
            var nullable = Nullable(type);
            if (nullable is not null)
            {
                return FullDisplay(nullable);
            }

            return type.IsArray ? FullDisplay(type.GetElementType()!) + "[]" : type.FullName ?? type.Name;
        }

        public static Type? Nullable(Type type) =>
            type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : null;
    }
}
