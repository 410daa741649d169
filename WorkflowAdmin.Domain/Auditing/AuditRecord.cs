using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Domain.Auditing;

/// <summary>What to record, before it is placed in the chain. Build one with <see cref="For"/>.</summary>
public sealed record AuditRecord
{
    public required DateTime OccurredAt { get; init; }

    public required string Actor { get; init; }

    public required string ActorKind { get; init; }

    public required string ActorRoles { get; init; }

    public required string Action { get; init; }

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    public string? Reason { get; init; }

    public string? BeforeJson { get; init; }

    public string? AfterJson { get; init; }

    public string? CorrelationId { get; init; }

    public string? ClientIp { get; init; }

    /// <summary>
    /// A record of <paramref name="actor"/> doing <paramref name="action"/>. The time is cut to whole milliseconds:
    /// PostgreSQL keeps microseconds and SQL Server 100 ns, and the hash must survive the round trip on every provider.
    /// </summary>
    public static AuditRecord For(
        Actor actor, string action, DateTime now, string? targetType = null, string? targetId = null, string? reason = null,
        object? before = null, object? after = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return new AuditRecord
        {
            OccurredAt = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc),
            Actor = Cut(actor.Name, AuditEntry.MaxActorLength)!,
            ActorKind = actor.Kind.ToString(),
            ActorRoles = Cut(actor.RolesText, AuditEntry.MaxRolesLength)!,
            Action = action,
            TargetType = targetType,
            TargetId = Cut(targetId, AuditEntry.MaxTargetIdLength),
            Reason = Cut(reason, AuditEntry.MaxReasonLength),
            BeforeJson = before is null ? null : AuditJson.Serialize(before),
            AfterJson = after is null ? null : AuditJson.Serialize(after),
            CorrelationId = Cut(actor.CorrelationId, AuditEntry.MaxCorrelationIdLength),
            ClientIp = Cut(actor.ClientIp, AuditEntry.MaxClientIpLength),
        };
    }

    private static string? Cut(string? value, int max) => value is { } v && v.Length > max ? v[..max] : value;
}
