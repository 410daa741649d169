using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Bulk;

/// <summary>One execution of a bulk re-run, and what became of it.</summary>
public sealed class BulkRerunItem
{
    public const int MaxErrorLength = 1000;

    internal BulkRerunItem(Guid bulkRerunId, int ordinal, Guid executionId)
    {
        BulkRerunId = bulkRerunId;
        Ordinal = ordinal;
        ExecutionId = executionId;
        Status = ExecutionStatus.Pending;
    }

    private BulkRerunItem()
    {
    }

    public Guid BulkRerunId { get; private set; }

    public int Ordinal { get; private set; }

    /// <summary>The execution that was to be re-run.</summary>
    public Guid ExecutionId { get; private set; }

    public ExecutionStatus Status { get; private set; }

    /// <summary>The new execution, when the re-run was created.</summary>
    public Guid? RerunExecutionId { get; private set; }

    public string? Error { get; private set; }

    internal void Succeed(Guid rerunExecutionId)
    {
        // Pending to Running to Succeeded in one save: an item is created and finished by the same write.
        MoveTo(ExecutionStatus.Running);
        MoveTo(ExecutionStatus.Succeeded);
        RerunExecutionId = rerunExecutionId;
    }

    internal void Fail(string error)
    {
        MoveTo(ExecutionStatus.Running);
        MoveTo(ExecutionStatus.Failed);
        Error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
    }

    private void MoveTo(ExecutionStatus next)
    {
        StatusTransitions.Ensure($"Bulk re-run item {Ordinal}", Status, next);
        Status = next;
    }
}
