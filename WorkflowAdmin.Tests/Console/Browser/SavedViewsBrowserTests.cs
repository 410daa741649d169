using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Admin.Views;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Seeding;
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
public sealed class SavedViewsBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly SqliteDatabaseFixture database = new();
    private ConsoleAppFactory app = null!;
    private IBrowserContext context = null!;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        app = new ConsoleAppFactory(database);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(200, RandomSeed: 5), default);
        }

        context = await NewContextAsync();
        page = await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_saved_view_comes_back_from_the_menu_after_a_reload_and_a_role_default_opens_the_bare_list()
    {
        await SignInAsync(page, Roles.Admin);
        await page.GotoAsync("/executions?status=Failed&sort=-created");
        await page.WaitUntilInteractiveAsync();
        await page.ClickAsync("[data-testid=view-save-open]");
        await page.Locator("[data-testid=view-name] input, input[data-testid=view-name]").First.FillAsync("Failed, newest first");
        await page.ClickAsync("[data-testid=view-name-submit]");
        await Assertions.Expect(page.Locator("[data-testid=view-active]")).ToHaveTextAsync("Failed, newest first", new() { Timeout = 60_000 });

        // A reload of the bare list: nothing filtered, until the view is picked from the menu.
        await page.GotoAsync("/executions");
        await page.WaitUntilInteractiveAsync();
        Assert.EndsWith("/executions", page.Url, StringComparison.Ordinal);
        await page.ClickAsync("[data-testid=views-menu] button");
        await page.Locator("[data-testid=view-item]", new() { HasText = "Failed, newest first" }).ClickAsync();
        await WaitForAddressAsync(page, "/executions?status=Failed&sort=-created");
        await Assertions.Expect(page.Locator("[data-testid=view-active]")).ToHaveTextAsync("Failed, newest first", new() { Timeout = 60_000 });
        await ExpectOnlyFailedRowsAsync(page);
        await page.ScreenshotAsync("saved-view-picked");

        // Shared with Support as its default (through the service, as the toolbar does), it opens Support's bare list.
        await using (var scope = app.Services.CreateAsyncScope())
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
        await WaitForAddressAsync(support, "/executions?status=Failed&sort=-created");
        await ExpectOnlyFailedRowsAsync(support);
        await Assertions.Expect(support.Locator("[data-testid=view-active]")).ToHaveTextAsync("Failed, newest first", new() { Timeout = 60_000 });
    }

    private Task<IBrowserContext> NewContextAsync() => browser.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = app.BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
    });

    private async Task SignInAsync(IPage target, string role)
    {
        var user = DemoUsers.All.Single(u => u.Role == role);
        await target.SignInAsync(app.BaseAddress, user.Email, user.Password);
        await WaitForAsync(() => !target.Url.Contains("/account/login", StringComparison.Ordinal), target, "the sign-in to finish");
    }

    private static Task WaitForAddressAsync(IPage target, string pathAndQuery) =>
        WaitForAsync(() => new Uri(target.Url).PathAndQuery == pathAndQuery, target, pathAndQuery);

    // The address is polled rather than awaited as a navigation event: an in-app navigation raises none.
    private static async Task WaitForAsync(Func<bool> condition, IPage target, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {Patience.TotalSeconds:N0} s for {what}; the address is {target.Url}.");
            }

            await Task.Delay(200);
        }
    }

    private static async Task ExpectOnlyFailedRowsAsync(IPage target)
    {
        var chips = target.Locator("[data-testid=list-grid] tbody [data-testid=status-chip]");
        await chips.First.WaitForAsync(new() { Timeout = 60_000 });
        var statuses = await chips.EvaluateAllAsync<string[]>("cs => cs.map(c => c.getAttribute('data-status'))");
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("Failed", s));
    }
}
