using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class BulkRerunConfiguration : IEntityTypeConfiguration<BulkRerun>
{
    public void Configure(EntityTypeBuilder<BulkRerun> builder)
    {
        builder.ToTable("BulkReruns");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.RequestedBy).HasMaxLength(WorkflowExecution.MaxActorLength).IsRequired();
        builder.Property(b => b.Mode).HasConversion<string>().HasMaxLength(30);
        builder.Property(b => b.Reason).HasMaxLength(WorkflowExecution.MaxReasonLength).IsRequired();
        builder.Property(b => b.Description).HasMaxLength(BulkRerun.MaxDescriptionLength).IsRequired();
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.ConcurrencyStamp).IsConcurrencyToken();
        builder.Ignore(b => b.ProcessedCount);
        builder.HasMany(b => b.Items).WithOne().HasForeignKey(i => i.BulkRerunId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(b => b.Items).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(b => b.CreatedAt);

        // One bulk re-run per confirmation: the token is consumed by the insert that creates the bulk re-run.
        builder.HasIndex(b => b.SubmitToken).IsUnique();
    }
}
