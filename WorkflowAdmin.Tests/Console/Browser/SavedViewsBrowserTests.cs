using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Admin.Views;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Security;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// Saved views in real Chromium (decision 0039): an Admin saves the filtered executions list as a view, reloads the
/// bare list, picks the view from the toolbar's menu and gets the list it saved; once the view is Support's default,
/// a Support user opening the bare list lands on it.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SavedViewsBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    protected override Task SeedAsync() => SeedExecutionsAsync(200, randomSeed: 5);

    [Fact]
    public async Task A_saved_view_comes_back_from_the_menu_after_a_reload_and_a_role_default_opens_the_bare_list()
    {
        await SignInAsync(Roles.Admin);
        await Page.GotoAsync("/executions?status=Failed&sort=-created");
        await Page.WaitUntilInteractiveAsync();
        await Page.ClickAsync("[data-testid=view-save-open]");
        await Page.Locator("[data-testid=view-name] input, input[data-testid=view-name]").First.FillAsync("Failed, newest first");
        await Page.ClickAsync("[data-testid=view-name-submit]");
        await Assertions.Expect(Page.Locator("[data-testid=view-active]")).ToHaveTextAsync("Failed, newest first", new() { Timeout = 60_000 });

        // A reload of the bare list: nothing filtered, until the view is picked from the menu.
        await Page.GotoAsync("/executions");
        await Page.WaitUntilInteractiveAsync();
        Assert.EndsWith("/executions", Page.Url, StringComparison.Ordinal);
        await Page.ClickAsync("[data-testid=views-menu] summary");
        await Page.Locator("[data-testid=view-item]", new() { HasText = "Failed, newest first" }).ClickAsync();
        await WaitForAddressAsync(AddressIs("/executions?status=Failed&sort=-created"));
        await Assertions.Expect(Page.Locator("[data-testid=view-active]")).ToHaveTextAsync("Failed, newest first", new() { Timeout = 60_000 });
        await ExpectOnlyFailedRowsAsync(Page);
        await Page.ScreenshotAsync("saved-view-picked");

        // Shared with Support as its default (through the service, as the toolbar does), it opens Support's bare list.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var adminUser = await users.FindByEmailAsync(DemoUsers.All.Single(u => u.Role == Roles.Admin).Email);
            var admin = await CurrentActor.ForUserAsync(users, adminUser!, null);
            var views = scope.ServiceProvider.GetRequiredService<SavedViews>();
            var saved = (await views.ForListAsync("executions", admin, default)).Single();
            await views.ShareAsync(saved.Id, Roles.Support, admin, default);
            await views.SetRoleDefaultAsync(saved.Id, true, admin, default);
        }

        await using var supportContext = await NewContextAsync();
        var support = await supportContext.NewPageAsync();
        await SignInAsync(support, Roles.Support);
        await support.GotoAsync("/executions");
        await support.WaitUntilInteractiveAsync();
        await WaitForAddressAsync(support, AddressIs("/executions?status=Failed&sort=-created"));
        await ExpectOnlyFailedRowsAsync(support);
        await Assertions.Expect(support.Locator("[data-testid=view-active]")).ToHaveTextAsync("Failed, newest first", new() { Timeout = 60_000 });
    }

    private static Func<string, bool> AddressIs(string pathAndQuery) => url => new Uri(url).PathAndQuery == pathAndQuery;

    private static async Task ExpectOnlyFailedRowsAsync(IPage target)
    {
        var chips = target.Locator("[data-testid=list-grid] tbody [data-testid=status-chip]");
        await chips.First.WaitForAsync(new() { Timeout = 60_000 });
        var statuses = await chips.EvaluateAllAsync<string[]>("cs => cs.map(c => c.getAttribute('data-status'))");
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("Failed", s));
    }
}
