using System.Net;
using Npgsql;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>The harness itself: a real process starts, answers, and dies at once on a kill, dropping its connections.</summary>
public sealed class AppProcessTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_started_node_answers_health_and_a_kill_ends_it_and_its_database_sessions()
    {
        await using var node = await AppProcess.StartAsync(new AppProcessOptions
        {
            Provider = database.Provider,
            ConnectionString = database.ConnectionString,
            Role = "Worker",
            Environment = "Production",
        });
        using (var client = node.CreateClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        }

        var pid = node.ProcessId;
        Assert.True(await SessionsOfAsync() > 0, "A running worker keeps connections to its database.");

        node.Kill();

        Assert.True(node.HasExited);
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));

        // The server notices the dropped sockets at once: no session of the dead process is left behind.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await SessionsOfAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, await SessionsOfAsync());
    }

    private async Task<long> SessionsOfAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue("db", builder.Database!);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
