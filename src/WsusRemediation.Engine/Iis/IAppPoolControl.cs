namespace WsusRemediation.Engine.Iis
{
    /// <summary>
    /// The state of an application pool: the names and values of Microsoft.Web.Administration's
    /// <c>ObjectState</c> (and of appcmd's <c>state</c> attribute).
    /// </summary>
    public enum AppPoolState
    {
        /// <summary>ObjectState.Starting.</summary>
        Starting = 0,
        /// <summary>ObjectState.Started.</summary>
        Started = 1,
        /// <summary>ObjectState.Stopping.</summary>
        Stopping = 2,
        /// <summary>ObjectState.Stopped: stopped by someone, or disabled by rapid-fail protection (WAS event 5002).</summary>
        Stopped = 3,
        /// <summary>ObjectState.Unknown (for example while WAS is not running).</summary>
        Unknown = 4,
    }

    /// <summary>What IIS says about one application pool.</summary>
    public sealed class AppPoolInfo
    {
        /// <summary>Creates a pool description.</summary>
        public AppPoolInfo(string name, AppPoolState state, bool? autoStart = null, bool? rapidFailProtection = null)
        {
            Name = name;
            State = state;
            AutoStart = autoStart;
            RapidFailProtection = rapidFailProtection;
        }

        /// <summary>The pool name.</summary>
        public string Name { get; }

        /// <summary>The current state.</summary>
        public AppPoolState State { get; }

        /// <summary>The pool's autoStart setting, when the adapter can read it.</summary>
        public bool? AutoStart { get; }

        /// <summary>Whether rapid-fail protection is on, when the adapter can read it.</summary>
        public bool? RapidFailProtection { get; }
    }

    /// <summary>
    /// The port to IIS's application pools on a computer. Start and Stop only ask; callers wait
    /// for the state with <see cref="AppPoolRestarter"/>. Failures are WsusRemediationExceptions.
    /// </summary>
    public interface IAppPoolControl
    {
        /// <summary>The pool, or null when IIS has no pool of that name.</summary>
        /// <param name="computerName">The computer; null means this one.</param>
        /// <param name="poolName">The pool name.</param>
        AppPoolInfo? GetPool(string? computerName, string poolName);

        /// <summary>Asks IIS to start the pool. Starting a started pool is not an error.</summary>
        void StartPool(string? computerName, string poolName);

        /// <summary>Asks IIS to stop the pool. Stopping a stopped pool is not an error.</summary>
        void StopPool(string? computerName, string poolName);
    }
}
