using System;
using System.IO;

namespace WsusRemediation.Engine.Tests.Common;

/// <summary>A scratch folder for one test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wsusrem-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Copies a fixture (path relative to Fixtures/) into the folder and returns its new path.</summary>
    public string CopyFixture(string relative, string? name = null)
    {
        var target = System.IO.Path.Combine(Path, name ?? System.IO.Path.GetFileName(relative));
        File.Copy(Fixture(relative), target);
        return target;
    }

    public static string Fixture(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public string[] Files(string pattern = "*") => Directory.GetFiles(Path, pattern);

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.GetFiles(Path, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
