using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Rollups;

/// <summary>
/// A change to one <see cref="RollupKey"/>'s count, inserted in the same transaction as the execution change it
/// records (created: +1 Pending; claimed: -1 Pending, +1 Running; ...). Insert-only with a client-made id, so
/// concurrent runners never touch the same row; <see cref="RollupFolder"/> moves them into
/// <see cref="ExecutionCount"/> a few seconds later.
/// </summary>
public sealed class ExecutionCountDelta
{
    private ExecutionCountDelta()
    {
    }

    public Guid Id { get; private set; }

    public DateTime CreatedHour { get; private set; }

    public string DefinitionKey { get; private set; } = "";

    public ExecutionStatus Status { get; private set; }

    public bool Resolved { get; private set; }

    public string FailedStepKey { get; private set; } = "";

    public string ErrorType { get; private set; } = "";

    public int Delta { get; private set; }

    public static ExecutionCountDelta Create(RollupKey key, int delta)
    {
        ArgumentOutOfRangeException.ThrowIfZero(delta);
        return new ExecutionCountDelta
        {
            Id = Guid.CreateVersion7(),
            CreatedHour = key.CreatedHour,
            DefinitionKey = key.DefinitionKey,
            Status = key.Status,
            Resolved = key.Resolved,
            FailedStepKey = key.FailedStepKey,
            ErrorType = key.ErrorType,
            Delta = delta,
        };
    }
}
