using System;
using System.Management.Automation;
using System.Threading;
using WsusRemediation.Engine.Common;

namespace WsusRemediation.Common
{
    /// <summary>
    /// Base of every cmdlet in the module: a cancellation token that Ctrl+C cancels, and the one place
    /// where engine errors become ErrorRecords.
    /// </summary>
    public abstract class WsusRemediationCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private bool _disposed;

        /// <summary>Cancelled when the user presses Ctrl+C.</summary>
        protected CancellationToken CancellationToken => _stopping.Token;

        /// <inheritdoc />
        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Turns an engine error into an ErrorRecord.</summary>
        protected static ErrorRecord ToErrorRecord(WsusRemediationException exception, object? target = null)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, ToCategory(exception.Kind), target ?? exception.Target);
            if (exception.RecommendedAction is not null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
            }

            return record;
        }

        /// <summary>Reports a failure of one item and lets the command go on.</summary>
        protected void WriteEngineError(WsusRemediationException exception, object? target = null) => WriteError(ToErrorRecord(exception, target));

        /// <summary>Stops the whole command.</summary>
        protected void ThrowEngineError(WsusRemediationException exception, object? target = null) => ThrowTerminatingError(ToErrorRecord(exception, target));

        /// <summary>
        /// Resolves a file-system path against PowerShell's current location (not the process's). A drive
        /// that does not exist, another provider's path or a path PowerShell cannot parse becomes an engine
        /// error with <paramref name="errorId"/>, reported like any other, instead of a PowerShell exception
        /// that would stop the whole pipeline.
        /// </summary>
        protected string ResolveFileSystemPath(string path, string errorId)
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception ex) when (ex is SessionStateException || ex is ProviderInvocationException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new WsusRemediationException(errorId, EngineErrorKind.InvalidArgument, $"'{path}' is not a usable file path: {ex.Message}", path, ex);
            }

            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                throw new WsusRemediationException(errorId, EngineErrorKind.InvalidArgument, $"'{path}' is a {provider.Name} path, not a file system path.", path);
            }

            return resolved;
        }

        /// <summary>Stops the command when a -Timeout is not positive or above <paramref name="maximum"/>.</summary>
        protected void RequireTimeout(TimeSpan timeout, TimeSpan maximum)
        {
            if (timeout <= TimeSpan.Zero || timeout > maximum)
            {
                ThrowEngineError(new WsusRemediationException(
                    "TimeoutOutOfRange",
                    EngineErrorKind.InvalidArgument,
                    $"-Timeout must be more than 0 and at most {maximum}; got {timeout}. A plain number is read as seconds.",
                    timeout));
            }
        }

        /// <summary>Writes a wait's progress; the last report of a wait completes the progress bar.</summary>
        protected void WriteWaitProgress(int activityId, WaitProgress progress)
        {
            var record = new ProgressRecord(activityId, progress.Activity, string.IsNullOrEmpty(progress.Status) ? progress.Activity : progress.Status)
            {
                PercentComplete = progress.Completed ? 100 : progress.PercentOfTimeout,
                SecondsRemaining = progress.Completed ? -1 : (int)Math.Max(0, (progress.Timeout - progress.Elapsed).TotalSeconds),
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            WriteProgress(record);
        }

        /// <summary>
        /// Runs a call that can take seconds (a child powershell.exe, a remote query) under a progress
        /// bar, and completes the bar whatever happens.
        /// </summary>
        protected T WithProgress<T>(int activityId, string activity, string status, Func<T> work)
        {
            if (work is null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            WriteProgress(new ProgressRecord(activityId, activity, status));
            try
            {
                return work();
            }
            finally
            {
                WriteProgress(new ProgressRecord(activityId, activity, status) { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>The engine's error kinds carry the names of PowerShell's categories.</summary>
        internal static ErrorCategory ToCategory(EngineErrorKind kind) =>
            Enum.TryParse(kind.ToString(), out ErrorCategory category) ? category : ErrorCategory.NotSpecified;

        /// <inheritdoc />
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases the cancellation source.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (!_disposed && disposing)
            {
                _stopping.Dispose();
            }

            _disposed = true;
        }
    }
}
