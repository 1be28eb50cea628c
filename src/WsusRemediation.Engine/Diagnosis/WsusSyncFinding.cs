using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// One cause (or symptom) of a failing synchronization, with its evidence and the finding that
    /// explains it. Get-WsusSyncDiagnosis writes these, most fundamental cause first; the repair
    /// planner turns them into steps. ComputerName binds by property name to the next cmdlet.
    /// </summary>
    public sealed class WsusSyncFinding
    {
        /// <summary>The server the evidence is from; empty for offline evidence that does not name it.</summary>
        public string ComputerName { get; init; } = string.Empty;

        /// <summary>
        /// The port the server's WSUS web services were reached at (Get-WsusSyncDiagnosis -WsusPort, or a piped software
        /// update point's): binds by property name to Repair-WsusSync and Get-WsusRepairPlan, so the WSUS API is reached
        /// there again. 8530 (8531 with <see cref="UseSsl"/>) when not given, and for evidence, which does not say.
        /// </summary>
        public int WsusPort { get; init; } = WsusEndpoint.DefaultPort;

        /// <summary>Whether the server's WSUS web services were reached over HTTPS (binds as WsusPort does).</summary>
        public bool UseSsl { get; init; }

        /// <summary>Stable identifier, one of <see cref="FindingIds"/>.</summary>
        public string Id { get; init; } = string.Empty;

        /// <summary>How much it matters.</summary>
        public FindingSeverity Severity { get; init; }

        /// <summary>One line saying what was found.</summary>
        public string Title { get; init; } = string.Empty;

        /// <summary>Why it happens, in plain words.</summary>
        public string Cause { get; init; } = string.Empty;

        /// <summary>What to do, naming the cmdlet or the console place.</summary>
        public string Fix { get; init; } = string.Empty;

        /// <summary>The Repair-WsusSync step that fixes it, or Manual.</summary>
        public RepairStepName RepairStep { get; init; }

        /// <summary>What the finding rests on.</summary>
        public IReadOnlyList<FindingEvidence> Evidence { get; init; } = Array.Empty<FindingEvidence>();

        /// <summary>The Id of the finding that explains this one; empty for a root cause.</summary>
        public string? CausedBy { get; init; }

        /// <summary>The earliest evidence time, UTC.</summary>
        public DateTime? FirstSeen { get; init; }

        /// <summary>The latest evidence time, UTC.</summary>
        public DateTime? LastSeen { get; init; }

        /// <summary>Where the rule comes from (a KB article, the guide, the TechNet page, an event's documentation).</summary>
        public string Reference { get; init; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{Severity} {Id}: {Title}";
    }

    /// <summary>
    /// The port and scheme of a server's WSUS web services. Findings and repair steps always carry a valid port (never
    /// 0), because they bind by property name to -WsusPort, whose range 1-65535 would refuse a 0 for every piped object.
    /// </summary>
    public static class WsusEndpoint
    {
        /// <summary>WSUS's HTTP port.</summary>
        public const int DefaultPort = 8530;

        /// <summary>WSUS's HTTPS port.</summary>
        public const int DefaultSslPort = 8531;

        /// <summary>The port given, or the scheme's default.</summary>
        public static int PortFor(int? port, bool useSsl) => port is > 0 and <= 65535 ? port.Value : useSsl ? DefaultSslPort : DefaultPort;
    }
}
