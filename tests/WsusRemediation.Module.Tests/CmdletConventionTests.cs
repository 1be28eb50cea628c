using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>
    /// Conventions every cmdlet of the module keeps. Each test walks all the cmdlets the assembly
    /// holds, so a cmdlet added later is checked without touching these tests.
    /// </summary>
    public class CmdletConventionTests
    {
        /// <summary>Verbs whose cmdlets change something and so need -WhatIf/-Confirm.</summary>
        public static readonly IReadOnlySet<string> StateChangingVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Add", "Approve", "Backup", "Block", "Clear", "Close", "Copy", "Deny", "Disable", "Disconnect", "Dismount",
            "Edit", "Enable", "Grant", "Import", "Initialize", "Install", "Invoke", "Lock", "Mount", "Move", "New",
            "Publish", "Register", "Remove", "Rename", "Repair", "Reset", "Resize", "Restart", "Restore", "Resume",
            "Revoke", "Save", "Set", "Start", "Stop", "Submit", "Suspend", "Sync", "Unblock", "Uninstall", "Unlock",
            "Unprotect", "Unpublish", "Unregister", "Update", "Protect", "Write",
        };

        /// <summary>Verbs that take a service or a process down and up again: confirm by default.</summary>
        public static readonly IReadOnlySet<string> HighImpactVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Restart", "Reset" };

        private static BuiltModule Module => BuiltModule.Current;

        [Fact]
        public void Every_cmdlet_uses_an_approved_verb()
        {
            var failures = Module.Cmdlets.Where(c => !Module.ApprovedVerbs.Contains(c.Verb))
                .Select(c => $"{c.Name}: '{c.Verb}' is not an approved verb (Get-Verb)").ToList();
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_cmdlet_class_is_a_public_sealed_VerbNounCommand()
        {
            var failures = new List<string>();
            foreach (var cmdlet in Module.Cmdlets)
            {
                var expected = cmdlet.Verb + cmdlet.Noun + "Command";
                if (cmdlet.Type.Name != expected)
                {
                    failures.Add($"{cmdlet.Name}: class {cmdlet.Type.Name} should be named {expected}");
                }

                if (!cmdlet.Type.IsSealed || !cmdlet.Type.IsPublic)
                {
                    failures.Add($"{cmdlet.Name}: class {cmdlet.Type.Name} should be public sealed");
                }

                if (cmdlet.Type.Namespace != "WsusRemediation.Commands")
                {
                    failures.Add($"{cmdlet.Name}: class {cmdlet.Type.FullName} should be in WsusRemediation.Commands (src/WsusRemediation/Commands/)");
                }

                if (!cmdlet.Noun.All(char.IsLetterOrDigit) || !char.IsUpper(cmdlet.Noun[0]))
                {
                    failures.Add($"{cmdlet.Name}: the noun should be PascalCase letters");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_cmdlet_declares_its_output_type()
        {
            var failures = Module.Cmdlets.Where(c => c.OutputTypes.Count == 0)
                .Select(c => $"{c.Name}: no [OutputType]").ToList();
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_cmdlet_that_changes_state_supports_ShouldProcess()
        {
            var failures = Module.Cmdlets.Where(c => StateChangingVerbs.Contains(c.Verb) && !c.SupportsShouldProcess)
                .Select(c => $"{c.Name}: '{c.Verb}' changes state, so [Cmdlet(..., SupportsShouldProcess = true)]").ToList();
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Restarts_and_resets_confirm_by_default()
        {
            var failures = Module.Cmdlets.Where(c => HighImpactVerbs.Contains(c.Verb) && c.ConfirmImpact != "High")
                .Select(c => $"{c.Name}: ConfirmImpact is {c.ConfirmImpact}, should be High").ToList();
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void Every_parameter_set_a_cmdlet_names_is_coherent()
        {
            var failures = new List<string>();
            foreach (var cmdlet in Module.Cmdlets)
            {
                var sets = cmdlet.ParameterSetNames;
                if (sets.Count > 1 && (cmdlet.DefaultParameterSetName is null || !sets.Contains(cmdlet.DefaultParameterSetName, StringComparer.OrdinalIgnoreCase)))
                {
                    failures.Add($"{cmdlet.Name}: several parameter sets ({string.Join(", ", sets)}) but DefaultParameterSetName is '{cmdlet.DefaultParameterSetName}'");
                }

                foreach (var set in sets)
                {
                    var positions = cmdlet.ParametersIn(set).Select(p => p.SetFor(set)!.Position).OfType<int>().ToList();
                    if (positions.Count != positions.Distinct().Count())
                    {
                        failures.Add($"{cmdlet.Name}: two parameters share a position in set {set}");
                    }

                    if (cmdlet.ParametersIn(set).Count(p => p.SetFor(set)!.ValueFromPipeline && !p.IsSwitch) > 1
                        && cmdlet.ParametersIn(set).Where(p => p.SetFor(set)!.ValueFromPipeline).Select(p => p.Type.FullName).Distinct().Count() == 1)
                    {
                        failures.Add($"{cmdlet.Name}: two parameters of the same type take pipeline input by value in set {set}");
                    }
                }

                foreach (var parameter in cmdlet.Parameters.Where(p => p.IsSwitch && p.Sets.Any(s => s.Position is not null || s.Mandatory)))
                {
                    failures.Add($"{cmdlet.Name}: switch -{parameter.Name} should be neither positional nor mandatory");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }
    }
}
