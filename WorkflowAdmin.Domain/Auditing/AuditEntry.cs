namespace WorkflowAdmin.Domain.Auditing;

/// <summary>
/// One recorded action. Rows are only ever inserted, by <see cref="AuditTrail"/>; the application has no code path
/// that updates or deletes one. Each row carries the hash of the row before it, so an edit made behind the
/// application's back breaks the chain at that row (see <see cref="AuditChain"/>).
/// </summary>
public sealed class AuditEntry
{
    public const int MaxActorLength = 256;
    public const int MaxRolesLength = 200;
    public const int MaxActionLength = 64;
    public const int MaxTargetTypeLength = 64;
    public const int MaxTargetIdLength = 128;
    public const int MaxReasonLength = 1000;
    public const int MaxCorrelationIdLength = 64;
    public const int MaxClientIpLength = 64;
    public const int HashLength = 64;

    private AuditEntry()
    {
    }

    /// <summary>Position in the chain, from 1, without gaps.</summary>
    public long Sequence { get; private set; }

    public DateTime OccurredAt { get; private set; }

    public string Actor { get; private set; } = "";

    public string ActorKind { get; private set; } = "";

    public string ActorRoles { get; private set; } = "";

    public string Action { get; private set; } = "";

    public string? TargetType { get; private set; }

    public string? TargetId { get; private set; }

    public string? Reason { get; private set; }

    public string? BeforeJson { get; private set; }

    public string? AfterJson { get; private set; }

    public string? CorrelationId { get; private set; }

    public string? ClientIp { get; private set; }

    public string PreviousHash { get; private set; } = "";

    public string Hash { get; private set; } = "";

    internal static AuditEntry Chain(AuditRecord record, long sequence, string previousHash)
    {
        var entry = new AuditEntry
        {
            Sequence = sequence,
            OccurredAt = record.OccurredAt,
            Actor = record.Actor,
            ActorKind = record.ActorKind,
            ActorRoles = record.ActorRoles,
            Action = record.Action,
            TargetType = record.TargetType,
            TargetId = record.TargetId,
            Reason = record.Reason,
            BeforeJson = record.BeforeJson,
            AfterJson = record.AfterJson,
            CorrelationId = record.CorrelationId,
            ClientIp = record.ClientIp,
            PreviousHash = previousHash,
        };
        entry.Hash = AuditChain.ComputeHash(entry);
        return entry;
    }
}
