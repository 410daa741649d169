namespace WorkflowAdmin.Domain.Background;

/// <summary>Hands executions to background workers. Enqueue only after the execution row is committed.</summary>
public interface IExecutionDispatcher
{
    /// <summary>Asks a worker to run the execution; returns the job's id.</summary>
    Task<string> EnqueueAsync(Guid executionId, CancellationToken cancellationToken);

    /// <summary>Whether the job is still waiting or running (false for a job the queue no longer knows).</summary>
    bool IsAlive(string? jobId);
}
