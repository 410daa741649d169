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
using WorkflowAdmin.Tests.Console.Admin;
using WorkflowAdmin.Tests.Console.Executions.Live;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.List;

/// <summary>
/// The list's rows are in the first response: the prerender reads them and renders them, hands them to the circuit
/// through the persisted component state, and the circuit shows them without reading them again (decision 0026).
/// And each row is one link to its execution, with the workflow and step by name. Once per provider.
/// </summary>
public abstract partial class FirstResponseListTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly TDatabase database;
    private readonly ConsoleTestContext context;

    protected FirstResponseListTests(TDatabase database)
    {
        this.database = database;
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
        context.Services.AddSingleton<CommandCounter>();
        context.Services.AddSingleton<CountHold>();
        context.Services.ConfigureDbContext<SqliteAppDbContext>(
            (sp, o) => o.AddInterceptors(sp.GetRequiredService<CommandCounter>(), sp.GetRequiredService<CountHold>()), ServiceLifetime.Singleton);
        context.Services.ConfigureDbContext<PostgreSqlAppDbContext>(
            (sp, o) => o.AddInterceptors(sp.GetRequiredService<CommandCounter>(), sp.GetRequiredService<CountHold>()), ServiceLifetime.Singleton);
        context.SignInAs(Roles.Support);
    }

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    private CommandCounter Commands => context.Services.GetRequiredService<CommandCounter>();

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task The_prerender_renders_the_rows_and_the_circuit_shows_them_without_reading_them_again()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await using var db = database.CreateDbContext();
        var newest = await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(e => e.Id).Take(25).ToListAsync();
        Navigation.NavigateTo("/executions?sort=-created");

        // The prerender: rows in its HTML, read by the page query and its count.
        context.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Commands.Clear();
        var prerendered = context.Render<ExecutionsListPage>();
        prerendered.WaitForAssertion(() => Assert.Equal(newest.Select(id => $"/executions/{id}"), RowLinks(prerendered)));
        Assert.Contains(Commands.Commands, IsPageQuery);
        context.PersistentState.TriggerOnPersisting();

        // The circuit: the same rows at its first render, and no page query of its own.
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Commands.Clear();
        var interactive = context.Render<ExecutionsListPage>();
        Assert.Equal(newest.Select(id => $"/executions/{id}"), RowLinks(interactive));
        Assert.Contains("1-25 of 60", interactive.Find("[data-testid=list-range]").TextContent, StringComparison.Ordinal);

        // The chip counts are the circuit's own (they are not in the prerender); they are counts, never the page.
        interactive.WaitForAssertion(() => Assert.NotEqual("…", interactive.Find("[data-testid=status-count-Failed]").TextContent));
        Assert.DoesNotContain(Commands.Commands, IsPageQuery);

        // A filter change on the live page reads as it always did.
        interactive.Find("[data-testid=status-chip-Failed]").Click();
        interactive.WaitForAssertion(() =>
        {
            var statuses = interactive.FindAll("tbody [data-testid=status-chip]").Select(c => c.GetAttribute("data-status")).ToList();
            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Equal("Failed", s));
        });
        Assert.Contains(Commands.Commands, IsPageQuery);
    }

    [Fact]
    public async Task A_searchs_first_response_shows_its_rows_before_their_count_and_the_circuit_counts_them_without_reading_them_again()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await using var db = database.CreateDbContext();
        var texts = await db.WorkflowExecutions.Select(e => e.SearchText).ToListAsync();
        // The letter most executions' text holds: a full first page, and a count the first response would have waited for.
        var letter = texts.SelectMany(t => t.Where(char.IsAsciiLetterLower).Distinct()).GroupBy(c => c).MaxBy(g => g.Count())!.Key;
        var matching = texts.Count(t => t.Contains(letter, StringComparison.Ordinal));
        Assert.InRange(matching, 26, 60);
        Navigation.NavigateTo($"/executions?q={letter}");

        // The prerender: a full page of rows, no count query, and the pager says the count is on its way.
        context.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Commands.Clear();
        var prerendered = context.Render<ExecutionsListPage>();
        prerendered.WaitForAssertion(() => Assert.Equal(25, RowLinks(prerendered).Count));
        Assert.DoesNotContain(Commands.Commands, IsCount);
        Assert.Equal("1-25 of …", prerendered.Find("[data-testid=list-range]").TextContent.Trim());
        Assert.False(prerendered.Find("[data-testid=list-page-next]").HasAttribute("disabled"));
        context.PersistentState.TriggerOnPersisting();

        // The circuit: the same rows at once, then the count, without reading the page again.
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Commands.Clear();
        var interactive = context.Render<ExecutionsListPage>();
        Assert.Equal(RowLinks(prerendered), RowLinks(interactive));
        interactive.WaitForAssertion(() => Assert.Equal($"1-25 of {matching}", interactive.Find("[data-testid=list-range]").TextContent.Trim()));
        Assert.Contains(Commands.Commands, IsCount);
        Assert.DoesNotContain(Commands.Commands, IsPageQuery);

        // The same search sorted otherwise (or reloaded live): its count is counted again, and the one shown stays until
        // then instead of flashing "of …". The new count is held back, so the page is seen between its rows and its count.
        var hold = context.Services.GetRequiredService<CountHold>();
        hold.Start();
        Commands.Clear();
        Navigation.NavigateTo($"/executions?q={letter}&sort=business-key");
        interactive.WaitForAssertion(() => Assert.Equal("ascending", interactive.Find("[data-testid=sort-business-key]").ParentElement!.GetAttribute("aria-sort")));
        interactive.WaitForAssertion(() => Assert.Contains(Commands.Commands, c => IsPageQuery(c) && OrdersByBusinessKey().IsMatch(c)));
        await hold.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        interactive.WaitForAssertion(() => Assert.Equal(25, RowLinks(interactive).Count));
        Assert.Equal($"1-25 of {matching}", interactive.Find("[data-testid=list-range]").TextContent.Trim());
        hold.Release();

        // Another page of the search: its rows, then the count again (or with them, when the page is short).
        var last = (matching + 24) / 25;
        Navigation.NavigateTo($"/executions?q={letter}&page={last}");
        interactive.WaitForAssertion(() => Assert.Equal(
            $"{((last - 1) * 25) + 1}-{matching} of {matching}", interactive.Find("[data-testid=list-range]").TextContent.Trim()));
    }

    [Fact]
    public async Task Rows_persisted_for_another_query_are_not_used()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        Navigation.NavigateTo("/executions");
        context.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var prerendered = context.Render<ExecutionsListPage>();
        prerendered.WaitForAssertion(() => Assert.Equal(25, RowLinks(prerendered).Count));
        context.PersistentState.TriggerOnPersisting();

        // The address changed before the circuit started: its rows are read for the new one.
        Navigation.NavigateTo("/executions?status=Failed");
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Commands.Clear();
        var interactive = context.Render<ExecutionsListPage>();
        interactive.WaitForAssertion(() =>
        {
            var statuses = interactive.FindAll("tbody [data-testid=status-chip]").Select(c => c.GetAttribute("data-status")).ToList();
            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Equal("Failed", s));
        });
        Assert.Contains(Commands.Commands, IsPageQuery);
    }

    [Fact]
    public async Task Each_row_is_one_link_to_its_execution_and_shows_the_workflow_and_step_by_name()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 30);
        await using var db = database.CreateDbContext();
        var failed = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed && e.CurrentStepKey != null)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).FirstAsync();
        var registry = context.Services.GetRequiredService<WorkflowRegistry>();
        Assert.True(registry.TryGet(failed.DefinitionKey, out var definition));
        var stepName = definition!.Steps.Single(s => s.Key == failed.CurrentStepKey).DisplayName;
        Navigation.NavigateTo($"/executions?q={failed.Id}");

        var page = context.Render<ExecutionsListPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=row]")));
        var row = page.Find("tbody tr");

        // One real link per row (reachable with Tab, opened with Enter); app.css stretches it over the whole row.
        var links = row.QuerySelectorAll("a").Where(a => a.GetAttribute("data-testid") == "row").ToList();
        var link = Assert.Single(links);
        Assert.Equal($"/executions/{failed.Id}", link.GetAttribute("href"));
        Assert.Contains("list-row-link", link.ClassList);
        Assert.Contains("list-row", row.ClassList);

        // Names from the registry, keys on hover.
        Assert.Equal(definition.DisplayName, row.Children[1].TextContent.Trim());
        Assert.Equal(failed.DefinitionKey, row.Children[1].QuerySelector("span")!.GetAttribute("title"));
        Assert.Equal(stepName, row.QuerySelector("td[data-label=Step]")!.TextContent.Trim());
        Assert.Equal(failed.CurrentStepKey, row.QuerySelector("td[data-label=Step] span")!.GetAttribute("title"));
    }

    [Fact]
    public async Task The_execution_page_is_prerendered_and_its_circuit_shows_it_without_a_single_query()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 20);
        await using var db = database.CreateDbContext();
        var failed = await db.WorkflowExecutions.Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .Where(e => e.Status == ExecutionStatus.Failed).OrderBy(e => e.CreatedAt).FirstAsync();

        context.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var prerendered = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, failed.Id));
        prerendered.WaitForAssertion(() => Assert.Equal(failed.Steps.Count, prerendered.FindAll("[data-testid=step-row]").Count));
        context.PersistentState.TriggerOnPersisting();

        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Commands.Clear();
        var interactive = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, failed.Id));

        // The same steps, statuses and attempts at the first render; nothing read (the feed's first poll is a tick away).
        Assert.Equal(
            failed.Steps.OrderBy(s => s.Ordinal).Select(s => (s.StepKey, s.Status.ToString())),
            interactive.FindAll("[data-testid=step-row]").Select(r => (r.GetAttribute("data-step")!, r.GetAttribute("data-status")!)));
        Assert.Equal(prerendered.Find("[data-testid=step-row][aria-selected=true]").GetAttribute("data-step"),
            interactive.Find("[data-testid=step-row][aria-selected=true]").GetAttribute("data-step"));
        Assert.Equal(0, Commands.Count);
    }

    // The page's own read orders its rows; the chip counts and the change feed never do.
    // (A search's panel of matching failure groups orders its groups: not the page.)
    private static bool IsPageQuery(string sql) =>
        sql.Contains("ORDER BY", StringComparison.OrdinalIgnoreCase) && !sql.Contains("\"FailureGroups\"", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex("ORDER BY [^;]*BusinessKey")]
    private static partial System.Text.RegularExpressions.Regex OrdersByBusinessKey();

    // The list's own count; the chip counts group by status.
    private static bool IsCount(string sql) =>
        sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase) && !sql.Contains("GROUP BY", StringComparison.OrdinalIgnoreCase);

    private static List<string?> RowLinks(IRenderedComponent<ExecutionsListPage> page) =>
        page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href")).ToList();
}

/// <summary>Holds the list's own count commands, once started, until released: to see a page between its rows and its count.</summary>
public sealed class CountHold : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
{
    private TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? released;

    public Task Reached => reached.Task;

    public void Start()
    {
        reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => released?.TrySetResult();

    public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
        System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
        Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (released is { } gate && command.CommandText.Contains("COUNT(", StringComparison.OrdinalIgnoreCase)
            && !command.CommandText.Contains("GROUP BY", StringComparison.OrdinalIgnoreCase))
        {
            reached.TrySetResult();
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return result;
    }
}

public sealed class SqliteFirstResponseListTests(SqliteDatabaseFixture database)
    : FirstResponseListTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresFirstResponseListTests(PostgresDatabaseFixture database)
    : FirstResponseListTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
