using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Failures;

/// <summary>
/// The <c>failures backfill</c> command (decision 0028): gives every failure recorded without a fingerprint its
/// fingerprint, then counts every group again from the executions. A command rather than a migration because the
/// normaliser is C# (regular expressions no provider's SQL shares); it is safe to run again at any time and is the
/// repair for counts that drifted. Run it with the workers stopped: a failure counted by a worker while the recount
/// reads can be counted twice or not at all until the next run.
/// </summary>
public sealed class FailureGroupBackfill(AppDbContext db)
{
    public const int DefaultBatchSize = 5000;

    public async Task<BackfillResult> RunAsync(int batchSize, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var stopwatch = Stopwatch.StartNew();
        var fingerprinted = await FingerprintAsync(batchSize, progress, cancellationToken);
        var groups = await RecountAsync(cancellationToken);
        return new BackfillResult(fingerprinted, groups, stopwatch.Elapsed);
    }

    /// <summary>
    /// Failed executions without a fingerprint, oldest first over the (Status, CreatedAt) index, a batch at a time;
    /// each batch is written as one UPDATE per fingerprint. Rows of a batch's last instant are read again by the next
    /// batch's range, but no longer match once written, so the walk needs no tie-breaker.
    /// </summary>
    private async Task<long> FingerprintAsync(int batchSize, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        long done = 0;
        var from = DateTime.MinValue;
        while (true)
        {
            var batch = await db.WorkflowExecutions.AsNoTracking()
                .Where(e => e.Status == ExecutionStatus.Failed && e.CreatedAt >= from && e.FailureFingerprint == null)
                .OrderBy(e => e.CreatedAt)
                .Take(batchSize)
                .Select(e => new { e.Id, e.CreatedAt, e.DefinitionKey, e.FailedStepKey, e.ErrorType, e.ErrorMessage })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return done;
            }

            foreach (var group in batch.GroupBy(e => FailureFingerprint.Compute(e.DefinitionKey, e.FailedStepKey, e.ErrorType, e.ErrorMessage)))
            {
                var ids = group.Select(e => e.Id).ToList();
                await db.WorkflowExecutions
                    .Where(e => ids.Contains(e.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailureFingerprint, group.Key), cancellationToken);
            }

            done += batch.Count;
            progress?.Report((int)Math.Min(done, int.MaxValue));
            from = batch[^1].CreatedAt;
        }
    }

    /// <summary>Counts, first and last seen, the latest message and the per-day counts of every group, from the executions.</summary>
    private async Task<int> RecountAsync(CancellationToken cancellationToken)
    {
        var counted = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.FailureFingerprint != null)
            .GroupBy(e => e.FailureFingerprint!)
            .Select(g => new
            {
                Fingerprint = g.Key,
                Count = g.Count(),
                Unresolved = g.Count(e => e.ResolvedAt == null),
                First = g.Min(e => e.FinishedAt ?? e.CreatedAt),
                Last = g.Max(e => e.FinishedAt ?? e.CreatedAt),
            })
            .ToListAsync(cancellationToken);
        var groups = await db.FailureGroups.ToDictionaryAsync(g => g.Fingerprint, StringComparer.Ordinal, cancellationToken);
        foreach (var count in counted)
        {
            var latest = await db.WorkflowExecutions.AsNoTracking()
                .Where(e => e.FailureFingerprint == count.Fingerprint)
                .OrderByDescending(e => e.CreatedAt)
                .Select(e => new { e.DefinitionKey, e.FailedStepKey, e.ErrorType, e.ErrorMessage })
                .FirstAsync(cancellationToken);
            if (!groups.TryGetValue(count.Fingerprint, out var group))
            {
                group = FailureGroup.Open(count.Fingerprint, latest.DefinitionKey, latest.FailedStepKey, latest.ErrorType, latest.ErrorMessage ?? "", count.First, unresolved: false);
                db.FailureGroups.Add(group);
            }

            group.Recount(count.Count, count.Unresolved, count.First, count.Last, latest.ErrorMessage ?? "");
        }

        // Groups whose failures are all gone keep their triage but count nothing.
        foreach (var stale in groups.Values.Where(g => counted.TrueForAll(c => c.Fingerprint != g.Fingerprint)))
        {
            stale.Recount(0, 0, stale.FirstSeenAt, stale.LastSeenAt, stale.SampleMessage);
        }

        await db.SaveChangesAsync(cancellationToken);
        await RecountDaysAsync(cancellationToken);
        return counted.Count;
    }

    // Days are counted by the failure's creation day (what the executions list's date filter uses): the trend and
    // a click from it into the list agree. Grouping by a date in SQL differs per provider, so the days are counted
    // here from the (FailureFingerprint, CreatedAt, Id) index, which holds both columns.
    private async Task RecountDaysAsync(CancellationToken cancellationToken)
    {
        await db.FailureGroupDays.ExecuteDeleteAsync(cancellationToken);
        var days = new Dictionary<(string, DateTime), int>();
        await foreach (var row in db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.FailureFingerprint != null)
            .Select(e => new { e.FailureFingerprint, e.CreatedAt })
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var key = (row.FailureFingerprint!, row.CreatedAt.Date);
            days[key] = days.GetValueOrDefault(key) + 1;
        }

        foreach (var chunk in days.Chunk(1000))
        {
            db.FailureGroupDays.AddRange(chunk.Select(d => FailureGroupDay.For(d.Key.Item1, d.Key.Item2, d.Value)));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }
}

public sealed record BackfillResult(long Fingerprinted, int Groups, TimeSpan Elapsed);
