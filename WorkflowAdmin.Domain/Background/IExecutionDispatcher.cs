namespace WorkflowAdmin.Domain.Background;

/// <summary>
/// Hands executions to background workers. The committed Pending row is the queue entry (decision 0019), so call
/// this only after the execution is committed; it wakes workers, and no execution depends on it to be run.
/// </summary>
public interface IExecutionDispatcher
{
    /// <summary>Tells the workers that the committed Pending execution is waiting.</summary>
    Task EnqueueAsync(Guid executionId, CancellationToken cancellationToken);
}
