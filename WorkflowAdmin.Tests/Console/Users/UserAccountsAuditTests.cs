using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Users;

/// <summary>
/// Every change to an account writes exactly one audit entry naming the acting admin, the account and the values
/// before and after; a password reset says that it happened, never the password. A refused or invalid change
/// writes nothing. Run once per provider.
/// </summary>
public abstract class UserAccountsAuditTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string NewPassword = "a-brand-new-long-password";

    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddConsoleIdentity());
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Creating_a_user_records_the_email_name_and_role_but_not_the_password()
    {
        var created = await AccountsAsync(a => a.CreateAsync(TestActors.Admin, "kim@example.com", "Kim Lee", Roles.Auditor, ConsoleIdentity.Password));

        var entry = Assert.Single(await AuditLog.ReadAsync(database));
        AssertByAdmin(entry, AuditActions.UserCreated, created.User!.Id);
        Assert.Null(entry.BeforeJson);
        AuditLog.JsonEqual("""{"email":"kim@example.com","displayName":"Kim Lee","role":"Auditor"}""", entry.AfterJson);
        Assert.DoesNotContain(ConsoleIdentity.Password, entry.AfterJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_a_role_records_the_roles_before_and_after()
    {
        var id = await CreateAsync(Roles.Support);

        await AccountsAsync(a => a.SetRoleAsync(TestActors.Admin, id, Roles.Auditor));

        var entry = Assert.Single(await AuditLog.ReadAfterAsync(database, 1));
        AssertByAdmin(entry, AuditActions.UserRoleChanged, id);
        AuditLog.JsonEqual("""{"roles":["Support"]}""", entry.BeforeJson);
        AuditLog.JsonEqual("""{"roles":["Auditor"]}""", entry.AfterJson);
    }

    [Fact]
    public async Task Disabling_and_enabling_record_one_entry_each_with_the_state_before_and_after()
    {
        var id = await CreateAsync(Roles.Support);

        await AccountsAsync(a => a.SetDisabledAsync(TestActors.Admin, id, disabled: true));
        await AccountsAsync(a => a.SetDisabledAsync(TestActors.Admin, id, disabled: false));

        var entries = await AuditLog.ReadAfterAsync(database, 1);
        Assert.Equal(2, entries.Count);
        AssertByAdmin(entries[0], AuditActions.UserDisabled, id);
        AuditLog.JsonEqual("""{"disabled":false}""", entries[0].BeforeJson);
        AuditLog.JsonEqual("""{"disabled":true}""", entries[0].AfterJson);
        AssertByAdmin(entries[1], AuditActions.UserEnabled, id);
        AuditLog.JsonEqual("""{"disabled":true}""", entries[1].BeforeJson);
        AuditLog.JsonEqual("""{"disabled":false}""", entries[1].AfterJson);
    }

    [Fact]
    public async Task A_password_reset_is_recorded_without_the_password()
    {
        var id = await CreateAsync(Roles.Support);

        var reset = await AccountsAsync(a => a.ResetPasswordAsync(TestActors.Admin, id, NewPassword));

        Assert.True(reset.Succeeded);
        var entry = Assert.Single(await AuditLog.ReadAfterAsync(database, 1));
        AssertByAdmin(entry, AuditActions.UserPasswordReset, id);
        Assert.Null(entry.BeforeJson);
        AuditLog.JsonEqual("""{"lockoutCleared":true}""", entry.AfterJson);
        Assert.All(new[] { entry.Actor, entry.ActorRoles, entry.TargetId, entry.Reason, entry.BeforeJson, entry.AfterJson, entry.CorrelationId, entry.ClientIp },
            field => Assert.DoesNotContain(NewPassword, field ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_or_failed_change_records_nothing()
    {
        var id = await CreateAsync(Roles.Support);

        await Assert.ThrowsAsync<WorkflowAdmin.Domain.Security.AccessDeniedException>(() => AccountsAsync(a => a.SetRoleAsync(TestActors.Auditor, id, Roles.Admin)));
        Assert.False((await AccountsAsync(a => a.ResetPasswordAsync(TestActors.Admin, id, "short"))).Succeeded);
        Assert.False((await AccountsAsync(a => a.CreateAsync(TestActors.Admin, "kim@example.com", "Kim again", Roles.Admin, ConsoleIdentity.Password))).Succeeded);

        Assert.Empty(await AuditLog.ReadAfterAsync(database, 1));
    }

    private static void AssertByAdmin(AuditEntry entry, string action, string userId)
    {
        Assert.Equal(action, entry.Action);
        Assert.Equal(("ada", "User", "Admin"), (entry.Actor, entry.ActorKind, entry.ActorRoles));
        Assert.Equal((AuditTargets.User, userId), (entry.TargetType, entry.TargetId));
        Assert.Null(entry.Reason);
        Assert.Equal(("127.0.0.1", "test"), (entry.ClientIp, entry.CorrelationId));
    }

    // The user under test is created by the system, which is the trail's first entry.
    private async Task<string> CreateAsync(string role)
    {
        var id = (await ConsoleIdentity.CreateUserAsync(services.Provider, "kim@example.com", role)).Id;
        Assert.Equal(AuditActions.UserCreated, Assert.Single(await AuditLog.ReadAsync(database)).Action);
        return id;
    }

    private Task<T> AccountsAsync<T>(Func<UserAccounts, Task<T>> action) =>
        services.InScopeAsync(sp => action(sp.GetRequiredService<UserAccounts>()));
}

public sealed class SqliteUserAccountsAuditTests(SqliteDatabaseFixture database)
    : UserAccountsAuditTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresUserAccountsAuditTests(PostgresDatabaseFixture database)
    : UserAccountsAuditTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
