using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Hosting;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Operations;

/// <summary>The node's own row in Nodes: written, kept current, pruned when old, removed on a graceful stop; and readiness from it.</summary>
public sealed class NodeHeartbeatTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    private readonly TestServices services = TestServices.Create(database);

    public Task InitializeAsync() => database.ResetAsync();

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Beats_keep_the_row_current_prune_silent_nodes_and_a_stop_removes_the_row()
    {
        var node = services.GetRequiredService<CurrentNode>();
        var options = services.GetRequiredService<IOptions<OperationsOptions>>().Value;
        using var heartbeat = ActivatorUtilities.CreateInstance<NodeHeartbeatService>(services.Provider);
        await using (var db = database.CreateDbContext())
        {
            var dead = Node.Start(Guid.NewGuid(), "gone:1", NodeRole.Worker, "0.9", 4, services.Time.GetUtcNow().UtcDateTime);
            db.Nodes.Add(dead);
            await db.SaveChangesAsync();
        }

        await heartbeat.BeatAsync(default);
        var firstBeat = services.Time.GetUtcNow().UtcDateTime;
        using (node.Working())
        {
            services.Time.Advance(options.NodeRetention);
            await heartbeat.BeatAsync(default);
        }

        await using (var db = database.CreateDbContext())
        {
            // The silent node's row is gone; ours holds its start, its latest beat and the busy worker.
            var row = Assert.Single(await db.Nodes.ToListAsync());
            Assert.Equal((node.Id, node.Name, NodeRole.All, node.WorkerCount, 1), (row.Id, row.Name, row.Role, row.WorkerCount, row.BusyWorkers));
            Assert.Equal(node.StartedAt, row.StartedAt, TimeSpan.FromMilliseconds(1));
            Assert.True(row.HeartbeatAt > firstBeat);
            Assert.Equal(CurrentNode.BuildVersion, row.Version);
        }

        await heartbeat.StopAsync(default);
        await using (var db = database.CreateDbContext())
        {
            Assert.Empty(await db.Nodes.ToListAsync());
        }
    }

    [Fact]
    public async Task A_node_with_workers_is_ready_only_while_its_heartbeat_is_recent()
    {
        var node = services.GetRequiredService<CurrentNode>();
        var options = services.GetRequiredService<IOptions<OperationsOptions>>();
        var check = new HeartbeatHealthCheck(node, services.Time, options);
        Assert.True(node.WorkerCount > 0);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        using var heartbeat = ActivatorUtilities.CreateInstance<NodeHeartbeatService>(services.Provider);
        await heartbeat.BeatAsync(default);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        services.Time.Advance(options.Value.StaleAfter + TimeSpan.FromSeconds(1));
        var stale = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, stale.Status);
        Assert.Equal("No worker heartbeat written in the last 15 s.", stale.Description);
    }
}
