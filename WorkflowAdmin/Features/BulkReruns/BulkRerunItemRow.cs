using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.BulkReruns;

/// <summary>One execution of a bulk re-run as its progress page lists it: the original, what became of it, and why.</summary>
public sealed record BulkRerunItemRow
{
    public required int Ordinal { get; init; }

    public required Guid ExecutionId { get; init; }

    public string? BusinessKey { get; init; }

    /// <summary>The item's own status: Pending (waiting), Succeeded (re-run created) or Failed (not re-run).</summary>
    public required ExecutionStatus Status { get; init; }

    public Guid? RerunExecutionId { get; init; }

    /// <summary>How the new execution is doing now.</summary>
    public ExecutionStatus? RerunStatus { get; init; }

    public string? Error { get; init; }
}
