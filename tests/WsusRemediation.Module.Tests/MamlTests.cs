using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using WsusRemediation.HelpBuilder;
using WsusRemediation.Module.Tests.Infrastructure;
using Xunit;

namespace WsusRemediation.Module.Tests
{
    /// <summary>The MAML that Get-Help reads: complete, well-formed, and what the docs produce.</summary>
    public class MamlTests
    {
        private static readonly XNamespace Command = MamlWriter.CommandNamespace;
        private static readonly XNamespace Maml = MamlWriter.MamlNamespace;
        private static readonly XNamespace Dev = MamlWriter.DevNamespace;

        private static BuiltModule Module => BuiltModule.Current;

        private static string BuiltMamlPath => Path.Combine(Module.ModuleFolder, "en-US", "WsusRemediation.dll-Help.xml");

        [Fact]
        public void The_built_MAML_is_well_formed_and_covers_every_cmdlet_and_parameter()
        {
            if (Module.Cmdlets.Count == 0 && !File.Exists(BuiltMamlPath))
            {
                return;
            }

            var document = XDocument.Load(BuiltMamlPath);
            Assert.Equal(XName.Get("helpItems", MamlWriter.MshNamespace), document.Root!.Name);
            Assert.Equal("maml", (string?)document.Root.Attribute("schema"));

            var commands = document.Root.Elements(Command + "command")
                .ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value, StringComparer.OrdinalIgnoreCase);
            var failures = new List<string>();
            foreach (var cmdlet in Module.Cmdlets)
            {
                if (!commands.TryGetValue(cmdlet.Name, out var command))
                {
                    failures.Add($"{cmdlet.Name}: not in {BuiltMamlPath}");
                    continue;
                }

                var details = command.Element(Command + "details")!;
                if ((string?)details.Element(Command + "verb") != cmdlet.Verb || (string?)details.Element(Command + "noun") != cmdlet.Noun)
                {
                    failures.Add($"{cmdlet.Name}: command:verb/command:noun do not match");
                }

                if (string.IsNullOrWhiteSpace(details.Element(Maml + "description")?.Element(Maml + "para")?.Value))
                {
                    failures.Add($"{cmdlet.Name}: no synopsis");
                }

                var examples = command.Element(Command + "examples")?.Elements(Command + "example").ToList() ?? new List<XElement>();
                if (examples.Count < 2 || examples.Any(e => string.IsNullOrWhiteSpace(e.Element(Dev + "code")?.Value)))
                {
                    failures.Add($"{cmdlet.Name}: {examples.Count} example(s) in the MAML, each with code, at least 2 needed");
                }

                var parameters = command.Element(Command + "parameters")?.Elements(Command + "parameter")
                    .Select(p => p.Element(Maml + "name")!.Value).ToList() ?? new List<string>();
                var expected = HelpPageTests.ExpectedParameters(cmdlet);
                failures.AddRange(expected.Except(parameters, StringComparer.OrdinalIgnoreCase).Select(p => $"{cmdlet.Name}: -{p} missing from the MAML"));
                failures.AddRange(parameters.Except(expected, StringComparer.OrdinalIgnoreCase).Select(p => $"{cmdlet.Name}: the MAML has -{p}, which the cmdlet does not"));

                var syntaxItems = command.Element(Command + "syntax")?.Elements(Command + "syntaxItem").Count() ?? 0;
                if (syntaxItems != cmdlet.ParameterSetNames.Count)
                {
                    failures.Add($"{cmdlet.Name}: {syntaxItems} syntax item(s) in the MAML, {cmdlet.ParameterSetNames.Count} parameter set(s) in the cmdlet");
                }
            }

            failures.AddRange(commands.Keys.Where(k => Module.Cmdlet(k) is null).Select(k => $"the MAML documents {k}, which the module does not have"));
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void The_help_in_en_US_and_in_the_module_folder_is_exactly_what_the_docs_produce()
        {
            var outputs = HelpCompiler.Compile(Module.DocsFolder);
            Assert.Equal(
                outputs.Select(o => Convert.ToBase64String(o.Content)),
                HelpCompiler.Compile(Module.DocsFolder).Select(o => Convert.ToBase64String(o.Content)));

            // en-US/ holds all of it; each module folder holds its own: the DSC module's about topic
            // goes to out/WsusRemediationDsc, the rest to out/WsusRemediation.
            static bool IsDscHelp(HelpOutput output) => output.FileName.StartsWith("about_WsusRemediationDsc.", StringComparison.OrdinalIgnoreCase);
            var dscModuleFolder = Path.Combine(Module.RepoRoot, "out", "WsusRemediationDsc");
            var failures = new List<string>();
            foreach (var (folder, expected) in new[]
                     {
                         (Path.Combine(Module.RepoRoot, "en-US"), outputs),
                         (Path.Combine(Module.ModuleFolder, "en-US"), outputs.Where(o => !IsDscHelp(o)).ToList()),
                         (Path.Combine(dscModuleFolder, "en-US"), outputs.Where(IsDscHelp).ToList()),
                     })
            {
                foreach (var output in expected)
                {
                    var path = Path.Combine(folder, output.FileName);
                    if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(output.Content))
                    {
                        failures.Add($"{path} is not what docs/ produces; rebuild");
                    }
                }

                var produced = expected.Select(o => o.FileName).ToHashSet(StringComparer.OrdinalIgnoreCase);
                failures.AddRange(Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>()
                    .Where(f => !produced.Contains(f))
                    .Select(f => $"{Path.Combine(folder, f)} is not produced by docs/ (stale)"));
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [CommittedHelpFact]
        public void The_committed_help_in_en_US_is_up_to_date_with_the_committed_docs()
        {
            // The build regenerates en-US/, so a stale commit shows as a change to en-US/ after the
            // build. Without git, or while docs/ has uncommitted edits, the attribute reports a skip.
            var status = Git(Module.RepoRoot, StatusArguments) ?? throw new InvalidOperationException("git status failed after it worked at discovery.");
            var helpChanged = status.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.Length > 3 && l.Substring(3).StartsWith("en-US/", StringComparison.Ordinal)).ToList();
            Assert.True(helpChanged.Count == 0,
                "en-US/ differs from what is committed, though docs/ does not: commit the regenerated help (" + string.Join("; ", helpChanged) + ")");
        }

        private const string StatusArguments = "status --porcelain --untracked-files=all -- docs en-US";

        /// <summary>
        /// Runs the committed-help check only where it can mean something: reported as skipped when git or
        /// the repository is missing (a source zip) or while docs/ has uncommitted edits (help not yet due).
        /// </summary>
        private sealed class CommittedHelpFactAttribute : FactAttribute
        {
            public CommittedHelpFactAttribute()
            {
                var root = typeof(MamlTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                    .OfType<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
                var status = root is null ? null : Git(root, StatusArguments);
                if (status is null)
                {
                    Skip = "git or the repository is not available, so the committed help cannot be compared.";
                }
                else if (status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Any(l => l.Length > 3 && l.Substring(3).StartsWith("docs/", StringComparison.Ordinal)))
                {
                    Skip = "docs/ has uncommitted edits: the regenerated help is not due until they are committed.";
                }
            }
        }

        /// <summary>Runs git in the repository; null when git or the repository is not there.</summary>
        private static string? Git(string repoRoot, string arguments)
        {
            try
            {
                var start = new ProcessStartInfo("git", $"-C \"{repoRoot}\" {arguments}")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                using var process = Process.Start(start);
                if (process is null)
                {
                    return null;
                }

                var output = process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                process.WaitForExit();
                return process.ExitCode == 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }
    }
}
