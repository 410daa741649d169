using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class ExecutionCountConfiguration : IEntityTypeConfiguration<ExecutionCount>
{
    public void Configure(EntityTypeBuilder<ExecutionCount> builder)
    {
        builder.ToTable(RollupFolder.CountsTable);

        // A surrogate key, because the natural one is too wide for a SQL Server clustered key (900 bytes); the
        // unique index over it is the fold's upsert target and, starting with the hour, serves every window read.
        builder.HasKey(c => c.Id);
        builder.Property(c => c.DefinitionKey).HasMaxLength(WorkflowExecution.MaxKeyLength);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.FailedStepKey).HasMaxLength(WorkflowExecution.MaxKeyLength);
        builder.Property(c => c.ErrorType).HasMaxLength(ErrorInfo.MaxTypeLength);
        builder.HasIndex(c => new { c.CreatedHour, c.DefinitionKey, c.Status, c.Resolved, c.FailedStepKey, c.ErrorType }).IsUnique();
    }
}
