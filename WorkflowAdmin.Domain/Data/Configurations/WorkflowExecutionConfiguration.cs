using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class WorkflowExecutionConfiguration : IEntityTypeConfiguration<WorkflowExecution>
{
    public void Configure(EntityTypeBuilder<WorkflowExecution> builder)
    {
        builder.ToTable("WorkflowExecutions");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.DefinitionKey).HasMaxLength(WorkflowExecution.MaxKeyLength).IsRequired();
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.InputJson).IsRequired();
        builder.Property(e => e.BusinessKey).HasMaxLength(WorkflowExecution.MaxBusinessKeyLength);
        builder.Property(e => e.TriggeredBy).HasMaxLength(WorkflowExecution.MaxActorLength).IsRequired();
        builder.Property(e => e.TriggeredById).HasMaxLength(WorkflowExecution.MaxActorIdLength);
        builder.Property(e => e.TriggerSource).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.RerunMode).HasConversion<string>().HasMaxLength(30);
        builder.Property(e => e.RerunReason).HasMaxLength(WorkflowExecution.MaxReasonLength);
        builder.Property(e => e.FailedStepKey).HasMaxLength(WorkflowExecution.MaxKeyLength);
        builder.Property(e => e.ErrorType).HasMaxLength(ErrorInfo.MaxTypeLength);
        builder.Property(e => e.ErrorMessage).HasMaxLength(ErrorInfo.MaxMessageLength);
        builder.Property(e => e.FailureFingerprint).HasMaxLength(Failures.FailureFingerprint.Length);
        builder.Property(e => e.CancelRequestedBy).HasMaxLength(WorkflowExecution.MaxActorLength);
        builder.Property(e => e.CancelReason).HasMaxLength(WorkflowExecution.MaxReasonLength);
        builder.Property(e => e.CurrentStepKey).HasMaxLength(WorkflowExecution.MaxKeyLength);
        builder.Property(e => e.JobId).HasMaxLength(100);
        builder.Property(e => e.TraceParent).HasMaxLength(WorkflowExecution.MaxTraceParentLength);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();

        // The runner learns of a cancellation request from its next write, which matches no row once the request is
        // there, instead of reading the row before every step (decision 0032). No schema change: only the UPDATE's WHERE.
        builder.Property(e => e.CancelRequestedAt).IsConcurrencyToken();

        // Unbounded and without a model index on purpose: no B-tree serves a search for words inside the text. Each
        // provider's migration indexes it its own way (pg_trgm GIN on PostgreSQL, an FTS5 table kept by triggers on
        // SQLite; decision 0029), which is why those indexes are hand-written SQL, not part of this model.
        builder.Property(e => e.SearchText).IsRequired();
        builder.Ignore(e => e.Duration);
        builder.Ignore(e => e.IsUnresolvedFailure);

        builder.HasMany(e => e.Steps).WithOne().HasForeignKey(s => s.ExecutionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(e => e.Steps).UsePropertyAccessMode(PropertyAccessMode.Field);

        // Lineage: a real FK so a re-run can never point at nothing; deleting an original is refused.
        builder.HasOne<WorkflowExecution>().WithMany().HasForeignKey(e => e.RerunOfId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WorkflowExecution>().WithMany().HasForeignKey(e => e.RootExecutionId).OnDelete(DeleteBehavior.Restrict);

        // At most one live or successful re-run per original unless an admin confirmed another ("Re-run anyway"):
        // the database's answer when two admins race past ExecutionService's check. Double-quoted identifiers and
        // an IN list read the same on SQLite, PostgreSQL and SQL Server (whose connections set QUOTED_IDENTIFIER ON,
        // which filtered indexes require anyway).
        builder.HasIndex(e => e.ExclusiveRerunOfId)
            .IsUnique()
            .HasFilter("\"ExclusiveRerunOfId\" IS NOT NULL AND \"Status\" IN ('Pending', 'Running', 'Succeeded')")
            .HasDatabaseName("IX_WorkflowExecutions_ExclusiveRerunOfId_Live");

        // The console's filters: newest first per status, per workflow, and lookup by business key. The business
        // key index also holds the list's order (CreatedAt, Id), so a key prefix shared by many executions is sorted
        // from the index alone instead of reading every matching row (see docs/benchmarks.md).
        builder.HasIndex(e => new { e.Status, e.CreatedAt });
        builder.HasIndex(e => new { e.DefinitionKey, e.CreatedAt });
        builder.HasIndex(e => e.CreatedAt);
        builder.HasIndex(e => new { e.BusinessKey, e.CreatedAt, e.Id });

        // "Triggered by" and "source" are list filters too; without these a rare value reads the whole table.
        builder.HasIndex(e => new { e.TriggeredBy, e.CreatedAt });
        builder.HasIndex(e => new { e.TriggerSource, e.CreatedAt });

        // The System page counts recoveries of the last day; few executions ever have one, so the filtered index
        // stays tiny whatever the table's size.
        builder.HasIndex(e => e.LastRecoveredAt)
            .HasFilter("\"LastRecoveredAt\" IS NOT NULL")
            .HasDatabaseName("IX_WorkflowExecutions_LastRecoveredAt");

        // The live change feed asks "what changed since T?" once per interval for every open page together.
        builder.HasIndex(e => e.ModifiedAt);

        // "Unresolved" (Failed with no succeeded re-run, decision 0025) is the default failure view: newest first
        // from the index alone, with ResolvedAt IS NULL as an equality on the second column.
        builder.HasIndex(e => new { e.Status, e.ResolvedAt, e.CreatedAt });

        // A failure group's executions in the list's order (the list's fingerprint filter, and the recount), and its
        // unresolved ones newest first, each from its index alone: the list's Unresolved filter is Status = 'Failed'
        // AND ResolvedAt IS NULL, so Status is in the index too, or every match is a heap read (100 ms for 7,000 rows
        // at 200,000 executions instead of 2). Filtered: only failures have a fingerprint, a small share of the
        // table, so the two cost nothing on the other writes (decision 0028).
        builder.HasIndex(e => new { e.FailureFingerprint, e.CreatedAt, e.Id })
            .HasFilter("\"FailureFingerprint\" IS NOT NULL")
            .HasDatabaseName("IX_WorkflowExecutions_FailureFingerprint_CreatedAt");
        builder.HasIndex(e => new { e.FailureFingerprint, e.Status, e.ResolvedAt, e.CreatedAt })
            .HasFilter("\"FailureFingerprint\" IS NOT NULL")
            .HasDatabaseName("IX_WorkflowExecutions_FailureFingerprint_ResolvedAt");

        // ResolvedByExecutionId has no foreign key on purpose: with RerunOfId it would make the two rows point at
        // each other, and the seed's bulk writes, which insert a lineage original first, could not satisfy both.
        // Executions are never deleted while a re-run points at them (RerunOfId is restricted), so it cannot dangle.
    }
}
