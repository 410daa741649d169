using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Rollups;

/// <summary>
/// The dashboard's counts (decision 0027) equal a recount of the executions after every kind of change, folded or
/// not; run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class ExecutionRollupsTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string ValidInput = """{"add":{"a":2,"b":3,"label":"two-and-three"}}""";

    private TestServices services = null!;

    private StepProbe Probe => services.GetRequiredService<StepProbe>();

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
    public async Task Creates_runs_failures_resolving_reruns_and_cancellations_keep_the_counts_equal_to_a_recount()
    {
        var succeededId = await CreateAsync();
        var failedId = await CreateAsync();
        var cancelledId = await CreateAsync();
        await AssertMatchesRecountAsync();
        Assert.Equal(3, await CountAsync(ExecutionStatus.Pending));

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(succeededId));
        Probe.FailNext("square", times: 2); // the original and its first re-run
        Assert.Equal(RunOutcome.Failed, await RunAsync(failedId));
        await CancelAsync(cancelledId);
        await AssertMatchesRecountAsync();

        var failedRerunId = await RerunAsync(failedId);
        Assert.Equal(RunOutcome.Failed, await RunAsync(failedRerunId));
        await AssertMatchesRecountAsync();
        Assert.Equal(2, await CountAsync(ExecutionStatus.Failed, resolved: false));

        // The second re-run's success resolves both failures of the lineage, in the same save.
        var resolvingRerunId = await RerunAsync(failedRerunId);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(resolvingRerunId));
        await AssertMatchesRecountAsync();
        Assert.Equal(0, await CountAsync(ExecutionStatus.Failed, resolved: false));
        Assert.Equal(2, await CountAsync(ExecutionStatus.Failed, resolved: true));
        Assert.Equal(2, await CountAsync(ExecutionStatus.Succeeded));
        Assert.Equal(1, await CountAsync(ExecutionStatus.Cancelled));
        Assert.Equal(0, await CountAsync(ExecutionStatus.Pending));

        // Folding moves every delta into the compact table and changes no count.
        await using (var db = database.CreateDbContext())
        {
            Assert.True(await RollupFolder.FoldAsync(db, 1_000, default) > 0);
            Assert.Equal(0, await db.ExecutionCountDeltas.CountAsync());
            Assert.True(await db.ExecutionCounts.AnyAsync());
        }

        await AssertMatchesRecountAsync();

        // Changes after a fold add to the folded counts.
        var laterId = await CreateAsync();
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(laterId));
        await AssertMatchesRecountAsync();
        Assert.Equal(3, await CountAsync(ExecutionStatus.Succeeded));
    }

    [Fact]
    public async Task A_failure_keeps_its_step_and_error_type_in_its_key()
    {
        var id = await CreateAsync();
        Probe.FailNext("square", times: 1);
        Assert.Equal(RunOutcome.Failed, await RunAsync(id));

        await using var db = database.CreateDbContext();
        var failure = await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id == id);
        var counts = await ExecutionRollups.ReadAllAsync(db, default);
        var key = Assert.Single(counts.Keys);
        Assert.Equal(RollupKey.Of(failure), key);
        Assert.Equal("square", key.FailedStepKey);
        Assert.False(string.IsNullOrEmpty(key.ErrorType));
        Assert.Equal(RollupKey.HourOf(failure.CreatedAt), key.CreatedHour);
    }

    [Fact]
    public async Task Taking_an_execution_back_from_a_lost_worker_moves_its_count_back_to_pending()
    {
        var id = await CreateAsync();
        var now = services.Time.GetUtcNow().UtcDateTime;
        await using (var db = database.CreateDbContext())
        {
            var execution = await db.WorkflowExecutions.Include(e => e.Steps).SingleAsync(e => e.Id == id);
            execution.Start(now);
            await db.SaveChangesAsync();
            Assert.Equal(1, await CountAsync(ExecutionStatus.Running));

            execution.ReleaseFromLostWorker(now.AddMinutes(1), now.AddMinutes(2));
            await db.SaveChangesAsync();
        }

        await AssertMatchesRecountAsync();
        Assert.Equal(1, await CountAsync(ExecutionStatus.Pending));
        Assert.Equal(0, await CountAsync(ExecutionStatus.Running));
    }

    [Fact]
    public async Task A_save_that_fails_writes_no_deltas_and_its_retry_writes_them_once()
    {
        var id = await CreateAsync();
        var now = services.Time.GetUtcNow().UtcDateTime;
        await using var winner = database.CreateDbContext();
        await using var loser = database.CreateDbContext();
        var first = await winner.WorkflowExecutions.SingleAsync(e => e.Id == id);
        var second = await loser.WorkflowExecutions.SingleAsync(e => e.Id == id);
        first.Start(now);
        second.Start(now);
        await winner.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => loser.SaveChangesAsync());
        await AssertMatchesRecountAsync();
        Assert.Empty(loser.ChangeTracker.Entries<ExecutionCountDelta>());

        // The loser reloads and ends the execution (as recovery would): one move, Running to Failed.
        await loser.Entry(second).ReloadAsync();
        second.Fail("square", new ErrorInfo("Test.Error", "stopped", null), now);
        await loser.SaveChangesAsync();
        await AssertMatchesRecountAsync();
        Assert.Equal(1, await CountAsync(ExecutionStatus.Failed, resolved: false));
        Assert.Equal(0, await CountAsync(ExecutionStatus.Running));
    }

    [Fact]
    public async Task Folds_running_at_the_same_time_fold_every_delta_exactly_once()
    {
        for (var i = 0; i < 40; i++)
        {
            await CreateAsync();
        }

        var ids = await PendingIdsAsync();
        foreach (var id in ids.Take(20))
        {
            await RunAsync(id);
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int folded;
            do
            {
                await using var db = database.CreateDbContext();
                folded = await RollupFolder.FoldAsync(db, 3, default);
            }
            while (folded > 0);
        })));

        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(0, await db.ExecutionCountDeltas.CountAsync());
        }

        await AssertMatchesRecountAsync();
        Assert.Equal(20, await CountAsync(ExecutionStatus.Succeeded));
        Assert.Equal(20, await CountAsync(ExecutionStatus.Pending));
    }

    [Fact]
    public async Task A_seed_leaves_the_counts_equal_to_a_recount()
    {
        await CreateAsync();
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(600, RandomSeed: 11), default));

        await AssertMatchesRecountAsync();
        await using (var db = database.CreateDbContext())
        {
            await RollupFolder.FoldAsync(db, 10_000, default);
        }

        await AssertMatchesRecountAsync();
        Assert.True(await CountAsync(ExecutionStatus.Failed, resolved: true) > 0);
        Assert.True(await CountAsync(ExecutionStatus.Failed, resolved: false) > 0);
    }

    private async Task AssertMatchesRecountAsync()
    {
        await using var db = database.CreateDbContext();
        Assert.Empty(await ExecutionRollups.VerifyAsync(db, default));
    }

    private async Task<long> CountAsync(ExecutionStatus status, bool? resolved = null)
    {
        await using var db = database.CreateDbContext();
        var counts = await ExecutionRollups.ReadAllAsync(db, default);
        return counts.Where(c => c.Key.Status == status && (resolved is null || c.Key.Resolved == resolved)).Sum(c => c.Value);
    }

    private async Task<List<Guid>> PendingIdsAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Pending).Select(e => e.Id).ToListAsync();
    }

    private Task<Guid> CreateAsync() =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, ValidInput, TestActors.Admin, default)).Id);

    private Task<Guid> RerunAsync(Guid id) =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().RerunAsync(
                id, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711", ConfirmDuplicate: true), TestActors.Admin, default)).Id);

    private Task<CancelOutcome> CancelAsync(Guid id) =>
        services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>().CancelAsync(id, "not needed", TestActors.Admin, default));

    private Task<RunOutcome> RunAsync(Guid id) => services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);
}

public sealed class SqliteExecutionRollupsTests(SqliteDatabaseFixture database)
    : ExecutionRollupsTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionRollupsTests(PostgresDatabaseFixture database)
    : ExecutionRollupsTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
