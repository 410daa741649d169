using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Data;

/// <summary>
/// The squashed migrations (decision 0041) at start-up, once per provider: a new database gets the one
/// <c>Initial</c> and the migrations added since; one the old migrations brought to their last is taken over by
/// rewriting its history, its rows untouched, and then gets the migrations added since; one part way through them is
/// refused with what to do, and left as it was.
/// </summary>
public abstract class SquashedMigrationsTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly DateTime Now = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync() => database.ResetAsync();

    // Whatever a test did to the history, the next one starts from the whole squashed history again.
    public async Task DisposeAsync() => await SetHistoryAsync(All());

    [Fact]
    public async Task A_new_database_starts_at_the_squashed_initial_and_has_every_migration_since()
    {
        await using var db = database.CreateDbContext();

        var all = All();
        Assert.EndsWith("_Initial", all[0], StringComparison.Ordinal);
        Assert.Single(all, m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
        Assert.DoesNotContain(all, SquashedMigrations.Before(database.Provider).Contains);
    }

    [Fact]
    public async Task A_database_at_the_last_migration_before_the_squash_is_taken_over_with_its_rows()
    {
        var execution = WorkflowExecution.Create("provision-customer", 1, "{}", "wingtip-toys-7", new Trigger("ada", TriggerSource.Api), Now);
        await using (var db = database.CreateDbContext())
        {
            db.WorkflowExecutions.Add(execution);
            await db.SaveChangesAsync();

            // The old migrations' last schema is the squashed Initial's: take back what came after it (their Down).
            await db.GetService<IMigrator>().MigrateAsync(Initial());
        }

        var before = SquashedMigrations.Before(database.Provider);
        await SetHistoryAsync(before);

        await Migrator().MigrateAsync(default);

        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(All(), await db.Database.GetAppliedMigrationsAsync());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(execution.Id, (await db.WorkflowExecutions.SingleAsync()).Id);

            // The hand-written parts of the schema are still there: the provider's search index finds the row.
            Assert.Equal([execution.Id], await ExecutionSearch.MatchingIds(db, "toys-7").ToListAsync());
        }

        // A second start finds nothing to do.
        await Migrator().MigrateAsync(default);
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(All(), await db.Database.GetAppliedMigrationsAsync());
        }
    }

    [Fact]
    public async Task A_database_part_way_through_the_old_migrations_is_refused_with_what_to_do_and_left_as_it_was()
    {
        var before = SquashedMigrations.Before(database.Provider);
        var partWay = before.Take(before.Count - 3).ToList();
        await SetHistoryAsync(partWay);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(default));

        Assert.Contains(partWay[^1], refused.Message, StringComparison.Ordinal);
        Assert.Contains(before[^1], refused.Message, StringComparison.Ordinal);
        Assert.Contains("Start the last release before the squash", refused.Message, StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        Assert.Equal(partWay, await db.Database.GetAppliedMigrationsAsync());
    }

    private DatabaseMigrator Migrator() => new(new Contexts(database), NullLogger<DatabaseMigrator>.Instance);

    private string Initial() => All()[0];

    private List<string> All()
    {
        using var db = database.CreateDbContext();
        return db.Database.GetMigrations().ToList();
    }

    // Writes the history as the given migrations left it, with the provider's own SQL for the history table.
    private async Task SetHistoryAsync(IReadOnlyList<string> migrations)
    {
        await using var db = database.CreateDbContext();
        var history = db.GetService<IHistoryRepository>();
        var applied = await db.Database.GetAppliedMigrationsAsync();
        var script = string.Concat(applied.Select(history.GetDeleteScript))
            + string.Concat(migrations.Select(m => history.GetInsertScript(new HistoryRow(m, "10.0.0"))));
        await db.Database.ExecuteSqlRawAsync(script);
    }

    private sealed class Contexts(DatabaseFixture database) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => database.CreateDbContext();
    }
}

public sealed class SqliteSquashedMigrationsTests(SqliteDatabaseFixture database)
    : SquashedMigrationsTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresSquashedMigrationsTests(PostgresDatabaseFixture database)
    : SquashedMigrationsTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
