using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Operations;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Operations;

/// <summary>The System page over a real database, once per provider: nodes, workers, queue, recoveries, migrations, live.</summary>
public abstract class SystemPageTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly TDatabase database;
    private readonly ConsoleTestContext context;

    protected SystemPageTests(TDatabase database)
    {
        this.database = database;
        context = new ConsoleTestContext(database);
        context.SignInAs(Roles.Admin);
    }

    private DateTime Now => context.Time.GetUtcNow().UtcDateTime;

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task Shows_nodes_workers_the_queue_recoveries_and_the_migration_level()
    {
        var oldestWaiting = Pending(Now.AddMinutes(-3));
        var recovered = Recovered(Now.AddHours(-2));
        await using (var db = database.CreateDbContext())
        {
            db.Nodes.AddRange(
                NodeAt("web-1:100", NodeRole.Web, workers: 0, busy: 0, lastBeat: Now.AddSeconds(-2)),
                NodeAt("worker-1:200", NodeRole.Worker, workers: 4, busy: 3, lastBeat: Now.AddSeconds(-4)),
                NodeAt("worker-2:300", NodeRole.Worker, workers: 4, busy: 1, lastBeat: Now.AddMinutes(-5)));
            db.WorkflowExecutions.AddRange(oldestWaiting, Pending(Now.AddMinutes(-1)), recovered, Recovered(Now.AddDays(-2)));
            await db.SaveChangesAsync();
        }

        var page = context.Render<SystemPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=node-name]").Count));

        // Two wait, the oldest for three minutes (the recovered ones ran again and finished).
        Assert.Equal("2", Text(page, "queue-depth"));
        Assert.Equal("3 min 0 s", Text(page, "oldest-pending-age"));
        Assert.Equal($"/executions/{oldestWaiting.Id}", page.Find("[data-testid=oldest-pending-link]").GetAttribute("href"));

        // The node silent for five minutes is lost, and its workers are not counted.
        Assert.Equal("3 busy · 1 idle", Text(page, "workers"));
        var rows = page.FindAll("[data-testid=node-name]").Select(n => n.TextContent.Trim()).ToList();
        Assert.Equal(["web-1:100", "worker-1:200", "worker-2:300lost"], rows.Select(r => r.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)));
        Assert.Equal(["Web", "Worker", "Worker"], page.FindAll("[data-testid=node-role]").Select(n => n.TextContent.Trim()));
        Assert.Equal(["none", "3 busy · 1 idle", "1 busy · 3 idle"], page.FindAll("[data-testid=node-workers]").Select(n => n.TextContent.Trim()));

        Assert.Equal("1", Text(page, "recoveries"));
        Assert.Equal(database.Provider.ToString(), Text(page, "database-provider"));
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(db.Database.GetMigrations().Last(), Text(page, "migration-level"));
        }

        Assert.Empty(page.FindAll("[data-testid=pending-migrations]"));
    }

    [Fact]
    public async Task Follows_node_heartbeats_without_a_refresh_by_the_user()
    {
        var page = context.Render<SystemPage>();
        page.WaitForAssertion(() => Assert.Contains("No node has reported yet", page.Markup, StringComparison.Ordinal));

        // A node starts: its first heartbeat is on the page within one heartbeat interval.
        using var heartbeat = ActivatorUtilities.CreateInstance<NodeHeartbeatService>(context.Services);
        await heartbeat.BeatAsync(default);
        context.Time.Advance(new OperationsOptions().HeartbeatInterval);

        var node = context.Services.GetRequiredService<CurrentNode>();
        page.WaitForAssertion(() => Assert.Equal(node.Name, Text(page, "node-name")));
        Assert.Equal("All", Text(page, "node-role"));
    }

    [Fact]
    public void Is_for_admins_only()
    {
        var attribute = Assert.Single(typeof(SystemPage).GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), inherit: true));
        Assert.Equal(Roles.Admin, ((Microsoft.AspNetCore.Authorization.AuthorizeAttribute)attribute).Roles);
    }

    private static string Text(IRenderedComponent<SystemPage> page, string testId) => page.Find($"[data-testid={testId}]").TextContent.Trim();

    private static Node NodeAt(string name, NodeRole role, int workers, int busy, DateTime lastBeat)
    {
        var node = Node.Start(Guid.NewGuid(), name, role, "1.0.0+abcdef0123456789", workers, lastBeat.AddHours(-1));
        node.Beat(busy, lastBeat);
        return node;
    }

    private static WorkflowExecution Pending(DateTime createdAt) =>
        WorkflowExecution.Create("test-arithmetic", 1, "{}", null, new WorkflowAdmin.Domain.Workflows.Trigger("admin@workflowadmin.local", TriggerSource.Console), createdAt);

    private static WorkflowExecution Recovered(DateTime at)
    {
        var execution = Pending(at.AddMinutes(-10));
        execution.Start(at.AddMinutes(-9));
        execution.ReleaseFromLostWorker(heartbeatDeadline: at.AddMinutes(-1), now: at);
        execution.Start(at.AddMinutes(1));
        execution.Succeed("{}", at.AddMinutes(2));
        return execution;
    }
}

public sealed class SqliteSystemPageTests(SqliteDatabaseFixture database)
    : SystemPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresSystemPageTests(PostgresDatabaseFixture database)
    : SystemPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
