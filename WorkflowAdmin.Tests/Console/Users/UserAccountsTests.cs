using WorkflowAdmin.Domain.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Users;

/// <summary>The account rules against a real database; run once per provider by the subclasses at the bottom.</summary>
public abstract class UserAccountsTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddConsoleIdentity());
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Create_stores_the_user_with_name_role_and_creation_time()
    {
        var result = await AccountsAsync(a => a.CreateAsync(Actor.System, "kim@example.com", "  Kim Lee ", Roles.Auditor, ConsoleIdentity.Password));

        Assert.True(result.Succeeded);
        var (user, roles) = await LoadAsync(result.User!.Id);
        Assert.Equal("kim@example.com", user.Email);
        Assert.Equal("kim@example.com", user.UserName);
        Assert.Equal("Kim Lee", user.DisplayName);
        Assert.Equal(services.Time.GetUtcNow().UtcDateTime, user.CreatedAt, TimeSpan.FromSeconds(1));
        Assert.False(user.IsDisabled);
        Assert.Equal([Roles.Auditor], roles);
    }

    [Theory]
    [InlineData("kim@example.com", "Kim", "Support", "too-short", UserField.Password)]
    [InlineData("not-an-email", "Kim", "Support", ConsoleIdentity.Password, UserField.Email)]
    [InlineData("kim@example.com", " ", "Support", ConsoleIdentity.Password, UserField.DisplayName)]
    [InlineData("kim@example.com", "Kim", "Owner", ConsoleIdentity.Password, UserField.Role)]
    public async Task Create_refuses_a_broken_rule_names_the_field_and_stores_nothing(
        string email, string name, string role, string password, UserField field)
    {
        var result = await AccountsAsync(a => a.CreateAsync(Actor.System, email, name, role, password));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Field == field);
        Assert.False(await AccountsAsync(a => a.AnyAsync()));
    }

    [Fact]
    public async Task Create_refuses_an_email_that_is_taken()
    {
        await AccountsAsync(a => a.CreateAsync(Actor.System, "kim@example.com", "Kim", Roles.Support, ConsoleIdentity.Password));

        var again = await AccountsAsync(a => a.CreateAsync(Actor.System, "kim@example.com", "Kim Again", Roles.Admin, ConsoleIdentity.Password));

        Assert.False(again.Succeeded);
        var problem = Assert.Single(again.Problems);
        Assert.Equal(new UserProblem(UserField.Email, "Email 'kim@example.com' is already taken."), problem);
    }

    [Fact]
    public async Task SetRole_replaces_the_role_and_rotates_the_security_stamp()
    {
        var id = await CreateAsync(Roles.Support);
        var (before, _) = await LoadAsync(id);

        var result = await AccountsAsync(a => a.SetRoleAsync(Actor.System, id, Roles.Admin));

        Assert.True(result.Succeeded);
        var (after, roles) = await LoadAsync(id);
        Assert.Equal([Roles.Admin], roles);
        Assert.NotEqual(before.SecurityStamp, after.SecurityStamp);
    }

    [Fact]
    public async Task SetRole_refuses_an_unknown_role_and_an_unknown_user()
    {
        var id = await CreateAsync(Roles.Support);

        Assert.Equal(UserField.Role, Assert.Single((await AccountsAsync(a => a.SetRoleAsync(Actor.System, id, "Owner"))).Problems).Field);
        Assert.Equal("There is no such user.", Assert.Single((await AccountsAsync(a => a.SetRoleAsync(Actor.System, "nobody", Roles.Admin))).Errors));
        Assert.Equal([Roles.Support], (await LoadAsync(id)).Roles);
    }

    [Fact]
    public async Task Disable_sets_the_flag_and_rotates_the_security_stamp_and_enable_clears_it()
    {
        var id = await CreateAsync(Roles.Support);
        var (before, _) = await LoadAsync(id);

        Assert.True((await AccountsAsync(a => a.SetDisabledAsync(Actor.System, id, disabled: true))).Succeeded);

        var (disabled, _) = await LoadAsync(id);
        Assert.True(disabled.IsDisabled);
        Assert.NotEqual(before.SecurityStamp, disabled.SecurityStamp);

        Assert.True((await AccountsAsync(a => a.SetDisabledAsync(Actor.System, id, disabled: false))).Succeeded);
        Assert.False((await LoadAsync(id)).User.IsDisabled);
    }

    [Fact]
    public async Task ResetPassword_sets_the_new_password_lifts_the_lockout_and_rotates_the_security_stamp()
    {
        var id = await CreateAsync(Roles.Support);
        await services.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(id))!;
            return await users.SetLockoutEndDateAsync(user, services.Time.GetUtcNow().AddMinutes(15));
        });
        var (before, _) = await LoadAsync(id);

        var result = await AccountsAsync(a => a.ResetPasswordAsync(Actor.System, id, "another-long-password"));

        Assert.True(result.Succeeded);
        var (after, _) = await LoadAsync(id);
        Assert.Null(after.LockoutEnd);
        Assert.NotEqual(before.SecurityStamp, after.SecurityStamp);
        Assert.True(await services.InScopeAsync(sp => sp.GetRequiredService<UserManager<ApplicationUser>>().CheckPasswordAsync(after, "another-long-password")));
        Assert.False(await services.InScopeAsync(sp => sp.GetRequiredService<UserManager<ApplicationUser>>().CheckPasswordAsync(after, ConsoleIdentity.Password)));
    }

    [Fact]
    public async Task ResetPassword_refuses_a_password_the_policy_rejects_and_keeps_the_old_one()
    {
        var id = await CreateAsync(Roles.Support);

        var result = await AccountsAsync(a => a.ResetPasswordAsync(Actor.System, id, "short"));

        Assert.False(result.Succeeded);
        Assert.All(result.Problems, p => Assert.Equal(UserField.Password, p.Field));
        var (user, _) = await LoadAsync(id);
        Assert.True(await services.InScopeAsync(sp => sp.GetRequiredService<UserManager<ApplicationUser>>().CheckPasswordAsync(user, ConsoleIdentity.Password)));
    }

    private async Task<string> CreateAsync(string role) => (await ConsoleIdentity.CreateUserAsync(services.Provider, "kim@example.com", role)).Id;

    private Task<T> AccountsAsync<T>(Func<UserAccounts, Task<T>> action) =>
        services.InScopeAsync(sp => action(sp.GetRequiredService<UserAccounts>()));

    // Read back in a fresh scope, as the next request would see it.
    private Task<(ApplicationUser User, IList<string> Roles)> LoadAsync(string id) =>
        services.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(id))!;
            return (user, await users.GetRolesAsync(user));
        });
}

public sealed class SqliteUserAccountsTests(SqliteDatabaseFixture database)
    : UserAccountsTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresUserAccountsTests(PostgresDatabaseFixture database)
    : UserAccountsTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
