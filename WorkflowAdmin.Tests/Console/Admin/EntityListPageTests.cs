using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>
/// The generic list page, rendered for the executions admin (its richest user) over seeded executions, and the
/// generic route for the users admin. Run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class EntityListPageTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly string[] SucceededOrFailed = ["Succeeded", "Failed"];

    private readonly TDatabase database;
    private readonly ConsoleTestContext context;

    protected EntityListPageTests(TDatabase database)
    {
        this.database = database;
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
        context.SignInAs(Roles.Support);
    }

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task The_page_shows_the_admin_columns_and_a_page_of_rows_newest_first_each_linking_to_its_execution()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);

        var page = Open("/executions");

        Assert.Equal(
            ["Id", "Workflow", "Business key", "Status", "Error", "Step", "Triggered by", "Source", "Created", "Duration"],
            page.FindAll("thead th").Select(th => th.TextContent.Trim()));
        var rows = page.FindAll("[data-testid=row]");
        Assert.Equal(25, rows.Count);
        await using var db = database.CreateDbContext();
        var newest = await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(e => e.Id).FirstAsync();
        Assert.Equal($"/executions/{newest}", rows[0].GetAttribute("href"));
        Assert.Equal(newest.ToString()[..8], rows[0].TextContent.Trim());
        Assert.Equal(25, page.FindAll("tbody [data-testid=status-chip]").Count);
        Assert.Contains("1-25 of 60", page.Find("[data-testid=list-range]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_chips_show_a_count_per_status()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await using var db = database.CreateDbContext();
        var counts = await db.WorkflowExecutions.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();

        var page = Open("/executions");

        page.WaitForAssertion(() =>
        {
            foreach (var status in Enum.GetValues<ExecutionStatus>())
            {
                var expected = counts.SingleOrDefault(c => c.Key == status)?.Count ?? 0;
                Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find($"[data-testid=status-count-{status}]").TextContent);
            }
        });
    }

    [Fact]
    public async Task Choosing_a_status_chip_filters_the_rows_and_writes_the_filter_into_the_url()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        var page = Open("/executions?page=2");

        await page.InvokeAsync(() => page.Find("[data-testid=status-chip-Failed]").Click());

        page.WaitForAssertion(() => Assert.EndsWith("/executions?status=Failed", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() =>
        {
            var statuses = page.FindAll("tbody [data-testid=status-chip]").Select(c => c.GetAttribute("data-status")).ToList();
            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Equal("Failed", s));
        });
    }

    [Fact]
    public async Task Choosing_created_within_the_last_7_days_writes_a_relative_from_and_narrows_the_rows_to_that_window()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        context.Time.AutoAdvanceAmount = TimeSpan.Zero;
        var page = Open("/executions?from=2020-01-01&to=2100-01-01");
        Assert.True(string.IsNullOrEmpty(page.Find("[data-testid=filter-from-within]").GetAttribute("value")));

        await page.InvokeAsync(() => page.Find("[data-testid=filter-from-within]").Change("-7d"));

        // The window replaces both dates and stays relative in the address.
        page.WaitForAssertion(() => Assert.EndsWith("/executions?from=-7d", Navigation.Uri, StringComparison.Ordinal));
        var since = context.Time.GetUtcNow().UtcDateTime.AddDays(-7);
        await using var db = database.CreateDbContext();
        var expected = await db.WorkflowExecutions.CountAsync(e => e.CreatedAt >= since);
        Assert.InRange(expected, 1, 24);
        page.WaitForAssertion(() =>
        {
            Assert.Equal(expected, page.FindAll("[data-testid=row]").Count);
            Assert.Equal("-7d", page.Find("[data-testid=filter-from-within]").GetAttribute("value"));
        });

        // A window the editor does not offer, written in the address, is offered under its own name.
        Navigation.NavigateTo("/executions?from=-36h");
        page.WaitForAssertion(() => Assert.Contains(
            page.FindAll("[data-testid=filter-from-within] option"), o => o.GetAttribute("value") == "-36h" && o.TextContent == "Last 36 hours"));

        // Back to the first choice clears the window.
        await page.InvokeAsync(() => page.Find("[data-testid=filter-from-within]").Change(""));
        page.WaitForAssertion(() => Assert.EndsWith("/executions", Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Choosing_a_status_chip_keeps_the_chip_counts_it_does_not_count_again()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await using var db = database.CreateDbContext();
        var failed = await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Failed);
        Assert.InRange(failed, 1, 59);
        var page = Open("/executions");
        page.WaitForAssertion(() => Assert.Equal(failed.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=status-count-Failed]").TextContent));

        // The chips count every value of their own filter with the OTHER filters applied: choosing one changes no count,
        // so none is read again. Failures cancelled behind the page's back (no change feed entry) show which reads happen.
        await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed).ExecuteUpdateAsync(u => u.SetProperty(e => e.Status, ExecutionStatus.Cancelled));
        await page.InvokeAsync(() => page.Find("[data-testid=status-chip-Failed]").Click());

        page.WaitForAssertion(() => Assert.EndsWith("/executions?status=Failed", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("tbody [data-testid=row]")));
        Assert.Equal(failed.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=status-count-Failed]").TextContent);

        // A search is another filter: the counts follow it.
        await page.InvokeAsync(() => Navigation.NavigateTo("/executions?status=Failed&q=anything"));
        page.WaitForAssertion(() => Assert.Equal("0", page.Find("[data-testid=status-count-Failed]").TextContent));
    }

    [Fact]
    public async Task Searching_writes_the_search_into_the_url_and_narrows_the_rows()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await using var db = database.CreateDbContext();
        var target = await db.WorkflowExecutions.OrderBy(e => e.CreatedAt).Select(e => new { e.Id, e.BusinessKey }).FirstAsync();
        var page = Open("/executions");

        SearchBox(page).Input(target.Id.ToString());

        // MudBlazor debounces on the injected (fake) TimeProvider: let time pass while waiting, as it would for a user.
        page.WaitForAssertion(() =>
        {
            context.Time.Advance(TimeSpan.FromMilliseconds(500));
            Assert.EndsWith($"/executions?q={target.Id}", Navigation.Uri, StringComparison.Ordinal);
        });
        page.WaitForAssertion(() => Assert.Equal([$"/executions/{target.Id}"], page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href"))));
    }

    [Fact]
    public async Task Opening_a_url_with_list_state_restores_the_filters_search_page_size_and_sort()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 120);
        await using var db = database.CreateDbContext();
        var failed = await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Failed || e.Status == ExecutionStatus.Succeeded);

        var page = Open("/executions?status=Succeeded,Failed&size=50&sort=created&q=a");

        Assert.Contains("mud-chip-selected", page.Find("[data-testid=status-chip-Failed]").ClassList);
        Assert.Contains("mud-chip-selected", page.Find("[data-testid=status-chip-Succeeded]").ClassList);
        Assert.DoesNotContain("mud-chip-selected", page.Find("[data-testid=status-chip-Running]").ClassList);
        Assert.Equal("a", SearchBox(page).GetAttribute("value"));
        Assert.NotNull(page.Find("[data-testid=sort-created] .mud-button-icon-end"));
        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("tbody tr").Where(r => r.QuerySelector("[data-testid=row]") is not null).ToList();
            Assert.InRange(rows.Count, 1, 50);
            Assert.All(rows, r => Assert.Contains(r.QuerySelector("[data-testid=status-chip]")!.GetAttribute("data-status"), SucceededOrFailed));
        });
        Assert.True(failed > 0);
    }

    [Fact]
    public async Task Opening_a_later_page_shows_it_and_the_pager_moves_on_from_there()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);

        var page = Open("/executions?page=2");

        page.WaitForAssertion(() => Assert.Contains("26-50 of 60", page.Find("[data-testid=list-range]").TextContent, StringComparison.Ordinal));
        Assert.EndsWith("/executions?page=2", Navigation.Uri, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("button[aria-label='Next page']").Click());

        page.WaitForAssertion(() => Assert.Contains("51-60 of 60", page.Find("[data-testid=list-range]").TextContent, StringComparison.Ordinal));
        Assert.EndsWith("/executions?page=3", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Above_the_cap_the_count_is_labelled_an_estimate_until_counted_exactly()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, EntityAdmin.CountCap + 50);

        var page = Open("/executions");

        Assert.Equal("1-25 of 10,000+", page.Find("[data-testid=list-range]").TextContent);
        Assert.NotNull(page.Find("[data-testid=list-count-estimate]"));

        await page.InvokeAsync(() => page.Find("[data-testid=list-count-exactly]").Click());

        page.WaitForAssertion(() => Assert.Equal("1-25 of 10,050", page.Find("[data-testid=list-range]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=list-count-estimate]"));
    }

    [Fact]
    public async Task A_url_changed_under_the_page_like_the_back_button_does_is_read_back()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        var page = Open("/executions?status=Failed");

        Navigation.NavigateTo("/executions?status=Succeeded");

        page.WaitForAssertion(() =>
        {
            Assert.Contains("mud-chip-selected", page.Find("[data-testid=status-chip-Succeeded]").ClassList);
            Assert.DoesNotContain("mud-chip-selected", page.Find("[data-testid=status-chip-Failed]").ClassList);
            var statuses = page.FindAll("tbody [data-testid=status-chip]").Select(c => c.GetAttribute("data-status")).ToList();
            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Equal("Succeeded", s));
        });
    }

    [Fact]
    public async Task Sorting_by_a_column_header_writes_the_sort_and_a_second_click_reverses_it()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        var page = Open("/executions");

        await page.InvokeAsync(() => page.Find("[data-testid=sort-business-key]").Click());
        page.WaitForAssertion(() => Assert.EndsWith("?sort=business-key", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(Sorted(BusinessKeys(page)), BusinessKeys(page)));

        await page.InvokeAsync(() => page.Find("[data-testid=sort-business-key]").Click());
        page.WaitForAssertion(() => Assert.EndsWith("?sort=-business-key", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(Enumerable.Reverse(Sorted(BusinessKeys(page))), BusinessKeys(page)));
    }

    [Fact]
    public async Task An_empty_list_says_so_and_a_filtered_one_offers_to_clear_its_filters()
    {
        var page = Open("/executions");
        page.WaitForAssertion(() => Assert.Contains("No executions yet.", page.Find("[data-testid=list-empty]").TextContent, StringComparison.Ordinal));

        var filtered = Open("/executions?q=unavailable");
        filtered.WaitForAssertion(() => Assert.Contains("match", filtered.Find("[data-testid=list-empty]").TextContent, StringComparison.Ordinal));
        // Error text is searched whatever the filters (decision 0029), so no hint asks for the Failed status first.
        Assert.DoesNotContain("Failed status", filtered.Find("[data-testid=list-empty]").TextContent, StringComparison.Ordinal);

        await filtered.InvokeAsync(() => filtered.Find("[data-testid=list-clear]").Click());
        filtered.WaitForAssertion(() => Assert.EndsWith("/executions", Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_users_list_is_for_administrators_only_and_offers_them_a_new_user()
    {
        await using (var db = database.CreateDbContext())
        {
            await AdminTestData.AddUserAsync(db, "grace@workflowadmin.local", "Grace Hopper", Roles.Auditor, disabled: true);
        }

        Navigation.NavigateTo("/users");
        var denied = context.Render<AdminListPage>(p => p.Add(x => x.Slug, "users"));
        Assert.NotNull(denied.Find("[data-testid=access-denied]"));

        context.SignInAs(Roles.Admin);
        var page = context.Render<AdminListPage>(p => p.Add(x => x.Slug, "users"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=row]")));
        var row = page.Find("tbody tr");
        Assert.Contains("Grace Hopper", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Auditor", row.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("/users/", page.Find("[data-testid=row]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("/users/new", page.Find("[data-testid=list-create]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_url_with_cols_shows_those_columns_in_the_lists_order_and_the_first_always()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 30);

        var page = Open("/executions?cols=created,status,bogus");

        Assert.Equal(["Id", "Status", "Created"], page.FindAll("thead th").Select(th => th.TextContent.Trim()));
        Assert.All(page.FindAll("tbody tr"), row => Assert.Equal(3, row.Children.Length));
        Assert.Equal(25, page.FindAll("[data-testid=row]").Count);
        Assert.True(page.Find("[data-testid=column-id]").HasAttribute("disabled"));
        Assert.False(page.Find("[data-testid=column-workflow]").HasAttribute("checked"));
    }

    [Fact]
    public async Task Unticking_a_column_writes_cols_into_the_url_without_reading_the_rows_again_and_remembers_it_for_the_user()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 30);
        var user = await context.SignInAsUserAsync(Roles.Support);
        var page = Open("/executions");
        var firstRow = page.Find("[data-testid=row]").GetAttribute("href");

        await page.InvokeAsync(() => page.Find("[data-testid=column-source]").Change(false));
        await page.InvokeAsync(() => page.Find("[data-testid=column-business-key]").Change(false));

        page.WaitForAssertion(() => Assert.EndsWith(
            "/executions?cols=id%2Cworkflow%2Cstatus%2Cerror%2Cstep%2Ctriggered-by%2Ccreated%2Cduration", Navigation.Uri, StringComparison.Ordinal));
        var headers = page.FindAll("thead th").Select(th => th.TextContent.Trim()).ToList();
        Assert.DoesNotContain("Source", headers);
        Assert.DoesNotContain("Business key", headers);
        Assert.Equal(firstRow, page.Find("[data-testid=row]").GetAttribute("href"));

        // The user's own default: stored on the user, so a bare address (another browser, tomorrow) shows the same columns.
        string? stored = null;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15) && stored?.Contains("business-key", StringComparison.Ordinal) != false; await Task.Delay(100))
        {
            await using var db = database.CreateDbContext();
            stored = (await db.Users.SingleAsync(u => u.Id == user.Id)).ColumnsFor(ExecutionsAdmin.SlugValue);
        }

        Assert.Equal("id,workflow,status,error,step,triggered-by,created,duration", stored);

        var bare = Open("/executions");
        Assert.DoesNotContain("Source", bare.FindAll("thead th").Select(th => th.TextContent.Trim()));

        // Back to every column: no cols= at all, and nothing remembered.
        await bare.InvokeAsync(() => bare.Find("[data-testid=list-columns-reset]").Click());
        bare.WaitForAssertion(() => Assert.EndsWith("/executions", Navigation.Uri, StringComparison.Ordinal));
        bare.WaitForAssertion(() => Assert.Contains("Source", bare.FindAll("thead th").Select(th => th.TextContent.Trim())));
        // The page shows the columns first and writes the user afterwards.
        string? forgotten = "not read";
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15) && forgotten is not null; await Task.Delay(100))
        {
            await using var db = database.CreateDbContext();
            forgotten = (await db.Users.SingleAsync(u => u.Id == user.Id)).ListColumns;
        }

        Assert.Null(forgotten);
    }

    [Fact]
    public async Task A_view_of_failures_shows_the_error_whatever_columns_were_chosen()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 30);

        var page = Open("/executions?status=Unresolved&cols=id,status,created");

        Assert.Equal(["Id", "Status", "Error", "Created"], page.FindAll("thead th").Select(th => th.TextContent.Trim()));
        Assert.True(page.Find("[data-testid=column-error]").HasAttribute("disabled"));

        // The same columns on every execution: the error goes with the failure filter.
        Navigation.NavigateTo("/executions?cols=id,status,created");
        page.WaitForAssertion(() => Assert.Equal(["Id", "Status", "Created"], page.FindAll("thead th").Select(th => th.TextContent.Trim())));
    }

    private IRenderedComponent<ExecutionsListPage> Open(string url)
    {
        Navigation.NavigateTo(url);
        var page = context.Render<ExecutionsListPage>();
        page.WaitForAssertion(() => Assert.True(
            page.FindAll("[data-testid=row]").Count > 0 || page.FindAll("[data-testid=list-empty]").Count > 0));
        return page;
    }

    private static IElement SearchBox(IRenderedComponent<ExecutionsListPage> page) =>
        page.Find("input[data-testid=list-search], [data-testid=list-search] input");

    private static List<string> BusinessKeys(IRenderedComponent<ExecutionsListPage> page) =>
        page.FindAll("tbody tr").Select(r => r.Children[2].TextContent.Trim()).ToList();

    private static List<string> Sorted(List<string> keys) => keys.Order(StringComparer.Ordinal).ToList();
}

public sealed class SqliteEntityListPageTests(SqliteDatabaseFixture database)
    : EntityListPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresEntityListPageTests(PostgresDatabaseFixture database)
    : EntityListPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
