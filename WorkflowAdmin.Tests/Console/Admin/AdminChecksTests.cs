using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>
/// Django's admin checks, as a test: every registered admin's own query runs against a real database with each
/// filter value, each sortable column in both directions, and searches, and whatever comes back satisfies the
/// filter and the search it was asked for. A declaration EF cannot translate fails here, not in front of a user.
/// </summary>
public abstract class AdminChecksTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const int PageSize = 100;

    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddAdmins());
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await AdminTestData.ProvisionAsync(services.Provider, "Northwind Traders", "northwind-traders");
        await AdminTestData.ProvisionAsync(services.Provider, "Contoso Pharmaceuticals", "contoso-pharmaceuticals");
        await AdminTestData.StartBulkRerunAsync(services.Provider);
        await using var db = database.CreateDbContext();
        await AdminTestData.AddUserAsync(db, "admin@workflowadmin.local", "Ada Admin", Roles.Admin);
        await AdminTestData.AddUserAsync(db, "support@workflowadmin.local", "Sam Support", Roles.Support, disabled: true);
        await services.InScopeAsync(async sp =>
        {
            var keys = sp.GetRequiredService<ApiKeyService>();
            await keys.IssueAsync("crm-integration", [ApiScope.Trigger, ApiScope.Read], Actor.System, CancellationToken.None);
            var retired = await keys.IssueAsync("old-billing", [ApiScope.Read], Actor.System, CancellationToken.None);
            await keys.RevokeAsync(retired.Id, Actor.System, CancellationToken.None);
            return true;
        });
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public void The_registry_holds_every_list_of_the_console_once()
    {
        var slugs = services.GetRequiredService<AdminRegistry>().All.Select(a => a.Slug).ToList();

        Assert.Equal(
            ["executions", "bulk-reruns", "audit", "customers", "customer-admins", "pending-invites", "catalogs", "agreements", "plans", "renewals", "subsidies", "outbox", "users", "api-keys"],
            slugs);
    }

    [Fact]
    public async Task Every_admin_runs_with_each_filter_each_sortable_column_and_a_search_and_respects_them()
    {
        foreach (var admin in services.GetRequiredService<AdminRegistry>().All)
        {
            var check = typeof(AdminChecksTests<TDatabase>)
                .GetMethod(nameof(CheckAsync), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(RowType(admin));
            await (Task)check.Invoke(this, [admin])!;
        }
    }

    [Fact]
    public async Task Every_admin_answers_a_hand_edited_url_with_a_sensible_page()
    {
        foreach (var admin in services.GetRequiredService<AdminRegistry>().All)
        {
            var check = typeof(AdminChecksTests<TDatabase>)
                .GetMethod(nameof(HandEditedAsync), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(RowType(admin));
            await (Task)check.Invoke(this, [admin])!;
        }
    }

    [Fact]
    public async Task Every_admin_exports_exactly_the_lists_rows_in_its_order_for_each_sortable_column_across_many_batches()
    {
        foreach (var admin in services.GetRequiredService<AdminRegistry>().All)
        {
            var check = typeof(AdminChecksTests<TDatabase>)
                .GetMethod(nameof(ExportMatchesListAsync), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(RowType(admin));
            await (Task)check.Invoke(this, [admin])!;
        }
    }

    // The export continues after the last row of each batch (keyset); the list pages with one ORDER BY. With a batch
    // of 7, every tie in a sorted column (statuses, workflows, nulls) falls across batch edges somewhere.
    private async Task ExportMatchesListAsync<TRow>(EntityAdmin<TRow> admin)
        where TRow : class
    {
        var sorts = admin.Columns.Where(c => c.Sortable).SelectMany(c => new[] { c.Key, "-" + c.Key }).Prepend(null).ToList();
        var states = sorts.Select(sort => ListState.Empty with { Sort = sort }).ToList();
        if (admin.Slug == "executions" && admin.CountsFilter is { } counts)
        {
            states.Add(ListState.Empty.WithFilter(counts.Key, "Failed,Cancelled") with { Sort = "business-key" });
        }

        foreach (var state in states)
        {
            await using var db = database.CreateDbContext();
            var expected = (await admin.Sorted(admin.Filtered(db, state), state).ToListAsync()).Select(Line).ToList();
            var exported = new List<string>();
            await foreach (var batch in admin.ReadAllAsync(db, state, batchSize: 7, default))
            {
                Assert.InRange(batch.Count, 1, 7);
                exported.AddRange(batch.Select(Line));
            }

            Assert.True(expected.Count > 0, $"{admin.Slug}?{state.ToQueryString()}: no rows to export.");
            Assert.True(expected.SequenceEqual(exported), $"{admin.Slug}?{state.ToQueryString()}: the export's {exported.Count} rows differ from the list's {expected.Count}.");
        }

        string Line(TRow row) => string.Join("|", admin.ExportValues(row, admin.Columns).Select(v => ExportValueText.Csv(v)));
    }

    private static readonly string[] HandEditedQueries =
    [
        "page=9000000", "page=2147483647&size=100", "page=99999999999999999999", "page=-5", "page=0", "page=abc", "page=1e9",
        "size=-1", "size=0", "size=99999999", "size=2147483647&page=2147483647", "sort=nonsense", "sort=-", "sort=--", "sort=" + new string('-', 500),
        "q=%27%20OR%201%3D1--", "q=%25_%5C%5B%5D", "q=" + new string('x', 4000), "q=" + string.Join("+", Enumerable.Repeat("a", 500)),
        "q=%E2%80%AE%F0%9F%98%80%00",
    ];

    private static readonly string[] HostileValues =
        ["%27%3B%20DROP%20TABLE%20x%3B--", "99999-99-99", "0000-00-00", "-1", "2147483648", "%00", "%3Cscript%3E", new string('z', 3000), ",,,", "Failed,Nope,%00"];

    // A hand-edited URL gets a page (the last one, if it asked past the end), never an exception.
    private async Task HandEditedAsync<TRow>(EntityAdmin<TRow> admin)
        where TRow : class
    {
        var queries = HandEditedQueries
            .Concat(admin.Filters.SelectMany(f => f.Keys).SelectMany(key => HostileValues.Select(v => $"{key}={v}&page=9000000")));
        foreach (var query in queries)
        {
            var state = ListState.FromUri($"http://localhost{admin.Href}?{query}", admin);
            await using var db = database.CreateDbContext();
            ListPage<TRow> page;
            try
            {
                page = await admin.LoadPageAsync(db, state, default);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{admin.Slug}?{query[..Math.Min(query.Length, 80)]} threw {ex.GetType().Name}: {ex.Message}");
            }

            Assert.InRange(page.Page, 1, EntityAdmin.MaxPage(admin.PageSizeFor(state)));
            Assert.True(page.Rows.Count > 0 || page.Page == 1, $"{admin.Slug}?{query[..Math.Min(query.Length, 80)]} showed an empty page {page.Page}.");
        }

        // Past the end means the last page, not an empty one.
        await using var counting = database.CreateDbContext();
        var all = await admin.CountAsync(counting, ListState.Empty, exact: true, default);
        var size = admin.PageSizes[0];
        var last = await admin.LoadPageAsync(counting, ListState.FromUri($"http://localhost{admin.Href}?page=9000000", admin), default);
        var expected = Math.Clamp((all.Value + size - 1) / size, 1, EntityAdmin.MaxPage(size));
        Assert.Equal(expected, last.Page);
    }

    private async Task CheckAsync<TRow>(EntityAdmin<TRow> admin)
        where TRow : class
    {
        var all = await LoadAsync(admin, ListState.Empty);
        Assert.True(all.Count > 0, $"{admin.Slug}: the test data should give every list rows to check.");

        foreach (var column in admin.Columns.Where(c => c.Sortable))
        {
            foreach (var sort in new[] { column.Key, "-" + column.Key })
            {
                var sorted = await LoadAsync(admin, ListState.Empty with { Sort = sort });
                Assert.True(all.Count == sorted.Count, $"{admin.Slug}: sorting by {sort} changed the rows.");
            }
        }

        foreach (var filter in admin.Filters)
        {
            foreach (var state in SampleStates(filter, all, admin))
            {
                var rows = await LoadAsync(admin, state);
                Assert.True(
                    admin.ApplyFilters(rows.AsQueryable(), state).Count() == rows.Count,
                    $"{admin.Slug}: {state.ToQueryString()} returned rows outside the filter.");
            }
        }

        if (admin.HasSearch)
        {
            var word = admin.Columns.Select(c => c.Text(all[0])).First(t => t.Length >= 3)[..3];
            foreach (var search in new[] { word, word + " " + word, "no-such-thing-anywhere" })
            {
                var state = ListState.Empty.WithSearch(search);
                var rows = await LoadAsync(admin, state);
                Assert.True(
                    admin.ApplySearch(rows.AsQueryable(), state).Count() == rows.Count,
                    $"{admin.Slug}: searching '{search}' returned rows that do not match it.");
            }
        }

        await using var db = database.CreateDbContext();
        var counts = await admin.CountByOptionAsync(db, ListState.Empty, default);
        if (admin.CountsFilter is not null)
        {
            var total = await admin.CountAsync(db, ListState.Empty, exact: true, default);
            // The chips partition the rows, except those that narrow another chip (Unresolved within Failed).
            Assert.Equal(total.Value, counts.Where(c => c.Option.Within is null).Sum(c => c.Count.Value));
            foreach (var (option, count) in counts.Where(c => c.Option.Within is not null))
            {
                Assert.InRange(count.Value, 0, counts.Single(c => c.Option.Value == option.Within).Count.Value);
            }
        }
    }

    // Every value of a choice filter alone (and all together), text values taken from a real row, and date windows.
    private static IEnumerable<ListState> SampleStates<TRow>(AdminFilter filter, IReadOnlyList<TRow> rows, EntityAdmin<TRow> admin)
        where TRow : class => filter switch
        {
            ChoiceFilter choice => choice.Options
                .Select(o => ListState.Empty.WithFilter(choice.Key, o.Value))
                .Append(ListState.Empty.WithFilter(choice.Key, ChoiceFilter.Join(choice.Options.Select(o => o.Value)))),
            TextFilter text => admin.Columns.Select(c => c.Text(rows[0])).Where(t => t.Length > 0).Append("no-such-value")
                .Select(v => ListState.Empty.WithFilter(text.Key, v)),
            DateRangeFilter range =>
            [
                ListState.Empty.WithFilter(range.FromKey, "2020-01-01").WithFilter(range.ToKey, "2100-01-01"),
                ListState.Empty.WithFilter(range.FromKey, DateRangeFilter.Format(DateTime.UtcNow.Date)),
                ListState.Empty.WithFilter(range.ToKey, "2026-03-02T09:00:00Z"),
                ListState.Empty.WithFilter(range.FromKey, "-30d"),
            ],
            _ => throw new InvalidOperationException($"No samples for {filter.GetType().Name}: add them here."),
        };

    private async Task<IReadOnlyList<TRow>> LoadAsync<TRow>(EntityAdmin<TRow> admin, ListState state)
        where TRow : class
    {
        await using var db = database.CreateDbContext();
        return (await admin.LoadPageAsync(db, state with { PageSize = PageSize }, default)).Rows;
    }

    private static Type RowType(EntityAdmin admin)
    {
        for (var type = admin.GetType(); type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EntityAdmin<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        throw new InvalidOperationException($"{admin.GetType().Name} does not derive from EntityAdmin<TRow>.");
    }
}

public sealed class SqliteAdminChecksTests(SqliteDatabaseFixture database)
    : AdminChecksTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresAdminChecksTests(PostgresDatabaseFixture database)
    : AdminChecksTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
