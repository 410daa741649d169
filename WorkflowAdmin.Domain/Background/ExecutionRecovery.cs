using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Background;

/// <summary>
/// Takes back Running executions whose worker stopped sending heartbeats, to be resumed from their unfinished step.
/// Pending executions need nothing: the table is the queue (decision 0019), so a Pending row is run whatever
/// happened to the process that created it, and a reservation whose worker died lapses by itself. Safe to run on
/// several nodes at once: taking back is guarded by the concurrency stamp, and the runner's claim lets one run.
/// </summary>
public sealed partial class ExecutionRecovery(
    IDbContextFactory<AppDbContext> dbFactory,
    IExecutionDispatcher dispatcher,
    TimeProvider time,
    IOptions<WorkflowEngineOptions> engineOptions,
    ILogger<ExecutionRecovery> logger)
{
    private const int BatchSize = 200;

    public async Task<RecoveryReport> SweepAsync(CancellationToken cancellationToken)
    {
        var released = 0;
        var failed = 0;
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
                        await dispatcher.EnqueueOrLogAsync(id, logger, cancellationToken);
                        break;
                    case false:
                        failed++;
                        break;
                }
            }
        }

        var report = new RecoveryReport(released, failed);
        if (report.Any)
        {
            LogSwept(released, failed);
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
        WorkflowTelemetry.Recovered(execution.DefinitionKey, released ? "resumed" : "failed");
        if (!released)
        {
            WorkflowTelemetry.ExecutionFinished(execution.DefinitionKey, ExecutionStatus.Failed);
        }

        return released;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: {Released} lost executions resumed, {Failed} failed after repeated losses.")]
    private partial void LogSwept(int released, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} had lost its worker and was {What}.")]
    private partial void LogTakenBack(Guid executionId, string what);
}

public sealed record RecoveryReport(int Resumed, int Failed)
{
    public bool Any => Resumed + Failed > 0;
}
