using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Respawn;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// A real database for one test class: created and migrated once (so the migrations themselves are exercised),
/// then wiped by Respawn before each test so every test starts clean.
/// </summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    private static readonly string[] SqliteSearchTables =
        ["WorkflowExecutionSearch", "WorkflowExecutionSearch_data", "WorkflowExecutionSearch_idx", "WorkflowExecutionSearch_docsize", "WorkflowExecutionSearch_config"];

    private Respawner? respawner;

    public abstract DatabaseProvider Provider { get; }

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        await using (var db = CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = await OpenConnectionAsync();
        respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = Provider == DatabaseProvider.PostgreSql ? DbAdapter.Postgres : DbAdapter.Sqlite,
            // SQLite's search index (an FTS5 table and its shadow tables) is kept by triggers as executions are
            // deleted; deleting from it directly would corrupt it.
            TablesToIgnore = Provider == DatabaseProvider.Sqlite
                ? ["__EFMigrationsHistory", .. SqliteSearchTables.Select(t => new Respawn.Graph.Table(t))]
                : ["__EFMigrationsHistory"],

            // The job queue's own tables (PostgreSQL storage) belong to Hangfire, which a test host may be running.
            SchemasToExclude = Provider == DatabaseProvider.PostgreSql ? ["hangfire"] : [],
        });
    }

    public async Task ResetAsync()
    {
        await using var connection = await OpenConnectionAsync();
        if (Provider == DatabaseProvider.Sqlite)
        {
            // Respawn orders deletes between tables, but re-run lineage points from executions to executions;
            // SQLite would check that self-reference row by row, so switch the checks off for the wipe.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA foreign_keys = OFF";
            await pragma.ExecuteNonQueryAsync();
        }

        await respawner!.ResetAsync(connection);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // The connection goes back to the pool with the pragma it has: a test that then opens a plain connection
            // (not through EF, which switches the checks on at every open) must not run without foreign keys.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA foreign_keys = ON";
            await pragma.ExecuteNonQueryAsync();
        }
    }

    public AppDbContext CreateDbContext() => Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteAppDbContext(Options<SqliteAppDbContext>()),
        DatabaseProvider.PostgreSql => new PostgreSqlAppDbContext(Options<PostgreSqlAppDbContext>()),
        _ => throw new NotSupportedException(Provider.ToString()),
    };

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<string> CreateDatabaseAsync();

    private async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = CreateDbContext().Database.GetDbConnection();
        await connection.OpenAsync();
        return connection;
    }

    private DbContextOptions<TContext> Options<TContext>()
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        builder.UseWorkflowDatabase(Provider, ConnectionString);
        return builder.Options;
    }
}
