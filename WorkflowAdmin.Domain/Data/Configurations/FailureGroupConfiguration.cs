using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class FailureGroupConfiguration : IEntityTypeConfiguration<FailureGroup>
{
    public void Configure(EntityTypeBuilder<FailureGroup> builder)
    {
        // FailureGroupCounter writes this table in SQL by these names; keep them in step.
        builder.ToTable("FailureGroups");
        builder.HasKey(g => g.Fingerprint);
        builder.Property(g => g.Fingerprint).HasMaxLength(FailureFingerprint.Length);
        builder.Property(g => g.DefinitionKey).HasMaxLength(WorkflowExecution.MaxKeyLength).IsRequired();
        builder.Property(g => g.StepKey).HasMaxLength(WorkflowExecution.MaxKeyLength);
        builder.Property(g => g.ErrorType).HasMaxLength(ErrorInfo.MaxTypeLength);
        builder.Property(g => g.SampleMessage).HasMaxLength(ErrorInfo.MaxMessageLength).IsRequired();
        builder.Property(g => g.TriageState).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(g => g.TriageChangedBy).HasMaxLength(WorkflowExecution.MaxActorLength);
        builder.Property(g => g.OwnerId).HasMaxLength(WorkflowExecution.MaxActorIdLength);
        builder.Property(g => g.OwnerName).HasMaxLength(FailureGroup.MaxOwnerLength);
        builder.Property(g => g.Note).HasMaxLength(FailureGroup.MaxNoteLength);
        builder.Property(g => g.Link).HasMaxLength(FailureGroup.MaxLinkLength);
        builder.Ignore(g => g.IsReopened);

        // /failures lists groups most recently seen first; a few hundred rows at most, but read on every visit.
        builder.HasIndex(g => g.LastSeenAt);
    }
}
