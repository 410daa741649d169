using WorkflowAdmin.Domain.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Users;

/// <summary>
/// The server-side authority behind the Users pages: whatever the UI shows, only a current, enabled Admin gets
/// through, and never against their own account's access.
/// </summary>
public abstract class UserAdministrationTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;
    private ApplicationUser admin = null!;
    private ApplicationUser support = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddConsoleIdentity());
        admin = await ConsoleIdentity.CreateUserAsync(services.Provider, "ada@example.com", Roles.Admin);
        support = await ConsoleIdentity.CreateUserAsync(services.Provider, "sam@example.com", Roles.Support);
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task An_admin_reads_a_user_and_changes_another_users_access()
    {
        var administration = As(ConsoleIdentity.PrincipalOf(admin, Roles.Admin));

        Assert.True(await administration.CanManageUsersAsync());
        var details = await administration.FindAsync(support.Id);
        Assert.Equal(new UserDetails(support.Id, "sam@example.com", "sam", Roles.Support, false, null, support.CreatedAt, IsCurrentUser: false), details);
        Assert.True((await administration.SetRoleAsync(support.Id, Roles.Auditor)).Succeeded);
        Assert.True((await administration.SetDisabledAsync(support.Id, disabled: true)).Succeeded);
        Assert.True((await administration.ResetPasswordAsync(support.Id, "another-long-password")).Succeeded);
        Assert.True((await administration.CreateAsync("kim@example.com", "Kim", Roles.Support, ConsoleIdentity.Password)).Succeeded);
        Assert.Equal(new UserDetails(support.Id, "sam@example.com", "sam", Roles.Auditor, true, null, support.CreatedAt, false), await administration.FindAsync(support.Id));
        Assert.Null(await administration.FindAsync("nobody"));
    }

    public static TheoryData<string> RefusedSessions => new() { "support", "claims-admin-but-is-support", "disabled-admin", "unknown-user" };

    [Theory]
    [MemberData(nameof(RefusedSessions))]
    public async Task Anyone_but_a_current_enabled_admin_is_refused_everything_and_changes_nothing(string session)
    {
        var principal = session switch
        {
            "support" => ConsoleIdentity.PrincipalOf(support, Roles.Support),

            // A session signed in before the role was taken away: the cookie still says Admin.
            "claims-admin-but-is-support" => ConsoleIdentity.PrincipalOf(support, Roles.Admin),
            "disabled-admin" => ConsoleIdentity.PrincipalOf(admin, Roles.Admin),
            _ => new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "ghost"), new Claim(ClaimTypes.Role, Roles.Admin)], "test")),
        };
        if (session == "disabled-admin")
        {
            await services.InScopeAsync(sp => sp.GetRequiredService<UserAccounts>().SetDisabledAsync(Actor.System, admin.Id, disabled: true));
        }

        var administration = As(principal);
        var stampBefore = await StampAsync(support.Id);

        Assert.False(await administration.CanManageUsersAsync());
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => administration.FindAsync(support.Id));
        UserChange[] results =
        [
            await administration.CreateAsync("kim@example.com", "Kim", Roles.Admin, ConsoleIdentity.Password),
            await administration.SetRoleAsync(support.Id, Roles.Admin),
            await administration.SetDisabledAsync(support.Id, disabled: true),
            await administration.ResetPasswordAsync(support.Id, "another-long-password"),
        ];
        Assert.All(results, r => Assert.Equal(UserAdministration.NotAnAdmin, Assert.Single(r.Errors)));
        Assert.Equal(stampBefore, await StampAsync(support.Id));
        Assert.Null(await services.InScopeAsync(sp => sp.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync("kim@example.com")));
    }

    [Fact]
    public async Task An_admin_cannot_disable_or_demote_themselves()
    {
        var administration = As(ConsoleIdentity.PrincipalOf(admin, Roles.Admin));

        var disable = await administration.SetDisabledAsync(admin.Id, disabled: true);
        var demote = await administration.SetRoleAsync(admin.Id, Roles.Support);

        Assert.Equal(UserAdministration.CannotDisableSelf, Assert.Single(disable.Errors));
        Assert.Equal(UserAdministration.CannotDemoteSelf, Assert.Single(demote.Errors));
        var self = await administration.FindAsync(admin.Id);
        Assert.Equal(Roles.Admin, self!.Role);
        Assert.False(self.IsDisabled);
        Assert.True(self.IsCurrentUser);
        Assert.True((await administration.SetRoleAsync(admin.Id, Roles.Admin)).Succeeded);
    }

    private UserAdministration As(ClaimsPrincipal principal) =>
        new(new FixedAuthenticationStateProvider(principal), services.GetRequiredService<IServiceScopeFactory>(), new WorkflowAdmin.Security.CircuitClient());

    private Task<string?> StampAsync(string id) =>
        services.InScopeAsync(async sp => (await sp.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(id))!.SecurityStamp);
}

public sealed class SqliteUserAdministrationTests(SqliteDatabaseFixture database)
    : UserAdministrationTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresUserAdministrationTests(PostgresDatabaseFixture database)
    : UserAdministrationTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
