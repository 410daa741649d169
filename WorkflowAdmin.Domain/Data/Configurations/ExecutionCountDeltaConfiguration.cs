using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class ExecutionCountDeltaConfiguration : IEntityTypeConfiguration<ExecutionCountDelta>
{
    public void Configure(EntityTypeBuilder<ExecutionCountDelta> builder)
    {
        builder.ToTable(RollupFolder.DeltasTable);

        // Only the key: every index more is one more write on each status change, and the table holds a few
        // seconds' worth of rows between folds, which a reader scans whole.
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.DefinitionKey).HasMaxLength(WorkflowExecution.MaxKeyLength);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.FailedStepKey).HasMaxLength(WorkflowExecution.MaxKeyLength);
        builder.Property(d => d.ErrorType).HasMaxLength(ErrorInfo.MaxTypeLength);
    }
}
