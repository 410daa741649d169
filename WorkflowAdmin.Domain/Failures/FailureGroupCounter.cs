using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Failures;

/// <summary>
/// Keeps <see cref="FailureGroup"/> counts current in the same transaction as the change that moves them, whoever
/// saves it: an execution turning Failed (the runner, recovery, an engine error) adds one to its group, creating the
/// group or reopening a Fixed one; a failure resolved by a re-run (decision 0025) takes one off the unresolved count.
/// It runs inside SaveChanges, before EF's own statements, so no caller has to remember it and the execution's
/// write stays one SaveChanges (decision 0019). When a save carries such a change and no transaction is open, it
/// opens one and commits it after EF's statements, so the group and the execution commit together or not at all.
/// The group rows are updated with relative SQL (<c>Count = Count + 1</c>), never read and written back, so two
/// workers failing into one group at once both count; on PostgreSQL and SQL Server the second waits for the first's
/// commit on that row (decision 0028 on why that is acceptable).
/// </summary>
public sealed class FailureGroupCounter : SaveChangesInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, IDbContextTransaction> Opened = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && Changes(db) is { Count: > 0 } changes)
        {
            Begin(db);
            try
            {
                foreach (var statement in changes)
                {
                    db.Database.ExecuteSqlRaw(statement.Sql, statement.Parameters!);
                }
            }
            catch
            {
                // EF reports no failure for an exception raised here, before its own statements: roll back now, or
                // the next save of this context would find the broken transaction still open.
                RollBack(db);
                throw;
            }
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && Changes(db) is { Count: > 0 } changes)
        {
            if (db.Database.CurrentTransaction is null)
            {
                Opened.AddOrUpdate(db, await db.Database.BeginTransactionAsync(cancellationToken));
            }

            try
            {
                foreach (var statement in changes)
                {
                    await db.Database.ExecuteSqlRawAsync(statement.Sql, statement.Parameters!, cancellationToken);
                }
            }
            catch
            {
                RollBack(db);
                throw;
            }
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && Opened.TryGetValue(db, out var transaction))
        {
            Opened.Remove(db);
            using (transaction)
            {
                transaction.Commit();
            }
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && Opened.TryGetValue(db, out var transaction))
        {
            Opened.Remove(db);
            await using (transaction)
            {
                // Not the caller's token: EF's statements are done, and a commit abandoned half way is in doubt.
                await transaction.CommitAsync(CancellationToken.None);
            }
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => RollBack(eventData?.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        RollBack(eventData?.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => RollBack(eventData?.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        RollBack(eventData?.Context);
        return Task.CompletedTask;
    }

    private static void Begin(DbContext db)
    {
        if (db.Database.CurrentTransaction is null)
        {
            Opened.AddOrUpdate(db, db.Database.BeginTransaction());
        }
    }

    // Disposing an uncommitted transaction rolls it back; the caller sees SaveChanges' own exception, and the tracked
    // changes are as they were, so a retried save counts again from scratch.
    private static void RollBack(DbContext? db)
    {
        if (db is not null && Opened.TryGetValue(db, out var transaction))
        {
            Opened.Remove(db);
            transaction.Dispose();
        }
    }

    private sealed record Statement(string Sql, object?[] Parameters);

    /// <summary>The group statements this save needs, one per group, in fingerprint order so that two saves lock rows in the same order.</summary>
    private static List<Statement> Changes(DbContext db)
    {
        var failed = new List<WorkflowExecution>();
        var resolved = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in db.ChangeTracker.Entries<WorkflowExecution>())
        {
            var execution = entry.Entity;
            if (execution is not { Status: ExecutionStatus.Failed, FailureFingerprint: { } fingerprint })
            {
                continue;
            }

            if (entry.State == EntityState.Added
                || entry.State == EntityState.Modified && Original(entry, e => e.Status) != ExecutionStatus.Failed)
            {
                failed.Add(execution);
            }
            else if (entry.State == EntityState.Modified && execution.ResolvedAt is not null
                && Original(entry, e => e.ResolvedAt) is null)
            {
                resolved[fingerprint] = resolved.GetValueOrDefault(fingerprint) + 1;
            }
        }

        if (failed.Count == 0 && resolved.Count == 0)
        {
            return [];
        }

        var provider = db.Database.ProviderName ?? "";
        var statements = new List<(string Fingerprint, Statement Statement)>();
        foreach (var execution in failed)
        {
            statements.Add((execution.FailureFingerprint!, CountFailure(provider, execution)));
        }

        foreach (var (fingerprint, count) in resolved)
        {
            statements.Add((fingerprint, new Statement(
                "UPDATE \"FailureGroups\" SET \"UnresolvedCount\" = \"UnresolvedCount\" - {0} WHERE \"Fingerprint\" = {1} AND \"UnresolvedCount\" >= {0}",
                [count, fingerprint])));
        }

        return statements.OrderBy(s => s.Fingerprint, StringComparer.Ordinal).Select(s => s.Statement).ToList();
    }

    private static T Original<T>(EntityEntry<WorkflowExecution> entry, System.Linq.Expressions.Expression<Func<WorkflowExecution, T>> property) =>
        entry.Property(property).OriginalValue;

    /// <summary>
    /// One failure into its group: insert the group, or count it in. A Fixed group is reopened (back to New, with
    /// the time and a count of reopenings), so the triage list shows it again. Every SET reads the row as it was.
    /// </summary>
    private static Statement CountFailure(string provider, WorkflowExecution failure)
    {
        var seenAt = failure.FinishedAt ?? failure.ModifiedAt;
        object?[] parameters =
        [
            failure.FailureFingerprint!, failure.DefinitionKey, failure.FailedStepKey, failure.ErrorType,
            failure.ErrorMessage ?? "", seenAt, failure.ResolvedAt is null ? 1 : 0,
            DateTime.SpecifyKind(failure.CreatedAt.Date, DateTimeKind.Utc),
        ];
        const string Update = """
            "Count" = g."Count" + 1,
            "UnresolvedCount" = g."UnresolvedCount" + {6},
            "SampleMessage" = CASE WHEN {5} >= g."LastSeenAt" THEN {4} ELSE g."SampleMessage" END,
            "LastSeenAt" = CASE WHEN {5} > g."LastSeenAt" THEN {5} ELSE g."LastSeenAt" END,
            "FirstSeenAt" = CASE WHEN {5} < g."FirstSeenAt" THEN {5} ELSE g."FirstSeenAt" END,
            "ReopenedAt" = CASE WHEN g."TriageState" = 'Fixed' THEN {5} ELSE g."ReopenedAt" END,
            "ReopenCount" = g."ReopenCount" + CASE WHEN g."TriageState" = 'Fixed' THEN 1 ELSE 0 END,
            "TriageState" = CASE WHEN g."TriageState" = 'Fixed' THEN 'New' ELSE g."TriageState" END
            """;
        const string Columns = """
            "Fingerprint", "DefinitionKey", "StepKey", "ErrorType", "SampleMessage", "FirstSeenAt", "LastSeenAt",
            "Count", "UnresolvedCount", "TriageState", "ReopenCount"
            """;
        const string Values = "{0}, {1}, {2}, {3}, {4}, {5}, {5}, 1, {6}, 'New', 0";
        var sql = provider.Contains("SqlServer", StringComparison.Ordinal)
            // SQL Server has no ON CONFLICT: update under a key-range lock held to commit, so a concurrent first
            // failure of the same group waits here instead of inserting beside this one.
            ? $$"""
               UPDATE g SET {{Update}} FROM "FailureGroups" AS g WITH (UPDLOCK, SERIALIZABLE) WHERE g."Fingerprint" = {0};
               IF @@ROWCOUNT = 0 INSERT INTO "FailureGroups" ({{Columns}}) VALUES ({{Values}});
               """
            // PostgreSQL and SQLite (3.24+) share the upsert; "g" names the existing row in both.
            : $$"""
               INSERT INTO "FailureGroups" AS g ({{Columns}}) VALUES ({{Values}})
               ON CONFLICT ("Fingerprint") DO UPDATE SET {{Update}};
               """;
        return new Statement(sql + DayCount(provider), parameters);
    }

    // The group's count for the UTC day the failed execution was created ({7}, as the list's date filter and the recount), after the group row exists (the day row's key refers to it).
    private static string DayCount(string provider) => provider.Contains("SqlServer", StringComparison.Ordinal)
        ? """

          UPDATE d SET "Count" = d."Count" + 1 FROM "FailureGroupDays" AS d WITH (UPDLOCK, SERIALIZABLE) WHERE d."Fingerprint" = {0} AND d."Day" = {7};
          IF @@ROWCOUNT = 0 INSERT INTO "FailureGroupDays" ("Fingerprint", "Day", "Count") VALUES ({0}, {7}, 1);
          """
        : """

          INSERT INTO "FailureGroupDays" AS d ("Fingerprint", "Day", "Count") VALUES ({0}, {7}, 1)
          ON CONFLICT ("Fingerprint", "Day") DO UPDATE SET "Count" = d."Count" + 1;
          """;
}
