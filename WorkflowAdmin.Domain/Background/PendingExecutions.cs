using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Background;

/// <summary>
/// The executions table is the queue (decision 0019): a committed Pending execution is queued, and worker nodes
/// take it from the table with a compare-and-set reservation. A reservation writes the time on the Pending row
/// (<see cref="WorkflowExecution.HeartbeatAt"/>) and holds it for <see cref="BackgroundOptions.PendingGrace"/>, long
/// enough for the reserving worker's runner to claim it (Pending to Running under the concurrency stamp, as
/// before); a worker that dies in between leaves a reservation that lapses, and any worker takes the execution
/// again. Two reservations of one execution are harmless: the runner's claim lets exactly one run.
/// Handing an execution over (<see cref="EnqueueAsync"/>) only wakes this node's workers; other nodes find it at
/// their next poll.
/// </summary>
public sealed class PendingExecutions(
    IDbContextFactory<AppDbContext> dbFactory, DatabaseOptions database, TimeProvider time, IOptions<BackgroundOptions> options)
    : IExecutionDispatcher, IDisposable
{
    // At most one wake-up is remembered: the workers read the table, so several signals ask for the same thing.
    private readonly SemaphoreSlim signal = new(0, 1);

    public Task EnqueueAsync(Guid executionId, CancellationToken cancellationToken)
    {
        Wake();
        return Task.CompletedTask;
    }

    /// <summary>Wakes a worker loop waiting in <see cref="WaitAsync"/> on this node.</summary>
    public void Wake()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending; one is enough.
        }
    }

    /// <summary>Waits until <see cref="Wake"/> is called on this node or the poll interval has passed.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) =>
        await signal.WaitAsync(options.Value.PollInterval, cancellationToken);

    public void Dispose() => signal.Dispose();

    /// <summary>
    /// Reserves up to <paramref name="max"/> Pending executions, oldest first, that no worker holds a live reservation
    /// on; returns their ids. Each id is reserved by this call alone, even with many callers on many nodes.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ReserveAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var now = time.GetUtcNow().UtcDateTime;
        var lapsed = now - options.Value.PendingGrace;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return database.Provider == DatabaseProvider.PostgreSql
            ? await ReservePostgreSqlAsync(db, max, now, lapsed, cancellationToken)
            : await ReserveOneByOneAsync(db, max, now, lapsed, cancellationToken);
    }

    // One round trip: rows another worker is reserving right now are skipped rather than waited for, so concurrent
    // workers take disjoint sets instead of queueing behind each other's locks.
    private static async Task<IReadOnlyList<Guid>> ReservePostgreSqlAsync(
        AppDbContext db, int max, DateTime now, DateTime lapsed, CancellationToken cancellationToken)
    {
        var pending = nameof(ExecutionStatus.Pending);
        return await db.Database.SqlQuery<Guid>($"""
            UPDATE "WorkflowExecutions" SET "HeartbeatAt" = {now}
            WHERE "Id" IN (
                SELECT "Id" FROM "WorkflowExecutions"
                WHERE "Status" = {pending} AND ("HeartbeatAt" IS NULL OR "HeartbeatAt" < {lapsed})
                ORDER BY "CreatedAt"
                LIMIT {max}
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id" AS "Value"
            """).ToListAsync(cancellationToken);
    }

    // Portable: read candidates, then take each with a compare-and-set on its reservation. SQLite has one writer
    // anyway; on SQL Server two nodes may read the same candidates, and the loser of each row simply moves on.
    private static async Task<IReadOnlyList<Guid>> ReserveOneByOneAsync(
        AppDbContext db, int max, DateTime now, DateTime lapsed, CancellationToken cancellationToken)
    {
        var candidates = await Reservable(db.WorkflowExecutions.AsNoTracking(), lapsed)
            .OrderBy(e => e.CreatedAt)
            .Select(e => e.Id)
            .Take(max)
            .ToListAsync(cancellationToken);
        var reserved = new List<Guid>(candidates.Count);
        foreach (var id in candidates)
        {
            var taken = await Reservable(db.WorkflowExecutions.Where(e => e.Id == id), lapsed)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.HeartbeatAt, now), cancellationToken);
            if (taken == 1)
            {
                reserved.Add(id);
            }
        }

        return reserved;
    }

    private static IQueryable<WorkflowExecution> Reservable(IQueryable<WorkflowExecution> executions, DateTime lapsed) =>
        executions.Where(e => e.Status == ExecutionStatus.Pending && (e.HeartbeatAt == null || e.HeartbeatAt < lapsed));
}
