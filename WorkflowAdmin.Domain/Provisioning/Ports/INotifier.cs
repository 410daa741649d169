namespace WorkflowAdmin.Domain.Provisioning.Ports;

// Messages are enqueued, not sent: a sender delivers them later, so a step never waits on a mail provider.
public interface INotifier
{
    Task<OutboxMessageInfo?> FindMessageAsync(string idempotencyKey, CancellationToken cancellationToken);

    Task<OutboxMessageInfo> EnqueueAsync(
        string idempotencyKey,
        string kind,
        IReadOnlyList<string> recipients,
        string subject,
        string bodyJson,
        DateTime? scheduledFor,
        CancellationToken cancellationToken);

    /// <summary>The message with <paramref name="idempotencyKey"/>, enqueued if there is none yet (an existing one is returned as it is).</summary>
    Task<Obtained<OutboxMessageInfo>> GetOrEnqueueAsync(
        string idempotencyKey,
        string kind,
        IReadOnlyList<string> recipients,
        string subject,
        string bodyJson,
        DateTime? scheduledFor,
        CancellationToken cancellationToken);
}

public sealed record OutboxMessageInfo(
    Guid Id, string IdempotencyKey, string Kind, IReadOnlyList<string> Recipients, string Subject, DateTime? ScheduledFor);
