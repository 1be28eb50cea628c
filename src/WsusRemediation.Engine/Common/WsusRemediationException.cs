using System;

namespace WsusRemediation.Engine.Common
{
    /// <summary>
    /// The one exception type the engine throws for expected failures. It carries a stable error id
    /// (the first part of the FullyQualifiedErrorId the cmdlet writes) and the kind of failure.
    /// </summary>
    [Serializable]
    public sealed class WsusRemediationException : Exception
    {
        /// <summary>Creates an engine error.</summary>
        public WsusRemediationException(string errorId, EngineErrorKind kind, string message, object? target = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        /// <summary>Stable, PascalCase id such as <c>QueueLengthOutOfRange</c>.</summary>
        public string ErrorId { get; }

        /// <summary>The kind of failure.</summary>
        public EngineErrorKind Kind { get; }

        /// <summary>The object the error is about (a pool name, a path, a service name).</summary>
        public object? Target { get; }

        /// <summary>What the user can do about it, when the engine knows.</summary>
        public string? RecommendedAction { get; init; }
    }
}
