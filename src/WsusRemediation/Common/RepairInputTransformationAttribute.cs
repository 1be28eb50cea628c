using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.PoolTuning;
using WsusRemediation.Engine.Repair;

namespace WsusRemediation.Common
{
    /// <summary>
    /// Lets a plan or findings saved and read back (Export-Clixml / Import-Clixml, the way a plan is
    /// attached to a change request and approved) bind to -Plan and -Finding. PowerShell gives such
    /// objects back as property bags typed <c>Deserialized.WsusRemediation.…</c>, which do not bind to
    /// the real types; this rebuilds the real objects from their properties. Anything else passes on
    /// unchanged for PowerShell's own binding to accept or refuse.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class RepairInputTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string StepType = "Deserialized.WsusRemediation.Engine.Repair.WsusRepairStep";
        private const string FindingType = "Deserialized.WsusRemediation.Engine.Diagnosis.WsusSyncFinding";
        private const string EvidenceType = "Deserialized.WsusRemediation.Engine.Diagnosis.FindingEvidence";

        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : inputData;
            if (value is IList list && !(value is string))
            {
                var items = list.Cast<object?>().Select(Rebuild).ToList();
                if (items.All(i => i is WsusRepairStep))
                {
                    return items.Cast<WsusRepairStep>().ToArray();
                }

                if (items.All(i => i is WsusSyncFinding))
                {
                    return items.Cast<WsusSyncFinding>().ToArray();
                }

                return inputData;
            }

            return Rebuild(inputData) ?? inputData;
        }

        private static object? Rebuild(object? item)
        {
            if (item is not PSObject bag)
            {
                return item;
            }

            if (bag.BaseObject is WsusRepairStep || bag.BaseObject is WsusSyncFinding)
            {
                return bag.BaseObject;
            }

            if (bag.TypeNames.Contains(StepType))
            {
                return new WsusRepairStep
                {
                    ComputerName = Text(bag, "ComputerName"),
                    WsusPort = Port(bag),
                    UseSsl = LanguagePrimitives.IsTrue(Value(bag, "UseSsl")),
                    Order = Convert.ToInt32(Value(bag, "Order") ?? 0, System.Globalization.CultureInfo.InvariantCulture),
                    Name = Enum<RepairStepName>(bag, "Name"),
                    Target = Text(bag, "Target"),
                    Reason = Texts(bag, "Reason"),
                    Changes = Texts(bag, "Changes"),
                    Impact = Enum<RepairImpact>(bag, "Impact"),
                    Command = Text(bag, "Command"),
                    BlocksSync = LanguagePrimitives.IsTrue(Value(bag, "BlocksSync")),
                    Profile = Value(bag, "Profile") is null ? (PoolTuningProfileName?)null : Enum<PoolTuningProfileName>(bag, "Profile"),
                };
            }

            if (bag.TypeNames.Contains(FindingType))
            {
                return new WsusSyncFinding
                {
                    ComputerName = Text(bag, "ComputerName"),
                    WsusPort = Port(bag),
                    UseSsl = LanguagePrimitives.IsTrue(Value(bag, "UseSsl")),
                    Id = Text(bag, "Id"),
                    Severity = Enum<FindingSeverity>(bag, "Severity"),
                    Title = Text(bag, "Title"),
                    Cause = Text(bag, "Cause"),
                    Fix = Text(bag, "Fix"),
                    RepairStep = Enum<RepairStepName>(bag, "RepairStep"),
                    CausedBy = Value(bag, "CausedBy") as string,
                    FirstSeen = Value(bag, "FirstSeen") as DateTime?,
                    LastSeen = Value(bag, "LastSeen") as DateTime?,
                    Reference = Text(bag, "Reference"),
                    Evidence = Items(bag, "Evidence").Where(e => e.TypeNames.Contains(EvidenceType)).Select(e => new FindingEvidence
                    {
                        Source = Text(e, "Source"),
                        Line = Value(e, "Line") is { } line ? Convert.ToInt64(line, System.Globalization.CultureInfo.InvariantCulture) : (long?)null,
                        TimeUtc = Value(e, "TimeUtc") as DateTime?,
                        Text = Text(e, "Text"),
                    }).ToList(),
                };
            }

            return null;
        }

        private static object? Value(PSObject bag, string name)
        {
            var value = bag.Properties[name]?.Value;
            return value is PSObject inner ? inner.BaseObject : value;
        }

        // Saved before findings and steps carried the port: the scheme's default, as then.
        private static int Port(PSObject bag) =>
            WsusEndpoint.PortFor(Value(bag, "WsusPort") is { } port ? Convert.ToInt32(port, System.Globalization.CultureInfo.InvariantCulture) : (int?)null, LanguagePrimitives.IsTrue(Value(bag, "UseSsl")));

        private static string Text(PSObject bag, string name) => Value(bag, name)?.ToString() ?? string.Empty;

        private static T Enum<T>(PSObject bag, string name)
            where T : struct =>
            System.Enum.TryParse(Text(bag, name), ignoreCase: true, out T parsed) ? parsed : default;

        private static IReadOnlyList<string> Texts(PSObject bag, string name) =>
            Value(bag, name) is IEnumerable values && !(values is string)
                ? values.Cast<object?>().Select(v => (v is PSObject p ? p.BaseObject : v)?.ToString() ?? string.Empty).ToList()
                : Array.Empty<string>();

        private static IEnumerable<PSObject> Items(PSObject bag, string name) =>
            Value(bag, name) is IEnumerable values && !(values is string) ? values.Cast<object?>().OfType<PSObject>() : Enumerable.Empty<PSObject>();
    }
}
