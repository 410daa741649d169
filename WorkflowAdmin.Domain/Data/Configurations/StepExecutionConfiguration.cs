using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class StepExecutionConfiguration : IEntityTypeConfiguration<StepExecution>
{
    public void Configure(EntityTypeBuilder<StepExecution> builder)
    {
        builder.ToTable("StepExecutions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.StepKey).HasMaxLength(WorkflowExecution.MaxKeyLength).IsRequired();
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.InputJson).IsRequired();
        builder.Property(s => s.ErrorType).HasMaxLength(ErrorInfo.MaxTypeLength);
        builder.Property(s => s.ErrorMessage).HasMaxLength(ErrorInfo.MaxMessageLength);
        builder.Ignore(s => s.IsReused);
        builder.Ignore(s => s.Duration);

        builder.HasMany(s => s.Attempts).WithOne().HasForeignKey(a => a.StepExecutionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Attempts).UsePropertyAccessMode(PropertyAccessMode.Field);

        // One row per (execution, step): the reference system had no such guarantee.
        builder.HasIndex(s => new { s.ExecutionId, s.StepKey }).IsUnique();
    }
}
