using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.IdempotencyKey).HasMaxLength(OutboxMessage.MaxIdempotencyKeyLength).IsRequired();
        builder.Property(m => m.Kind).HasMaxLength(OutboxMessage.MaxKindLength).IsRequired();
        builder.Property(m => m.Recipients).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(OutboxMessage.MaxSubjectLength).IsRequired();
        builder.Property(m => m.BodyJson).IsRequired();
        builder.Ignore(m => m.RecipientList);
        builder.HasIndex(m => m.IdempotencyKey).IsUnique();
    }
}
