namespace WorkflowAdmin.Domain.Engine;

/// <summary>What one call of <see cref="WorkflowRunner.RunAsync"/> did.</summary>
public enum RunOutcome
{
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>Another runner had already claimed the execution, so this call did nothing.</summary>
    NotClaimed,
}
