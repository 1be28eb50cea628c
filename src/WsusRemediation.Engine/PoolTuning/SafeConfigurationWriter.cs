using System;
using System.Globalization;
using System.IO;
using System.Linq;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>
    /// Writes a configuration file the careful way: refuse if someone else changed it since it was
    /// read, back it up first, write the new content to a temporary file beside it, swap it in
    /// atomically, read it back, and restore the backup if anything after the swap fails.
    /// </summary>
    public sealed class SafeConfigurationWriter
    {
        private readonly IFileStore _files;
        private readonly IClock _clock;

        /// <summary>Creates a writer.</summary>
        public SafeConfigurationWriter(IFileStore files, IClock clock)
        {
            _files = files ?? throw new ArgumentNullException(nameof(files));
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        }

        /// <summary>
        /// Replaces <paramref name="path"/>'s content, which must still be <paramref name="expected"/>,
        /// by <paramref name="replacement"/>. Returns the backup's path.
        /// </summary>
        public string Write(string path, byte[] expected, byte[] replacement, string? backupFolder)
        {
            Guard(path, () =>
            {
                if (_files.IsReadOnly(path))
                {
                    throw new WsusRemediationException(
                        "ConfigurationFileReadOnly",
                        EngineErrorKind.PermissionDenied,
                        $"'{path}' is read-only; nothing was changed.",
                        path)
                    {
                        RecommendedAction = "Clear the read-only attribute, or work on a copy with -ConfigurationPath.",
                    };
                }
            });

            EnsureUnchanged(path, expected);
            var backup = Backup(path, expected, backupFolder);
            var temporary = path + ".wsusremediation.tmp";
            try
            {
                Guard(path, () => _files.WriteAllBytesDurably(temporary, replacement));
                EnsureUnchanged(path, expected);
                Guard(path, () => _files.Replace(temporary, path));
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }

            try
            {
                var written = _files.ReadAllBytes(path);
                if (!written.SequenceEqual(replacement))
                {
                    throw new IOException("The file read back differs from what was written.");
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Restore(path, backup);
                throw new WsusRemediationException(
                    "ConfigurationWriteFailed",
                    EngineErrorKind.WriteError,
                    $"Writing '{path}' could not be verified ({ex.Message}); the original was restored from '{backup}'.",
                    path,
                    ex);
            }

            return backup;
        }

        /// <summary>Puts the backup back in place of the file (used when a later step of a change fails).</summary>
        public void Restore(string path, string backup)
        {
            var temporary = path + ".wsusremediation.restore";
            _files.Copy(backup, temporary, overwrite: true);
            _files.Replace(temporary, path);
        }

        private void EnsureUnchanged(string path, byte[] expected)
        {
            byte[] current = Array.Empty<byte>();
            Guard(path, () => current = _files.ReadAllBytes(path));
            if (!current.SequenceEqual(expected))
            {
                throw new WsusRemediationException(
                    "ConfigurationChangedSinceRead",
                    EngineErrorKind.InvalidOperation,
                    $"'{path}' was changed by someone else after it was read; nothing was written. Run the command again to work on the current file.",
                    path);
            }
        }

        private string Backup(string path, byte[] expected, string? backupFolder)
        {
            var folder = string.IsNullOrEmpty(backupFolder) ? Path.GetDirectoryName(Path.GetFullPath(path))! : backupFolder!;
            var stamp = _clock.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            var name = Path.GetFileName(path);
            var backup = string.Empty;
            try
            {
                // Inside the try: on .NET Framework a folder with characters such as '|' throws ArgumentException here.
                backup = Path.Combine(folder, $"{name}.{stamp}.bak");
                for (var n = 2; _files.FileExists(backup); n++)
                {
                    backup = Path.Combine(folder, $"{name}.{stamp}-{n}.bak");
                }

                _files.CreateDirectory(folder);
                _files.WriteAllBytesDurably(backup, expected);
                if (!_files.ReadAllBytes(backup).SequenceEqual(expected))
                {
                    throw new IOException("The backup read back differs from the original.");
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                if (backup.Length > 0)
                {
                    TryDelete(backup);
                }

                throw new WsusRemediationException(
                    "BackupFailed",
                    EngineErrorKind.WriteError,
                    $"The backup of '{path}' could not be written to '{folder}' ({ex.Message}); nothing was changed.",
                    path,
                    ex)
                {
                    RecommendedAction = "Pass a writable folder to -BackupPath.",
                };
            }

            return backup;
        }

        private void TryDelete(string path)
        {
            try
            {
                _files.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // A leftover temporary file is harmless; the error that got us here matters more.
            }
        }

        /// <summary>Turns file-system exceptions into errors with stable ids.</summary>
        internal static void Guard(string path, Action action)
        {
            try
            {
                action();
            }
            catch (FileNotFoundException ex)
            {
                throw new WsusRemediationException("ConfigurationFileNotFound", EngineErrorKind.ObjectNotFound, $"'{path}' does not exist.", path, ex);
            }
            catch (DirectoryNotFoundException ex)
            {
                throw new WsusRemediationException("ConfigurationFileNotFound", EngineErrorKind.ObjectNotFound, $"'{path}' does not exist.", path, ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new WsusRemediationException(
                    "ConfigurationFileAccessDenied",
                    EngineErrorKind.PermissionDenied,
                    $"Access to '{path}' was denied ({ex.Message}); nothing was changed. Run PowerShell as Administrator.",
                    path,
                    ex);
            }
            catch (IOException ex)
            {
                throw new WsusRemediationException(
                    "ConfigurationFileLocked",
                    EngineErrorKind.ResourceBusy,
                    $"'{path}' could not be used because it is locked or busy ({ex.Message}); nothing was changed.",
                    path,
                    ex);
            }
        }
    }
}
