namespace WorkflowAdmin.Domain.Workflows;

public sealed class InvalidStatusTransitionException(string subject, ExecutionStatus from, ExecutionStatus to)
    : InvalidOperationException($"{subject} cannot move from {from} to {to}.")
{
    public ExecutionStatus From { get; } = from;

    public ExecutionStatus To { get; } = to;
}
