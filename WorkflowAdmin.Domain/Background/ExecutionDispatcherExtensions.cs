using Microsoft.Extensions.Logging;

namespace WorkflowAdmin.Domain.Background;

public static partial class ExecutionDispatcherExtensions
{
    /// <summary>
    /// Wakes the workers for a committed Pending execution, and never throws for a failure to do so: the row is the
    /// queue entry (decision 0019), so a worker finds it at its next poll anyway. Failing the caller instead would
    /// invite a second submit, and so a second execution. Only the caller's own cancellation propagates.
    /// </summary>
    /// <param name="dispatcher">The host's dispatcher.</param>
    /// <param name="executionId">The committed execution.</param>
    /// <param name="logger">The caller's logger, so the failure is logged under the caller's category.</param>
    /// <param name="cancellationToken">The caller's; a save that has committed usually passes none.</param>
    public static async Task EnqueueOrLogAsync(
        this IExecutionDispatcher dispatcher, Guid executionId, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(logger);
        try
        {
            await dispatcher.EnqueueAsync(executionId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDispatchFailed(logger, ex, executionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} is saved and Pending but the workers could not be woken; they find it at their next poll.")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, Guid executionId);
}
