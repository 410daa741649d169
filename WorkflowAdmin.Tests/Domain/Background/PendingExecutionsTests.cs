using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Background;

/// <summary>
/// The executions table as the queue (decision 0019), on a fake clock: which Pending executions a worker may
/// reserve, that concurrent reservers never share one, and that a reservation whose worker died lapses.
/// </summary>
public abstract class PendingExecutionsTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly TimeSpan Grace = new BackgroundOptions().PendingGrace;

    private TestServices services = null!;

    private PendingExecutions Queue => services.GetRequiredService<PendingExecutions>();

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s =>
        {
            s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
            s.AddSingleton<StepProbe>();
        });
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Pending_executions_are_reserved_oldest_first_and_each_only_once()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();
        var third = await CreateAsync();

        // Which ones, not in which order: PostgreSQL's UPDATE … RETURNING answers in no particular order.
        Assert.Equal(new[] { first, second }.Order(), (await Queue.ReserveAsync(2, default)).Order());
        Assert.Equal([third], await Queue.ReserveAsync(5, default));
        Assert.Empty(await Queue.ReserveAsync(5, default));
    }

    [Fact]
    public async Task A_reservation_whose_worker_died_before_claiming_lapses_after_the_grace()
    {
        var id = await CreateAsync();
        Assert.Equal([id], await Queue.ReserveAsync(1, default));

        services.Time.Advance(Grace - TimeSpan.FromSeconds(1));
        Assert.Empty(await Queue.ReserveAsync(1, default));

        services.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([id], await Queue.ReserveAsync(1, default));
    }

    [Fact]
    public async Task Running_finished_and_cancelled_executions_are_never_reserved()
    {
        var succeeded = await CreateAsync();
        Assert.Equal(RunOutcome.Succeeded, await services.GetRequiredService<WorkflowRunner>().RunAsync(succeeded, default));
        var cancelled = await CreateAsync();
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>().CancelAsync(cancelled, "not needed", TestActors.Admin, default));
        var running = await CreateAsync();
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        services.GetRequiredService<StepProbe>().OnEnter("add", _ =>
        {
            entered.SetResult();
            return release.Task;
        });
        var run = services.GetRequiredService<WorkflowRunner>().RunAsync(running, default);
        await entered.Task;

        // Long after any reservation would have lapsed, none of the three is queued.
        services.Time.Advance(Grace * 2);
        Assert.Empty(await Queue.ReserveAsync(10, default));

        release.SetResult();
        Assert.Equal(RunOutcome.Succeeded, await run);
    }

    [Fact]
    public async Task Many_concurrent_reservers_take_every_execution_exactly_once()
    {
        const int count = 120;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await CreateAsync());
        }

        var taken = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            while (await Queue.ReserveAsync(3, default) is { Count: > 0 } reserved)
            {
                foreach (var id in reserved)
                {
                    taken.Add(id);
                }
            }
        })));

        Assert.Equal(ids.Order(), taken.Order());
    }

    private Task<Guid> CreateAsync() =>
        services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
            .CreateAsync(ArithmeticWorkflow.WorkflowKey, """{"add":{"a":2,"b":3,"label":"queue"}}""", TestActors.Admin, default)).Id);
}

public sealed class SqlitePendingExecutionsTests(SqliteDatabaseFixture database)
    : PendingExecutionsTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresPendingExecutionsTests(PostgresDatabaseFixture database)
    : PendingExecutionsTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
