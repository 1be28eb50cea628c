using System;
using System.Collections.Generic;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Sync;
using WsusRemediation.Engine.Tests.Common;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>
/// A WSUS server with MECM's sync manager on top, in virtual time: SyncNow (or an inbox file) is picked
/// up after a delay, WSUS synchronizes categories then updates in batches, MECM then fills its site
/// database. Stopping WsusPool mid-sync makes WSUS cancel it and MECM report 6703, and the WSUS API
/// answers HTTP 503 while the pool is down.
/// </summary>
public sealed class SimulatedSyncServer : IWsusSyncApi, IConfigMgrSyncProvider, ISyncInboxTrigger
{
    private const long HResultUssCommunication = 0x80131500;
    private readonly VirtualClock _clock;
    private readonly List<WsusSyncInfo> _history = new();
    private int _generation;
    private DateTime _startedAt;

    private readonly Func<bool>? _wsusAnswers;

    /// <summary>
    /// A standalone simulation whose pool is <see cref="PoolRunning"/>, or, with <paramref name="wsusAnswers"/>,
    /// one that asks the site server whether WsusPool and the WSUS service are up.
    /// </summary>
    public SimulatedSyncServer(VirtualClock clock, Func<bool>? wsusAnswers = null)
    {
        _clock = clock;
        _wsusAnswers = wsusAnswers;
    }

    /// <summary>True while WSUS's web services answer (WsusPool started).</summary>
    public bool WsusAnswers => _wsusAnswers?.Invoke() ?? PoolRunning;

    public TimeSpan PickupDelay { get; set; } = TimeSpan.FromSeconds(45);

    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromSeconds(30);

    public long ItemsPerBatch { get; set; } = 2000;

    public long TotalItems { get; set; } = 9873;

    /// <summary>When true, progress stops after the first batch and the sync never ends.</summary>
    public bool Stalls { get; set; }

    public bool PoolRunning { get; private set; } = true;

    public bool ProviderReachable { get; set; } = true;

    public bool WsusRunning { get; private set; }

    public string WsusPhase { get; private set; } = "NotProcessing";

    public long Processed { get; private set; }

    public int LastSyncState { get; private set; } = 6702;

    public DateTime? LastSyncStateTime { get; private set; }

    public DateTime? LastSuccess { get; private set; }

    public long LastErrorCode { get; private set; }

    public int UpdateCount { get; set; }

    public int SyncNowCalls { get; private set; }

    public List<string> InboxFiles { get; } = new();

    public int Reads { get; private set; }

    private DateTime Now => _clock.UtcNow.UtcDateTime;

    public void AddHistory(SyncResult result, DateTime start, TimeSpan duration)
    {
        var name = result == SyncResult.Cancelled ? "Canceled" : result.ToString();
        _history.Add(new WsusSyncInfo { StartTime = start, EndTime = start + duration, Result = name, Error = result == SyncResult.Cancelled ? "UserCanceled" : "NotApplicable" });
        LastSyncState = result == SyncResult.Succeeded ? 6702 : 6703;
        LastSyncStateTime = start + duration + TimeSpan.FromSeconds(7);
        if (result == SyncResult.Succeeded)
        {
            LastSuccess = LastSyncStateTime;
        }
    }

    /// <summary>WAS stops the pool (rapid-fail protection) after <paramref name="after"/>.</summary>
    public void StopPoolAfter(TimeSpan after) => _clock.Schedule(after, StopPool);

    public void StopPool()
    {
        PoolRunning = false;
        if (WsusRunning)
        {
            EndWsus("Canceled");
            MecmState(6703, HResultUssCommunication);
        }
    }

    public void StartPool() => PoolRunning = true;

    // --- IWsusSyncApi ---
    public WsusSyncSnapshot Read(int historyCount, CancellationToken cancellationToken)
    {
        Reads++;
        if (!WsusAnswers)
        {
            throw new WsusRemediationException("WsusServerUnreachable", EngineErrorKind.ConnectionError, "The request failed with HTTP status 503: Service Unavailable.");
        }

        return new WsusSyncSnapshot
        {
            ServerName = "CM01",
            Status = WsusRunning ? "Running" : "NotProcessing",
            Phase = WsusPhase,
            ProcessedItems = WsusRunning ? Processed : 0,
            TotalItems = WsusRunning && WsusPhase == "Updates" ? TotalItems : 0,
            LastSynchronization = _history.Count > 0 ? _history[^1] : new WsusSyncInfo { StartTime = DateTime.MinValue, EndTime = DateTime.MinValue, Result = "NeverRun" },
            History = _history.ToArray(),
        };
    }

    public void StartSynchronization(CancellationToken cancellationToken)
    {
        if (!WsusAnswers)
        {
            throw new WsusRemediationException("WsusServerUnreachable", EngineErrorKind.ConnectionError, "The request failed with HTTP status 503: Service Unavailable.");
        }

        BeforeStartSynchronization?.Invoke();
        WsusStarts++;
        if (SavingConfiguration || (WsusRunning && RefusesWhileRunning))
        {
            // What the adapter makes of the API's InvalidOperationException.
            throw SyncBridgeContract.WsusError("Start", "System.InvalidOperationException", "Operation is not valid due to the current state of the object.", "CM01");
        }

        if (WsusRunning)
        {
            return; // ISubscription.StartSynchronization: a call while a synchronization runs does nothing
        }

        BeginWsus(mecm: false);
    }

