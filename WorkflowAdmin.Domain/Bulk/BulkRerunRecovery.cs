using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Bulk;

/// <summary>
/// Queues again every unfinished bulk re-run that no job is waiting for or working on: one whose job was lost with
/// an in-memory queue in a restart, failed half-way (the database went away), or was never queued because the
/// process died right after the commit. The new job carries on with the items left. Runs beside
/// <see cref="ExecutionRecovery"/>, on the same schedule; a duplicate job it might queue is harmless, because only
/// one job at a time may work on a bulk re-run.
/// </summary>
public sealed partial class BulkRerunRecovery(
    IDbContextFactory<AppDbContext> dbFactory,
    BulkRerunJobs jobs,
    TimeProvider time,
    IOptions<BackgroundOptions> backgroundOptions,
    ILogger<BulkRerunRecovery> logger)
{
    private const int BatchSize = 100;

    /// <summary>Returns how many bulk re-runs were queued again.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        // A bulk re-run younger than the grace may still be between its commit and its enqueue.
        var settled = time.GetUtcNow().UtcDateTime - backgroundOptions.Value.PendingGrace;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = await db.BulkReruns.AsNoTracking()
            .Where(b => (b.Status == ExecutionStatus.Pending || b.Status == ExecutionStatus.Running) && b.CreatedAt < settled)
            .OrderBy(b => b.CreatedAt)
            .Select(b => b.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var requeued = 0;
        foreach (var id in open.Where(id => !jobs.HasLiveJob(id)))
        {
            try
            {
                jobs.Enqueue(id);
                requeued++;
                LogRequeued(id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogEnqueueFailed(ex, id);
            }
        }

        return requeued;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk re-run {BulkRerunId} had no live job and was queued again.")]
    private partial void LogRequeued(Guid bulkRerunId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk re-run {BulkRerunId} could not be queued; the next sweep tries again.")]
    private partial void LogEnqueueFailed(Exception exception, Guid bulkRerunId);
}
