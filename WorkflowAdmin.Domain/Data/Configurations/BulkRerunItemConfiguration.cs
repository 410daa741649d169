using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class BulkRerunItemConfiguration : IEntityTypeConfiguration<BulkRerunItem>
{
    public void Configure(EntityTypeBuilder<BulkRerunItem> builder)
    {
        builder.ToTable("BulkRerunItems");
        builder.HasKey(i => new { i.BulkRerunId, i.Ordinal });
        // An item is claimed by moving it out of Pending: the UPDATE checks it is still Pending, so two jobs working
        // on the same bulk re-run (a redelivery beside a job whose lock expired) cannot both re-run it.
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(i => i.Error).HasMaxLength(BulkRerunItem.MaxErrorLength);
        builder.HasOne<WorkflowExecution>().WithMany().HasForeignKey(i => i.ExecutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WorkflowExecution>().WithMany().HasForeignKey(i => i.RerunExecutionId).OnDelete(DeleteBehavior.Restrict);
    }
}
