using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Users;

public abstract class UserDetailPageTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly ConsoleTestContext context;
    private ApplicationUser admin = null!;
    private ApplicationUser sam = null!;

    protected UserDetailPageTests(TDatabase database)
    {
        context = new ConsoleTestContext(database);
    }

    public async Task InitializeAsync()
    {
        await context.InitializeAsync();
        admin = await ConsoleIdentity.CreateUserAsync(context.Services, "ada@example.com", Roles.Admin);
        sam = await ConsoleIdentity.CreateUserAsync(context.Services, "sam@example.com", Roles.Support);
        context.SignInAs(Roles.Admin);
        context.Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public void The_page_shows_the_user()
    {
        var (page, _) = RenderPage(sam.Id);

        Assert.Equal("sam@example.com", Text(page, "user-email"));
        Assert.Equal("sam", Text(page, "user-name"));
        Assert.Equal(Roles.Support, Text(page, "user-role"));
        Assert.Equal("Enabled", Text(page, "user-status"));
        Assert.Equal("not locked out", Text(page, "user-lockout-end"));
        // "just now" relative to the test's clock; the exact time is the title (issue 11, point 9).
        Assert.Equal("just now", Text(page, "user-created"));
        Assert.Equal("2026-03-02 09:00:00 UTC", page.Find("[data-testid=user-created] time").GetAttribute("title"));
    }

    [Fact]
    public async Task Limiting_a_user_to_some_workflows_saves_them_as_claims_and_shows_them()
    {
        var (page, _) = RenderPage(sam.Id);
        Assert.Equal("All", Text(page, "user-workflows"));

        // The role select is a MudSelect<string> too; the workflows editor is the one that takes several.
        var picker = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.MultiSelection);
        await picker.InvokeAsync(() => picker.Instance.SelectedValuesChanged.InvokeAsync(["onboard-customer"]));
        await page.InvokeAsync(() => page.Find("button[data-testid=change-workflows]").Click());

        page.WaitForAssertion(() => Assert.Equal("onboard-customer", Text(page, "user-workflows")), TimeSpan.FromSeconds(60));
        await using var scope = context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var claims = await users.GetClaimsAsync((await users.FindByIdAsync(sam.Id))!);
        Assert.Equal(["onboard-customer"], claims.Where(c => c.Type == UserWorkflows.ClaimType).Select(c => c.Value));
    }

    [Fact]
    public async Task Disabling_asks_for_confirmation_then_sets_the_flag_and_rotates_the_security_stamp()
    {
        var stampBefore = (await LoadAsync(sam.Id)).User.SecurityStamp;
        var (page, dialogs) = RenderPage(sam.Id);

        await page.InvokeAsync(() => page.Find("[data-testid=disable-user]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Disable this user?", dialogs.Markup, StringComparison.Ordinal));
        Assert.False((await LoadAsync(sam.Id)).User.IsDisabled);
        Button(dialogs, "Disable").Click();

        page.WaitForAssertion(() => Assert.Equal("Disabled", Text(page, "user-status")));
        var (user, _) = await LoadAsync(sam.Id);
        Assert.True(user.IsDisabled);
        Assert.NotEqual(stampBefore, user.SecurityStamp);
        Assert.Contains(Snackbars, s => s.Message == "sam@example.com is disabled." && s.Severity == Severity.Success);
        Assert.NotNull(page.Find("[data-testid=enable-user]"));
    }

    [Fact]
    public async Task Cancelling_the_confirmation_changes_nothing()
    {
        var (page, dialogs) = RenderPage(sam.Id);

        await page.InvokeAsync(() => page.Find("[data-testid=disable-user]").Click());
        dialogs.WaitForAssertion(() => Button(dialogs, "Cancel").Click());

        Assert.False((await LoadAsync(sam.Id)).User.IsDisabled);
        Assert.Equal("Enabled", Text(page, "user-status"));
        Assert.Empty(Snackbars);
    }

    [Fact]
    public async Task Changing_the_role_replaces_it_and_reports_to_the_snackbar()
    {
        var (page, _) = RenderPage(sam.Id);

        var select = page.FindComponent<MudSelect<string>>();
        await select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(Roles.Auditor));
        await page.InvokeAsync(() => page.Find("[data-testid=change-role]").Click());

        page.WaitForAssertion(() => Assert.Equal(Roles.Auditor, Text(page, "user-role")));
        Assert.Equal([Roles.Auditor], (await LoadAsync(sam.Id)).Roles);
        Assert.Contains(Snackbars, s => s.Message == "sam@example.com is now Auditor.");
    }

    [Fact]
    public async Task Resetting_the_password_keeps_the_dialog_open_on_a_rejected_password_then_resets_it()
    {
        var (page, dialogs) = RenderPage(sam.Id);

        await page.InvokeAsync(() => page.Find("[data-testid=reset-password]").Click());
        dialogs.WaitForElement("input[data-testid=new-password]").Change("short");
        dialogs.Find("input[data-testid=confirm-new-password]").Change("short");
        dialogs.Find("form#reset-password-form").Submit();

        dialogs.WaitForAssertion(() => Assert.Contains("at least 12 characters", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal("short", dialogs.Find("input[data-testid=new-password]").GetAttribute("value"));

        dialogs.Find("input[data-testid=new-password]").Change("another-long-password");
        dialogs.Find("input[data-testid=confirm-new-password]").Change("another-long-password");
        dialogs.Find("form#reset-password-form").Submit();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("form#reset-password-form")));
        var (user, _) = await LoadAsync(sam.Id);
        await using var scope = context.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().CheckPasswordAsync(user, "another-long-password"));
        Assert.Contains(Snackbars, s => s.Message == "The password of sam@example.com was reset.");
    }

    [Fact]
    public void On_their_own_page_an_admin_is_offered_neither_disable_nor_a_role_change()
    {
        var (page, _) = RenderPage(admin.Id);

        Assert.True(page.Find("[data-testid=disable-user]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=change-role]").HasAttribute("disabled"));
        Assert.True(page.FindComponent<MudSelect<string>>().Instance.Disabled);
        Assert.False(page.Find("[data-testid=reset-password]").HasAttribute("disabled"));
    }

    [Fact]
    public void An_unknown_id_says_so()
    {
        var page = context.Render<UserDetailPage>(p => p.Add(x => x.Id, "nobody"));

        page.WaitForElement("[data-testid=user-not-found]");
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Auditor)]
    public void A_non_admin_is_refused_the_page_and_sees_nothing_of_the_user(string role)
    {
        context.SignInAs(role);

        var page = context.Render<UserDetailPage>(p => p.Add(x => x.Id, sam.Id));

        page.WaitForElement("[data-testid=access-denied]");
        Assert.DoesNotContain("sam@example.com", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=disable-user]"));
    }

    private IEnumerable<Snackbar> Snackbars => context.Services.GetRequiredService<ISnackbar>().ShownSnackbars;

    private (IRenderedComponent<UserDetailPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) RenderPage(string id)
    {
        var dialogs = context.Render<MudDialogProvider>();
        var page = context.Render<UserDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=user-details]");
        return (page, dialogs);
    }

    private static string Text(IRenderedComponent<UserDetailPage> page, string testId) =>
        page.Find($"[data-testid={testId}]").TextContent.Trim();

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<MudDialogProvider> dialogs, string text) =>
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private async Task<(ApplicationUser User, IList<string> Roles)> LoadAsync(string id)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(id))!;
        return (user, await users.GetRolesAsync(user));
    }
}

public sealed class SqliteUserDetailPageTests(SqliteDatabaseFixture database)
    : UserDetailPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresUserDetailPageTests(PostgresDatabaseFixture database)
    : UserDetailPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
