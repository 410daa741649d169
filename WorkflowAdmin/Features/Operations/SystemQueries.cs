using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Operations;

namespace WorkflowAdmin.Features.Operations;

/// <summary>The System page's reads: a handful of node rows, the shared queue figures and two indexed counts.</summary>
public static class SystemQueries
{
    public static async Task<SystemSnapshot> LoadAsync(
        AppDbContext db, QueueGauges queue, DatabaseOptions database, OperationsOptions options, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        var lostBefore = now - options.StaleAfter;
        var nodes = await db.Nodes.AsNoTracking()
            .OrderBy(n => n.Role).ThenBy(n => n.Name)
            .Select(n => new NodeRow(n.Id, n.Name, n.Role, n.Version, n.StartedAt, n.HeartbeatAt, n.WorkerCount, n.BusyWorkers, n.HeartbeatAt < lostBefore))
            .ToListAsync(cancellationToken);
        var dayAgo = now.AddHours(-24);
        var recoveries = await db.WorkflowExecutions.AsNoTracking().CountAsync(e => e.LastRecoveredAt >= dayAgo, cancellationToken);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var pending = db.Database.GetMigrations().Except(applied).Count();
        return new SystemSnapshot(
            now, nodes, await queue.GetAsync(cancellationToken), recoveries, database.Provider, applied.LastOrDefault(), pending);
    }
}
