using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
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
        private readonly List<IDisposable> _queries = new List<IDisposable>();
        private bool _disposed;
        private bool _emptyComputerNameReported;

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

        /// <summary>
        /// Reports an empty -ComputerName once per command: every object piped in from the same file would
        /// otherwise repeat the same error.
        /// </summary>
        protected void WriteEmptyComputerNameOnce(WsusRemediationException error)
        {
            if (!_emptyComputerNameReported)
            {
                _emptyComputerNameReported = true;
                WriteEngineError(error);
            }
        }

        /// <summary>Whether -ComputerName was given, on the command line or by a piped object's property.</summary>
        protected bool IsComputerNameBound => MyInvocation.BoundParameters.ContainsKey("ComputerName");

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
                throw new WsusRemediationException(errorId, EngineErrorKind.InvalidArgument, $"'{path}' is a path of the {provider.Name} provider, not a file system path.", path);
            }

            return resolved;
        }

        /// <summary>
        /// Wraps a writer (WriteVerbose, a progress writer) for the engine's hooks: once PowerShell is stopping
        /// the command, every Write* throws PipelineStoppedException, which would cut short the engine's clean-up
        /// after Ctrl+C (starting again what it stopped); then the line is dropped instead.
        /// </summary>
        protected Action<T> UntilStopped<T>(Action<T> write)
        {
            if (write is null)
            {
                throw new ArgumentNullException(nameof(write));
            }

            return value =>
            {
                try
                {
                    write(value);
                }
                catch (PipelineStoppedException) when (Stopping)
                {
                    // Ctrl+C: the engine sees its token cancelled at the next wait and cleans up.
                }
            };
        }

        /// <summary>
        /// Writes a warning, also after Ctrl+C: PowerShell then refuses WriteWarning, so the line goes straight
        /// to the host (in a hosted runspace, such as a runbook's, the host keeps it in the warning stream).
        /// </summary>
        protected void WriteWarningEvenWhenStopping(string message)
        {
            if (!Stopping)
            {
                try
                {
                    WriteWarning(message);
                    return;
                }
                catch (PipelineStoppedException)
                {
                    // Stopped between the check and the write: fall through to the host.
                }
            }

            Host?.UI?.WriteWarningLine(message);
        }

        /// <summary>Ctrl+C after the engine put back what it had stopped: tell the user what was done, then stop the pipeline.</summary>
        protected void StopAfterCleanUp(StoppedAfterCleanUpException stopped)
        {
            if (stopped is null)
            {
                throw new ArgumentNullException(nameof(stopped));
            }

            WriteWarningEvenWhenStopping(stopped.Summary);
            throw new PipelineStoppedException();
        }

        /// <summary>Stops the command when a time limit (-Timeout, or the parameter named) is not positive or above <paramref name="maximum"/>.</summary>
        protected void RequireTimeout(TimeSpan timeout, TimeSpan maximum, string parameterName = "Timeout")
        {
            if (timeout <= TimeSpan.Zero || timeout > maximum)
            {
                ThrowEngineError(new WsusRemediationException(
                    "TimeoutOutOfRange",
                    EngineErrorKind.InvalidArgument,
                    $"-{parameterName} must be more than 0 and at most {maximum}; got {timeout}. A plain number is read as seconds.",
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

        /// <summary>
        /// Starts a fan-out for a read-only query over several servers, at most
        /// <paramref name="throttleLimit"/> at a time, cancelled by Ctrl+C and disposed with the cmdlet.
        /// Add items as they come down the pipeline, then call <see cref="WriteQueryEvents"/>.
        /// </summary>
        protected ThrottledQueries<TItem, TResult> StartThrottledQueries<TItem, TResult>(Func<TItem, QueryContext, TResult> query, int throttleLimit)
        {
            var queries = new ThrottledQueries<TItem, TResult>(query, throttleLimit, CancellationToken);
            _queries.Add(queries);
            return queries;
        }

        /// <summary>
        /// Writes, from the pipeline thread, what the queries have produced: verbose lines, results through
        /// <paramref name="writeResult"/>, and one error per failed item (an engine error that
        /// <paramref name="isCommandWide"/> picks stops the command). With <paramref name="waitForAll"/>,
        /// waits for every remaining item under a progress bar that counts the answers.
        /// <paramref name="onFailure"/> hears of each failed item before its error is written.
        /// </summary>
        protected void WriteQueryEvents<TItem, TResult>(
            ThrottledQueries<TItem, TResult> queries,
            bool waitForAll,
            Func<TItem, object?> target,
            Action<TResult> writeResult,
            int progressId,
            string activity,
            Func<WsusRemediationException, bool>? isCommandWide = null,
            Action<TItem>? onFailure = null)
        {
            if (queries is null || target is null || writeResult is null)
            {
                throw new ArgumentNullException(queries is null ? nameof(queries) : target is null ? nameof(target) : nameof(writeResult));
            }

            ProgressRecord? progress = null;
            if (waitForAll && queries.Finished < queries.Added)
            {
                progress = new ProgressRecord(progressId, activity, $"{queries.Finished} of {queries.Added} answered");
                WriteProgress(progress);
            }

            try
            {
                foreach (var queryEvent in waitForAll ? queries.CompleteAndTakeAll() : queries.TakeAvailable())
                {
                    switch (queryEvent.Kind)
                    {
                        case QueryEventKind.Verbose:
                            WriteVerbose(queryEvent.Message);
                            continue;
                        case QueryEventKind.Result:
                            writeResult(queryEvent.Result!);
                            break;
                        default:
                            onFailure?.Invoke(queryEvent.Item);
                            WriteQueryFailure(queryEvent.Error!, target(queryEvent.Item), isCommandWide);
                            break;
                    }

                    if (progress is not null)
                    {
                        progress.StatusDescription = $"{queries.Finished} of {queries.Added} answered";
                        progress.PercentComplete = Math.Min(100, 100 * queries.Finished / Math.Max(1, queries.Added));
                        WriteProgress(progress);
                    }
                }
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                if (progress is not null)
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
            }
        }

        private void WriteQueryFailure(Exception error, object? target, Func<WsusRemediationException, bool>? isCommandWide)
        {
            switch (error)
            {
                case WsusRemediationException engine when isCommandWide?.Invoke(engine) == true:
                    ThrowEngineError(engine, target);
                    break;
                case WsusRemediationException engine:
                    WriteEngineError(engine, target);
                    break;
                case OperationCanceledException when CancellationToken.IsCancellationRequested:
                    throw new PipelineStoppedException();
                default:
                    // Not an expected failure: surface it as if the query had run here.
                    ExceptionDispatchInfo.Capture(error).Throw();
                    break;
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
                foreach (var queries in _queries)
                {
                    queries.Dispose();
                }

                _stopping.Dispose();
            }

            _disposed = true;
        }
    }
}
