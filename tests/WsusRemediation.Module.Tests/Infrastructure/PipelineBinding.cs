using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace WsusRemediation.Module.Tests.Infrastructure
{
    /// <summary>A public property of the output type that a parameter takes by property name.</summary>
    public sealed class PropertyMatch
    {
        public required PropertyInfo Property { get; init; }
        public required CmdletParameterInfo Parameter { get; init; }

        /// <summary>The parameter's name or the alias the property name matched.</summary>
        public required string MatchedName { get; init; }

        /// <summary>The parameter sets in which the parameter takes it by property name.</summary>
        public required IReadOnlyList<string> ParameterSets { get; init; }

        public override string ToString() =>
            $"{Property.Name} ({TypeNames.Display(Property.PropertyType)}) -> -{Parameter.Name} ({Parameter.TypeDisplayName})" +
            (string.Equals(MatchedName, Parameter.Name, StringComparison.OrdinalIgnoreCase) ? string.Empty : $" via alias {MatchedName}");
    }

    /// <summary>
    /// What PowerShell's binder would do with objects of one type piped into a cmdlet, judged from
    /// the attributes alone: which properties bind by name (parameter name or alias, case-insensitive)
    /// with a compatible type, which match by name but not by type, which parameters take the whole
    /// object by value, and in which parameter sets every mandatory parameter is then satisfied.
    /// </summary>
    public sealed class PipelineBinding
    {
        private PipelineBinding(Type outputType, CmdletInfo target)
        {
            OutputType = outputType;
            Target = target;
        }

        public Type OutputType { get; }
        public CmdletInfo Target { get; }
        public IReadOnlyList<PropertyMatch> ByPropertyName { get; private set; } = Array.Empty<PropertyMatch>();
        public IReadOnlyList<PropertyMatch> TypeMismatches { get; private set; } = Array.Empty<PropertyMatch>();
        public IReadOnlyList<CmdletParameterInfo> ByValue { get; private set; } = Array.Empty<CmdletParameterInfo>();

        /// <summary>Sets in which every mandatory parameter is filled from the pipeline object.</summary>
        public IReadOnlyList<string> CompleteParameterSets { get; private set; } = Array.Empty<string>();

        /// <summary>Something binds, nothing that matches by name has the wrong type, and some set is complete.</summary>
        public bool Binds => (ByPropertyName.Count > 0 || ByValue.Count > 0) && TypeMismatches.Count == 0 && CompleteParameterSets.Count > 0;

        public bool BindsParameter(string parameterName) =>
            ByPropertyName.Any(m => string.Equals(m.Parameter.Name, parameterName, StringComparison.OrdinalIgnoreCase))
            || ByValue.Any(p => string.Equals(p.Name, parameterName, StringComparison.OrdinalIgnoreCase));

        public static PipelineBinding Analyze(Type outputType, CmdletInfo target)
        {
            var result = new PipelineBinding(outputType, target);
            var bound = new List<PropertyMatch>();
            var mismatched = new List<PropertyMatch>();
            var properties = outputType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();

            foreach (var parameter in target.Parameters)
            {
                var sets = parameter.Sets.Where(s => s.ValueFromPipelineByPropertyName).Select(s => s.Name).ToList();
                if (sets.Count == 0)
                {
                    continue;
                }

                // PowerShell tries the parameter name first, then its aliases.
                foreach (var name in new[] { parameter.Name }.Concat(parameter.Aliases))
                {
                    var property = properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (property is null)
                    {
                        continue;
                    }

                    var match = new PropertyMatch { Property = property, Parameter = parameter, MatchedName = name, ParameterSets = sets };
                    (IsCompatible(property.PropertyType, parameter.Type) ? bound : mismatched).Add(match);
                    break;
                }
            }

            result.ByPropertyName = bound;
            result.TypeMismatches = mismatched;
            result.ByValue = target.Parameters
                .Where(p => p.Sets.Any(s => s.ValueFromPipeline) && IsCompatible(outputType, p.Type) && !IsObject(p.Type))
                .ToList();

            result.CompleteParameterSets = target.ParameterSetNames.Where(set =>
            {
                bool Fed(CmdletParameterInfo p)
                {
                    var attribute = p.SetFor(set)!;
                    return (attribute.ValueFromPipelineByPropertyName && bound.Any(b => b.Parameter == p))
                        || (attribute.ValueFromPipeline && result.ByValue.Contains(p));
                }

                var inSet = target.ParametersIn(set).ToList();
                return inSet.Any(Fed) && inSet.Where(p => p.SetFor(set)!.Mandatory).All(Fed);
            }).ToList();

            return result;
        }

        /// <summary>
        /// Compatible means the binder passes the value without a lossy or failing conversion: the same
        /// type (ignoring Nullable), an element of an array parameter, an assignable type, integer to
        /// integer, enum to string, Boolean to a switch, or an object parameter.
        /// </summary>
        public static bool IsCompatible(Type from, Type to)
        {
            from = TypeNames.Nullable(from) ?? from;
            to = TypeNames.Nullable(to) ?? to;
            if (IsObject(to) || from.FullName == to.FullName || to.IsAssignableFrom(from))
            {
                return true;
            }

            if (to.IsArray)
            {
                var element = to.GetElementType()!;
                return IsCompatible(from.IsArray ? from.GetElementType()! : from, element);
            }

            if (from.IsEnum && to.FullName == "System.String")
            {
                return true;
            }

            // A Boolean property (UseSsl = True) sets a switch: SwitchParameter converts from bool.
            if (from.FullName == "System.Boolean" && to.FullName == "System.Management.Automation.SwitchParameter")
            {
                return true;
            }

            return IsInteger(from) && IsInteger(to);
        }

        public string Describe() =>
            $"{TypeNames.Display(OutputType)} | {Target.Name}: by property name [{string.Join("; ", ByPropertyName)}], " +
            $"type mismatches [{string.Join("; ", TypeMismatches)}], by value [{string.Join(", ", ByValue.Select(p => "-" + p.Name))}], " +
            $"complete sets [{string.Join(", ", CompleteParameterSets)}]";

        public override string ToString() => Describe();

        private static bool IsObject(Type type) =>
            type.FullName is "System.Object" or "System.Management.Automation.PSObject";

        private static bool IsInteger(Type type) =>
            type.FullName is "System.Byte" or "System.Int16" or "System.UInt16" or "System.Int32" or "System.UInt32" or "System.Int64" or "System.UInt64";
    }
}
