using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Account;

/// <summary>
/// Sign-in, failed sign-in and sign-out each write one audit entry, driven through the real login page and logout
/// endpoint over HTTP (forms, antiforgery tokens and cookies as a browser sends them). Run once per provider.
/// </summary>
public abstract partial class AccountAuditTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly (string Email, string Name, string Role, string Password) Admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);

    private ConsoleAppFactory app = null!;
    private HttpClient client = null!;
    private int entriesBefore;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        app = new ConsoleAppFactory(database);

        client = ConsoleHttp.CreateClient(app);

        // Start-up created the demo users (the system's entries); what the tests do comes after those.
        entriesBefore = (await AuditLog.ReadAsync(database)).Count;
        Assert.True(entriesBefore >= DemoUsers.All.Count);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Signing_in_records_the_user_with_roles_address_and_correlation_id()
    {
        var response = await SignInAsync(Admin.Email, Admin.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var entry = Assert.Single(await AuditLog.ReadAfterAsync(database, entriesBefore));
        Assert.Equal(AuditActions.SignIn, entry.Action);
        Assert.Equal((Admin.Email, "User", Roles.Admin), (entry.Actor, entry.ActorKind, entry.ActorRoles));
        Assert.Equal((AuditTargets.User, await UserIdAsync(Admin.Email)), (entry.TargetType, entry.TargetId));
        Assert.Null(entry.Reason);
        Assert.Null(entry.BeforeJson);
        Assert.Null(entry.AfterJson);
        Assert.Equal("127.0.0.1", entry.ClientIp);
        Assert.Matches(TraceId(), entry.CorrelationId);
    }

    [Fact]
    public async Task A_wrong_password_records_the_claimed_name_as_an_unverified_actor_against_the_account()
    {
        var response = await SignInAsync(Admin.Email, "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid email or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var entry = Assert.Single(await AuditLog.ReadAfterAsync(database, entriesBefore));
        Assert.Equal(AuditActions.SignInFailed, entry.Action);
        Assert.Equal((Admin.Email, "Anonymous", ""), (entry.Actor, entry.ActorKind, entry.ActorRoles));
        Assert.Equal((AuditTargets.User, await UserIdAsync(Admin.Email)), (entry.TargetType, entry.TargetId));
        AuditLog.JsonEqual("""{"result":"wrong email or password"}""", entry.AfterJson);
        Assert.DoesNotContain("not-the-password", entry.AfterJson, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", entry.ClientIp);
        Assert.Matches(TraceId(), entry.CorrelationId);
    }

    [Fact]
    public async Task A_sign_in_as_nobody_records_the_attempt_without_a_target()
    {
        await SignInAsync("nobody@example.com", "whatever-password");

        var entry = Assert.Single(await AuditLog.ReadAfterAsync(database, entriesBefore));
        Assert.Equal((AuditActions.SignInFailed, "nobody@example.com", "Anonymous"), (entry.Action, entry.Actor, entry.ActorKind));
        Assert.Null(entry.TargetType);
        Assert.Null(entry.TargetId);
    }

    [Fact]
    public async Task Signing_out_records_who_signed_out()
    {
        await SignInAsync(Admin.Email, Admin.Password);
        var token = await TokenAsync("/");

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var entries = await AuditLog.ReadAfterAsync(database, entriesBefore);
        Assert.Equal([AuditActions.SignIn, AuditActions.SignOut], entries.Select(e => e.Action));
        var entry = entries[1];
        Assert.Equal((Admin.Email, "User", Roles.Admin), (entry.Actor, entry.ActorKind, entry.ActorRoles));
        Assert.Equal((AuditTargets.User, await UserIdAsync(Admin.Email)), (entry.TargetType, entry.TargetId));
        Assert.Equal("127.0.0.1", entry.ClientIp);
        Assert.Matches(TraceId(), entry.CorrelationId);
        Assert.NotEqual(entries[0].CorrelationId, entry.CorrelationId);
    }

    [Fact]
    public async Task A_sign_out_without_a_valid_antiforgery_token_is_refused_and_records_nothing()
    {
        await SignInAsync(Admin.Email, Admin.Password);

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" }));

        Assert.False(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Redirect, $"Got {response.StatusCode}.");
        Assert.Equal([AuditActions.SignIn], (await AuditLog.ReadAfterAsync(database, entriesBefore)).Select(e => e.Action));
    }

    private Task<HttpResponseMessage> SignInAsync(string email, string password) => client.SignInAsync(email, password);

    private Task<string> TokenAsync(string path) => client.AntiforgeryTokenAsync(path);

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email))!.Id;
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex TraceId();
}

public sealed class SqliteAccountAuditTests(SqliteDatabaseFixture database)
    : AccountAuditTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresAccountAuditTests(PostgresDatabaseFixture database)
    : AccountAuditTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
