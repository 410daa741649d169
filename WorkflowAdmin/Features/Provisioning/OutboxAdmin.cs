using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Provisioning;

/// <summary>Messages the workflows queued for sending. The list leaves out the recipients and body (JSON payloads).</summary>
public sealed class OutboxAdmin : EntityAdmin<OutboxRow>
{
    public OutboxAdmin()
        : base("Outbox", "outbox")
    {
        NavGroup = NavGroups.ProvisionedRecords;
        Icon = Icons.Material.Filled.Outbox;
        Noun = "outbox messages";

        Column("Kind", r => r.Kind).WithClass("mono nowrap");
        Column("Subject", r => r.Subject).WithClass("truncate-cell");
        Column("Idempotency key", r => r.IdempotencyKey).WithClass("mono nowrap");
        Column("Sent", r => r.IsSent);
        Column("Scheduled for", r => r.ScheduledFor).WithClass("nowrap");
        Column("Sent at", r => r.SentAt).WithClass("nowrap");
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        FilterByText("Kind", r => r.Kind, "kind");
        FilterByBool("Sent", r => r.IsSent, "sent", yes: "Sent", no: "Not sent");
        FilterByDate("Created", r => r.CreatedAt, "from", "to");
        SearchOn("subject", r => r.Subject);
        SearchOn("idempotency key", r => r.IdempotencyKey, TextMatch.StartsWith);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<OutboxRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.OutboxMessages.Select(m => new OutboxRow
        {
            Id = m.Id,
            Kind = m.Kind,
            Subject = m.Subject,
            IdempotencyKey = m.IdempotencyKey,
            IsSent = m.SentAt != null,
            ScheduledFor = m.ScheduledFor,
            SentAt = m.SentAt,
            CreatedAt = m.CreatedAt,
        });
    }
}

public sealed record OutboxRow
{
    public required Guid Id { get; init; }

    public required string Kind { get; init; }

    public required string Subject { get; init; }

    public required string IdempotencyKey { get; init; }

    public required bool IsSent { get; init; }

    public DateTime? ScheduledFor { get; init; }

    public DateTime? SentAt { get; init; }

    public required DateTime CreatedAt { get; init; }
}
