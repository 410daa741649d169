using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Background;

/// <summary>
/// Finds executions that nothing is going to run and hands them to a worker again. The database, not the queue, is
/// the source of truth: a Pending execution whose job is gone (the queue was in memory and the process restarted,
/// or the process died between commit and enqueue) is queued again, and a Running execution whose worker stopped
/// sending heartbeats is taken back and resumed from its unfinished step. Safe to run on several nodes at once:
/// taking back is guarded by the concurrency stamp, and a duplicate job is refused by the runner's claim.
/// </summary>
public sealed partial class ExecutionRecovery(
    IDbContextFactory<AppDbContext> dbFactory,
    IExecutionDispatcher dispatcher,
    TimeProvider time,
    IOptions<WorkflowEngineOptions> engineOptions,
    IOptions<BackgroundOptions> backgroundOptions,
    ILogger<ExecutionRecovery> logger)
{
    private const int BatchSize = 200;

    public async Task<RecoveryReport> SweepAsync(CancellationToken cancellationToken)
    {
        var released = 0;
        var failed = 0;
        var requeued = 0;
        var now = time.GetUtcNow().UtcDateTime;
        var deadline = now - engineOptions.Value.Lease;

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var lost = await db.WorkflowExecutions.AsNoTracking()
                .Where(e => e.Status == ExecutionStatus.Running && (e.HeartbeatAt == null || e.HeartbeatAt < deadline))
                .OrderBy(e => e.ModifiedAt)
                .Select(e => e.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var id in lost)
            {
                switch (await TakeBackAsync(id, deadline, now, cancellationToken))
                {
                    case true:
                        released++;
                        await EnqueueAsync(id, cancellationToken);
                        break;
                    case false:
                        failed++;
                        break;
                }
            }
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var settled = now - backgroundOptions.Value.PendingGrace;
            var waiting = await db.WorkflowExecutions.AsNoTracking()
                .Where(e => e.Status == ExecutionStatus.Pending && e.ModifiedAt < settled)
                .OrderBy(e => e.ModifiedAt)
                .Select(e => new { e.Id, e.JobId })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var execution in waiting.Where(e => !dispatcher.IsAlive(e.JobId)))
            {
                await EnqueueAsync(execution.Id, cancellationToken);
                requeued++;
            }
        }

        WorkflowTelemetry.Recovered("requeued", requeued);
        var report = new RecoveryReport(released, failed, requeued);
        if (report.Any)
        {
            LogSwept(released, failed, requeued);
        }

        return report;
    }

    /// <summary>Releases a lost execution for another run (true), fails it after too many recoveries (false), or leaves it (null).</summary>
    private async Task<bool?> TakeBackAsync(Guid id, DateTime deadline, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var execution = await db.WorkflowExecutions
            .Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .AsSplitQuery()
            .SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (execution is not { Status: ExecutionStatus.Running } || execution.HeartbeatAt >= deadline)
        {
            return null;
        }

        bool released;
        if (execution.RecoveryCount >= engineOptions.Value.MaxRecoveries)
        {
            var step = execution.Steps.OrderBy(s => s.Ordinal).FirstOrDefault(s => s.Status != ExecutionStatus.Succeeded);
            var error = new ErrorInfo(
                ErrorInfo.WorkerLostType,
                $"The worker stopped responding {execution.RecoveryCount + 1} times while running this execution; it was failed rather than resumed again.",
                null);
            if (step?.Attempts.Any(a => a.Status == ExecutionStatus.Running) == true)
            {
                step.FailAttempt(error, isFinal: true, now);
            }

            execution.FailAfterLostWorker(step?.StepKey, error, now);
            released = false;
        }
        else
        {
            execution.ReleaseFromLostWorker(deadline, now);
            released = true;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another node took it back first, or its runner finished just now: either way, not ours to touch.
            return null;
        }

        LogTakenBack(id, released ? "resumed" : "failed");
        WorkflowTelemetry.Recovered(released ? "resumed" : "failed");
        if (!released)
        {
            WorkflowTelemetry.ExecutionFinished(execution.DefinitionKey, ExecutionStatus.Failed);
        }

        return released;
    }

    private async Task EnqueueAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await dispatcher.EnqueueAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next sweep tries again: the execution is Pending with no live job.
            LogEnqueueFailed(ex, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: {Released} lost executions resumed, {Failed} failed after repeated losses, {Requeued} pending executions queued again.")]
    private partial void LogSwept(int released, int failed, int requeued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} had lost its worker and was {What}.")]
    private partial void LogTakenBack(Guid executionId, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} could not be queued; the next sweep tries again.")]
    private partial void LogEnqueueFailed(Exception exception, Guid executionId);
}

public sealed record RecoveryReport(int Resumed, int Failed, int Requeued)
{
    public bool Any => Resumed + Failed + Requeued > 0;
}
