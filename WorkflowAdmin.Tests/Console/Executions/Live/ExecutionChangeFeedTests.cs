using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Live;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.Live;

/// <summary>
/// The change feed in the console's process ("web"), against executions written by another service provider with
/// its own connections and clock ("worker"), as a worker on another machine would. Every command the web process
/// sends is counted by an interceptor on its context factory. Run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class ExecutionChangeFeedTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two-and-three"},"describe":{"prefix":"sq"}}""";
    private static readonly TimeSpan Interval = new LiveUpdatesOptions().Interval;

    private readonly CommandCounter commands = new();
    private TestServices web = null!;
    private TestServices worker = null!;

    private ExecutionChangeFeed Feed => web.GetRequiredService<ExecutionChangeFeed>();

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        web = CreateWeb();
        worker = CreateWorker();
    }

    public async Task DisposeAsync()
    {
        await web.DisposeAsync();
        await worker.DisposeAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(25)]
    public async Task One_query_per_interval_serves_every_listener(int listeners)
    {
        var recorders = Enumerable.Range(0, listeners).Select(_ => new BatchRecorder()).ToList();
        var subscriptions = recorders.Select(r => Feed.Subscribe(r.OnChanges)).ToList();
        var id = await CreateAsync(worker);
        commands.Clear();

        await TickAsync();

        var query = Assert.Single(commands.Commands);
        Assert.Contains("ModifiedAt", query, StringComparison.Ordinal);
        foreach (var recorder in recorders)
        {
            Assert.Equal(id, Assert.Single((await recorder.NextAsync()).Changes).Id);
        }

        await TickAsync();
        await TickAsync();
        Assert.Equal(3, commands.Count);
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Nobody_listening_means_no_queries_and_the_last_listener_leaving_stops_them()
    {
        await CreateAsync(worker);
        commands.Clear();
        for (var i = 0; i < 5; i++)
        {
            web.Time.Advance(Interval);
        }

        Assert.Equal(0, commands.Count);

        var subscription = Feed.Subscribe(new BatchRecorder().OnChanges);
        await TickAsync();
        Assert.Equal(1, commands.Count);

        subscription.Dispose();
        for (var i = 0; i < 5; i++)
        {
            await TickAsync();
        }

        Assert.Equal(1, commands.Count);
    }

    [Fact]
    public async Task A_run_in_another_process_is_reported_step_by_step_with_its_status_moves_marked()
    {
        var recorder = new BatchRecorder();
        using var subscription = Feed.Subscribe(recorder.OnChanges);
        var id = await CreateAsync(worker);

        await TickAsync();
        var created = Assert.Single((await recorder.NextAsync()).Changes);
        Assert.Equal((id, ExecutionStatus.Pending, null, true), (created.Id, created.Status, created.CurrentStepKey, created.IsNewStatus));

        var square = StepGate.At(worker, "square");
        var describe = StepGate.At(worker, "describe");
        var run = Task.Run(() => worker.GetRequiredService<WorkflowRunner>().RunAsync(id, default));
        await square.Entered;
        await TickAsync();
        var running = Assert.Single((await recorder.NextAsync()).Changes);
        Assert.Equal((ExecutionStatus.Running, "square", true), (running.Status, running.CurrentStepKey, running.IsNewStatus));

        square.Release();
        await describe.Entered;
        await TickAsync();
        var nextStep = Assert.Single((await recorder.NextAsync()).Changes);
        Assert.Equal((ExecutionStatus.Running, "describe", false), (nextStep.Status, nextStep.CurrentStepKey, nextStep.IsNewStatus));
        Assert.True(nextStep.ModifiedAt > running.ModifiedAt);

        describe.Release();
        Assert.Equal(RunOutcome.Succeeded, await run);
        await TickAsync();
        var finished = Assert.Single((await recorder.NextAsync()).Changes);
        Assert.Equal((ExecutionStatus.Succeeded, null, true), (finished.Status, finished.CurrentStepKey, finished.IsNewStatus));

        // Nothing moved since: a quiet interval reports nothing.
        await TickAsync();
        Assert.False(recorder.HasMore);
    }

    [Fact]
    public async Task Two_executions_stamped_in_the_same_instant_are_both_reported_each_once()
    {
        worker.Time.AutoAdvanceAmount = TimeSpan.Zero;
        var recorder = new BatchRecorder();
        using var subscription = Feed.Subscribe(recorder.OnChanges);

        var first = await CreateAsync(worker);
        await TickAsync();
        Assert.Equal([first], (await recorder.NextAsync()).Changes.Select(c => c.Id));

        // Committed after the poll that saw the first, with the very same stamp.
        var second = await CreateAsync(worker);
        await TickAsync();

        Assert.Equal([second], (await recorder.NextAsync()).Changes.Select(c => c.Id));
        await using var db = database.CreateDbContext();
        var stamps = await db.WorkflowExecutions.Select(e => e.ModifiedAt).Distinct().ToListAsync();
        Assert.Single(stamps);
    }

    [Fact]
    public async Task A_change_that_commits_late_behind_the_newest_stamp_is_still_reported()
    {
        var recorder = new BatchRecorder();
        using var subscription = Feed.Subscribe(recorder.OnChanges);
        worker.Time.Advance(TimeSpan.FromSeconds(1));
        var newer = await CreateAsync(worker);
        await TickAsync();
        Assert.Equal([newer], (await recorder.NextAsync()).Changes.Select(c => c.Id));

        // A second node whose transaction took its stamp a second earlier, and committed only now.
        await using var lagging = CreateWorker();
        var late = await CreateAsync(lagging);
        await TickAsync();

        Assert.Equal([late], (await recorder.NextAsync()).Changes.Select(c => c.Id));
    }

    [Fact]
    public async Task A_disposed_listener_gets_nothing_more_while_the_others_go_on()
    {
        var kept = new BatchRecorder();
        var dropped = new BatchRecorder();
        using var keptSubscription = Feed.Subscribe(kept.OnChanges);
        var droppedSubscription = Feed.Subscribe(dropped.OnChanges);
        var first = await CreateAsync(worker);
        await TickAsync();
        Assert.Equal(first, Assert.Single((await kept.NextAsync()).Changes).Id);
        Assert.Equal(first, Assert.Single((await dropped.NextAsync()).Changes).Id);

        droppedSubscription.Dispose();
        var second = await CreateAsync(worker);
        await TickAsync();

        Assert.Equal(second, Assert.Single((await kept.NextAsync()).Changes).Id);
        Assert.False(dropped.HasMore);
    }

    [Fact]
    public async Task A_listener_that_throws_or_never_returns_holds_up_neither_the_feed_nor_the_others()
    {
        var stuck = new TaskCompletionSource();
        var stuckBatches = new List<ExecutionChangeBatch>();
        using var slow = Feed.Subscribe(batch =>
        {
            lock (stuckBatches)
            {
                stuckBatches.Add(batch);
                return stuckBatches.Count == 1 ? stuck.Task : Task.CompletedTask;
            }
        });
        using var failing = Feed.Subscribe(_ => throw new InvalidOperationException("a page with a bug"));
        var recorder = new BatchRecorder();
        using var subscription = Feed.Subscribe(recorder.OnChanges);

        var first = await CreateAsync(worker);
        await TickAsync();
        Assert.Equal(first, Assert.Single((await recorder.NextAsync()).Changes).Id);
        await WaitUntilAsync(() =>
        {
            lock (stuckBatches)
            {
                return stuckBatches.Count == 1;
            }
        });
        var second = await CreateAsync(worker);
        await TickAsync();
        Assert.Equal(second, Assert.Single((await recorder.NextAsync()).Changes).Id);
        var third = await CreateAsync(worker);
        await TickAsync();
        Assert.Equal(third, Assert.Single((await recorder.NextAsync()).Changes).Id);

        // The slow listener was handed one batch; what came meanwhile waits for it, merged into one.
        lock (stuckBatches)
        {
            Assert.Single(stuckBatches);
        }

        stuck.SetResult();
        await WaitUntilAsync(() =>
        {
            lock (stuckBatches)
            {
                return stuckBatches.Count == 2;
            }
        });
        Assert.Equal(new[] { second, third }.Order(), stuckBatches[1].Changes.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task A_listener_stuck_while_more_than_a_polls_worth_changed_is_told_that_anything_may_have()
    {
        await web.DisposeAsync();
        web = CreateWeb(s => s.Configure<LiveUpdatesOptions>(o => o.MaxChangesPerPoll = 3));
        var stuck = new TaskCompletionSource();
        var batches = new List<ExecutionChangeBatch>();
        using var slow = Feed.Subscribe(batch =>
        {
            lock (batches)
            {
                batches.Add(batch);
                return batches.Count == 1 ? stuck.Task : Task.CompletedTask;
            }
        });

        for (var poll = 0; poll < 3; poll++)
        {
            await CreateAsync(worker);
            await CreateAsync(worker);
            await TickAsync();

            // The first batch is in the listener's hands before the next ones queue up behind it.
            await WaitUntilAsync(() =>
            {
                lock (batches)
                {
                    return batches.Count == 1;
                }
            });
        }

        stuck.SetResult();
        await WaitUntilAsync(() =>
        {
            lock (batches)
            {
                return batches.Count == 2;
            }
        });
        Assert.Equal(2, batches[0].Changes.Count);
        Assert.Equal((true, 0), (batches[1].IsPartial, batches[1].Changes.Count));
    }

    [Fact]
    public async Task More_changes_than_one_poll_reads_make_a_partial_batch_of_the_newest()
    {
        await web.DisposeAsync();
        web = CreateWeb(s => s.Configure<LiveUpdatesOptions>(o => o.MaxChangesPerPoll = 3));
        var recorder = new BatchRecorder();
        using var subscription = Feed.Subscribe(recorder.OnChanges);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync(worker));
        }

        await TickAsync();

        var batch = await recorder.NextAsync();
        Assert.True(batch.IsPartial);
        Assert.Equal(ids[2..].Order(), batch.Changes.Select(c => c.Id).Order());
    }

    private TestServices CreateWeb(Action<IServiceCollection>? configure = null)
    {
        var services = TestServices.Create(database, s =>
        {
            s.AddLiveUpdates();
            s.ConfigureDbContext<SqliteAppDbContext>((_, o) => o.AddInterceptors(commands), ServiceLifetime.Singleton);
            s.ConfigureDbContext<PostgreSqlAppDbContext>((_, o) => o.AddInterceptors(commands), ServiceLifetime.Singleton);
            configure?.Invoke(s);
        });

        // The feed's clock moves only when a test says so: one interval is one poll.
        services.Time.AutoAdvanceAmount = TimeSpan.Zero;
        return services;
    }

    private TestServices CreateWorker() => TestServices.Create(database, s =>
    {
        s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        s.AddSingleton<StepProbe>();
    });

    private async Task TickAsync()
    {
        web.Time.Advance(Interval);
        await Feed.CurrentPoll;
    }

    private static Task<Guid> CreateAsync(TestServices writer) => writer.InScopeAsync(async sp =>
        (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default)).Id);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 30 s.");
            await Task.Delay(10);
        }
    }
}

public sealed class SqliteExecutionChangeFeedTests(SqliteDatabaseFixture database)
    : ExecutionChangeFeedTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionChangeFeedTests(PostgresDatabaseFixture database)
    : ExecutionChangeFeedTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
