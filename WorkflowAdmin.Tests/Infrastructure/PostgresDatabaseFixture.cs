using Npgsql;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// A fresh database per test class on the throwaway PostgreSQL server that ./test.sh starts. The server's address
/// comes from WORKFLOWADMIN_TEST_POSTGRES; without it these tests fail loudly rather than silently skip.
/// </summary>
public sealed class PostgresDatabaseFixture : DatabaseFixture
{
    public const string EnvironmentVariable = "WORKFLOWADMIN_TEST_POSTGRES";

    private string? databaseName;

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    /// <summary>
    /// A database that already exists on the server (a benchmark's seeded one), used as it is: not created, not
    /// wiped unless a test asks, never dropped.
    /// </summary>
    public string? ExistingDatabase { get; init; }

    public override async Task DisposeAsync()
    {
        if (databaseName is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<string> CreateDatabaseAsync()
    {
        if (ExistingDatabase is { Length: > 0 } existing)
        {
            return new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = existing }.ConnectionString;
        }

        databaseName = $"workflowadmin_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = databaseName }.ConnectionString;
    }

    private static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run the tests with ./test.sh, which starts a throwaway PostgreSQL server.");
}
