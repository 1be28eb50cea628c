using System.Threading;

namespace WsusRemediation.Engine.Sync
{
    /// <summary>
    /// The way to start an MECM sync without the SMS Provider: a zero-byte SELF.SYN (delta) or
    /// FULL.SYN (full) in the site server's <c>inboxes\WSyncMgr.box</c>, which SMS_WSUS_SYNC_MANAGER picks up.
    /// </summary>
    public interface ISyncInboxTrigger
    {
        /// <summary>Drops the request file and returns its path.</summary>
        string Drop(bool fullSync, CancellationToken cancellationToken);
    }
}
