using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Live;

/// <summary>
/// An execution as the change feed last read it: enough for a page to decide whether what it shows is stale,
/// never the payloads.
/// </summary>
/// <param name="IsNewStatus">
/// True unless the feed already reported this execution with this status: a status move changes counts and
/// filtered lists, while a step moving on within Running changes only the execution's own row.
/// </param>
public sealed record ExecutionChange(
    Guid Id, ExecutionStatus Status, string? CurrentStepKey, DateTime ModifiedAt, Guid? RerunOfId, bool IsNewStatus);
