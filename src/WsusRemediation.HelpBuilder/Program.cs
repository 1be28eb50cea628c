using System;
using System.IO;
using System.Linq;
using WsusRemediation.HelpBuilder;

// Usage: WsusRemediation.HelpBuilder <docs folder> <output folder>
// Run by the module build (AssembleModule) and by build.ps1 -Task Help.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet WsusRemediation.HelpBuilder.dll <docs folder> <output folder, e.g. en-US>");
    return 2;
}

var docs = Path.GetFullPath(args[0]);
var output = Path.GetFullPath(args[1]);
if (!Directory.Exists(docs))
{
    Console.Error.WriteLine($"{docs}: error HELP002: the docs folder does not exist.");
    return 1;
}

try
{
    var outputs = HelpCompiler.Compile(docs);
    var changes = HelpCompiler.WriteTo(outputs, output);
    foreach (var change in changes)
    {
        Console.WriteLine("HelpBuilder: " + change);
    }

    Console.WriteLine($"HelpBuilder: {outputs.Count} help file(s) in {output} ({changes.Count} changed): {string.Join(", ", outputs.Select(o => o.FileName))}");
    return 0;
}
catch (HelpFormatException ex)
{
    Console.Error.WriteLine(ex.ToBuildMessage());
    return 1;
}
catch (IOException ex)
{
    Console.Error.WriteLine($"{output}: error HELP003: {ex.Message}");
    return 1;
}
