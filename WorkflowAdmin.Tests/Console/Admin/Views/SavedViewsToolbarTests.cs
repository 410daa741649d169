using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Admin.Views;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Views;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Security;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Admin.Views;

/// <summary>
/// The saved-views toolbar on the executions list, with a real signed-in user over a real database: saving the
/// address, a refused name kept for correcting, rename and delete of one's own view, the Admin-only controls, a
/// role's default made from the toolbar and then applied to a bare address.
/// </summary>
public abstract class SavedViewsToolbarTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly TDatabase database;
    private readonly ConsoleTestContext context;

    protected SavedViewsToolbarTests(TDatabase database)
    {
        this.database = database;
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
    }

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task Saving_keeps_the_address_and_a_refused_name_stays_in_the_box_with_the_reason()
    {
        await context.SignInAsUserAsync(Roles.Support);
        await AdminTestData.SeedExecutionsAsync(context.Services, 20);
        var page = Open("/executions?status=Failed&page=2&sort=-created");

        await SaveAsync(page, "Failed, newest first");

        page.WaitForAssertion(() => Assert.Equal("Failed, newest first", page.Find("[data-testid=view-active]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=view-form]"));
        var saved = await SingleViewAsync();
        Assert.Equal(("Failed, newest first", "status=Failed&sort=-created"), (saved.Name, saved.Query));

        // Support keeps views but neither shares them nor sets defaults: those controls are not there.
        Assert.Empty(page.FindAll("[data-testid=view-share]"));
        Assert.Empty(page.FindAll("[data-testid=view-default]"));

        // The same name again is refused beside the box, and what was typed is still there to correct.
        await SaveAsync(page, "failed, NEWEST first");
        page.WaitForAssertion(() => Assert.Contains(
            "You already have a view called \"failed, NEWEST first\" on this list", page.Find("[data-testid=view-form]").TextContent, StringComparison.Ordinal));
        Assert.Equal("failed, NEWEST first", NameBox(page).GetAttribute("value"));
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.SavedViews.CountAsync());
    }

    [Fact]
    public async Task The_owner_renames_and_deletes_the_view_the_address_shows_after_confirming()
    {
        await context.SignInAsUserAsync(Roles.Support);
        var dialogs = context.Render<MudDialogProvider>();
        var page = Open("/executions?status=Cancelled");
        await SaveAsync(page, "Cancelled");
        page.WaitForElement("[data-testid=view-active]");

        await page.InvokeAsync(() => page.Find("[data-testid=view-rename-open]").Click());
        NameBox(page).Input("Cancelled runs");
        await page.InvokeAsync(() => page.Find("[data-testid=view-name-submit]").Click());
        page.WaitForAssertion(() => Assert.Equal("Cancelled runs", page.Find("[data-testid=view-active]").TextContent.Trim()));

        await page.InvokeAsync(() => page.Find("[data-testid=view-delete]").Click());
        var confirm = dialogs.WaitForElement(".mud-dialog");
        Assert.Contains("Delete the view \"Cancelled runs\"?", confirm.TextContent, StringComparison.Ordinal);
        await dialogs.InvokeAsync(() => dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Delete").Click());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=view-active]")));
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.SavedViews.CountAsync());
        Assert.Equal("/executions?status=Cancelled", new Uri(Navigation.Uri).PathAndQuery);
    }

    [Fact]
    public async Task An_admin_makes_a_shared_view_supports_default_and_support_then_opens_the_bare_list_on_it()
    {
        var admin = await context.SignInAsUserAsync(Roles.Admin);
        await AdminTestData.SeedExecutionsAsync(context.Services, 40);
        var view = await InScopeAsync(async views =>
        {
            var actor = await ActorAsync(admin);
            var saved = await views.SaveAsync("executions", "Failed", "status=Failed", actor, default);
            return await views.ShareAsync(saved.Id, Roles.Support, actor, default);
        });
        var page = Open("/executions?status=Failed");
        page.WaitForElement("[data-testid=view-share]");

        await page.InvokeAsync(() => page.Find("input[data-testid=view-default], [data-testid=view-default] input").Change(true));

        page.WaitForAssertion(() =>
        {
            using var db = database.CreateDbContext();
            Assert.NotNull(db.SavedViews.Single(v => v.Id == view.Id).DefaultForRole);
        });
        Assert.Equal(AuditActions.ViewDefaultSet, (await AuditLog.ReadAsync(database))[^1].Action);

        // Support opens the bare address: the list opens on its role's default, in the address too.
        await context.DisposeComponentsAsync();
        await context.SignInAsUserAsync(Roles.Support);
        var supportPage = Open("/executions");
        supportPage.WaitForAssertion(() => Assert.Equal("/executions?status=Failed", new Uri(Navigation.Uri).PathAndQuery));
        supportPage.WaitForAssertion(() =>
        {
            var statuses = supportPage.FindAll("tbody [data-testid=status-chip]").Select(c => c.GetAttribute("data-status")).ToList();
            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Equal("Failed", s));
        });
        supportPage.WaitForAssertion(() => Assert.Equal("Failed", supportPage.Find("[data-testid=view-active]").TextContent.Trim()));
    }

    private IRenderedComponent<ExecutionsListPage> Open(string url)
    {
        Navigation.NavigateTo(url);
        var page = context.Render<ExecutionsListPage>();
        page.WaitForAssertion(() => Assert.True(
            page.FindAll("[data-testid=row]").Count > 0 || page.FindAll("[data-testid=list-empty]").Count > 0));
        return page;
    }

    private static AngleSharp.Dom.IElement NameBox(IRenderedComponent<ExecutionsListPage> page) =>
        page.Find("input[data-testid=view-name], [data-testid=view-name] input");

    private static async Task SaveAsync(IRenderedComponent<ExecutionsListPage> page, string name)
    {
        if (page.FindAll("[data-testid=view-form]").Count == 0)
        {
            await page.InvokeAsync(() => page.Find("[data-testid=view-save-open]").Click());
        }

        NameBox(page).Input(name);
        await page.InvokeAsync(() => page.Find("[data-testid=view-name-submit]").Click());
    }

    private async Task<SavedView> SingleViewAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.SavedViews.AsNoTracking().SingleAsync();
    }

    private async Task<T> InScopeAsync<T>(Func<SavedViews, Task<T>> act)
    {
        await using var scope = context.Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<SavedViews>());
    }

    private async Task<Actor> ActorAsync(ApplicationUser user)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        return await CurrentActor.ForUserAsync(users, user, null);
    }
}

public sealed class SqliteSavedViewsToolbarTests(SqliteDatabaseFixture database)
    : SavedViewsToolbarTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresSavedViewsToolbarTests(PostgresDatabaseFixture database)
    : SavedViewsToolbarTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
