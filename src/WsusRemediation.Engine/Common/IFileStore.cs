using System.IO;

namespace WsusRemediation.Engine.Common
{
    /// <summary>
    /// The few file operations a safe configuration write needs. A port, so tests can inject a fault
    /// at each step and prove the file is left wholly old or wholly new.
    /// </summary>
    public interface IFileStore
    {
        /// <summary>True when the file exists.</summary>
        bool FileExists(string path);

        /// <summary>True when the folder exists.</summary>
        bool DirectoryExists(string path);

        /// <summary>True when the file is marked read-only.</summary>
        bool IsReadOnly(string path);

        /// <summary>Reads the whole file.</summary>
        byte[] ReadAllBytes(string path);

        /// <summary>Creates or overwrites a file and flushes it to the disk before returning.</summary>
        void WriteAllBytesDurably(string path, byte[] bytes);

        /// <summary>Copies a file.</summary>
        void Copy(string source, string destination, bool overwrite);

        /// <summary>Atomically puts <paramref name="replacement"/> in place of <paramref name="destination"/>.</summary>
        void Replace(string replacement, string destination);

        /// <summary>Deletes a file if it exists.</summary>
        void Delete(string path);

        /// <summary>Creates a folder if needed.</summary>
        void CreateDirectory(string path);
    }

    /// <summary>The real file system.</summary>
    public sealed class PhysicalFileStore : IFileStore
    {
        /// <summary>The shared instance.</summary>
        public static PhysicalFileStore Instance { get; } = new PhysicalFileStore();

        /// <inheritdoc />
        public bool FileExists(string path) => File.Exists(path);

        /// <inheritdoc />
        public bool DirectoryExists(string path) => Directory.Exists(path);

        /// <inheritdoc />
        public bool IsReadOnly(string path) => (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;

        /// <inheritdoc />
        public byte[] ReadAllBytes(string path)
        {
            // FileShare.ReadWrite: IIS and others may hold the file open; reading must not fail because of that.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }

        /// <inheritdoc />
        public void WriteAllBytesDurably(string path, byte[] bytes)
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough);
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(true);
        }

        /// <inheritdoc />
        public void Copy(string source, string destination, bool overwrite) => File.Copy(source, destination, overwrite);

        /// <inheritdoc />
        public void Replace(string replacement, string destination)
        {
            // ReplaceFile on Windows keeps the destination's ACL and attributes, and is atomic on NTFS;
            // on other systems it is a rename.
            File.Replace(replacement, destination, null, ignoreMetadataErrors: true);
        }

        /// <inheritdoc />
        public void Delete(string path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        /// <inheritdoc />
        public void CreateDirectory(string path) => Directory.CreateDirectory(path);
    }
}
