using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Dashboard;
using WorkflowAdmin.Live;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Dashboard;

/// <summary>The open dashboard following executions through the change feed. Run once per provider.</summary>
public abstract class LiveDashboardPageTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two-and-three"}}""";

    private readonly ConsoleTestContext context;

    protected LiveDashboardPageTests(TDatabase database)
    {
        context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        context.Services.AddSingleton<StepProbe>();
        context.AddBunitPersistentComponentState();
        context.SignInAs(Roles.Support);
    }

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task New_executions_and_failures_appear_without_a_refresh_by_the_user()
    {
        var page = context.Render<DashboardPage>();
        page.WaitForAssertion(() => Assert.Equal("0", Count(page, "Pending")));
        Assert.Equal("0", Count(page, "Failed"));

        context.Services.GetRequiredService<StepProbe>().FailNext("add", times: 2);
        Guid failed;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            var executions = scope.ServiceProvider.GetRequiredService<ExecutionService>();
            await executions.CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default);
            failed = (await executions.CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default)).Id;
        }

        await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(failed, default);
        context.Time.Advance(new LiveUpdatesOptions().Interval);
        await context.Services.GetRequiredService<ExecutionChangeFeed>().CurrentPoll;

        // At most one refresh per five seconds: the figures follow once that much time has passed since the last read.
        context.Time.Advance(TimeSpan.FromSeconds(4));
        page.WaitForAssertion(() => Assert.Equal(("1", "1"), (Count(page, "Pending"), Count(page, "Failed"))));
        Assert.Equal($"/executions/{failed}", page.Find("[data-testid=failure-link]").GetAttribute("href"));
    }

    private static string Count(IRenderedComponent<DashboardPage> page, string status) =>
        page.Find($"[data-testid=status-count-24h-{status}] .status-count").TextContent.Trim();
}

public sealed class SqliteLiveDashboardPageTests(SqliteDatabaseFixture database)
    : LiveDashboardPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresLiveDashboardPageTests(PostgresDatabaseFixture database)
    : LiveDashboardPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
