using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Bulk;

/// <summary>
/// The background job that works through a bulk re-run: batch by batch, each in a scope and a transaction of its
/// own, it creates the re-runs of the executions still pending, records each outcome on its item, saves progress
/// with the batch, and only then hands the new executions to the workers. The items are the checkpoint: a job
/// that dies loses at most its uncommitted batch, and the next delivery carries on with the items left.
/// </summary>
/// <remarks>
/// Hangfire must not retry it (a retry is just another delivery, which recovery already provides). Two deliveries
/// should not work side by side: the job holds the bulk re-run's claim in the queue's storage while it runs, and a
/// delivery that finds it taken leaves at once. That claim is only the cheap path, since a lock can expire and a
/// job can be delivered again while the first still runs; correctness rests on every batch being a compare-and-set
/// (each item must still be Pending, the bulk re-run must still carry the stamp the batch read), so a batch that
/// loses is rolled back whole and read again, and no item is ever re-run twice. The bulk re-run as a whole is the
/// audited action; the re-runs it creates are not audited one by one.
/// </remarks>
[AutomaticRetry(Attempts = 0)]
public sealed partial class BulkRerunJob(
    IServiceScopeFactory scopeFactory, BulkRerunJobs jobs, IExecutionDispatcher dispatcher, TimeProvider time, ILogger<BulkRerunJob> logger)
{
    /// <summary>Executions re-run per transaction: small enough to commit often, big enough to keep round trips few.</summary>
    public const int BatchSize = 50;

    // Conflicts in a row with no progress by anyone in between before the job gives up and leaves it to recovery.
    private const int MaxStalls = 3;

    [JobDisplayName("Bulk re-run {0}")]
    public async Task RunAsync(Guid bulkId, CancellationToken cancellationToken)
    {
        using var claim = jobs.TryClaim(bulkId);
        if (claim is null)
        {
            LogBusy(bulkId);
            return;
        }

        var batches = 0;
        int? progressAtLastConflict = null;
        var stalls = 0;
        while (true)
        {
            bool more;
            try
            {
                more = await RunBatchAsync(bulkId, cancellationToken);
                stalls = 0;
            }
            catch (DbUpdateException ex)
            {
                // Nothing of the batch was saved: another job saved these items first (the claim check refused
                // ours), or an admin's single re-run of one of them committed first (the unique index refused
                // ours). The next pass reads what is left and sees those re-runs, so it skips them in words. A
                // conflict with no progress anywhere since the last one, repeatedly, is a fault, not a race.
                var progress = await ProgressAsync(bulkId, cancellationToken);
                stalls = progress == progressAtLastConflict ? stalls + 1 : 0;
                progressAtLastConflict = progress;
                if (stalls >= MaxStalls)
                {
                    throw;
                }

                LogConflict(ex, bulkId);
                continue;
            }

            if (!more)
            {
                break;
            }

            batches++;
        }

        LogDone(bulkId, batches);
    }

    /// <summary>Processes the next batch; false when there is nothing (more) to do.</summary>
    private async Task<bool> RunBatchAsync(Guid bulkId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<Guid> created = [];
        bool more;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var bulk = await db.BulkReruns.SingleOrDefaultAsync(b => b.Id == bulkId, cancellationToken);
            if (bulk is null)
            {
                LogMissing(bulkId);
                return false;
            }

            if (StatusTransitions.IsFinal(bulk.Status))
            {
                return false;
            }

            var now = Now();
            if (bulk.Status == ExecutionStatus.Pending)
            {
                bulk.Start(now);
            }

            var items = await db.BulkRerunItems
                .Where(i => i.BulkRerunId == bulkId && i.Status == ExecutionStatus.Pending)
                .OrderBy(i => i.Ordinal)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            var existing = await LiveOrSuccessfulRerunsAsync(db, items, cancellationToken);
            var executions = scope.ServiceProvider.GetRequiredService<ExecutionService>();
            foreach (var item in items)
            {
                var (rerunId, error) = existing.TryGetValue(item.ExecutionId, out var earlier)
                    ? (null, $"Not re-run: it already has a re-run that is {earlier.Status} ({earlier.Id}).")
                    : await RerunAsync(executions, bulk, item, cancellationToken);
                bulk.Record(item, rerunId, error);
                if (rerunId is { } id)
                {
                    created.Add(id);
                }
            }

            // Finishing checks that every item was recorded, so counts and items that disagree fail the job
            // loudly rather than loop.
            more = items.Count > 0 && bulk.ProcessedCount < bulk.Total;
            if (!more)
            {
                bulk.Finish(Now());
            }

            await db.SaveChangesAsync(cancellationToken);
            foreach (var rerun in db.ChangeTracker.Entries<WorkflowExecution>().Select(e => e.Entity).Where(e => created.Contains(e.Id)))
            {
                WorkflowTelemetry.ExecutionCreated(rerun);
            }
        }

        foreach (var id in created)
        {
            await dispatcher.EnqueueOrLogAsync(id, logger, CancellationToken.None);
        }

        return more;
    }

    private async Task<int> ProgressAsync(Guid bulkId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().BulkReruns.AsNoTracking()
            .Where(b => b.Id == bulkId)
            .Select(b => b.SucceededCount + b.FailedCount)
            .SingleAsync(cancellationToken);
    }

    /// <summary>Per original in the batch, one re-run that is pending, running or succeeded: the duplicate guard's evidence.</summary>
    private static async Task<Dictionary<Guid, (Guid Id, ExecutionStatus Status)>> LiveOrSuccessfulRerunsAsync(
        AppDbContext db, List<BulkRerunItem> items, CancellationToken cancellationToken)
    {
        var originals = items.Select(i => (Guid?)i.ExecutionId).ToList();
        var reruns = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => originals.Contains(e.RerunOfId)
                        && (e.Status == ExecutionStatus.Pending || e.Status == ExecutionStatus.Running || e.Status == ExecutionStatus.Succeeded))
            .Select(e => new { Original = e.RerunOfId!.Value, e.Id, e.Status, e.CreatedAt })
            .ToListAsync(cancellationToken);
        return reruns.GroupBy(r => r.Original)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.CreatedAt).Select(r => (r.Id, r.Status)).First());
    }

    private static async Task<(Guid? RerunId, string? Error)> RerunAsync(
        ExecutionService executions, BulkRerun bulk, BulkRerunItem item, CancellationToken cancellationToken)
    {
        try
        {
            var (_, rerun) = await executions.PrepareRerunAsync(
                item.ExecutionId, bulk.Mode, null, bulk.RequestedBy, bulk.Reason, exclusive: true, cancellationToken);
            return (rerun.Id, null);
        }
        catch (Exception ex) when (ex is ExecutionStateException or ExecutionNotFoundException or InputValidationException or UnknownWorkflowException)
        {
            // Refused for this execution alone (not Failed or Cancelled, or its input no longer fits the workflow):
            // the item says why, and the bulk re-run goes on with the others.
            return (null, ex.Message);
        }
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk re-run {BulkRerunId} is being worked on by another job; this delivery leaves it to that one.")]
    private partial void LogBusy(Guid bulkRerunId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk re-run {BulkRerunId}: a batch was refused by a concurrent change and is read again.")]
    private partial void LogConflict(Exception exception, Guid bulkRerunId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk re-run {BulkRerunId}: {Batches} batch(es) processed; nothing is left.")]
    private partial void LogDone(Guid bulkRerunId, int batches);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk re-run {BulkRerunId} does not exist; nothing to do.")]
    private partial void LogMissing(Guid bulkRerunId);
}
