using System;
using System.IO;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Tests.PoolTuning;

/// <summary>The real file system, except that the Nth operation (counting from 1) throws an IOException.</summary>
public sealed class FaultyFileStore : IFileStore
{
    private readonly int _failAt;
    private int _calls;

    public FaultyFileStore(int failAt) => _failAt = failAt;

    public int Calls => _calls;

    public bool FileExists(string path) => Step(() => PhysicalFileStore.Instance.FileExists(path));

    // Not a counted step: only offline path resolution asks, before any read or write.
    public bool DirectoryExists(string path) => PhysicalFileStore.Instance.DirectoryExists(path);

    public bool IsReadOnly(string path) => Step(() => PhysicalFileStore.Instance.IsReadOnly(path));

    public byte[] ReadAllBytes(string path) => Step(() => PhysicalFileStore.Instance.ReadAllBytes(path));

    public void WriteAllBytesDurably(string path, byte[] bytes) => Step(() =>
    {
        // A write that fails half-way leaves a partial file behind, like a full disk would.
        if (_calls == _failAt)
        {
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        }

        PhysicalFileStore.Instance.WriteAllBytesDurably(path, bytes);
        return true;
    }, allowPartial: true);

    public void Copy(string source, string destination, bool overwrite) => Step(() => { PhysicalFileStore.Instance.Copy(source, destination, overwrite); return true; });

    public void Replace(string replacement, string destination) => Step(() => { PhysicalFileStore.Instance.Replace(replacement, destination); return true; });

    public void Delete(string path) => Step(() => { PhysicalFileStore.Instance.Delete(path); return true; });

    public void CreateDirectory(string path) => Step(() => { PhysicalFileStore.Instance.CreateDirectory(path); return true; });

    private T Step<T>(Func<T> action, bool allowPartial = false)
    {
        _calls++;
        if (_calls == _failAt)
        {
            if (allowPartial)
            {
                try
                {
                    action();
                }
                catch (IOException)
                {
                }
            }

            throw new IOException($"Injected fault at file operation {_calls}.");
        }

        return action();
    }
}
