using System;
using System.Runtime.InteropServices;
using System.Text;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// Reads HKLM string values through advapi32, always from the 64-bit view (MECM and WSUS write
    /// there; a 32-bit PowerShell would otherwise see the WOW6432Node copy). netstandard2.0 has no
    /// Microsoft.Win32.Registry without a package.
    /// </summary>
    public static class WindowsRegistry
    {
        // winreg.h: (HKEY)(ULONG_PTR)((LONG)0x80000002), sign-extended on 64-bit, as .NET's own RegistryKey passes it.
        private static readonly IntPtr HkeyLocalMachine = new IntPtr(unchecked((int)0x80000002));
        private const int KeyQueryValue = 0x0001;
        // The 64-bit view is chosen when the key is opened (KEY_WOW64_64KEY works on every Windows x64).
        // RegGetValue's own RRF_SUBKEY_WOW6464KEY is not honoured on Windows 8 / Server 2012 and earlier
        // (dotnet/aspnetcore#6589), so it is not relied on.
        private const int KeyWow6464Key = 0x0100;
        // REG_SZ also returns REG_EXPAND_SZ values, expanded (asking for REG_EXPAND_SZ itself needs RRF_NOEXPAND).
        private const int RrfRtRegSz = 0x00000002;
        private const int ErrorMoreData = 234;

        /// <summary>An HKLM string value, or null when the key or value does not exist (or off Windows).</summary>
        public static string? ReadLocalMachineString(string subKey, string valueName)
        {
            if (!WindowsPlatform.IsWindows)
            {
                return null;
            }

            if (NativeMethods.RegOpenKeyExW(HkeyLocalMachine, subKey, 0, KeyQueryValue | KeyWow6464Key, out var key) != 0)
            {
                return null;
            }

            try
            {
                // pcbData is in bytes; on ERROR_MORE_DATA it holds the size needed (which an expanded
                // REG_EXPAND_SZ may still exceed, hence a few attempts).
                var size = 512;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var buffer = new byte[size];
                    var error = NativeMethods.RegGetValueW(key, null, valueName, RrfRtRegSz, out _, buffer, ref size);
                    if (error == 0)
                    {
                        var text = Encoding.Unicode.GetString(buffer, 0, Math.Max(0, Math.Min(size, buffer.Length)));
                        var nul = text.IndexOf('\0');
                        return nul >= 0 ? text.Substring(0, nul) : text;
                    }

                    if (error != ErrorMoreData)
                    {
                        return null;
                    }

                    size = Math.Max(size, buffer.Length * 2);
                }

                return null;
            }
            finally
            {
                NativeMethods.RegCloseKey(key);
            }
        }

        /// <summary>
        /// An HKLM REG_SZ/REG_EXPAND_SZ value (string) or REG_DWORD value (long), 64-bit view; null when the key or
        /// value does not exist, has another type, or off Windows.
        /// </summary>
        public static object? ReadLocalMachineValue(string subKey, string valueName)
        {
            if (!WindowsPlatform.IsWindows)
            {
                return null;
            }

            if (NativeMethods.RegOpenKeyExW(HkeyLocalMachine, subKey, 0, KeyQueryValue | KeyWow6464Key, out var key) != 0)
            {
                return null;
            }

            try
            {
                var size = 4;
                var buffer = new byte[4];
                if (NativeMethods.RegGetValueW(key, null, valueName, RrfRtRegDword, out _, buffer, ref size) == 0)
                {
                    return (long)BitConverter.ToUInt32(buffer, 0);
                }
            }
            finally
            {
                NativeMethods.RegCloseKey(key);
            }

            return ReadLocalMachineString(subKey, valueName);
        }

        private const int RrfRtRegDword = 0x00000010;

        private static class NativeMethods
        {
            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, ExactSpelling = true)]
            public static extern int RegOpenKeyExW(IntPtr hkey, string subKey, int options, int desiredAccess, out IntPtr result);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, ExactSpelling = true)]
            public static extern int RegGetValueW(IntPtr hkey, string? subKey, string value, int flags, out int type, [Out] byte[] data, ref int dataSize);

            [DllImport("advapi32.dll", ExactSpelling = true)]
            public static extern int RegCloseKey(IntPtr hkey);
        }
    }
}
