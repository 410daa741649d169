using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Live;
using WorkflowAdmin.Tests.Console.Executions.Live;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.Detail;

/// <summary>
/// The detail page following a run while it is open: the test holds the real runner inside a step, lets it move on,
/// and moves the context's fake clock one feed interval at a time. Run once per provider by the subclasses.
/// </summary>
public abstract class LiveExecutionDetailPageTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two-and-three"},"describe":{"prefix":"sq"}}""";
    // Two seconds, so that a test can move the clock one second on without the feed polling.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly ConsoleTestContext context = CreateContext(database);
    private readonly List<Task> runs = [];

    private ExecutionChangeFeed Feed => context.Services.GetRequiredService<ExecutionChangeFeed>();

    private CommandCounter Commands => context.Services.GetRequiredService<CommandCounter>();

    public async Task InitializeAsync()
    {
        await context.InitializeAsync();
        context.SignInAs(Roles.Support);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(runs);
        await context.DisposeAsync();
    }

    [Fact]
    public async Task The_page_shows_the_run_moving_on_without_being_rebuilt_and_keeps_the_users_step()
    {
        var id = await CreateAsync();
        var square = StepGate.At(context.Services, "square");
        var describe = StepGate.At(context.Services, "describe");
        Start(id);
        await square.Entered;
        var page = RenderPage(id);
        Assert.Equal(["Succeeded", "Running", "Pending"], StepStatuses(page));
        Assert.Contains("Square", page.Find("[data-testid=current-step]").TextContent, StringComparison.Ordinal);
        var timeline = page.FindComponent<StepTimeline>().Instance;

        // The user looks at the first step while the run goes on.
        await page.InvokeAsync(() => page.FindAll("[data-testid=step-row]").Single(r => r.GetAttribute("data-step") == "add").ClickAsync(new MouseEventArgs()));
        context.Time.Advance(TimeSpan.FromMilliseconds(250));
        square.Release();
        await describe.Entered;
        await TickAsync();

        page.WaitForAssertion(() => Assert.Equal(["Succeeded", "Succeeded", "Running"], StepStatuses(page)));
        Assert.Contains("Describe", page.Find("[data-testid=current-step]").TextContent, StringComparison.Ordinal);
        Assert.Equal("add", SelectedRow(page).GetAttribute("data-step"));
        Assert.Same(timeline, page.FindComponent<StepTimeline>().Instance);
        Assert.Empty(page.FindAll("[data-testid=execution-loading]"));

        context.Time.Advance(TimeSpan.FromMilliseconds(250));
        describe.Release();
        await Task.WhenAll(runs);
        await TickAsync();

        page.WaitForAssertion(() => Assert.Equal("Succeeded", page.Find("[data-testid=execution-header] [data-testid=status-chip]").GetAttribute("data-status")));
        Assert.Equal(["Succeeded", "Succeeded", "Succeeded"], StepStatuses(page));
        Assert.Empty(page.FindAll("[data-testid=current-step]"));
        Assert.DoesNotContain("so far", page.Find("[data-testid=execution-duration]").TextContent, StringComparison.Ordinal);
        Assert.Same(timeline, page.FindComponent<StepTimeline>().Instance);
    }

    [Fact]
    public async Task While_running_the_durations_tick_every_second_without_asking_the_database()
    {
        var id = await CreateAsync();
        var square = StepGate.At(context.Services, "square");
        Start(id);
        await square.Entered;
        var page = RenderPage(id);
        var started = page.Find("[data-testid=execution-duration]").TextContent;
        await Feed.CurrentPoll;
        Commands.Clear();

        // Half a feed interval: the clock moves on, the feed does not poll, and nothing else reads either.
        context.Time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("1.0 s so far", page.Find("[data-testid=execution-duration]").TextContent));
        Assert.NotEqual(started, page.Find("[data-testid=execution-duration]").TextContent);
        var runningStep = page.FindAll("[data-testid=step-row]").Single(r => r.GetAttribute("data-step") == "square");
        Assert.EndsWith("so far", runningStep.QuerySelector("[data-testid=step-duration]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, Commands.Count);
        square.Release();
    }

    [Fact]
    public async Task A_rerun_started_elsewhere_appears_in_the_lineage_of_the_open_original()
    {
        context.Services.GetRequiredService<StepProbe>().FailNext("square");
        var originalId = await CreateAsync();
        Start(originalId);
        await Task.WhenAll(runs);
        var page = RenderPage(originalId);
        Assert.Equal("Not re-run yet", page.Find("[data-testid=lineage-no-reruns]").TextContent);
        var timeline = page.FindComponent<StepTimeline>().Instance;

        context.Time.Advance(TimeSpan.FromMilliseconds(250));
        Guid rerunId;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            rerunId = (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .RerunAsync(originalId, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711"), TestActors.Admin, default)).Id;
        }

        await TickAsync();

        page.WaitForAssertion(() => Assert.Equal(
            $"executions/{rerunId}", page.Find("[data-testid=lineage-rerun] a").GetAttribute("href")));
        Assert.Equal("Pending", page.Find("[data-testid=lineage-rerun] [data-testid=status-chip]").GetAttribute("data-status"));
        Assert.Same(timeline, page.FindComponent<StepTimeline>().Instance);
    }

    [Fact]
    public async Task Leaving_the_page_ends_its_subscription_and_with_the_last_one_the_polling()
    {
        var id = await CreateAsync();
        Start(id);
        await Task.WhenAll(runs);
        RenderPage(id);
        Commands.Clear();
        await TickAsync();
        Assert.Equal(1, Commands.Count);

        await context.DisposeComponentsAsync();
        for (var i = 0; i < 3; i++)
        {
            await TickAsync();
        }

        Assert.Equal(1, Commands.Count);
    }

    private static ConsoleTestContext CreateContext(TDatabase database)
    {
        var context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        context.Services.AddSingleton<StepProbe>();
        context.Services.Configure<LiveUpdatesOptions>(o => o.Interval = Interval);

        // Every command the page, the feed and the runner send, for the tests that count them.
        context.Services.AddSingleton<CommandCounter>();
        context.Services.ConfigureDbContext<SqliteAppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<CommandCounter>()), ServiceLifetime.Singleton);
        context.Services.ConfigureDbContext<PostgreSqlAppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<CommandCounter>()), ServiceLifetime.Singleton);

        // Interactive, as on a circuit (this also builds the service provider, so it comes last).
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    private static List<string?> StepStatuses(IRenderedComponent<ExecutionDetailPage> page) =>
        page.FindAll("[data-testid=step-row]").Select(r => r.GetAttribute("data-status")).ToList();

    private static IElement SelectedRow(IRenderedComponent<ExecutionDetailPage> page) =>
        Assert.Single(page.FindAll("[data-testid=step-row][aria-selected=true]"));

    private async Task TickAsync()
    {
        context.Time.Advance(Interval);
        await Feed.CurrentPoll;
    }

    private IRenderedComponent<ExecutionDetailPage> RenderPage(Guid id)
    {
        var page = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=execution-loading]")));
        return page;
    }

    private void Start(Guid id) => runs.Add(Task.Run(() => context.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default)));

    private async Task<Guid> CreateAsync()
    {
        await using var scope = context.Services.CreateAsyncScope();
        var execution = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default);
        return execution.Id;
    }
}

public sealed class SqliteLiveExecutionDetailPageTests(SqliteDatabaseFixture database)
    : LiveExecutionDetailPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresLiveExecutionDetailPageTests(PostgresDatabaseFixture database)
    : LiveExecutionDetailPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
