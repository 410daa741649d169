using System.Net;
using Npgsql;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>The harness itself: a real process starts, answers, and dies at once on a kill, dropping its connections.</summary>
public sealed class AppProcessTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_started_node_answers_health_and_a_kill_ends_it_and_its_database_sessions()
    {
        // Sessions that exist before the node starts are this test process's own (the fixture's pooled connection
        // to Respawn): only client sessions that appear afterwards belong to the node.
        var before = await SessionPidsAsync();
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
        Assert.True((await NodeSessionsAsync(before)).Count > 0, "A running worker keeps connections to its database.");

        node.Kill();

        Assert.True(node.HasExited);
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));

        // The server notices the dropped sockets at once: no session of the dead process is left behind.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await NodeSessionsAsync(before)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var left = await NodeSessionsAsync(before);
        Assert.True(left.Count == 0, "Sessions of the killed node left: " + string.Join("; ", left));
    }

    private const string ProbeName = "AppProcessTests probe";

    private async Task<List<string>> NodeSessionsAsync(HashSet<int> before) =>
        (await SessionsAsync()).Where(s => !before.Contains(s.Pid)).Select(s => s.Description).ToList();

    private async Task<HashSet<int>> SessionPidsAsync() => (await SessionsAsync()).Select(s => s.Pid).ToHashSet();

    private async Task<List<(int Pid, string Description)>> SessionsAsync()
    {
        // Unpooled, and named so that the probe's own sessions are never counted: an earlier probe's backend can still
        // be listed, idle, for a moment after its connection closed (one CI run counted it as the node's).
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, ApplicationName = ProbeName };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid, concat_ws(' | ', pid, backend_type, application_name, state, left(query, 80)) FROM pg_stat_activity WHERE datname = @db AND backend_type = 'client backend' AND application_name <> @probe",
            connection);
        command.Parameters.AddWithValue("db", builder.Database!);
        command.Parameters.AddWithValue("probe", ProbeName);
        var sessions = new List<(int, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sessions.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return sessions;
    }
}
