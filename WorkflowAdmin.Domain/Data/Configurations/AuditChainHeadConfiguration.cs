using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Auditing;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.ToTable("AuditChainHead");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.LastHash).HasMaxLength(AuditEntry.HashLength).IsFixedLength().IsRequired();
        builder.Property(h => h.ConcurrencyStamp).IsConcurrencyToken();
        builder.Property(h => h.SealerId).HasMaxLength(AuditChainHead.MaxSealerIdLength);
    }
}
