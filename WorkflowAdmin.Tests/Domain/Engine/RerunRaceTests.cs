using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Domain.Bulk;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>
/// Single re-runs when admins race: the service's duplicate check runs before its save, so two admins can both pass
/// it; the database's filtered unique index over the original's exclusive re-run decides. Run once per provider by
/// the subclasses at the bottom; the many-clients race only on PostgreSQL, where writers really run side by side.
/// </summary>
public abstract class RerunRaceTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    protected TestServices Services { get; private set; } = null!;

    protected TDatabase Database => database;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        Services = TestServices.Create(database);
    }

    public async Task DisposeAsync() => await Services.DisposeAsync();

    [Fact]
    public async Task Two_reruns_that_both_passed_the_check_cannot_both_be_saved()
    {
        var original = (await BulkTestData.SeedAsync(Services.Provider, 1)).Single();

        // Both prepared before either is saved: what two admins' requests look like after both found no re-run.
        await using var first = Services.Provider.CreateAsyncScope();
        await using var second = Services.Provider.CreateAsyncScope();
        await PrepareAsync(first, original, exclusive: true);
        await PrepareAsync(second, original, exclusive: true);

        await first.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateException>(() => second.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync());

        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId == original));
    }

    [Fact]
    public async Task Rerun_anyway_adds_a_rerun_beside_a_live_one_and_a_failed_rerun_frees_the_original_again()
    {
        var original = (await BulkTestData.SeedAsync(Services.Provider, 1)).Single();
        var live = await RerunAsync(original, confirm: false);
        await Assert.ThrowsAsync<DuplicateRerunException>(() => RerunAsync(original, confirm: false));

        var anyway = await RerunAsync(original, confirm: true);
        Assert.Null(anyway.ExclusiveRerunOfId);
        Assert.Equal(original, live.ExclusiveRerunOfId);

        // Once neither is live, an ordinary re-run is allowed again, and is exclusive in its turn.
        await FailAsync(live.Id);
        await FailAsync(anyway.Id);
        var again = await RerunAsync(original, confirm: false);
        Assert.Equal(original, again.ExclusiveRerunOfId);

        await using var db = database.CreateDbContext();
        Assert.Equal(3, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId == original));
    }

    protected Task<WorkflowExecution> RerunAsync(Guid original, bool confirm) =>
        Services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>().RerunAsync(
            original, new RerunRequest(RerunMode.FromStart, "license manager outage", ConfirmDuplicate: confirm), TestActors.Admin, default));

    private static Task<(WorkflowExecution Original, WorkflowExecution Rerun)> PrepareAsync(AsyncServiceScope scope, Guid original, bool exclusive) =>
        scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .PrepareRerunAsync(original, RerunMode.FromStart, null, TestActors.Admin.Name, "race", exclusive, default);

    private async Task FailAsync(Guid executionId)
    {
        await using var db = database.CreateDbContext();
        var execution = await db.WorkflowExecutions.SingleAsync(e => e.Id == executionId);
        var now = Services.Time.GetUtcNow().UtcDateTime;
        execution.Start(now);
        execution.Fail(null, new ErrorInfo("System.TimeoutException", "timed out", null), now);
        await db.SaveChangesAsync();
    }
}

public sealed class SqliteRerunRaceTests(SqliteDatabaseFixture database)
    : RerunRaceTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresRerunRaceTests(PostgresDatabaseFixture database)
    : RerunRaceTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>
{
    private const int Admins = 50;

    [Fact]
    public async Task Fifty_admins_rerunning_one_execution_at_the_same_moment_create_exactly_one_rerun()
    {
        var original = (await BulkTestData.SeedAsync(Services.Provider, 1)).Single();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each with a scope (so a DbContext and a connection) of its own; all released together onto the pool.
        var racers = Enumerable.Range(0, Admins).Select(async _ =>
        {
            await go.Task;
            try
            {
                return (Rerun: await RerunAsync(original, confirm: false), Error: (Exception?)null);
            }
            catch (Exception ex)
            {
                return (Rerun: (WorkflowExecution?)null, Error: ex);
            }
        }).ToList();
        go.SetResult();
        var results = await Task.WhenAll(racers);

        var winner = Assert.Single(results, r => r.Rerun is not null).Rerun!;
        Assert.All(results.Where(r => r.Rerun is null), r => Assert.IsType<DuplicateRerunException>(r.Error));
        await using var db = Database.CreateDbContext();
        Assert.Equal(winner.Id, (await db.WorkflowExecutions.SingleAsync(e => e.RerunOfId == original)).Id);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.TargetId == original.ToString()));
        Assert.Equal([winner.Id], Services.GetRequiredService<RecordingDispatcher>().Enqueued);
    }
}
