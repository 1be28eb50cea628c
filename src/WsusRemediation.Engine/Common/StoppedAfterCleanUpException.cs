using System;

namespace WsusRemediation.Engine.Common
{
    /// <summary>
    /// Ctrl+C ended a command that changes the server, after the engine put back what it could (services
    /// or a pool it had stopped started again, each within a short time limit). <see cref="Summary"/> is
    /// what the user must be told: what was done and the state things were left in.
    /// </summary>
    public abstract class StoppedAfterCleanUpException : OperationCanceledException
    {
        /// <summary>Creates the exception.</summary>
        protected StoppedAfterCleanUpException(string message, Exception? innerException)
            : base(message, innerException)
        {
        }

        /// <summary>One line for a warning: what was put back, and how each thing was left.</summary>
        public abstract string Summary { get; }
    }
}
