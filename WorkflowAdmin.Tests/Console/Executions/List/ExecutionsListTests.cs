using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Console.Admin;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.List;

/// <summary>The executions list's own queries over seeded executions, once per provider.</summary>
public abstract class ExecutionsListTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string SearchPlaceholder = "Search id, business key, customer name, error";

    // Enough executions that a common search finds more than ExecutionsAdmin.SearchCountCap.
    private const int SearchCountRows = 1_300;

    private static readonly ListState Failed = ListState.Empty.WithFilter("status", nameof(ExecutionStatus.Failed));

    private TestServices services = null!;

    private ExecutionsAdmin Admin => services.GetRequiredService<ExecutionsAdmin>();

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddAdmins());
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Filtering_on_Failed_returns_only_failed_executions_and_counts_all_of_them()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);

        var page = await LoadAsync(Failed with { PageSize = 100 });

        await using var db = database.CreateDbContext();
        var failed = await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Failed);
        Assert.InRange(failed, 1, 99);
        Assert.Equal(failed, page.Rows.Count);
        Assert.All(page.Rows, r => Assert.Equal(ExecutionStatus.Failed, r.Status));
        Assert.Equal(ListCount.Exact(failed), page.Count);
        Assert.All(page.Rows, r => Assert.NotNull(r.Error));
    }

    [Fact]
    public async Task The_list_is_newest_first_with_the_id_breaking_ties()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);

        var rows = (await LoadAsync(ListState.Empty with { PageSize = 100 })).Rows;

        await using var db = database.CreateDbContext();
        var expected = await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(e => e.Id).Take(100).ToListAsync();
        Assert.Equal(expected, rows.Select(r => r.Id));
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt));
    }

    [Fact]
    public async Task Searching_a_customer_name_finds_its_executions_whatever_their_status()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await using var db = database.CreateDbContext();
        // A succeeded one: the search is not a failure search, whatever status a name's other executions have.
        var target = await db.WorkflowExecutions
            .Where(e => e.BusinessKey != null && e.Status == ExecutionStatus.Succeeded).OrderBy(e => e.Id).FirstAsync();
        var name = JsonNode.Parse(target.InputJson)!["create-customer"]!["name"]!.GetValue<string>();
        var typed = name.ToUpperInvariant();

        var page = await LoadAsync(ListState.Empty.WithSearch(typed) with { PageSize = 100 });

        Assert.Contains(page.Rows, r => r.Id == target.Id);
        await AssertFindsExactlyAsync(typed, page);
    }

    [Fact]
    public async Task Searching_a_fragment_of_a_business_key_finds_it_anywhere_in_the_key()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await using var db = database.CreateDbContext();
        var keys = await db.WorkflowExecutions.Where(e => e.BusinessKey != null).Select(e => e.BusinessKey!).ToListAsync();
        var target = keys.Where(k => k.Count(c => c == '-') >= 2).Order(StringComparer.Ordinal).First();
        var fragment = target[(target.IndexOf('-', StringComparison.Ordinal) + 2)..];

        var page = await LoadAsync(ListState.Empty.WithSearch(fragment) with { PageSize = 100 });

        Assert.Contains(page.Rows, r => r.BusinessKey == target);
        Assert.DoesNotContain(page.Rows, r => r.BusinessKey!.StartsWith(fragment, StringComparison.Ordinal));
        await AssertFindsExactlyAsync(fragment, page);
        Assert.Empty((await LoadAsync(ListState.Empty.WithSearch("no-such-customer"))).Rows);
    }

    [Fact]
    public async Task Searching_a_whole_or_leading_part_of_an_id_finds_that_execution()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await using var db = database.CreateDbContext();
        var id = await db.WorkflowExecutions.OrderBy(e => e.CreatedAt).Select(e => e.Id).Skip(150).FirstAsync();

        var whole = await LoadAsync(ListState.Empty.WithSearch(id.ToString()));
        var shortId = await LoadAsync(ListState.Empty.WithSearch(id.ToString()[..8].ToUpperInvariant()));
        var withDash = await LoadAsync(ListState.Empty.WithSearch(id.ToString()[..13]));

        Assert.Equal([id], whole.Rows.Select(r => r.Id));
        Assert.Contains(shortId.Rows, r => r.Id == id);
        Assert.All(shortId.Rows, r => Assert.StartsWith(id.ToString()[..8], r.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal([id], withDash.Rows.Select(r => r.Id));
        Assert.Equal(id.ToString()[..8], whole.Rows[0].ShortId);
    }

    [Fact]
    public async Task Words_of_an_error_find_the_failures_without_a_status_filter()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await using var db = database.CreateDbContext();
        var failure = await db.WorkflowExecutions.Where(e => e.ErrorMessage!.Contains("Unavailable")).OrderBy(e => e.Id).FirstAsync();

        var page = await LoadAsync(ListState.Empty.WithSearch("Service unavailable") with { PageSize = 100 });
        var failures = await LoadAsync(Failed.WithSearch("service unavailable") with { PageSize = 100 });

        Assert.Contains(page.Rows, r => r.Id == failure.Id);
        Assert.All(page.Rows, r => Assert.Contains("service unavailable", r.Error!, StringComparison.OrdinalIgnoreCase));
        await AssertFindsExactlyAsync("Service unavailable", page);
        Assert.Equal(page.Rows.Select(r => r.Id), failures.Rows.Select(r => r.Id));
        Assert.Equal(SearchPlaceholder, Admin.SearchPlaceholder(ListState.Empty));
        Assert.Equal(SearchPlaceholder, Admin.SearchPlaceholder(Failed));
    }

    [Fact]
    public async Task Wildcards_and_quotes_in_a_search_are_literal_and_short_words_match_too()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);

        foreach (var search in new[] { "%", "_", "%%%", "___", "\"", "a\"b", "* OR x", "NOT" })
        {
            var page = await LoadAsync(ListState.Empty.WithSearch(search) with { PageSize = 100 });
            await AssertFindsExactlyAsync(search, page);
        }

        var shortWord = await LoadAsync(ListState.Empty.WithSearch("5") with { PageSize = 100 });
        Assert.NotEmpty(shortWord.Rows);
        await AssertFindsExactlyAsync("5", shortWord);
    }

    [Fact]
    public async Task An_execution_is_found_by_its_customer_when_created_and_by_its_error_once_it_failed()
    {
        await using (var db = database.CreateDbContext())
        {
            var execution = WorkflowExecution.Create(
                "test", 1, "{}", "quokka-labs-7", new WorkflowAdmin.Domain.Workflows.Trigger("ada", TriggerSource.Console), DateTime.UtcNow, subjectName: "Quokka Laboratories");
            db.WorkflowExecutions.Add(execution);
            await db.SaveChangesAsync();
            Assert.Equal("quokka-labs-7\nquokka laboratories", execution.SearchText);
            Assert.Single((await LoadAsync(ListState.Empty.WithSearch("LABORATORIES"))).Rows);
            Assert.Empty((await LoadAsync(ListState.Empty.WithSearch("wombat"))).Rows);

            execution.Start(DateTime.UtcNow);
            execution.Fail("create-customer", new ErrorInfo("Test", "The wombat ate the cable", null), DateTime.UtcNow);
            await db.SaveChangesAsync();
        }

        Assert.Single((await LoadAsync(ListState.Empty.WithSearch("wombat ate"))).Rows);
        Assert.Single((await LoadAsync(ListState.Empty.WithSearch("labs-7 laboratories cable"))).Rows);

        await using (var db = database.CreateDbContext())
        {
            await db.WorkflowExecutions.ExecuteDeleteAsync();
        }

        Assert.Empty((await LoadAsync(ListState.Empty.WithSearch("wombat"))).Rows);
    }

    [Fact]
    public async Task A_search_reads_the_text_index_not_the_table()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await using var db = database.CreateDbContext();
        var query = Admin.Sorted(Admin.Filtered(db, ListState.Empty.WithSearch("europe-2")), ListState.Empty).Take(25);
        await using var command = query.CreateDbCommand();
        await db.Database.OpenConnectionAsync();
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            // A few hundred rows fit one page, where a sequential scan is always cheapest: forbid it to see which
            // index the planner would use on a table large enough to need one.
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
            command.CommandText = "EXPLAIN " + command.CommandText;
        }
        else
        {
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetValue(reader.FieldCount - 1).ToString()!);
            }
        }

        var text = string.Join("\n", plan);
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            Assert.Contains("IX_WorkflowExecutions_SearchText_Trigram", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("SCAN WorkflowExecutionSearch VIRTUAL TABLE INDEX", text, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN WorkflowExecutions", text.Replace("SCAN WorkflowExecutionSearch", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_search_takes_its_page_from_the_newest_rows_when_they_hold_one_and_from_the_index_otherwise()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await using var db = database.CreateDbContext();
        var all = await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(e => new { e.Id, e.SearchText }).ToListAsync();

        // A window of 100 rows on 300: a letter nearly every row carries fills pages there; the oldest row's business
        // key does not, and is found through the text index instead.
        var window = new ExecutionsAdmin(services.GetRequiredService<WorkflowRegistry>()) { SearchWindow = 100 };
        var common = MostCommonLetter(all.Select(e => e.SearchText));
        var rare = all[^1].SearchText.Split('\n')[0];
        Assert.True(all.Take(100).Count(e => e.SearchText.Contains(common, StringComparison.Ordinal)) >= 75, common);
        Assert.InRange(all.Take(100).Count(e => e.SearchText.Contains(rare, StringComparison.Ordinal)), 0, 24);

        foreach (var state in new[]
        {
            ListState.Empty.WithSearch(common),
            ListState.Empty.WithSearch(common) with { Page = 2 },
            ListState.Empty.WithSearch(rare),
            ListState.Empty.WithSearch(common).WithFilter("status", nameof(ExecutionStatus.Succeeded)),
        })
        {
            var words = state.Search!.Split(' ');
            var succeededOnly = state.Filter("status") is not null;
            var matching = await db.WorkflowExecutions.Where(e => !succeededOnly || e.Status == ExecutionStatus.Succeeded)
                .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(e => new { e.Id, e.SearchText }).ToListAsync();
            var expected = matching.Where(e => words.All(w => e.SearchText.Contains(w, StringComparison.Ordinal))).Select(e => e.Id).ToList();

            var page = await window.LoadPageAsync(db, state, default);

            Assert.Equal(expected.Skip((state.Page - 1) * 25).Take(25), page.Rows.Select(r => r.Id));
            Assert.Equal(ListCount.Exact(expected.Count), page.Count);
            Assert.Equal(page.Rows.Select(r => r.Id), (await Admin.LoadPageAsync(db, state, default)).Rows.Select(r => r.Id));
        }

        var newestFirst = window.NewestFirstPage(db, ListState.Empty.WithSearch(common));
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // SQLite reads its FTS5 table by rowid: no walk, no window.
            Assert.Null(newestFirst);
            Assert.Null(await ExecutionSearch.SmallestShareAsync(db, [common], default));
            return;
        }

        // The window held a page for the common word and not for the rare key: both paths ran above.
        Assert.NotNull(newestFirst);
        Assert.Equal(25, (await newestFirst.ToListAsync()).Count);
        Assert.InRange((await window.NewestFirstPage(db, ListState.Empty.WithSearch(rare))!.ToListAsync()).Count, 0, 24);
        Assert.Null(window.NewestFirstPage(db, ListState.Empty.WithSearch(common) with { Sort = "business-key" }));
        Assert.Null(window.NewestFirstPage(db, ListState.Empty.WithSearch(common) with { Page = 5 }));

        // The planner's statistics tell a word nearly every row carries from the oldest row's key: the first is worth
        // walking the newest rows for, the second goes straight to the text index.
        await db.Database.ExecuteSqlRawAsync("ANALYZE \"WorkflowExecutions\"");
        Assert.InRange((await ExecutionSearch.SmallestShareAsync(db, [common], default))!.Value, 0.5, 1.0);
        Assert.InRange((await ExecutionSearch.SmallestShareAsync(db, [common, rare], default))!.Value, 0.0, 0.1);

        // The walk is the date index's, newest first, whatever the planner estimates for the text: a few hundred rows
        // fit one page, where a sequential scan is always cheapest, so it is forbidden to see which index is used.
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        await using var command = newestFirst.CreateDbCommand();
        command.CommandText = "EXPLAIN " + command.CommandText;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join("\n", plan);
        Assert.Contains("Index Scan Backward using \"IX_WorkflowExecutions_CreatedAt\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Trigram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_counts_to_a_thousand_and_exactly_when_asked()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, SearchCountRows);
        await using var db = database.CreateDbContext();
        var texts = await db.WorkflowExecutions.Select(e => e.SearchText).ToListAsync();
        var common = MostCommonLetter(texts);
        var matching = texts.Count(t => t.Contains(common, StringComparison.Ordinal));
        Assert.True(matching > ExecutionsAdmin.SearchCountCap, $"{common}: {matching}");
        var state = ListState.Empty.WithSearch(common);

        var page = await LoadAsync(state);
        var exact = await Admin.CountAsync(db, state, exact: true, default);
        var chips = await Admin.CountByOptionAsync(db, state, default);

        Assert.Equal(new ListCount(ExecutionsAdmin.SearchCountCap, IsAtLeast: true), page.Count);
        Assert.Equal("1,000+", page.Count.ToString());
        Assert.Equal(ListCount.Exact(matching), exact);
        Assert.All(chips, c => Assert.True(c.Count.Value <= ExecutionsAdmin.SearchCountCap));

        // Without a search the list counts as far as ever.
        Assert.Equal(ListCount.Exact(SearchCountRows), (await LoadAsync(ListState.Empty)).Count);
    }

    [Fact]
    public async Task Filters_for_workflow_time_trigger_source_and_reruns_combine()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await using var db = database.CreateDbContext();
        var newest = await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).Select(e => e.CreatedAt).FirstAsync();
        var from = newest.AddDays(-10);
        var state = ListState.Empty
            .WithFilter("workflow", "provision-customer")
            .WithFilter("from", DateRangeFilter.Format(from))
            .WithFilter("source", nameof(TriggerSource.Rerun))
            .WithFilter("rerun", "yes") with { PageSize = 100 };

        var rows = (await LoadAsync(state)).Rows;

        var expected = await db.WorkflowExecutions
            .Where(e => e.DefinitionKey == "provision-customer" && e.CreatedAt >= from && e.TriggerSource == TriggerSource.Rerun && e.RerunOfId != null)
            .CountAsync();
        Assert.InRange(expected, 1, 99);
        Assert.Equal(expected, rows.Count);
        Assert.All(rows, r => Assert.True(r.IsRerun && r.Source == TriggerSource.Rerun && r.CreatedAt >= from));
    }

    [Fact]
    public async Task A_relative_created_window_is_read_against_the_clock_each_time_the_list_is_queried()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        services.Time.AutoAdvanceAmount = TimeSpan.Zero;
        var state = ListState.FromUri("/executions?from=-7D&size=100", Admin);
        Assert.Equal("-7d", state.Filter("from"));

        var now = services.Time.GetUtcNow().UtcDateTime;
        var before = await LoadAsync(state);
        services.Time.Advance(TimeSpan.FromDays(3));
        var after = await LoadAsync(state);

        // The same state, three days later, is the last 7 days from the new now.
        await using var db = database.CreateDbContext();
        var expectedBefore = await db.WorkflowExecutions.CountAsync(e => e.CreatedAt >= now.AddDays(-7));
        var expectedAfter = await db.WorkflowExecutions.CountAsync(e => e.CreatedAt >= now.AddDays(-4));
        Assert.InRange(expectedAfter, 1, expectedBefore - 1);
        Assert.Equal(ListCount.Exact(expectedBefore), before.Count);
        Assert.Equal(ListCount.Exact(expectedAfter), after.Count);
        Assert.All(after.Rows, r => Assert.True(r.CreatedAt >= now.AddDays(-4)));

        // "to" reads relative values too: everything older than five days (from the new now), beside an absolute start.
        var older = await LoadAsync(ListState.Empty.WithFilter("from", "2020-01-01").WithFilter("to", "-5d") with { PageSize = 100 });
        var expectedOlder = await db.WorkflowExecutions.CountAsync(e => e.CreatedAt < now.AddDays(-2));
        Assert.InRange(expectedOlder, 1, 299);
        Assert.Equal(expectedOlder, older.Count.Value);
    }

    [Theory]
    [InlineData("-24h", "-24h")]
    [InlineData("-007d", "-7d")]
    [InlineData(" -48H ", "-48h")]
    [InlineData("-3650d", "-3650d")]
    [InlineData("-3651d", null)]
    [InlineData("-0h", null)]
    [InlineData("-5y", null)]
    [InlineData("24h", null)]
    [InlineData("-1.5d", null)]
    [InlineData("2026-03-02", "2026-03-02")]
    public void Created_reads_relative_values_in_one_written_form_and_nothing_else(string raw, string? expected)
    {
        var filter = Admin.Filters.OfType<DateRangeFilter>().Single();

        Assert.Equal(expected, filter.Normalize("from", raw));
    }

    [Fact]
    public async Task Counts_stop_at_the_cap_until_asked_for_the_exact_number_and_a_short_page_counts_itself()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, EntityAdmin.CountCap + 50);

        var first = await LoadAsync(ListState.Empty);
        await using var db = database.CreateDbContext();
        var exact = await Admin.CountAsync(db, ListState.Empty, exact: true, default);
        var last = await LoadAsync(ListState.Empty with { Page = 101, PageSize = 100 });
        var statusCounts = await Admin.CountByOptionAsync(db, ListState.Empty, default);

        Assert.Equal(new ListCount(EntityAdmin.CountCap, IsAtLeast: true), first.Count);
        Assert.Equal("10,000+", first.Count.ToString());
        Assert.Equal(ListCount.Exact(EntityAdmin.CountCap + 50), exact);
        Assert.Equal(ListCount.Exact(EntityAdmin.CountCap + 50), last.Count);
        Assert.Equal(50, last.Rows.Count);
        var succeeded = statusCounts.Single(c => c.Option.Value == nameof(ExecutionStatus.Succeeded)).Count;
        var pending = statusCounts.Single(c => c.Option.Value == nameof(ExecutionStatus.Pending)).Count;
        Assert.False(pending.IsAtLeast);
        Assert.Equal(await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Pending), pending.Value);
        Assert.True(succeeded.Value <= EntityAdmin.CountCap);
    }

    [Fact]
    public async Task Unresolved_is_the_failures_no_succeeded_rerun_resolved_with_a_count_of_its_own()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 300);
        await using var db = database.CreateDbContext();
        var unresolvedIds = await db.WorkflowExecutions
            .Where(e => e.Status == ExecutionStatus.Failed && e.ResolvedAt == null).Select(e => e.Id).ToListAsync();
        var resolved = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed && e.ResolvedAt != null).ToListAsync();
        Assert.NotEmpty(unresolvedIds);
        Assert.NotEmpty(resolved);

        var unresolved = await LoadAsync(ListState.Empty.WithFilter("status", ExecutionsAdmin.UnresolvedValue) with { PageSize = 100 });
        var withRunning = await LoadAsync(ListState.Empty.WithFilter("status", $"Running,{ExecutionsAdmin.UnresolvedValue}") with { PageSize = 100 });
        var counts = await Admin.CountByOptionAsync(db, ListState.Empty, default);

        Assert.Equal(unresolvedIds.Order(), unresolved.Rows.Select(r => r.Id).Order());
        Assert.Equal(ListCount.Exact(unresolvedIds.Count), counts.Single(c => c.Option.Value == ExecutionsAdmin.UnresolvedValue).Count);
        Assert.Equal(ListCount.Exact(unresolvedIds.Count + resolved.Count), counts.Single(c => c.Option.Value == nameof(ExecutionStatus.Failed)).Count);
        var running = await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Running);
        Assert.Equal(unresolvedIds.Count + running, withRunning.Rows.Count);

        // Every resolved failure's resolver is a succeeded re-run of its lineage, created after it, as the runner decides.
        foreach (var failure in resolved)
        {
            var by = await db.WorkflowExecutions.SingleAsync(e => e.Id == failure.ResolvedByExecutionId);
            Assert.Equal(ExecutionStatus.Succeeded, by.Status);
            Assert.Equal(failure.RootExecutionId ?? failure.Id, by.RootExecutionId);
            Assert.True(by.CreatedAt > failure.CreatedAt);
        }

        var failedPage = await LoadAsync(Failed with { PageSize = 100 });
        Assert.Equal(resolved.Select(r => (r.Id, r.ResolvedByExecutionId)).Order(),
            failedPage.Rows.Where(r => r.ResolvedByExecutionId is not null).Select(r => (r.Id, r.ResolvedByExecutionId)).Order());
        Assert.Equal(SearchPlaceholder, Admin.SearchPlaceholder(ListState.Empty.WithFilter("status", ExecutionsAdmin.UnresolvedValue)));
    }

    /// <summary>
    /// The page holds the first of exactly the executions whose searchable text contains every word of
    /// <paramref name="search"/> (or whose id starts with it), counted exactly: worked out here in memory.
    /// </summary>
    private async Task AssertFindsExactlyAsync(string search, ListPage<ExecutionRow> page)
    {
        await using var db = database.CreateDbContext();
        var all = await db.WorkflowExecutions.Select(e => new { e.Id, e.SearchText }).ToListAsync();
        var words = search.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).ToList();
        var expected = all
            .Where(e => words.TrueForAll(w => e.SearchText.Contains(w, StringComparison.Ordinal) || e.Id.ToString().StartsWith(w, StringComparison.Ordinal) && w.Length >= 4))
            .Select(e => e.Id)
            .ToHashSet();
        Assert.Equal(ListCount.Exact(expected.Count), page.Count);
        Assert.Equal(Math.Min(expected.Count, 100), page.Rows.Count);
        Assert.All(page.Rows, r => Assert.Contains(r.Id, expected));
    }

    // The letter most executions' searchable text contains: a search that matches nearly everything.
    private static string MostCommonLetter(IEnumerable<string> texts) =>
        texts.SelectMany(t => t.Where(char.IsAsciiLetterLower).Distinct())
            .GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key.ToString();

    private async Task<ListPage<ExecutionRow>> LoadAsync(ListState state)
    {
        await using var db = database.CreateDbContext();
        return await Admin.LoadPageAsync(db, state, default);
    }
}

public sealed class SqliteExecutionsListTests(SqliteDatabaseFixture database)
    : ExecutionsListTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionsListTests(PostgresDatabaseFixture database)
    : ExecutionsListTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
