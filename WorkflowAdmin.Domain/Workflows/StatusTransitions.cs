namespace WorkflowAdmin.Domain.Workflows;

/// <summary>
/// The single transition table for executions and steps. Entities call <see cref="Ensure"/> before every change,
/// so an illegal move throws instead of silently corrupting a row (the reference system marked a succeeded
/// workflow as failed when it was executed twice).
/// </summary>
public static class StatusTransitions
{
    private static readonly Dictionary<ExecutionStatus, ExecutionStatus[]> Allowed = new()
    {
        [ExecutionStatus.Pending] = [ExecutionStatus.Running, ExecutionStatus.Cancelled],
        // Running back to Pending: only an execution whose worker was lost is released, to be resumed by another.
        [ExecutionStatus.Running] = [ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.Pending],
        [ExecutionStatus.Succeeded] = [],
        [ExecutionStatus.Failed] = [],
        [ExecutionStatus.Cancelled] = [],
    };

    public static bool IsAllowed(ExecutionStatus from, ExecutionStatus to) => Allowed[from].Contains(to);

    public static bool IsFinal(ExecutionStatus status) => Allowed[status].Length == 0;

    public static void Ensure(string subject, ExecutionStatus from, ExecutionStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new InvalidStatusTransitionException(subject, from, to);
        }
    }
}
