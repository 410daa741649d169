using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Users;

public abstract class CreateUserPageTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly ConsoleTestContext context;

    protected CreateUserPageTests(TDatabase database)
    {
        context = new ConsoleTestContext(database);
    }

    public async Task InitializeAsync()
    {
        await context.InitializeAsync();
        var admin = await ConsoleIdentity.CreateUserAsync(context.Services, "ada@example.com", Roles.Admin);
        context.SignInAs(Roles.Admin);
        context.Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task A_password_the_policy_rejects_is_shown_at_the_password_and_every_other_field_keeps_its_value()
    {
        var page = RenderPage();

        await FillAsync(page, "kim@example.com", "Kim Lee", Roles.Auditor, "too-short");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("at least 12 characters", ErrorAt(page, "password"), StringComparison.Ordinal));
        Assert.Equal("kim@example.com", InputOf(page, "email").GetAttribute("value"));
        Assert.Equal("Kim Lee", InputOf(page, "display-name").GetAttribute("value"));
        Assert.Equal(Roles.Auditor, page.FindComponent<MudSelect<string>>().Instance.GetState(x => x.Value));
        Assert.Equal("", ErrorAt(page, "email"));
        Assert.Null(await FindUserAsync("kim@example.com"));
        Assert.EndsWith("/", context.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_email_is_shown_at_the_email()
    {
        var page = RenderPage();

        await FillAsync(page, "ada@example.com", "Ada Again", Roles.Support, ConsoleIdentity.Password);
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("is already taken", ErrorAt(page, "email"), StringComparison.Ordinal));
        Assert.Equal("Ada Again", InputOf(page, "display-name").GetAttribute("value"));
    }

    [Fact]
    public async Task Differing_passwords_are_caught_before_anything_is_sent()
    {
        var page = RenderPage();

        await FillAsync(page, "kim@example.com", "Kim Lee", Roles.Support, ConsoleIdentity.Password, confirm: "something-else-entirely");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("The two passwords differ.", ErrorAt(page, "confirm-password"), StringComparison.Ordinal));
        Assert.Null(await FindUserAsync("kim@example.com"));
    }

    [Fact]
    public async Task A_valid_user_is_created_with_the_role_and_the_page_moves_to_them_with_a_snackbar()
    {
        var page = RenderPage();

        await FillAsync(page, "kim@example.com", "Kim Lee", Roles.Auditor, ConsoleIdentity.Password);
        page.Find("form").Submit();

        var navigation = context.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Contains("/users/", navigation.Uri, StringComparison.Ordinal));
        var (user, roles) = (await FindUserAsync("kim@example.com"))!.Value;
        Assert.Equal("Kim Lee", user.DisplayName);
        Assert.Equal([Roles.Auditor], roles);
        Assert.EndsWith($"/users/{user.Id}", navigation.Uri, StringComparison.Ordinal);
        Assert.Contains(context.Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message?.Contains("kim@example.com", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void A_non_admin_is_refused_the_page()
    {
        context.SignInAs(Roles.Support);

        var page = context.Render<CreateUserPage>();

        page.WaitForElement("[data-testid=access-denied]");
        Assert.Empty(page.FindAll("form"));
    }

    private IRenderedComponent<CreateUserPage> RenderPage()
    {
        var page = context.Render<CreateUserPage>();
        page.WaitForElement("form");
        return page;
    }

    private static async Task FillAsync(
        IRenderedComponent<CreateUserPage> page, string email, string name, string role, string password, string? confirm = null)
    {
        InputOf(page, "email").Change(email);
        InputOf(page, "display-name").Change(name);
        var select = page.FindComponent<MudSelect<string>>();
        await select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(role));
        InputOf(page, "password").Change(password);
        InputOf(page, "confirm-password").Change(confirm ?? password);
    }

    private static AngleSharp.Dom.IElement InputOf(IRenderedComponent<CreateUserPage> page, string testId) =>
        page.Find($"input[data-testid={testId}]");

    // MudBlazor writes a field's validation message in the helper line under it.
    private static string ErrorAt(IRenderedComponent<CreateUserPage> page, string testId) =>
        InputOf(page, testId).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    private async Task<(ApplicationUser User, IList<string> Roles)?> FindUserAsync(string email)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.FindByEmailAsync(email) is { } user ? (user, await users.GetRolesAsync(user)) : null;
    }
}

public sealed class SqliteCreateUserPageTests(SqliteDatabaseFixture database)
    : CreateUserPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresCreateUserPageTests(PostgresDatabaseFixture database)
    : CreateUserPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