    /// <summary>Runs inside StartSynchronization before WSUS looks at its state: a race with the caller's check.</summary>
    public Action? BeforeStartSynchronization { get; set; }

    /// <summary>WSUS is saving its configuration (MECM's WCM reconfigures it hourly): StartSynchronization throws.</summary>
    public bool SavingConfiguration { get; set; }

    /// <summary>StartSynchronization throws while a synchronization runs instead of doing nothing (not what the documentation says; handled anyway).</summary>
    public bool RefusesWhileRunning { get; set; }

    /// <summary>How often StartSynchronization was called.</summary>
    public int WsusStarts { get; private set; }

    /// <summary>How many synchronizations WSUS ran.</summary>
    public int Runs { get; private set; }

    /// <summary>WSUS starts a synchronization on its own schedule.</summary>
    public void StartScheduledSync() => BeginWsus(mecm: false);

    // --- IConfigMgrSyncProvider ---
    /// <summary>How often SMS_SoftwareUpdate was enumerated (expensive on a real site).</summary>
    public int UpdateCounts { get; private set; }

    private int CountUpdates()
    {
        UpdateCounts++;
        return UpdateCount;
    }

    ConfigMgrSyncSnapshot IConfigMgrSyncProvider.Read(bool countUpdates, CancellationToken cancellationToken)
    {
        Reads++;
        RequireProvider();
        return new ConfigMgrSyncSnapshot
        {
            SiteCode = "PS1",
            ProviderMachine = "CM01.contoso.com",
            UpdateCount = countUpdates ? CountUpdates() : null,
            UpdatePoints = new[]
            {
                new SupSyncStatus { WsusServerName = "CM01.contoso.com", LastSyncState = LastSyncState, LastSyncStateTime = LastSyncStateTime, LastSyncErrorCode = LastErrorCode, LastSuccessfulSyncTime = LastSuccess, SyncCatalogVersion = 58 },
            },
        };
    }

    public void SyncNow(bool fullSync, CancellationToken cancellationToken)
    {
        RequireProvider();
        SyncNowCalls++;
        _clock.Schedule(PickupDelay, () => BeginWsus(mecm: true));
    }

    // --- ISyncInboxTrigger ---
    public string Drop(bool fullSync, CancellationToken cancellationToken)
    {
        var file = fullSync ? "FULL.SYN" : "SELF.SYN";
        InboxFiles.Add(file);
        _clock.Schedule(PickupDelay, () => BeginWsus(mecm: true));
        return @"C:\Program Files\Microsoft Configuration Manager\inboxes\WSyncMgr.box\" + file;
    }

    private void RequireProvider()
    {
        if (!ProviderReachable)
        {
            throw new WsusRemediationException("ConfigMgrProviderUnavailable", EngineErrorKind.ConnectionError, "The RPC server is unavailable.");
        }
    }

    private void MecmState(int state, long error = 0)
    {
        LastSyncState = state;
        LastSyncStateTime = Now;
        LastErrorCode = error;
        if (state == 6702)
        {
            LastSuccess = Now;
        }
    }

    private void BeginWsus(bool mecm)
    {
        if (mecm)
        {
            MecmState(6701);
            if (!WsusAnswers)
            {
                MecmState(6703, HResultUssCommunication);
                return;
            }

            MecmState(6704);
        }

        var generation = ++_generation;
        Runs++;
        WsusRunning = true;
        WsusPhase = "Categories";
        Processed = 0;
        _startedAt = Now;
        _clock.Schedule(TimeSpan.FromSeconds(20), () => Batch(generation, mecm, first: true));
    }

    private void Batch(int generation, bool mecm, bool first)
    {
        if (generation != _generation || !WsusRunning)
        {
            return;
        }

        if (!WsusAnswers)
        {
            // The pool went down under the sync: WSUS cancels it and MECM reports the failure.
            EndWsus("Canceled");
            if (mecm)
            {
                MecmState(6703, HResultUssCommunication);
            }

            return;
        }

        WsusPhase = "Updates";
        if (!first && Stalls)
        {
            return; // stuck: the sync never ends
        }

        Processed = Math.Min(TotalItems, Processed + (first ? 0 : ItemsPerBatch));
        if (Processed >= TotalItems)
        {
            EndWsus("Succeeded");
            if (mecm)
            {
                MecmState(6705);
                _clock.Schedule(TimeSpan.FromMinutes(2), () =>
                {
                    UpdateCount = (int)TotalItems;
                    MecmState(6702);
                });
            }

            return;
        }

        _clock.Schedule(BatchInterval, () => Batch(generation, mecm, first: false));
    }

    private void EndWsus(string result)
    {
        WsusRunning = false;
        WsusPhase = "NotProcessing";
        _history.Add(new WsusSyncInfo { StartTime = _startedAt, EndTime = Now, Result = result, Error = result == "Canceled" ? "UserCanceled" : "NotApplicable", StartedManually = true });
        Processed = 0;
    }
}
