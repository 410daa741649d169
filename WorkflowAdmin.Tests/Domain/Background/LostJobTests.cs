using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Background;

/// <summary>
/// A job that a worker picked up and then died with, before it claimed the execution, on the shared PostgreSQL
/// queue (with SQLite the queue is in memory and dies with its process). The queue still says Processing and would
/// hand the job out again only after its 30-minute invisibility timeout; recovery must not wait for that.
/// </summary>
public sealed class LostJobTests(PostgresDatabaseFixture database) : IAsyncLifetime, IClassFixture<PostgresDatabaseFixture>
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"lost-job"}}""";
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private readonly string queueSchema = $"hangfire_{Guid.NewGuid():N}"[..24];

    private static Dictionary<string, string?> Settings => new() { ["Background:PendingGrace"] = Grace.ToString() };

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_job_picked_up_by_a_worker_that_died_before_claiming_is_queued_again_after_the_grace()
    {
        await using var web = await BackgroundNode.StartAsync(database, NodeRole.Web, queueSchema, settings: Settings);
        var lost = await web.TriggerAsync(Input);
        var busy = await web.TriggerAsync(Input.Replace("lost-job", "busy-job", StringComparison.Ordinal));
        var queued = await web.TriggerAsync(Input.Replace("lost-job", "queued-job", StringComparison.Ordinal));
        var now = DateTime.UtcNow;
        PickUpWithoutClaiming((await web.LoadAsync(lost)).JobId!, web, pickedUpAt: now - TimeSpan.FromMinutes(1));
        PickUpWithoutClaiming((await web.LoadAsync(busy)).JobId!, web, pickedUpAt: now);

        var dispatcher = web.Services.GetRequiredService<IExecutionDispatcher>();
        Assert.False(dispatcher.IsAlive((await web.LoadAsync(lost)).JobId));
        Assert.True(dispatcher.IsAlive((await web.LoadAsync(busy)).JobId));
        Assert.True(dispatcher.IsAlive((await web.LoadAsync(queued)).JobId));

        // Past the grace, a worker node's start-up sweep hands the lost execution to a live worker.
        await Task.Delay(Grace + TimeSpan.FromMilliseconds(500));
        await using var worker = await BackgroundNode.StartAsync(database, NodeRole.Worker, queueSchema, settings: Settings);

        var execution = await web.WaitUntilFinishedAsync(lost, TimeSpan.FromSeconds(30));
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(ExecutionStatus.Succeeded, (await web.WaitUntilFinishedAsync(queued, TimeSpan.FromSeconds(30))).Status);
    }

    // What a worker leaves in the queue when its process dies between fetching a job and claiming the execution:
    // the job taken off the queue, its state Processing on that worker's server.
    private static void PickUpWithoutClaiming(string jobId, BackgroundNode node, DateTime pickedUpAt)
    {
        var storage = node.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();
        using (var fetched = connection.FetchNextJob(["default"], CancellationToken.None))
        {
            Assert.Equal(jobId, fetched.JobId);
            fetched.RemoveFromQueue();
        }

        using var transaction = connection.CreateWriteTransaction();
        transaction.SetJobState(jobId, new DeadWorkerState(pickedUpAt));
        transaction.Commit();
    }

    private sealed class DeadWorkerState(DateTime startedAt) : IState
    {
        public string Name => ProcessingState.StateName;

        public string Reason => "Picked up by a worker whose process then died";

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new()
        {
            ["StartedAt"] = JobHelper.SerializeDateTime(startedAt),
            ["ServerId"] = "dead-node:1",
            ["WorkerId"] = Guid.NewGuid().ToString(),
        };
    }
}
