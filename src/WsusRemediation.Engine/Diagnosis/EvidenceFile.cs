using System;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>What an evidence file is, recognised from its content (never from its name alone).</summary>
    public enum EvidenceFileKind
    {
        /// <summary>Not recognised; not read.</summary>
        Unknown = 0,
        /// <summary>IIS applicationHost.config.</summary>
        ApplicationHostConfig,
        /// <summary>A MECM log (wsyncmgr.log, WCM.log, WSUSCtrl.log; CMTrace or simple format).</summary>
        MecmLog,
        /// <summary>WSUS SoftwareDistribution.log.</summary>
        SoftwareDistributionLog,
        /// <summary>An HTTP.sys error log (httperr*.log).</summary>
        HttpErrLog,
        /// <summary>Windows events as XML (wevtutil qe /f:xml, EventRecord.ToXml()).</summary>
        EventXml,
        /// <summary>Service states as CSV (Get-Service | Select-Object Name, DisplayName, Status, StartType | Export-Csv).</summary>
        ServiceStates,
        /// <summary>A registry export (regedit / reg export, "Windows Registry Editor Version 5.00").</summary>
        RegistryExport,
        /// <summary>A folder's access rules as written by <c>icacls &lt;folder&gt; /save</c> (path line, SDDL line).</summary>
        AccessControlList,
        /// <summary>The server state this module writes (WSUS configuration, pool state, MECM's update count, network checks).</summary>
        ServerState,
        /// <summary>An Export-WsusSyncEvidence manifest.</summary>
        Manifest,
    }

    /// <summary>One file of an evidence set.</summary>
    public sealed class EvidenceFile
    {
        /// <summary>Creates the description of a file.</summary>
        public EvidenceFile(string path, string displayPath, EvidenceFileKind kind, string origin = "")
        {
            Path = path ?? throw new ArgumentNullException(nameof(path));
            DisplayPath = string.IsNullOrEmpty(displayPath) ? path : displayPath;
            Kind = kind;
            Origin = origin ?? string.Empty;
        }

        /// <summary>Where the file is read from now (a temporary folder for a zip).</summary>
        public string Path { get; }

        /// <summary>How the file is named in findings: its place in the bundle or folder, or its full path on a live server.</summary>
        public string DisplayPath { get; }

        /// <summary>What it is.</summary>
        public EvidenceFileKind Kind { get; }

        /// <summary>Where it was collected from, when known (the manifest's "from where").</summary>
        public string Origin { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Kind}: {DisplayPath}";
    }
}
