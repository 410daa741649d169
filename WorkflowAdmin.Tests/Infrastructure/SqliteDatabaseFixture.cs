using Microsoft.Data.Sqlite;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>A SQLite file of its own per test class (files, not :memory:, so several connections see one database).</summary>
public sealed class SqliteDatabaseFixture : DatabaseFixture
{
    private string? path;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (file is not null && File.Exists(file))
            {
                File.Delete(file);
            }
        }

        return Task.CompletedTask;
    }

    protected override Task<string> CreateDatabaseAsync()
    {
        path = Path.Combine(Path.GetTempPath(), $"workflowadmin-test-{Guid.NewGuid():N}.db");
        return Task.FromResult($"Data Source={path}");
    }
}
