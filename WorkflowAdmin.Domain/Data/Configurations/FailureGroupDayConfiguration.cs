using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Failures;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class FailureGroupDayConfiguration : IEntityTypeConfiguration<FailureGroupDay>
{
    public void Configure(EntityTypeBuilder<FailureGroupDay> builder)
    {
        // FailureGroupCounter writes this table in SQL by these names; keep them in step.
        builder.ToTable("FailureGroupDays");
        builder.HasKey(d => new { d.Fingerprint, d.Day });
        builder.Property(d => d.Fingerprint).HasMaxLength(FailureFingerprint.Length);
        builder.HasOne<FailureGroup>().WithMany().HasForeignKey(d => d.Fingerprint).OnDelete(DeleteBehavior.Cascade);

        // The trend of every group over the last days: one range over the day.
        builder.HasIndex(d => d.Day);
    }
}
