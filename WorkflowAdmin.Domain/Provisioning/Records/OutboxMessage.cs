using System.Text.Json;

namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class OutboxMessage
{
    public const int MaxIdempotencyKeyLength = 200;
    public const int MaxKindLength = 50;
    public const int MaxSubjectLength = 500;

    private OutboxMessage()
    {
    }

    public Guid Id { get; private set; }

    public string IdempotencyKey { get; private set; } = "";

    public string Kind { get; private set; } = "";

    // A JSON array of addresses: unambiguous whatever characters an address holds.
    public string Recipients { get; private set; } = "[]";

    public string Subject { get; private set; } = "";

    public string BodyJson { get; private set; } = "{}";

    public DateTime CreatedAt { get; private set; }

    public DateTime? ScheduledFor { get; private set; }

    public DateTime? SentAt { get; private set; }

    public IReadOnlyList<string> RecipientList => JsonSerializer.Deserialize<string[]>(Recipients) ?? [];

    public static OutboxMessage Create(
        string idempotencyKey, string kind, IReadOnlyList<string> recipients, string subject, string bodyJson, DateTime? scheduledFor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentException.ThrowIfNullOrWhiteSpace(bodyJson);
        return new OutboxMessage
        {
            Id = Guid.NewGuid(),
            IdempotencyKey = RecordFields.Required(idempotencyKey, MaxIdempotencyKeyLength),
            Kind = RecordFields.Required(kind, MaxKindLength),
            Recipients = JsonSerializer.Serialize(recipients),
            Subject = RecordFields.Required(subject, MaxSubjectLength),
            BodyJson = bodyJson,
            CreatedAt = now,
            ScheduledFor = scheduledFor,
        };
    }

    public void MarkSent(DateTime now)
    {
        if (SentAt is not null)
        {
            throw new InvalidOperationException($"Outbox message '{IdempotencyKey}' was already sent.");
        }

        SentAt = now;
    }
}
