using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Engine.Iis
{
    /// <summary>
    /// Reads what <c>appcmd.exe</c> prints: <c>list apppool /xml</c> gives
    /// <c>&lt;appcmd&gt;&lt;APPPOOL APPPOOL.NAME="WsusPool" PipelineMode="Integrated" RuntimeVersion="v4.0" state="Started" /&gt;&lt;/appcmd&gt;</c>;
    /// failures print <c>ERROR ( hresult:80070420, message:... )</c>.
    /// </summary>
    public static class AppCmdOutput
    {
        private static readonly Regex HResultPattern = new Regex(@"hresult:\s*([0-9a-fA-F]{8})", RegexOptions.CultureInvariant);

        /// <summary>The pools in a <c>list apppool /xml</c> answer. Pools without a name are dropped.</summary>
        public static IReadOnlyList<AppPoolInfo> ParsePools(string xml)
        {
            var pools = new List<AppPoolInfo>();
            if (string.IsNullOrWhiteSpace(xml))
            {
                return pools;
            }

            var document = new XmlDocument { XmlResolver = null };
            try
            {
                using var reader = XmlReader.Create(new System.IO.StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
                document.Load(reader);
            }
            catch (XmlException ex)
            {
                throw new WsusRemediationException("AppCmdOutputInvalid", EngineErrorKind.InvalidData, $"appcmd.exe printed something that is not its XML list: {ex.Message}", null, ex);
            }

            var nodes = document.SelectNodes("/appcmd/APPPOOL");
            if (nodes is null)
            {
                return pools;
            }

            foreach (XmlElement node in nodes)
            {
                var name = node.GetAttribute("APPPOOL.NAME");
                if (string.IsNullOrEmpty(name))
                {
                    continue;
                }

                pools.Add(new AppPoolInfo(name, ParseState(node.GetAttribute("state")), ReadBool(node, "autoStart")));
            }

            return pools;
        }

        /// <summary>The pool state named by appcmd (Started, Stopped, Starting, Stopping; anything else is Unknown).</summary>
        public static AppPoolState ParseState(string? text) =>
            Enum.TryParse(text, ignoreCase: true, out AppPoolState state) && Enum.IsDefined(typeof(AppPoolState), state) ? state : AppPoolState.Unknown;

        /// <summary>The HRESULT in an <c>ERROR ( hresult:... )</c> line, if any.</summary>
        public static int? ErrorHResult(string? output)
        {
            if (output is null)
            {
                return null;
            }

            var match = HResultPattern.Match(output);
            return match.Success ? unchecked((int)uint.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)) : (int?)null;
        }

        private static bool? ReadBool(XmlElement node, string attribute)
        {
            // Present only when appcmd is asked for the configuration (/config); the plain list omits it.
            var text = node.GetAttribute(attribute);
            return bool.TryParse(text, out var value) ? value : (bool?)null;
        }
    }
}
