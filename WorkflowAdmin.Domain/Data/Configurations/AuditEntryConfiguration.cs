using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Auditing;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Actor).HasMaxLength(AuditEntry.MaxActorLength).IsRequired();
        builder.Property(e => e.ActorKind).HasMaxLength(20).IsRequired();
        builder.Property(e => e.ActorRoles).HasMaxLength(AuditEntry.MaxRolesLength).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(AuditEntry.MaxActionLength).IsRequired();
        builder.Property(e => e.TargetType).HasMaxLength(AuditEntry.MaxTargetTypeLength);
        builder.Property(e => e.TargetId).HasMaxLength(AuditEntry.MaxTargetIdLength);
        builder.Property(e => e.Reason).HasMaxLength(AuditEntry.MaxReasonLength);
        builder.Property(e => e.CorrelationId).HasMaxLength(AuditEntry.MaxCorrelationIdLength);
        builder.Property(e => e.ClientIp).HasMaxLength(AuditEntry.MaxClientIpLength);
        builder.Property(e => e.PreviousHash).HasMaxLength(AuditEntry.HashLength).IsFixedLength();
        builder.Property(e => e.Hash).HasMaxLength(AuditEntry.HashLength).IsFixedLength();
        builder.Ignore(e => e.IsSealed);

        // The chain in order (Verify, the entry page's neighbours) and the sealer's "Sequence IS NULL ORDER BY Id",
        // which this index answers on every provider. Not unique: SQL Server would then leave the NULLs out of it,
        // and one position per entry is the sealer's invariant (one sealer under the head's lock), checked by Verify.
        builder.HasIndex(e => new { e.Sequence, e.Id });

        // The audit page's filters, newest first: by time, by actor, by action, and "everything done to this target".
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.Actor, e.OccurredAt });
        builder.HasIndex(e => new { e.Action, e.OccurredAt });
        builder.HasIndex(e => new { e.TargetType, e.TargetId, e.OccurredAt });
    }
}
