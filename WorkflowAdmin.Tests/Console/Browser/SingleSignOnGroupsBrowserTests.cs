using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// An open console tab follows a group change at the provider (decision 0045): the circuit's revalidation re-reads
/// the groups with the kept refresh token, and an Admin moved to Support loses user management without a reload.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SingleSignOnGroupsBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    // The circuit revalidates once a minute; the revalidation after the change must come and do its work.
    private const float RevalidationTimeout = 150_000;
    private readonly TestOpenIdProvider provider = new();

    public override async Task InitializeAsync()
    {
        await provider.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await provider.DisposeAsync();
    }

    protected override ConsoleAppFactory CreateApp()
    {
        // Every revalidation re-reads the groups, so the test waits for one revalidation, not five.
        var settings = provider.ConsoleSettings();
        settings["Authentication:Oidc:GroupsRefreshInterval"] = "00:00:01";
        return new(Database, settings);
    }

    protected override Task PrepareContextAsync(IBrowserContext context) => provider.RegisterConsoleAsync(App.BaseAddress);

    [Fact]
    public async Task An_admins_open_tab_loses_user_management_after_a_group_change_at_the_provider()
    {
        provider.SetPerson("frank", "frank@example.com", TestOpenIdProvider.AdminGroup);
        await Page.GotoAsync("/account/login");
        await NavigatingClickAsync("[data-testid=sso-sign-in]");
        await WaitForAddressAsync(url => url.StartsWith(provider.Authority + "login", StringComparison.Ordinal));
        await Page.FillAsync("#username", "frank");
        await NavigatingClickAsync("#provider-sign-in");
        await WaitForAddressAsync(url => url.StartsWith(App.BaseAddress.ToString(), StringComparison.Ordinal) && !url.Contains("/account/", StringComparison.Ordinal));
        await Page.WaitUntilInteractiveAsync();
        await Page.Locator("[data-testid=nav-users]").WaitForAsync(new() { Timeout = 60_000 });

        provider.SetPerson("frank", "frank@example.com", TestOpenIdProvider.SupportGroup);

        await Assertions.Expect(Page.Locator("[data-testid=nav-users]")).ToHaveCountAsync(0, new() { Timeout = RevalidationTimeout });
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.Equal([Roles.Support], await users.GetRolesAsync((await users.FindByEmailAsync("frank@example.com"))!));
        }

        var change = Assert.Single(await AuditLog.ReadAsync(Database), e => e.Action == AuditActions.UserRoleChanged);
        Assert.Equal(("system", "groups at single sign-on refresh"), (change.Actor, change.Reason));
    }

    // The click's DOM event, without Playwright's wait for the navigation it starts (see SingleSignOnBrowserTests).
    private async Task NavigatingClickAsync(string selector)
    {
        var target = Page.Locator(selector);
        await target.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
        await target.DispatchEventAsync("click");
    }
}
