namespace WorkflowAdmin.Domain.Background;

/// <summary>Hands executions to background workers. Enqueue only after the execution row is committed.</summary>
public interface IExecutionDispatcher
{
    /// <summary>Asks a worker to run the execution; returns the job's id.</summary>
    Task<string> EnqueueAsync(Guid executionId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the job will still run its execution, which is Pending: it waits in the queue, or a worker picked it up
    /// less than <see cref="BackgroundOptions.PendingGrace"/> ago. False for a job the queue no longer knows, one that
    /// ended, and one a worker picked up longer ago without claiming the execution since (that worker died).
    /// </summary>
    bool IsAlive(string? jobId);
}
