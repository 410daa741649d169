using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Bulk;

/// <summary>
/// One bulk re-run: the executions chosen when the admin confirmed (fixed then, so the count they saw is the count
/// that runs), the mode and reason applied to all of them, and progress as the background job works through them.
/// </summary>
public sealed class BulkRerun
{
    public const int MaxItems = 10_000;
    public const int MaxDescriptionLength = 500;

    private readonly List<BulkRerunItem> items = [];

    private BulkRerun()
    {
    }

    public Guid Id { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string RequestedBy { get; private set; } = "";

    public RerunMode Mode { get; private set; }

    public string Reason { get; private set; } = "";

    /// <summary>How the executions were chosen ("3 selected", or the list filter), for the people reading it later.</summary>
    public string Description { get; private set; } = "";

    public int Total { get; private set; }

    public int SucceededCount { get; private set; }

    public int FailedCount { get; private set; }

    public ExecutionStatus Status { get; private set; }

    public DateTime? StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    /// <summary>
    /// The token of the confirmation that created this bulk re-run (unique): a second submit of the same confirmation
    /// finds this bulk re-run instead of creating another. Null on bulk re-runs created before tokens existed.
    /// </summary>
    public Guid? SubmitToken { get; private set; }

    /// <summary>Rotates on every status change and every recorded batch, so two jobs can never both save progress.</summary>
    public Guid ConcurrencyStamp { get; private set; }

    public IReadOnlyList<BulkRerunItem> Items => items;

    public int ProcessedCount => SucceededCount + FailedCount;

    public static BulkRerun Create(
        Guid submitToken, IReadOnlyList<Guid> executionIds, RerunMode mode, string reason, string description, string requestedBy, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        if (executionIds.Count is 0 or > MaxItems)
        {
            throw new ArgumentOutOfRangeException(nameof(executionIds), executionIds.Count, $"A bulk re-run takes 1 to {MaxItems:N0} executions.");
        }

        var bulk = new BulkRerun
        {
            Id = SequentialIds.New(now),
            CreatedAt = now,
            RequestedBy = requestedBy,
            Mode = mode,
            Reason = reason,
            Description = description.Length > MaxDescriptionLength ? description[..MaxDescriptionLength] : description,
            Status = ExecutionStatus.Pending,
            SubmitToken = submitToken,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        foreach (var id in executionIds.Distinct())
        {
            bulk.items.Add(new BulkRerunItem(bulk.Id, bulk.items.Count, id));
        }

        bulk.Total = bulk.items.Count;
        return bulk;
    }

    public void Start(DateTime now)
    {
        MoveTo(ExecutionStatus.Running);
        StartedAt ??= now;
    }

    public void Record(BulkRerunItem item, Guid? rerunExecutionId, string? error)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.BulkRerunId != Id)
        {
            throw new InvalidOperationException("The item belongs to another bulk re-run.");
        }

        // Progress is a compare-and-set on this row: a second job that read it before this batch was saved finds
        // its own save refused, so counts can neither be lost nor counted twice.
        ConcurrencyStamp = Guid.NewGuid();
        if (rerunExecutionId is { } created)
        {
            item.Succeed(created);
            SucceededCount++;
        }
        else
        {
            item.Fail(error ?? "Not re-run.");
            FailedCount++;
        }
    }

    /// <summary>Ends the operation: Succeeded when every execution was re-run, Failed when any was refused.</summary>
    public void Finish(DateTime now)
    {
        if (ProcessedCount != Total)
        {
            throw new InvalidOperationException($"Bulk re-run {Id} has {Total - ProcessedCount} executions left.");
        }

        MoveTo(FailedCount == 0 ? ExecutionStatus.Succeeded : ExecutionStatus.Failed);
        FinishedAt = now;
    }

    private void MoveTo(ExecutionStatus next)
    {
        StatusTransitions.Ensure($"Bulk re-run {Id}", Status, next);
        Status = next;
        ConcurrencyStamp = Guid.NewGuid();
    }
}
