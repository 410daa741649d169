namespace WorkflowAdmin.Domain.Engine;

/// <summary>An action was refused because of the execution's current state; the message says why and what to do.</summary>
public sealed class ExecutionStateException(string message) : InvalidOperationException(message);

public sealed class ExecutionNotFoundException(Guid executionId)
    : KeyNotFoundException($"There is no execution {executionId}.")
{
    public Guid ExecutionId { get; } = executionId;
}
