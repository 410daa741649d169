using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Account;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// Signing in through a real OpenID Connect provider (OpenIddict, in-process on its own loopback port) in real
/// Chromium, under the console's Content-Security-Policy: groups decide the role at each sign-in, a user with no
/// mapped group is refused clearly and audited, and an SSO user is audited like any other.
/// </summary>
public abstract class SingleSignOnBrowserTests(BrowserFixture browser, DatabaseFixture database) : ConsoleBrowserTest(browser, database)
{
    private readonly TestOpenIdProvider provider = new();
    private readonly ConcurrentQueue<string> violations = new();
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

    protected override ConsoleAppFactory CreateApp() => new(Database, provider.ConsoleSettings());

    protected override BrowserNewContextOptions ContextOptions() => new();

    protected override async Task PrepareContextAsync(IBrowserContext context)
    {
        // The provider learns the console's address before the browser can reach either.
        await provider.RegisterConsoleAsync(App.BaseAddress);

        // Injected through the debugging protocol, so the policy under test does not apply to the collector.
        await context.ExposeFunctionAsync("reportCspViolation", (string text) => violations.Enqueue(text));
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e => window.reportCspViolation(
              `${e.effectiveDirective} refused ${e.blockedURI} on ${document.location.href}`));
            """);
    }

    [Fact]
    public async Task An_admin_group_user_signs_in_through_the_provider_lands_where_they_were_going_and_disables_a_user()
    {
        provider.SetPerson("alice", "alice@example.com", TestOpenIdProvider.AdminGroup, "unrelated-group");
        var support = await UserIdAsync(DemoUsers.All.Single(u => u.Role == Roles.Support).Email);

        await Page.GotoAsync($"/users/{support}");
        Assert.Contains("/account/login", Page.Url, StringComparison.Ordinal);
        await SignInThroughProviderAsync("alice");
        await WaitForAddressAsync(url => url.Contains($"/users/{support}", StringComparison.Ordinal));
        await Page.WaitUntilInteractiveAsync();

        await Page.Locator("[data-testid=disable-user]").ClickAsync();
        await Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.Locator("[data-testid=user-status]")).ToHaveTextAsync("Disabled");

        var alice = await FindAsync("alice@example.com");
        Assert.Equal([Roles.Admin], alice.Roles);
        Assert.Equal("alice (SSO)", alice.User.DisplayName);
        Assert.Contains(alice.Logins, l => l.LoginProvider == SingleSignOnOptions.Scheme && l.ProviderKey == "sub-alice");
        Assert.Null(alice.User.PasswordHash);
        Assert.True((await FindAsync(DemoUsers.All.Single(u => u.Role == Roles.Support).Email)).User.IsDisabled);

        // The same actor identity as a password user: the console user's email, kind User, the role from the database.
        var audit = await AuditLog.ReadAsync(Database);
        var signIn = Assert.Single(audit, e => e.Action == AuditActions.SignIn);
        Assert.Equal(("alice@example.com", "User", Roles.Admin, alice.User.Id), (signIn.Actor, signIn.ActorKind, signIn.ActorRoles, signIn.TargetId));
        Assert.Contains("\"via\":\"oidc\"", signIn.AfterJson, StringComparison.Ordinal);
        var created = Assert.Single(audit, e => e.Action == AuditActions.UserCreated && e.TargetId == alice.User.Id);
        Assert.Equal("first single sign-on", created.Reason);
        var disabled = Assert.Single(audit, e => e.Action == AuditActions.UserDisabled);
        Assert.Equal(("alice@example.com", "User", Roles.Admin, support), (disabled.Actor, disabled.ActorKind, disabled.ActorRoles, disabled.TargetId));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_support_group_user_gets_the_console_but_not_user_management()
    {
        provider.SetPerson("bob", "bob@example.com", TestOpenIdProvider.SupportGroup);

        // A return address to another site, passed along by a crafted link, is dropped: the user lands on the dashboard.
        await Page.GotoAsync("/account/login?ReturnUrl=%2F%2Fevil.example.com%2Fphish");
        await SignInThroughProviderAsync("bob");
        await WaitForAddressAsync(url => url == new Uri(App.BaseAddress, "/").ToString());
        await Page.WaitUntilInteractiveAsync();

        Assert.Equal(0, await Page.Locator("[data-testid=nav-users]").CountAsync());
        await Page.GotoAsync("/users");
        await Page.WaitUntilInteractiveAsync();
        await Page.Locator("[data-testid=access-denied]").WaitForAsync();
        Assert.Equal([Roles.Support], (await FindAsync("bob@example.com")).Roles);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_user_whose_groups_map_to_no_role_is_refused_clearly_audited_and_not_signed_in()
    {
        provider.SetPerson("carol", "carol@example.com", "marketing", "everyone");

        await Page.GotoAsync("/account/login");
        await SignInThroughProviderAsync("carol");
        await WaitForAddressAsync(url => url.Contains("/account/sso-refused", StringComparison.Ordinal));

        var refusal = Page.Locator("[data-testid=sso-refused]");
        await Assertions.Expect(refusal).ToHaveAttributeAsync("data-reason", "no-role");
        await Assertions.Expect(refusal).ToContainTextAsync(
            $"You signed in with {TestOpenIdProvider.DisplayName}, but your account there is in no group that gives access to WorkflowAdmin.");
        await Page.ScreenshotAsync("sso-refused");
        await Page.GotoAsync("/");
        Assert.Contains("/account/login", Page.Url, StringComparison.Ordinal);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync("carol@example.com"));
        }

        var failed = Assert.Single(await AuditLog.ReadAsync(Database), e => e.Action == AuditActions.SignInFailed);
        Assert.Equal(("carol@example.com", "Anonymous"), (failed.Actor, failed.ActorKind));
        Assert.Contains("single sign-on: no group maps to a role", failed.AfterJson, StringComparison.Ordinal);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_group_changed_at_the_provider_changes_the_role_at_the_next_sign_in_and_no_group_takes_it_away()
    {
        provider.SetPerson("dave", "dave@example.com", TestOpenIdProvider.AdminGroup);
        await Page.GotoAsync("/account/login");
        await SignInThroughProviderAsync("dave");
        await Page.Locator("[data-testid=nav-users]").WaitForAsync();
        var stampAsAdmin = (await FindAsync("dave@example.com")).User.SecurityStamp;

        provider.SetPerson("dave", "dave@example.com", TestOpenIdProvider.AuditorGroup);
        await SignOutAsync();
        await NavigatingClickAsync("[data-testid=sso-sign-in]");
        await WaitForAddressAsync(url => !url.Contains("/account/", StringComparison.Ordinal) && url.StartsWith(App.BaseAddress.ToString(), StringComparison.Ordinal));
        await Page.WaitUntilInteractiveAsync();
        Assert.Equal(0, await Page.Locator("[data-testid=nav-users]").CountAsync());
        var asAuditor = await FindAsync("dave@example.com");
        Assert.Equal([Roles.Auditor], asAuditor.Roles);

        // A rotated stamp ends the user's other sessions at their next revalidation, as an admin's role change does.
        Assert.NotEqual(stampAsAdmin, asAuditor.User.SecurityStamp);

        provider.SetPerson("dave", "dave@example.com");
        await SignOutAsync();
        await NavigatingClickAsync("[data-testid=sso-sign-in]");
        await WaitForAddressAsync(url => url.Contains("/account/sso-refused", StringComparison.Ordinal));
        Assert.Empty((await FindAsync("dave@example.com")).Roles);

        var changes = (await AuditLog.ReadAsync(Database)).Where(e => e.Action == AuditActions.UserRoleChanged).ToList();
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal(("system", "groups at single sign-on"), (c.Actor, c.Reason)));
        Assert.Contains("\"Auditor\"", changes[0].AfterJson, StringComparison.Ordinal);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task With_local_accounts_off_the_page_offers_only_the_provider_and_a_password_is_refused_on_the_server()
    {
        var settings = provider.ConsoleSettings();
        settings["Authentication:LocalAccounts:Enabled"] = "false";
        await using var ssoOnly = new ConsoleAppFactory(Database, settings);
        await provider.RegisterConsoleAsync(ssoOnly.BaseAddress);
        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);

        await Page.GotoAsync(new Uri(ssoOnly.BaseAddress, "/account/login").ToString());
        await Assertions.Expect(Page.Locator("[data-testid=sso-sign-in]")).ToHaveTextAsync($"Sign in with {TestOpenIdProvider.DisplayName}");
        Assert.Equal(0, await Page.Locator("#password").CountAsync());
        Assert.Equal(0, await Page.Locator("[data-testid=sign-in]").CountAsync());

        // The form's post, sent anyway: refused, and nobody is signed in.
        var posted = await Page.APIRequest.PostAsync(new Uri(ssoOnly.BaseAddress, "/account/login").ToString(), new()
        {
            Form = Page.APIRequest.CreateFormData()
                .Set("_handler", "login").Set("Input.Email", admin.Email).Set("Input.Password", admin.Password),
            MaxRedirects = 0,
        });
        Assert.Equal(400, posted.Status);
        Assert.DoesNotContain(await Context.CookiesAsync(), c => c.Name == "WorkflowAdmin.Auth");

        // Past the page, the sign-in itself refuses the right password before looking at it.
        await using (var scope = ssoOnly.Services.CreateAsyncScope())
        {
            var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
            scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext = http;
            var outcome = await scope.ServiceProvider.GetRequiredService<ConsoleSignIn>().SignInAsync(http, admin.Email, admin.Password, remember: false);
            Assert.False(outcome.Succeeded);
            Assert.Null(outcome.RetryAfter);
            Assert.DoesNotContain("WorkflowAdmin.Auth", http.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);
        }

        provider.SetPerson("erin", "erin@example.com", TestOpenIdProvider.AdminGroup);
        await SignInThroughProviderAsync("erin");
        await WaitForAddressAsync(url => url.StartsWith(ssoOnly.BaseAddress.ToString(), StringComparison.Ordinal) && !url.Contains("/account/", StringComparison.Ordinal));
        await Page.Locator("[data-testid=nav-users]").WaitForAsync();
        Assert.Empty(violations);

        // Leave the second app before it is disposed: its server would otherwise wait for this page's circuit to
        // close until the host's shutdown timeout, and the hosted services stopped after it get a cancelled token.
        await Page.GotoAsync("about:blank");
    }

    private async Task SignInThroughProviderAsync(string userName)
    {
        await NavigatingClickAsync("[data-testid=sso-sign-in]");
        try
        {
            await WaitForAddressAsync(url => url.StartsWith(provider.Authority + "login", StringComparison.Ordinal));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Not at the provider's sign-in page but at {Page.Url}: {await Page.InnerTextAsync("body")}", e);
        }

        await Page.FillAsync("#username", userName);
        await NavigatingClickAsync("#provider-sign-in");
    }

    // The click's DOM event, without Playwright's wait for the navigation it starts: on a loaded machine that wait
    // outlasted its 30 s while the browser was already on its way (CI). The caller polls the address instead.
    private async Task NavigatingClickAsync(string selector)
    {
        var target = Page.Locator(selector);
        await target.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
        await target.DispatchEventAsync("click");
    }

    private async Task SignOutAsync()
    {
        // A click while the circuit takes over the prerendered layout can land on a button that is being replaced
        // (it was lost once in CI): click once the page is interactive, and wait for the address, not a load event.
        await Page.WaitUntilInteractiveAsync();
        await Page.ClickAsync("[data-testid=sign-out]");
        await WaitForAddressAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
    }

    private async Task<string> UserIdAsync(string email) => (await FindAsync(email)).User.Id;

    private async Task<(ApplicationUser User, IList<string> Roles, IList<UserLoginInfo> Logins)> FindAsync(string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        return (user, await users.GetRolesAsync(user), await users.GetLoginsAsync(user));
    }
}

[Collection(BrowserGroup.Name)]
public sealed class SingleSignOnSqliteBrowserTests(BrowserFixture browser) : SingleSignOnBrowserTests(browser, new SqliteDatabaseFixture());

[Collection(BrowserGroup.Name)]
public sealed class SingleSignOnPostgresBrowserTests(BrowserFixture browser) : SingleSignOnBrowserTests(browser, new PostgresDatabaseFixture());
