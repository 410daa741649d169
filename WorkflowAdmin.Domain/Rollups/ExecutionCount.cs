using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Rollups;

/// <summary>
/// The folded count of executions under one <see cref="RollupKey"/>. Written only by <see cref="RollupFolder"/>
/// (and the migration's backfill), never by a request or a runner, so no status change waits on one of these rows.
/// </summary>
public sealed class ExecutionCount
{
    private ExecutionCount()
    {
    }

    public long Id { get; private set; }

    public DateTime CreatedHour { get; private set; }

    public string DefinitionKey { get; private set; } = "";

    public ExecutionStatus Status { get; private set; }

    public bool Resolved { get; private set; }

    public string FailedStepKey { get; private set; } = "";

    public string ErrorType { get; private set; } = "";

    public long Count { get; private set; }
}
