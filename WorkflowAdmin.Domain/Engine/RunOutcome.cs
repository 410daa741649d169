namespace WorkflowAdmin.Domain.Engine;

/// <summary>What one call of <see cref="WorkflowRunner.RunAsync"/> did.</summary>
public enum RunOutcome
{
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>Another runner had already claimed the execution, so this call did nothing.</summary>
    NotClaimed,

    /// <summary>
    /// The execution was taken back from this runner (its heartbeat had lapsed) and is now another runner's; this
    /// runner stopped without writing anything more.
    /// </summary>
    Abandoned,

    /// <summary>
    /// The database failed under this runner for longer than its retries. It stopped without finishing and without
    /// recording a failure: the execution is left to recovery, which resumes it once the lease has passed.
    /// </summary>
    Interrupted,
}
