namespace WorkflowAdmin.Domain.Workflows;

/// <summary>
/// Time-ordered ids (UUID version 7). New rows land at the end of the primary-key index instead of at random
/// places in it, which keeps inserts fast on big tables, and ids sort roughly by creation time.
/// </summary>
public static class SequentialIds
{
    public static Guid New(DateTime utcTime) =>
        Guid.CreateVersion7(new DateTimeOffset(DateTime.SpecifyKind(utcTime, DateTimeKind.Utc)));
}
