using System;
using System.Runtime.InteropServices;
using System.Text;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// Reads HKLM string values through advapi32 RegGetValue, always from the 64-bit view (MECM and WSUS
    /// write there; a 32-bit PowerShell would otherwise see the WOW6432Node copy). netstandard2.0 has no
    /// Microsoft.Win32.Registry without a package.
    /// </summary>
    public static class WindowsRegistry
    {
        private static readonly UIntPtr HkeyLocalMachine = new UIntPtr(0x80000002u);
        // REG_SZ also returns REG_EXPAND_SZ values, expanded (asking for REG_EXPAND_SZ itself needs RRF_NOEXPAND).
        private const int RrfRtRegSz = 0x00000002;
        private const int RrfSubkeyWow6464Key = 0x00010000;
        private const int ErrorMoreData = 234;

        /// <summary>An HKLM string value, or null when the key or value does not exist (or off Windows).</summary>
        public static string? ReadLocalMachineString(string subKey, string valueName)
        {
            if (!WindowsPlatform.IsWindows)
            {
                return null;
            }

            var size = 512;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var buffer = new byte[size];
                var error = NativeMethods.RegGetValue(HkeyLocalMachine, subKey, valueName, RrfRtRegSz | RrfSubkeyWow6464Key, out _, buffer, ref size);
                if (error == 0)
                {
                    var text = Encoding.Unicode.GetString(buffer, 0, Math.Max(0, size));
                    var nul = text.IndexOf('\0');
                    return nul >= 0 ? text.Substring(0, nul) : text;
                }

                if (error != ErrorMoreData)
                {
                    return null;
                }
            }

            return null;
        }

        private static class NativeMethods
        {
            [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
            public static extern int RegGetValue(UIntPtr hkey, string subKey, string value, int flags, out int type, byte[] data, ref int dataSize);
        }
    }
}
