using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Live;
using WorkflowAdmin.Tests.Console.Admin;
using WorkflowAdmin.Tests.Console.Executions.Live;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.List;

/// <summary>
/// The executions list following runs while it is open: the real runner is held inside a step, and the context's
/// fake clock moves one feed interval at a time. Run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class LiveExecutionsListTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two-and-three"},"describe":{"prefix":"sq"}}""";
    private static readonly TimeSpan Interval = new LiveUpdatesOptions().Interval;

    private readonly ConsoleTestContext context;
    private readonly List<Task> runs = [];

    protected LiveExecutionsListTests(TDatabase database)
    {
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
        context.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        context.Services.AddSingleton<StepProbe>();
        context.SignInAs(Roles.Support);
    }

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Task.WhenAll(runs);
        await context.DisposeAsync();
    }

    [Fact]
    public async Task A_row_shows_its_run_moving_on_status_step_and_duration_without_a_reload_by_the_user()
    {
        var id = await CreateAsync();
        var square = StepGate.At(context.Services, "square");
        var describe = StepGate.At(context.Services, "describe");
        Start(id);
        await square.Entered;
        var page = Open("/executions");
        Assert.Equal(("Running", "square"), (Status(Row(page, id)), Step(Row(page, id))));
        Assert.Equal("0 ms so far", Duration(Row(page, id)));

        context.Time.Advance(TimeSpan.FromMilliseconds(200));
        square.Release();
        await describe.Entered;
        await TickAsync();

        page.WaitForAssertion(() => Assert.Equal(("Running", "describe"), (Status(Row(page, id)), Step(Row(page, id)))));
        Assert.Equal("1.2 s so far", Duration(Row(page, id)));

        context.Time.Advance(TimeSpan.FromMilliseconds(200));
        describe.Release();
        await Task.WhenAll(runs);
        await TickAsync();

        page.WaitForAssertion(() => Assert.Equal("Succeeded", Status(Row(page, id))));
        Assert.Equal(("", "1.4 s"), (Step(Row(page, id)), Duration(Row(page, id))));
        page.WaitForAssertion(() =>
        {
            Assert.Equal("1", page.Find("[data-testid=status-count-Succeeded]").TextContent);
            Assert.Equal("0", page.Find("[data-testid=status-count-Running]").TextContent);
        });
        Assert.EndsWith("/executions", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_execution_updates_the_range_and_counts_while_the_page_and_sort_stay_the_users()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        int pending;
        await using (var db = context.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext())
        {
            pending = await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Pending);
        }

        var page = Open("/executions?page=2&sort=-created");
        page.WaitForAssertion(() => Assert.Contains("26-50 of 60", page.Find("[data-testid=list-range]").TextContent, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal($"{pending}", page.Find("[data-testid=status-count-Pending]").TextContent));
        var secondPage = page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href")).ToList();

        await CreateAsync();
        await TickAsync();

        page.WaitForAssertion(() => Assert.Contains("26-50 of 61", page.Find("[data-testid=list-range]").TextContent, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal($"{pending + 1}", page.Find("[data-testid=status-count-Pending]").TextContent));
        Assert.EndsWith("/executions?page=2&sort=-created", Navigation.Uri, StringComparison.Ordinal);

        // Newest first: the new execution pushed every row one place down, so page 2 now starts with page 1's last.
        Assert.Equal(secondPage[..^1], page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href")).Skip(1));
    }

    [Fact]
    public async Task A_failure_fixed_by_a_rerun_is_marked_resolved_and_left_out_of_Unresolved_which_has_its_own_count()
    {
        var probe = context.Services.GetRequiredService<StepProbe>();
        probe.FailNext("square", times: 1);
        var fixedId = await CreateAsync();
        await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(fixedId, default);
        Guid rerunId;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            rerunId = (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .RerunAsync(fixedId, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711"), TestActors.Admin, default)).Id;
        }

        Assert.Equal(RunOutcome.Succeeded, await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(rerunId, default));
        probe.FailNext("square", times: 1);
        var openId = await CreateAsync();
        await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(openId, default);

        var failed = Open("/executions?status=Failed");
        failed.WaitForAssertion(() =>
        {
            Assert.Equal("2", failed.Find("[data-testid=status-count-Failed]").TextContent);
            Assert.Equal("1", failed.Find("[data-testid=status-count-Unresolved]").TextContent);
        });
        var marker = Row(failed, fixedId).QuerySelector("[data-testid=execution-resolved]")!;
        Assert.Equal("resolved by re-run", marker.TextContent);
        Assert.Equal($"/executions/{rerunId}", marker.GetAttribute("href"));
        Assert.Null(Row(failed, openId).QuerySelector("[data-testid=execution-resolved]"));

        // The chips read in order, Unresolved right after Failed, which it narrows.
        var chips = failed.FindAll("[data-testid=list-counts] [data-testid^=status-chip-]").Select(c => c.GetAttribute("data-testid")).ToList();
        Assert.Equal(chips.IndexOf("status-chip-Failed") + 1, chips.IndexOf("status-chip-Unresolved"));

        var unresolved = Open(ExecutionsAdmin.UnresolvedHref);
        unresolved.WaitForAssertion(() => Assert.Equal(
            [$"/executions/{openId}"], unresolved.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href"))));
    }

    private async Task TickAsync()
    {
        context.Time.Advance(Interval);
        await context.Services.GetRequiredService<ExecutionChangeFeed>().CurrentPoll;
    }

    private IRenderedComponent<ExecutionsListPage> Open(string url)
    {
        Navigation.NavigateTo(url);
        var page = context.Render<ExecutionsListPage>();
        page.WaitForAssertion(() => Assert.True(
            page.FindAll("[data-testid=row]").Count > 0 || page.FindAll("[data-testid=list-empty]").Count > 0));
        return page;
    }

    private static IElement Row(IRenderedComponent<ExecutionsListPage> page, Guid id) =>
        page.FindAll("tbody tr").Single(r => r.QuerySelector("[data-testid=row]")?.GetAttribute("href") == $"/executions/{id}");

    private static string? Status(IElement row) => row.QuerySelector("[data-testid=status-chip]")?.GetAttribute("data-status");

    // The cell shows the step's name; its key is on hover.
    private static string Step(IElement row) => row.QuerySelector("td[data-label=Step] span")?.GetAttribute("title") ?? "";

    private static string Duration(IElement row) => row.QuerySelector("[data-testid=execution-duration]")!.TextContent.Trim();

    private void Start(Guid id) => runs.Add(Task.Run(() => context.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default)));

    private async Task<Guid> CreateAsync()
    {
        await using var scope = context.Services.CreateAsyncScope();
        var execution = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default);
        return execution.Id;
    }
}

public sealed class SqliteLiveExecutionsListTests(SqliteDatabaseFixture database)
    : LiveExecutionsListTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresLiveExecutionsListTests(PostgresDatabaseFixture database)
    : LiveExecutionsListTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
