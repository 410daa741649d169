using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// How to re-run an execution. <paramref name="EditedInputJson"/> is null to reuse the original input.
/// <paramref name="ConfirmDuplicate"/> says the caller has seen that the execution already has a live or successful
/// re-run and wants another anyway.
/// </summary>
public sealed record RerunRequest(RerunMode Mode, string Reason, string? EditedInputJson = null, bool ConfirmDuplicate = false);

/// <summary>
/// The execution already has a re-run that is pending, running or succeeded; another needs explicit confirmation
/// (<see cref="RerunRequest.ConfirmDuplicate"/>). Nothing was written.
/// </summary>
public sealed class DuplicateRerunException(Guid originalId, IReadOnlyList<ExistingRerun> existing)
    : InvalidOperationException(
        $"Execution {originalId} already has {existing.Count} re-run(s) that are pending, running or succeeded "
        + $"({string.Join(", ", existing.Select(r => $"{r.Id.ToString()[..8]} {r.Status}"))}). Confirm to re-run it again.")
{
    public Guid OriginalId { get; } = originalId;

    public IReadOnlyList<ExistingRerun> Existing { get; } = existing;
}

public sealed record ExistingRerun(Guid Id, ExecutionStatus Status, DateTime CreatedAt, string TriggeredBy);
