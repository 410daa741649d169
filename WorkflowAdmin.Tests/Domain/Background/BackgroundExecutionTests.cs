using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Background;

/// <summary>The job path end to end: a real Hangfire server in-process, on each provider's own queue storage.</summary>
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
        Assert.NotNull(execution.JobId);
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
    public async Task A_job_delivered_twice_runs_the_execution_once()
    {
        await using var node = await BackgroundNode.StartAsync(database, NodeRole.All, queueSchema);
        var release = new TaskCompletionSource();
        node.Probe.OnEnter("add", _ => release.Task);
        var id = await node.TriggerAsync(Input);

        // A second delivery of the same execution while the first is inside a step, and a third after it is done.
        var jobs = node.Services.GetRequiredService<IBackgroundJobClient>();
        jobs.Enqueue<ExecutionJob>(j => j.RunAsync(id, CancellationToken.None));
        await Task.Delay(500);
        release.SetResult();
        var execution = await node.WaitUntilFinishedAsync(id);
        jobs.Enqueue<ExecutionJob>(j => j.RunAsync(id, CancellationToken.None));
        await Task.Delay(1000);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(1, node.Probe.Calls("add"));
        Assert.Equal(1, node.Probe.Calls("square"));
        Assert.All((await node.LoadAsync(id)).Steps, s => Assert.Single(s.Attempts));
    }

    [Fact]
    public async Task A_pending_execution_whose_job_was_lost_is_queued_again_at_start_up_and_runs()
    {
        // The process that created the execution died before enqueueing it: no job exists anywhere.
        Guid id;
        await using (var services = TestServices.Create(database, s => s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>()))
        {
            id = await services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
                .CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default)).Id);
        }

        // Nothing but the node's start-up sweep can find it: no job exists, and the test enqueues none.
        await using var node = await BackgroundNode.StartAsync(
            database, NodeRole.All, queueSchema, settings: new Dictionary<string, string?> { ["Background:PendingGrace"] = "00:00:00" });

        var execution = await node.WaitUntilFinishedAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);

        // Run once, by the job the sweep queued. (Its id is noted on the row after Enqueue returns, which an
        // in-memory queue can outrun: the row may say Succeeded a moment before it names the job.)
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
