using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Operations;

/// <summary>
/// Keeps this node's row in <c>Nodes</c> current: written at start-up and every <see cref="OperationsOptions.HeartbeatInterval"/>
/// with the busy worker count, removed on a graceful stop. Each beat also prunes rows silent for longer than
/// <see cref="OperationsOptions.NodeRetention"/> (nodes that died); the table holds a handful of rows, so every node
/// doing it is cheaper than electing one.
/// </summary>
internal sealed partial class NodeHeartbeatService(
    IDbContextFactory<AppDbContext> dbFactory,
    CurrentNode node,
    TimeProvider time,
    IOptions<OperationsOptions> options,
    ILogger<NodeHeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is DbException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                // The database is briefly away: readiness turns false after three missed beats, the next beat tries again.
                LogBeatFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Nodes.Where(n => n.Id == node.Id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or OperationCanceledException)
        {
            // The row ages out like a crashed node's; nothing else depends on it.
            LogGoodbyeFailed(ex);
        }
    }

    internal async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Nodes.SingleOrDefaultAsync(n => n.Id == node.Id, cancellationToken);
        if (row is null)
        {
            // First beat, or the row was pruned while this node could not reach the database for a long time.
            row = Node.Start(node.Id, node.Name, node.Role, CurrentNode.BuildVersion, node.WorkerCount, node.StartedAt);
            db.Nodes.Add(row);
        }

        row.Beat(node.BusyWorkers, now);
        await db.SaveChangesAsync(cancellationToken);
        node.Beaten(now);

        var silentSince = now - options.Value.NodeRetention;
        await db.Nodes.Where(n => n.HeartbeatAt < silentSince).ExecuteDeleteAsync(cancellationToken);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The node heartbeat could not be written; the next one is tried at the usual time.")]
    private partial void LogBeatFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "This node's row could not be removed at shutdown; it is pruned once it is old.")]
    private partial void LogGoodbyeFailed(Exception exception);
}
