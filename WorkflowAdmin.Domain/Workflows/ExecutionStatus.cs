namespace WorkflowAdmin.Domain.Workflows;

/// <summary>
/// The one status vocabulary shared by executions, steps and attempts. Stored as strings, so the names are part of
/// the schema: never rename a member.
/// </summary>
public enum ExecutionStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
