using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class StepAttemptConfiguration : IEntityTypeConfiguration<StepAttempt>
{
    public void Configure(EntityTypeBuilder<StepAttempt> builder)
    {
        builder.ToTable("StepAttempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.ErrorType).HasMaxLength(ErrorInfo.MaxTypeLength);
        builder.Property(a => a.ErrorMessage).HasMaxLength(ErrorInfo.MaxMessageLength);
        builder.Property(a => a.ErrorStackTrace).HasMaxLength(ErrorInfo.MaxStackTraceLength);
        builder.Ignore(a => a.Duration);
        builder.HasIndex(a => new { a.StepExecutionId, a.Number }).IsUnique();
    }
}
