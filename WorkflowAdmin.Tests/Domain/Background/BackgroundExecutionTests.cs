using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Background;

/// <summary>The queue end to end: real worker nodes in-process, taking executions from the executions table.</summary>
public abstract class BackgroundExecutionTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"bg"}}""";

    // A queue schema per test class instance: tests of the two providers run in parallel and must not share jobs.
    private readonly string queueSchema = $"hangfire_{Guid.NewGuid():N}"[..24];

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_triggered_execution_is_run_by_a_background_job_and_succeeds()
    {
        await using var node = await BackgroundNode.StartAsync(database, NodeRole.All, queueSchema);

        var id = await node.TriggerAsync(Input);

        var execution = await node.WaitUntilFinishedAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.All(execution.Steps, s => Assert.Equal(1, s.AttemptCount));
        Assert.Null(execution.CurrentStepKey);
    }

    [Fact]
    public async Task A_node_keeps_queueing_after_another_node_in_the_same_process_stops()
    {
        // Hangfire keeps its log provider in a static: the node that stopped must not take the survivor's logging
        // (and with it every new Hangfire client) down with it.
        await using var survivor = await BackgroundNode.StartAsync(database, NodeRole.All, queueSchema);
        var other = await BackgroundNode.StartAsync(database, NodeRole.All, queueSchema[..^1] + "x");
        await other.DisposeAsync();

        var id = await survivor.TriggerAsync(Input);

        Assert.Equal(ExecutionStatus.Succeeded, (await survivor.WaitUntilFinishedAsync(id)).Status);
    }

    [Fact]
    public async Task Two_nodes_draining_one_queue_run_every_execution_exactly_once()
    {
        // Both nodes (on SQLite too: one file, one process) reserve from the same table while the executions are
        // queued, so their reservations race for the same rows.
        var probe = new StepProbe();
        await using var first = await BackgroundNode.StartAsync(database, NodeRole.All, queueSchema, probe);
        await using var second = await BackgroundNode.StartAsync(database, NodeRole.All, queueSchema[..^1] + "y", probe);
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await (i % 2 == 0 ? first : second).TriggerAsync(Input.Replace("\"bg\"", $"\"bg-{i}\"", StringComparison.Ordinal)));
        }

        foreach (var id in ids)
        {
            var execution = await first.WaitUntilFinishedAsync(id);
            Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
            Assert.All(execution.Steps, s => Assert.Single(s.Attempts));
        }

        Assert.Equal(ids.Count, probe.Calls("add"));
        Assert.Equal(ids.Count, probe.Calls("square"));
    }

    [Fact]
    public async Task A_pending_execution_created_where_no_worker_runs_is_run_by_a_node_started_later()
    {
        // The process that created the execution had no workers and told none: only the row exists.
        Guid id;
        await using (var services = TestServices.Create(database, s => s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>()))
        {
            id = await services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
                .CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default)).Id);
        }

        await using var node = await BackgroundNode.StartAsync(database, NodeRole.All, queueSchema);

        var execution = await node.WaitUntilFinishedAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(1, node.Probe.Calls("add"));
    }

    [Fact]
    public async Task A_web_only_node_queues_and_a_worker_only_node_runs()
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // SQLite is single-node: its queue is in memory, and start-up refuses a split role (tested below).
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => BackgroundNode.StartAsync(database, NodeRole.Web, queueSchema));
            Assert.Contains("SQLite runs as a single node", ex.Message, StringComparison.Ordinal);
            return;
        }

        await using var web = await BackgroundNode.StartAsync(database, NodeRole.Web, queueSchema);
        Assert.DoesNotContain(web.Services.GetServices<IHostedService>(), s => s.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal));
        Assert.DoesNotContain(web.Services.GetServices<IHostedService>(), s => s.GetType().Name == "ExecutionWorkers");
        var id = await web.TriggerAsync(Input);
        await Task.Delay(1500);
        Assert.Equal(ExecutionStatus.Pending, (await web.LoadAsync(id)).Status);

        await using var worker = await BackgroundNode.StartAsync(database, NodeRole.Worker, queueSchema);
        var execution = await web.WaitUntilFinishedAsync(id);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(0, web.Probe.Calls("add"));
        Assert.Equal(1, worker.Probe.Calls("add"));
    }
}

public sealed class SqliteBackgroundExecutionTests(SqliteDatabaseFixture database)
    : BackgroundExecutionTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresBackgroundExecutionTests(PostgresDatabaseFixture database)
    : BackgroundExecutionTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
