using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Rollups;

/// <summary>
/// Execution counts kept current as executions are created and change status (decision 0027): every save that adds
/// an execution or moves one to another <see cref="RollupKey"/> inserts <see cref="ExecutionCountDelta"/> rows in
/// the same transaction; <see cref="RollupFolder"/> folds them into <see cref="ExecutionCount"/>; readers sum both.
/// </summary>
public static class ExecutionRollups
{
    /// <summary>
    /// Adds the deltas for the executions this save changes and returns them, so that the caller can detach them
    /// again whatever the save's outcome (a failed save that is retried must not write them twice).
    /// </summary>
    public static IReadOnlyList<ExecutionCountDelta> TrackChanges(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.ChangeTracker.AutoDetectChangesEnabled)
        {
            db.ChangeTracker.DetectChanges();
        }

        Dictionary<RollupKey, int>? changes = null;
        foreach (var entry in db.ChangeTracker.Entries<WorkflowExecution>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    Count(ref changes, KeyOf(entry.CurrentValues), +1);
                    break;
                case EntityState.Deleted:
                    Count(ref changes, KeyOf(entry.OriginalValues), -1);
                    break;
                case EntityState.Modified:
                    var before = KeyOf(entry.OriginalValues);
                    var after = KeyOf(entry.CurrentValues);
                    if (before != after)
                    {
                        Count(ref changes, before, -1);
                        Count(ref changes, after, +1);
                    }

                    break;
            }
        }

        if (changes is null)
        {
            return [];
        }

        var deltas = changes.Where(c => c.Value != 0).Select(c => ExecutionCountDelta.Create(c.Key, c.Value)).ToList();
        db.Set<ExecutionCountDelta>().AddRange(deltas);
        return deltas;
    }

    /// <summary>Stops tracking deltas added by <see cref="TrackChanges"/>, written or not.</summary>
    public static void Untrack(AppDbContext db, IReadOnlyList<ExecutionCountDelta> deltas)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(deltas);
        foreach (var delta in deltas)
        {
            db.Entry(delta).State = EntityState.Detached;
        }
    }

    /// <summary>
    /// Every count in [<paramref name="from"/>, <paramref name="to"/>) (creation hours), folded or not, as one
    /// query: a single statement reads both tables at one moment, so a fold running meanwhile is seen entirely or
    /// not at all on PostgreSQL and SQLite. Several rows may share a key; sum them.
    /// </summary>
    public static IQueryable<RollupRow> Between(AppDbContext db, DateTime from, DateTime to)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<ExecutionCount>()
            .Where(c => c.CreatedHour >= from && c.CreatedHour < to)
            .Select(c => new RollupRow
            {
                CreatedHour = c.CreatedHour,
                DefinitionKey = c.DefinitionKey,
                Status = c.Status,
                Resolved = c.Resolved,
                FailedStepKey = c.FailedStepKey,
                ErrorType = c.ErrorType,
                Count = c.Count,
            })
            .Concat(db.Set<ExecutionCountDelta>()
                .Where(d => d.CreatedHour >= from && d.CreatedHour < to)
                .Select(d => new RollupRow
                {
                    CreatedHour = d.CreatedHour,
                    DefinitionKey = d.DefinitionKey,
                    Status = d.Status,
                    Resolved = d.Resolved,
                    FailedStepKey = d.FailedStepKey,
                    ErrorType = d.ErrorType,
                    Count = (long)d.Delta,
                }));
    }

    /// <summary>All counts, folded and unfolded, summed per key; keys whose count is zero are left out.</summary>
    public static async Task<Dictionary<RollupKey, long>> ReadAllAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var rows = await Between(db, DateTime.MinValue, DateTime.MaxValue)
            .GroupBy(r => new { r.CreatedHour, r.DefinitionKey, r.Status, r.Resolved, r.FailedStepKey, r.ErrorType })
            .Select(g => new { g.Key, Count = g.Sum(r => r.Count) })
            .ToListAsync(cancellationToken);
        return rows
            .Where(r => r.Count != 0)
            .ToDictionary(
                r => new RollupKey(DateTime.SpecifyKind(r.Key.CreatedHour, DateTimeKind.Utc), r.Key.DefinitionKey, r.Key.Status, r.Key.Resolved, r.Key.FailedStepKey, r.Key.ErrorType),
                r => r.Count);
    }

    /// <summary>
    /// Counts the executions themselves, row by row (streamed, key columns only): the truth the rollups must equal.
    /// This reads the whole table; it is for <c>rollups verify</c>, the seed's tests and the benchmark, never a page.
    /// </summary>
    public static async Task<Dictionary<RollupKey, long>> RecountAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counts = new Dictionary<RollupKey, long>();
        var rows = db.WorkflowExecutions.AsNoTracking()
            .Select(e => new { e.CreatedAt, e.DefinitionKey, e.Status, e.ResolvedAt, e.FailedStepKey, e.ErrorType })
            .AsAsyncEnumerable();
        await foreach (var e in rows.WithCancellation(cancellationToken))
        {
            var key = RollupKey.Of(e.CreatedAt, e.DefinitionKey, e.Status, e.ResolvedAt, e.FailedStepKey, e.ErrorType);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    /// <summary>Compares the rollups with a recount; an empty list means they agree.</summary>
    public static async Task<IReadOnlyList<RollupMismatch>> VerifyAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var expected = await RecountAsync(db, cancellationToken);
        var actual = await ReadAllAsync(db, cancellationToken);
        return expected.Keys.Union(actual.Keys)
            .Select(k => new RollupMismatch(k, expected.GetValueOrDefault(k), actual.GetValueOrDefault(k)))
            .Where(m => m.Expected != m.Actual)
            .OrderBy(m => m.Key.CreatedHour)
            .ThenBy(m => m.Key.DefinitionKey, StringComparer.Ordinal)
            .ThenBy(m => m.Key.Status)
            .ToList();
    }

    /// <summary>One delta per key adding <paramref name="counts"/> to the rollups (the seed's bulk path).</summary>
    public static IReadOnlyList<ExecutionCountDelta> DeltasFor(IReadOnlyDictionary<RollupKey, long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.Where(c => c.Value != 0).Select(c => ExecutionCountDelta.Create(c.Key, checked((int)c.Value))).ToList();
    }

    private static void Count(ref Dictionary<RollupKey, int>? changes, RollupKey key, int delta)
    {
        changes ??= [];
        changes[key] = changes.GetValueOrDefault(key) + delta;
    }

    private static RollupKey KeyOf(PropertyValues values) => RollupKey.Of(
        values.GetValue<DateTime>(nameof(WorkflowExecution.CreatedAt)),
        values.GetValue<string>(nameof(WorkflowExecution.DefinitionKey)),
        values.GetValue<ExecutionStatus>(nameof(WorkflowExecution.Status)),
        values.GetValue<DateTime?>(nameof(WorkflowExecution.ResolvedAt)),
        values.GetValue<string?>(nameof(WorkflowExecution.FailedStepKey)),
        values.GetValue<string?>(nameof(WorkflowExecution.ErrorType)));
}

/// <summary>One count row of <see cref="ExecutionRollups.Between"/>, folded or a delta.</summary>
public sealed class RollupRow
{
    public DateTime CreatedHour { get; init; }

    public string DefinitionKey { get; init; } = "";

    public ExecutionStatus Status { get; init; }

    public bool Resolved { get; init; }

    public string FailedStepKey { get; init; } = "";

    public string ErrorType { get; init; } = "";

    public long Count { get; init; }
}

public sealed record RollupMismatch(RollupKey Key, long Expected, long Actual);
