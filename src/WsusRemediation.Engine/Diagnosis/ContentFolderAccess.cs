using System;
using System.Collections.Generic;
using System.Globalization;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>Whether a principal can read a folder, from its access rules.</summary>
    public enum ReadAccess
    {
        /// <summary>An allow rule gives it Read, and no deny rule takes it away.</summary>
        Granted,
        /// <summary>No rule gives it Read.</summary>
        Missing,
        /// <summary>A deny rule takes Read away.</summary>
        Denied,
    }

    /// <summary>
    /// The TechNet page's check: the content folder needs at least Read for NETWORK SERVICE and for
    /// Users. Works on the SDDL that <c>icacls &lt;folder&gt; /save</c> writes, which names accounts by
    /// SID (NS, BU, AU, WD): the same on every language of Windows.
    /// </summary>
    public sealed class ContentFolderAccess
    {
        // FILE_READ_DATA; GENERIC_READ/GENERIC_ALL; the SDDL rights strings that include reading.
        private const long FileReadData = 0x1;
        private const long GenericRead = 0x80000000;
        private const long GenericAll = 0x10000000;

        // NETWORK SERVICE belongs to Authenticated Users, which belongs to Users; Everyone holds both.
        private static readonly string[] NetworkServiceHolders = { "NS", "S-1-5-20", "AU", "S-1-5-11", "BU", "S-1-5-32-545", "WD", "S-1-1-0" };
        private static readonly string[] UsersHolders = { "BU", "S-1-5-32-545", "AU", "S-1-5-11", "WD", "S-1-1-0" };

        private ContentFolderAccess(string folder, string sddl, ReadAccess networkService, ReadAccess users)
        {
            Folder = folder;
            Sddl = sddl;
            NetworkService = networkService;
            Users = users;
        }

        /// <summary>The folder, as icacls named it.</summary>
        public string Folder { get; }

        /// <summary>Its security descriptor.</summary>
        public string Sddl { get; }

        /// <summary>Read for NETWORK SERVICE.</summary>
        public ReadAccess NetworkService { get; }

        /// <summary>Read for Users.</summary>
        public ReadAccess Users { get; }

        /// <summary>Reads <c>icacls /save</c> output (the folder's line, then its SDDL); null when it is not that.</summary>
        public static ContentFolderAccess? FromIcaclsSave(string text)
        {
            var lines = (text ?? throw new ArgumentNullException(nameof(text))).Replace("\r", string.Empty).TrimStart('\uFEFF').Split('\n');
            return lines.Length < 2 ? null : FromSddl(lines[0].Trim(), lines[1].Trim());
        }

        /// <summary>Evaluates a folder's SDDL.</summary>
        public static ContentFolderAccess FromSddl(string folder, string sddl)
        {
            var aces = ParseDacl(sddl ?? throw new ArgumentNullException(nameof(sddl)));
            return new ContentFolderAccess(folder, sddl, Evaluate(aces, NetworkServiceHolders), Evaluate(aces, UsersHolders));
        }

        private static ReadAccess Evaluate(List<(bool Allow, long Mask, string Sid, bool InheritOnly)> aces, string[] holders)
        {
            var granted = false;
            foreach (var ace in aces)
            {
                if (ace.InheritOnly || Array.IndexOf(holders, ace.Sid) < 0 || !GivesRead(ace.Mask))
                {
                    continue;
                }

                if (!ace.Allow)
                {
                    return ReadAccess.Denied;
                }

                granted = true;
            }

            return granted ? ReadAccess.Granted : ReadAccess.Missing;
        }

        private static bool GivesRead(long mask) => (mask & (FileReadData | GenericRead | GenericAll)) != 0;

        private static List<(bool Allow, long Mask, string Sid, bool InheritOnly)> ParseDacl(string sddl)
        {
            var aces = new List<(bool, long, string, bool)>();
            var dacl = sddl.IndexOf("D:", StringComparison.Ordinal);
            if (dacl < 0)
            {
                return aces;
            }

            var end = sddl.IndexOf("S:", dacl, StringComparison.Ordinal);
            var text = end > dacl ? sddl.Substring(dacl, end - dacl) : sddl.Substring(dacl);
            for (var open = text.IndexOf('('); open >= 0; open = text.IndexOf('(', open + 1))
            {
                var close = text.IndexOf(')', open);
                if (close < 0)
                {
                    break;
                }

                // ace_type;ace_flags;rights;object_guid;inherit_object_guid;account_sid
                var parts = text.Substring(open + 1, close - open - 1).Split(';');
                if (parts.Length < 6)
                {
                    continue;
                }

                var allow = parts[0] == "A" || parts[0] == "OA";
                var deny = parts[0] == "D" || parts[0] == "OD";
                if (!allow && !deny)
                {
                    continue;
                }

                aces.Add((allow, Rights(parts[2]), parts[5].Trim().ToUpperInvariant(), parts[1].Contains("IO")));
            }

            return aces;
        }

        private static long Rights(string text)
        {
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                return long.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask) ? mask : 0;
            }

            long result = 0;
            for (var i = 0; i + 1 < text.Length; i += 2)
            {
                switch (text.Substring(i, 2))
                {
                    case "GA": result |= GenericAll; break;
                    case "GR": result |= GenericRead; break;
                    case "FA": result |= 0x1F01FF; break;
                    case "FR": result |= 0x120089; break;
                    case "RC": break;
                    case "CC": result |= FileReadData; break; // ADS_RIGHT_DS_CREATE_CHILD shares bit 0 with FILE_READ_DATA
                }
            }

            return result;
        }
    }
}
