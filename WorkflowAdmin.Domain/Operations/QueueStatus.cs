namespace WorkflowAdmin.Domain.Operations;

/// <summary>
/// The queue as the database sees it at <see cref="ReadAt"/>: Pending executions and the one that has waited longest
/// (since it was created, or released from a lost worker).
/// </summary>
public sealed record QueueStatus(int Depth, Guid? OldestPendingId, DateTime? OldestPendingSince, DateTime ReadAt)
{
    /// <summary>How long the oldest Pending execution has waited; zero when nothing waits.</summary>
    public TimeSpan OldestAge(DateTime now) => OldestPendingSince is { } since && now > since ? now - since : TimeSpan.Zero;
}
