using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Provisioning.Adapters;

internal sealed class OutboxNotifier(AppDbContext db, TimeProvider time) : INotifier
{
    public async Task<OutboxMessageInfo?> FindMessageAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var message = await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.IdempotencyKey == idempotencyKey, cancellationToken);
        return message is null ? null : ToInfo(message);
    }

    public async Task<OutboxMessageInfo> EnqueueAsync(
        string idempotencyKey,
        string kind,
        IReadOnlyList<string> recipients,
        string subject,
        string bodyJson,
        DateTime? scheduledFor,
        CancellationToken cancellationToken)
    {
        var message = OutboxMessage.Create(idempotencyKey, kind, recipients, subject, bodyJson, scheduledFor, time.GetUtcNow().UtcDateTime);
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return ToInfo(message);
    }

    public async Task<Obtained<OutboxMessageInfo>> GetOrEnqueueAsync(
        string idempotencyKey,
        string kind,
        IReadOnlyList<string> recipients,
        string subject,
        string bodyJson,
        DateTime? scheduledFor,
        CancellationToken cancellationToken)
    {
        var message = OutboxMessage.Create(idempotencyKey, kind, recipients, subject, bodyJson, scheduledFor, time.GetUtcNow().UtcDateTime);
        if (await db.InsertIfAbsentAsync(message, [nameof(OutboxMessage.IdempotencyKey)], cancellationToken))
        {
            return new Obtained<OutboxMessageInfo>(ToInfo(message), Created: true);
        }

        var existing = await FindMessageAsync(idempotencyKey, cancellationToken)
                       ?? throw new InvalidOperationException($"The outbox message '{idempotencyKey}' existed and is gone again.");
        return new Obtained<OutboxMessageInfo>(existing, Created: false);
    }

    private static OutboxMessageInfo ToInfo(OutboxMessage message) =>
        new(message.Id, message.IdempotencyKey, message.Kind, message.RecipientList, message.Subject, message.ScheduledFor);
}
