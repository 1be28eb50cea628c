using System;
using System.IO;

namespace WsusRemediation.Engine.Tests.Logs;

internal static class LogFixtures
{
    public static string Path(params string[] parts) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Logs", System.IO.Path.Combine(parts));

    /// <summary>A fresh scratch folder under the temp directory, deleted by the caller's using.</summary>
    public static TempFolder Temp() => new();

    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wsusrem-logs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
        }

        public string Folder { get; }

        public string File(string name) => System.IO.Path.Combine(Folder, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
