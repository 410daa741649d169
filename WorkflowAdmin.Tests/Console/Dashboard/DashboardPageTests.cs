using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Dashboard;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Dashboard;

/// <summary>
/// The dashboard over executions made and run by the real engine at chosen times (the test workflow's steps fail
/// on request), read at 2026-03-25 12:00 UTC.
/// </summary>
public abstract class DashboardPageTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string TimeoutType = "System.TimeoutException";

    private static readonly DateTimeOffset Now = new(2026, 3, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly ConsoleTestContext context;
    private readonly Bunit.TestDoubles.BunitPersistentComponentState state;

    protected DashboardPageTests(TDatabase database)
    {
        context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        context.Services.AddSingleton<StepProbe>();
        state = context.AddBunitPersistentComponentState();
        context.SignInAs(Roles.Support);
    }

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task Counts_per_status_for_the_last_day_and_week_say_what_they_count_and_link_to_the_list_filtered_the_same_way()
    {
        await SeedScenarioAsync();

        var page = RenderAtNow();

        string[] statuses = ["Pending", "Running", "Succeeded", "Unresolved", "Failed", "Cancelled"];
        Assert.Equal(
            new Dictionary<string, string> { ["Pending"] = "1", ["Running"] = "0", ["Succeeded"] = "1", ["Unresolved"] = "2", ["Failed"] = "2", ["Cancelled"] = "0" },
            statuses.ToDictionary(s => s, s => Count(page, "24h", s)));
        Assert.Equal(
            new Dictionary<string, string> { ["Pending"] = "1", ["Running"] = "0", ["Succeeded"] = "1", ["Unresolved"] = "3", ["Failed"] = "3", ["Cancelled"] = "0" },
            statuses.ToDictionary(s => s, s => Count(page, "7d", s)));
        Assert.Equal(
            "/executions?status=Unresolved&from=2026-03-24T12:00:00Z&to=2026-03-25T12:01:00Z",
            page.Find("[data-testid=status-count-24h-Unresolved]").GetAttribute("href"));
        Assert.Equal(
            "/executions?status=Failed&from=2026-03-24T12:00:00Z&to=2026-03-25T12:01:00Z",
            page.Find("[data-testid=status-count-24h-Failed]").GetAttribute("href"));
        Assert.Equal(
            "/executions?status=Succeeded&from=2026-03-18T12:00:00Z&to=2026-03-25T12:01:00Z",
            page.Find("[data-testid=status-count-7d-Succeeded]").GetAttribute("href"));
        Assert.Equal(
            "Executions created since 2026-03-24 12:00:00 UTC, counted by their status now.",
            page.Find("[data-testid=window-caption-24h]").TextContent.Trim());
        Assert.Contains("Unresolved failures", page.Find("[data-testid=failures-24h]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_a_rerun_resolved_leaves_the_unresolved_count_and_is_counted_as_resolved()
    {
        var ids = await SeedScenarioAsync();
        context.Time.SetUtcNow(Now.AddMinutes(-10));
        await using (var scope = context.Services.CreateAsyncScope())
        {
            var rerun = await scope.ServiceProvider.GetRequiredService<ExecutionService>().RerunAsync(
                ids.Fabrikam, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711", ConfirmDuplicate: true), TestActors.Admin, default);
            await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(rerun.Id, default);
        }

        var page = RenderAtNow();

        Assert.Equal(("1", "2", "2"), (Count(page, "24h", "Unresolved"), Count(page, "24h", "Failed"), Count(page, "24h", "Succeeded")));
        Assert.Equal("1", page.Find("[data-testid=resolved-24h]").TextContent.Trim());
        var chart = page.FindComponent<MudChart<double>>().Instance;
        Assert.Equal(1, chart.ChartSeries[1].Data.Values[^1]);
        Assert.Equal(1, chart.ChartSeries[2].Data.Values[^1]);
        var square = page.FindAll("[data-testid=errors-table] tbody tr")
            .Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray())
            .Single(cells => cells[0] == "square");
        Assert.Equal(["square", "TimeoutException", "1", "2"], square);
    }

    [Fact]
    public async Task The_chart_shows_fourteen_utc_days_of_executions_and_their_failures_with_a_titled_axis_and_values()
    {
        await SeedScenarioAsync();

        var page = RenderAtNow();

        var chart = page.FindComponent<MudChart<double>>().Instance;
        Assert.Equal(14, chart.ChartLabels.Length);
        Assert.Equal("Mar 12", chart.ChartLabels[0]);
        Assert.Equal("Mar 25", chart.ChartLabels[^1]);
        double[] executions = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 4];
        double[] unresolved = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2];
        Assert.Equal(["Executions created", "Failed, unresolved", "Failed, resolved by re-run"], chart.ChartSeries.Select(s => s.Name));
        Assert.Equal(executions, chart.ChartSeries[0].Data.Values);
        Assert.Equal(unresolved, chart.ChartSeries[1].Data.Values);
        Assert.All(chart.ChartSeries[2].Data.Values, v => Assert.Equal(0, v));
        var options = Assert.IsType<BarChartOptions>(chart.ChartOptions);
        Assert.True(options.ShowValues);
        Assert.Equal(("Day created (UTC)", "Executions"), (options.XAxisTitle, options.YAxisTitle));
        Assert.Contains("Executions created per day (UTC)", page.Find("[data-testid=executions-chart]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frequent_errors_are_grouped_by_step_and_type_with_unresolved_and_all_failures()
    {
        await SeedScenarioAsync();

        var page = RenderAtNow();

        var rows = page.FindAll("[data-testid=errors-table] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["Step", "Error", "Unresolved", "All failures"], page.FindAll("[data-testid=errors-table] thead th").Select(th => th.TextContent.Trim()));
        Assert.Equal(["square", "TimeoutException", "2", "2"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["add", "TimeoutException", "1", "1"], rows[1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public void Figures_carried_over_from_the_prerender_are_shown_without_a_second_query()
    {
        // The database is empty: had the circuit asked it, every count would be 0.
        var counts = Enum.GetValues<ExecutionStatus>().ToDictionary(s => s, s => s == ExecutionStatus.Pending ? 4242 : 0);
        var window = new StatusWindow(Now.UtcDateTime.AddDays(-1), Now.UtcDateTime, counts, 0);
        state.Persist("dashboard", new DashboardSnapshot(Now.UtcDateTime, window, window with { From = Now.UtcDateTime.AddDays(-7) }, [], [], []));

        var page = context.Render<DashboardPage>();

        Assert.Equal("4,242", Count(page, "24h", "Pending"));
        Assert.Equal("4,242", Count(page, "7d", "Pending"));
    }

    [Fact]
    public async Task The_prerendered_figures_are_handed_to_the_circuit()
    {
        await SeedScenarioAsync();
        var page = RenderAtNow();

        // On the renderer's dispatcher, as the host persists state once the prerender is done.
        DashboardSnapshot? carried = null;
        await page.InvokeAsync(() => state.TriggerOnPersisting());
        page.WaitForAssertion(() => Assert.True(state.TryTake("dashboard", out carried)));
        Assert.NotNull(carried);
        Assert.Equal(2, carried.Last24Hours.UnresolvedFailures);
        Assert.Equal(1, carried.Last24Hours.Counts[ExecutionStatus.Pending]);
        Assert.Equal(4, carried.Days[^1].Executions);
        Assert.Equal(3, carried.LatestFailures.Count);
    }

    [Fact]
    public async Task The_latest_failures_come_newest_first_and_open_their_execution()
    {
        var ids = await SeedScenarioAsync();

        var page = RenderAtNow();

        var rows = page.FindAll("[data-testid=latest-failures] tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Equal("Latest unresolved failures", page.Find("[data-testid=latest-failures-title]").TextContent);
        Assert.Equal("executions?status=Unresolved", page.Find("[data-testid=all-unresolved]").GetAttribute("href")?.TrimStart('/'));
        Assert.Equal(
            [ids.Litware, ids.Fabrikam, ids.Northwind],
            rows.Select(r => Guid.Parse(r.QuerySelector("[data-testid=failure-link]")!.GetAttribute("title")!)));
        Assert.Equal($"/executions/{ids.Litware}", rows[0].QuerySelector("[data-testid=failure-link]")!.GetAttribute("href"));
        Assert.Equal(
            [ids.Litware.ToString("N")[..8], "litware", "square", SquareMessage, "30 min ago"],
            rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));

        // Relative to the clock at 12:00, the exact time on hover (app.js puts it in the browser's zone).
        Assert.Equal("2026-03-25 11:30:00 UTC", rows[0].QuerySelector("[data-testid=failure-time] time")!.GetAttribute("title"));
        Assert.Equal("2026-03-25T11:30:00.000Z", rows[0].QuerySelector("[data-testid=failure-time] time")!.GetAttribute("datetime"));
    }

    [Fact]
    public void An_empty_database_shows_zeros_everywhere_and_says_there_are_no_failures()
    {
        var page = context.Render<DashboardPage>();
        page.WaitForElement("[data-testid=status-count-24h-Failed]");

        Assert.All(Enum.GetNames<ExecutionStatus>().Append("Unresolved"), s => Assert.Equal("0", Count(page, "7d", s)));
        Assert.All(page.FindComponent<MudChart<double>>().Instance.ChartSeries, s => Assert.All(s.Data.Values, v => Assert.Equal(0, v)));
        Assert.Contains("No failures in the last 7 days.", page.Find("[data-testid=errors-table]").TextContent, StringComparison.Ordinal);
        Assert.Contains("No failed executions.", page.Find("[data-testid=latest-failures]").TextContent, StringComparison.Ordinal);
    }

    private static string SquareMessage => "The arithmetic service did not answer for step 'square'.";

    private static string Count(IRenderedComponent<DashboardPage> page, string window, string status) =>
        page.Find($"[data-testid=status-count-{window}-{status}] .status-count").TextContent.Trim();

    private IRenderedComponent<DashboardPage> RenderAtNow()
    {
        context.Time.SetUtcNow(Now);
        var page = context.Render<DashboardPage>();
        page.WaitForElement("[data-testid=latest-failures]");
        return page;
    }

    // In time order, since the clock only moves forward: one outside every window, one in the chart only, one
    // failure three days ago, and the last two hours' mix of success, failures and a pending execution.
    private async Task<(Guid Northwind, Guid Fabrikam, Guid Litware)> SeedScenarioAsync()
    {
        await RunAtAsync(Now.AddDays(-20), "old");
        await RunAtAsync(Now.AddDays(-10), "mid");
        var northwind = await RunAtAsync(Now.AddDays(-3), "northwind", failStep: "add");
        await RunAtAsync(Now.AddHours(-2), "contoso");
        var fabrikam = await RunAtAsync(Now.AddHours(-2), "fabrikam", failStep: "square");
        await RunAtAsync(Now.AddHours(-1), "tailspin", run: false);
        var litware = await RunAtAsync(Now.AddMinutes(-30), "litware", failStep: "square");
        return (northwind, fabrikam, litware);
    }

    private async Task<Guid> RunAtAsync(DateTimeOffset at, string label, string? failStep = null, bool run = true)
    {
        context.Time.SetUtcNow(at);
        if (failStep is not null)
        {
            // Fail every attempt the step is allowed, so the execution fails rather than retries into success.
            var attempts = context.Services.GetRequiredService<WorkflowRegistry>().Get(ArithmeticWorkflow.WorkflowKey).GetStep(failStep).MaxAttempts;
            context.Services.GetRequiredService<StepProbe>().FailNext(failStep, attempts);
        }

        await using var scope = context.Services.CreateAsyncScope();
        var execution = await scope.ServiceProvider.GetRequiredService<ExecutionService>().CreateAsync(
            ArithmeticWorkflow.WorkflowKey, $$$"""{"add":{"a":2,"b":3,"label":"{{{label}}}"}}""", TestActors.Admin, default);
        if (run)
        {
            await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(execution.Id, default);
        }

        return execution.Id;
    }
}

public sealed class SqliteDashboardPageTests(SqliteDatabaseFixture database)
    : DashboardPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresDashboardPageTests(PostgresDatabaseFixture database)
    : DashboardPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
