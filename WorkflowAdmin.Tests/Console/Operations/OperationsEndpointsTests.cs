using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Operations;

/// <summary>The probes, /metrics and /system as the real app serves them over HTTP.</summary>
public sealed class OperationsEndpointsTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_running_node_is_live_and_ready_and_health_is_unchanged()
    {
        await using var app = new ConsoleAppFactory(database);
        using var client = ConsoleHttp.CreateClient(app);

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());

        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        // The first heartbeat is written as the node starts; readiness waits for it.
        var report = await PollReadyAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(15));
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        foreach (var check in new[] { "database", "migrations", "heartbeat" })
        {
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_node_whose_database_lacks_its_migrations_is_live_but_not_ready()
    {
        // A new build whose newest migration the DBA has not applied yet: a copy of the test database without it,
        // and a node that does not migrate by itself.
        var path = Path.Combine(Path.GetTempPath(), $"workflowadmin-unmigrated-{Guid.NewGuid():N}.db");
        await using (var source = new SqliteConnection(database.ConnectionString))
        await using (var copy = new SqliteConnection($"Data Source={path}"))
        {
            await source.OpenAsync();
            await copy.OpenAsync();
            source.BackupDatabase(copy);
            await using var forget = copy.CreateCommand();
            forget.CommandText = "DELETE FROM __EFMigrationsHistory WHERE MigrationId = (SELECT max(MigrationId) FROM __EFMigrationsHistory)";
            Assert.Equal(1, await forget.ExecuteNonQueryAsync());
        }

        try
        {
            await using (var app = new ConsoleAppFactory(database, new Dictionary<string, string?>
            {
                ["Database:ConnectionString"] = $"Data Source={path}",
                ["Database:MigrateOnStartup"] = "false",
            }))
            {
                using var client = ConsoleHttp.CreateClient(app);
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

                var report = await PollReadyAsync(client, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(15));
                Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
                var migrations = report.GetProperty("checks").GetProperty("migrations");
                Assert.Equal("Unhealthy", migrations.GetProperty("status").GetString());
                Assert.Equal("1 migration(s) of this build are not applied to the database.", migrations.GetProperty("description").GetString());
                Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_format_to_allowed_networks_only()
    {
        await using (var app = new ConsoleAppFactory(database))
        {
            using var client = ConsoleHttp.CreateClient(app);
            using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.Contains("# TYPE workflowadmin_queue_depth gauge", text, StringComparison.Ordinal);
            Assert.Contains("# TYPE workflowadmin_workers_total gauge", text, StringComparison.Ordinal);
        }

        // Loopback is not the monitoring network here: /metrics does not exist for this client.
        await using (var app = new ConsoleAppFactory(database, new Dictionary<string, string?> { ["Telemetry:Prometheus:AllowedNetworks:0"] = "10.0.0.0/8" }))
        {
            using var client = ConsoleHttp.CreateClient(app);
            using var refused = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.DoesNotContain("workflowadmin_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Switched off (the default outside Development): no metrics endpoint at all.
        await using (var app = new ConsoleAppFactory(database, new Dictionary<string, string?> { ["Telemetry:Prometheus:Enabled"] = "false" }))
        {
            using var client = ConsoleHttp.CreateClient(app);
            using var off = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.NotEqual(HttpStatusCode.OK, off.StatusCode);
            Assert.DoesNotContain("workflowadmin_", await off.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_system_page_is_served_to_admins_only()
    {
        await using var app = new ConsoleAppFactory(database);
        using (var support = await ConsoleHttp.SignedInClientAsync(app, Roles.Support))
        {
            using var refused = await support.GetAsync(new Uri("/system", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("data-testid=\"access-denied\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-testid=\"queue-depth\"", html, StringComparison.Ordinal);
        }

        using var admin = await ConsoleHttp.SignedInClientAsync(app, Roles.Admin);
        using var page = await admin.GetAsync(new Uri("/system", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"nodes\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> PollReadyAsync(HttpClient client, HttpStatusCode expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                Assert.True(response.StatusCode == expected, $"/health/ready answered {(int)response.StatusCode}: {body}");
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                return JsonDocument.Parse(body).RootElement.Clone();
            }

            await Task.Delay(200);
        }
    }
}
