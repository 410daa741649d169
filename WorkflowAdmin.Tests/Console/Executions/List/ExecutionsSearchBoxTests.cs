using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Console.Admin;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.List;

/// <summary>The executions list's search box: what it says it searches, and that typing a name or error words finds them.</summary>
public abstract class ExecutionsSearchBoxTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly TDatabase database;
    private readonly ConsoleTestContext context;

    protected ExecutionsSearchBoxTests(TDatabase database)
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
    public async Task Typing_a_customer_name_or_error_words_shows_exactly_their_executions_with_no_status_chosen()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await using var db = database.CreateDbContext();
        var all = await db.WorkflowExecutions.Select(e => new { e.Id, e.InputJson, e.SearchText }).ToListAsync();
        var name = JsonNode.Parse(all.OrderBy(e => e.Id).First(e => e.InputJson.Contains("create-customer", StringComparison.Ordinal)).InputJson)!
            ["create-customer"]!["name"]!.GetValue<string>();
        var error = all.First(e => e.SearchText.Split('\n').Length == 3).SearchText.Split('\n')[2].Split(' ')[..2];
        var page = Open("/executions");
        Assert.Equal("Search id, business key, customer name, error", SearchBox(page).GetAttribute("placeholder"));

        foreach (var typed in new[] { name.ToUpperInvariant(), string.Join(' ', error) })
        {
            var expected = all
                .Where(e => typed.ToLowerInvariant().Split(' ').All(w => e.SearchText.Contains(w, StringComparison.Ordinal)))
                .Select(e => $"/executions/{e.Id}")
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.InRange(expected.Count, 1, 25);

            SearchBox(page).Input(typed);

            // MudBlazor debounces on the injected (fake) TimeProvider: let time pass while waiting, as it would for a user.
            page.WaitForAssertion(() =>
            {
                context.Time.Advance(TimeSpan.FromMilliseconds(500));
                Assert.EndsWith("/executions?q=" + Uri.EscapeDataString(typed), Navigation.Uri, StringComparison.Ordinal);
            });
            page.WaitForAssertion(() => Assert.Equal(
                expected, page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href")!).Order(StringComparer.Ordinal)));
        }
    }

    private IRenderedComponent<ExecutionsListPage> Open(string url)
    {
        Navigation.NavigateTo(url);
        var page = context.Render<ExecutionsListPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=row]")));
        return page;
    }

    private static IElement SearchBox(IRenderedComponent<ExecutionsListPage> page) =>
        page.Find("input[data-testid=list-search], [data-testid=list-search] input");
}

public sealed class SqliteExecutionsSearchBoxTests(SqliteDatabaseFixture database)
    : ExecutionsSearchBoxTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionsSearchBoxTests(PostgresDatabaseFixture database)
    : ExecutionsSearchBoxTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
