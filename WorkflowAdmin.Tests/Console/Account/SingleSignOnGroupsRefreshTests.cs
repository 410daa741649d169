using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Account;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;

namespace WorkflowAdmin.Tests.Console.Account;

/// <summary>
/// A group changed at the provider takes effect at the next revalidation (decision 0045): signed in through a real
/// provider (OpenIddict, in-process), the console keeps the refresh token and, once the groups are older than
/// GroupsRefreshInterval, re-reads them at the circuit's and the cookie's revalidation.
/// </summary>
public abstract class SingleSignOnGroupsRefreshTests(DatabaseFixture database) : IAsyncLifetime
{
    private static readonly TimeSpan PastTheInterval = TimeSpan.FromMinutes(6);
    private readonly TestOpenIdProvider provider = new();
    private readonly ShiftedTime time = new();
    private readonly LogCapture logs = new();
    private ConsoleAppFactory app = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        await provider.StartAsync();
        app = new ConsoleAppFactory(database, provider.ConsoleSettings(), services: s => s.AddSingleton<TimeProvider>(time).AddSingleton<ILoggerProvider>(logs));
        await provider.RegisterConsoleAsync(app.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await provider.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_group_changed_at_the_provider_changes_the_role_at_the_next_circuit_revalidation_audited()
    {
        provider.SetPerson("alice", "alice@example.com", TestOpenIdProvider.AdminGroup);
        using var browser = await SignInAsync("alice");
        var session = await SessionAsync("alice@example.com");
        var stored = await StoredRefreshTokenAsync("alice@example.com");
        var signedIn = provider.TokenRequests;

        provider.SetPerson("alice", "alice@example.com", TestOpenIdProvider.AuditorGroup);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(await CircuitStillValidAsync(session));
        Assert.Equal(signedIn, provider.TokenRequests);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await CircuitStillValidAsync(session));

        Assert.Equal(signedIn + 1, provider.TokenRequests);
        Assert.Equal([Roles.Auditor], await RolesAsync("alice@example.com"));
        var change = Assert.Single(await AuditLog.ReadAsync(database), e => e.Action == AuditActions.UserRoleChanged);
        Assert.Equal(("system", "groups at single sign-on refresh"), (change.Actor, change.Reason));
        Assert.Contains("\"Admin\"", change.BeforeJson, StringComparison.Ordinal);
        Assert.Contains("\"Auditor\"", change.AfterJson, StringComparison.Ordinal);

        // The provider rotated the refresh token, and the console kept the new one, encrypted.
        var rotated = await StoredRefreshTokenAsync("alice@example.com");
        Assert.NotEqual(stored.Plain, rotated.Plain);
        Assert.DoesNotContain(rotated.Plain, rotated.Stored, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains("the groups now map to Auditor", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(stored.Plain, StringComparison.Ordinal) || l.Contains(rotated.Plain, StringComparison.Ordinal));

        // The stamp rotated, so the cookie session ends too; signing in again gives the new role.
        Assert.Equal("/account/login", await PathOfAsync(browser, "/"));
    }

    [Fact]
    public async Task The_cookie_follows_the_same_rule_and_groups_removed_at_the_provider_end_the_session_and_take_the_role()
    {
        provider.SetPerson("bob", "bob@example.com", TestOpenIdProvider.SupportGroup);
        using var browser = await SignInAsync("bob");
        var signedIn = provider.TokenRequests;

        // Unchanged groups: re-read once, nothing changes, the session goes on.
        time.Advance(PastTheInterval);
        Assert.Equal("/", await PathOfAsync(browser, "/"));
        Assert.Equal(signedIn + 1, provider.TokenRequests);
        Assert.Equal([Roles.Support], await RolesAsync("bob@example.com"));

        provider.SetPerson("bob", "bob@example.com", "marketing");
        time.Advance(PastTheInterval);
        Assert.Equal("/account/login", await PathOfAsync(browser, "/"));

        Assert.Equal(signedIn + 2, provider.TokenRequests);
        Assert.Empty(await RolesAsync("bob@example.com"));
        var change = Assert.Single(await AuditLog.ReadAsync(database), e => e.Action == AuditActions.UserRoleChanged);
        Assert.Equal(("system", "groups at single sign-on refresh"), (change.Actor, change.Reason));
        Assert.Contains("\"roles\":[]", change.AfterJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_refresh_token_revoked_or_a_person_removed_at_the_provider_ends_the_session_audited(bool revoke)
    {
        provider.SetPerson("carol", "carol@example.com", TestOpenIdProvider.AdminGroup);
        using var browser = await SignInAsync("carol");
        var session = await SessionAsync("carol@example.com");
        if (revoke)
        {
            await provider.RevokeTokensAsync("carol");
        }
        else
        {
            provider.RemovePerson("carol");
        }

        time.Advance(PastTheInterval);
        Assert.False(await CircuitStillValidAsync(session));

        Assert.Equal("/account/login", await PathOfAsync(browser, "/"));
        var ended = Assert.Single(await AuditLog.ReadAsync(database), e => e.Action == AuditActions.SignOut);
        Assert.Equal(("system", "single sign-on refresh refused by the provider"), (ended.Actor, ended.Reason));
        Assert.Contains("invalid_grant", ended.AfterJson, StringComparison.Ordinal);
        Assert.Equal(0, await TokenRowsAsync("carol@example.com"));
    }

    [Fact]
    public async Task A_provider_that_is_down_keeps_the_session_and_the_role_and_is_asked_again_at_the_next_revalidation()
    {
        provider.SetPerson("dave", "dave@example.com", TestOpenIdProvider.AdminGroup);
        using var browser = await SignInAsync("dave");
        var session = await SessionAsync("dave@example.com");
        var signedIn = provider.TokenRequests;
        provider.SetPerson("dave", "dave@example.com");
        provider.TokenEndpointDown = true;

        time.Advance(PastTheInterval);
        Assert.True(await CircuitStillValidAsync(session));
        Assert.True(await CircuitStillValidAsync(session));
        Assert.Equal("/", await PathOfAsync(browser, "/"));

        Assert.Equal(signedIn + 3, provider.TokenRequests);
        Assert.Equal([Roles.Admin], await RolesAsync("dave@example.com"));
        Assert.DoesNotContain(await AuditLog.ReadAsync(database), e => e.Action is AuditActions.UserRoleChanged or AuditActions.SignOut);
        Assert.Equal(3, logs.Lines.Count(l => l.StartsWith("Warning ", StringComparison.Ordinal) && l.Contains("could not be reached", StringComparison.Ordinal)));

        // Back up: the very next revalidation reads the groups it could not read before.
        provider.TokenEndpointDown = false;
        Assert.False(await CircuitStillValidAsync(session));
        Assert.Empty(await RolesAsync("dave@example.com"));
    }

    [Fact]
    public async Task Two_nodes_revalidating_at_once_redeem_the_refresh_token_once_and_neither_ends_the_session()
    {
        provider.SetPerson("erin", "erin@example.com", TestOpenIdProvider.SupportGroup);
        using var browser = await SignInAsync("erin");
        var session = await SessionAsync("erin@example.com");
        var signedIn = provider.TokenRequests;
        time.Advance(PastTheInterval);

        // Both nodes read the same checked-at time before either can take the lease: a transaction here holds the
        // token rows, so both reach their compare-and-swap and wait there; then it lets them go.
        bool[] both;
        await using (var held = database.CreateDbContext())
        {
            await using var transaction = await held.Database.BeginTransactionAsync();
            var userId = (await held.Users.SingleAsync(u => u.Email == "erin@example.com")).Id;
            await held.Database.ExecuteSqlRawAsync("UPDATE \"AspNetUserTokens\" SET \"Value\" = \"Value\" WHERE \"UserId\" = {0}", userId);
            var first = Task.Run(() => CircuitStillValidAsync(session));
            var second = Task.Run(() => CircuitStillValidAsync(session));
            await BothWaitingAsync();
            await transaction.CommitAsync();
            both = await Task.WhenAll(first, second);
        }

        Assert.Equal([true, true], both);
        Assert.Equal(signedIn + 1, provider.TokenRequests);

        // The token the winner stored is the provider's current one: the next refresh works.
        time.Advance(PastTheInterval);
        Assert.True(await CircuitStillValidAsync(session));
        Assert.Equal(signedIn + 2, provider.TokenRequests);
        Assert.DoesNotContain(await AuditLog.ReadAsync(database), e => e.Action == AuditActions.SignOut);
    }

    // PostgreSQL shows the two blocked updates; SQLite does not, so there the two get time to read and block.
    private async Task BothWaitingAsync()
    {
        if (database.Provider != WorkflowAdmin.Domain.Data.DatabaseProvider.PostgreSql)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            return;
        }

        await using var db = database.CreateDbContext();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "The two revalidations never reached their compare-and-swap.");
            await Task.Delay(50);
        }
    }

    /// <summary>The browser's side of a sign-in through the provider, as plain HTTP: the console's cookie at the end.</summary>
    private async Task<HttpClient> SignInAsync(string userName)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = app.BaseAddress };
        using var login = await client.GetAsync(new Uri(SingleSignOnSetup.ChallengePath, UriKind.Relative));
        var atProvider = login.RequestMessage!.RequestUri!;
        Assert.StartsWith(provider.Authority + "login", atProvider.ToString(), StringComparison.Ordinal);
        var returnUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(atProvider.Query)["ReturnUrl"].ToString();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = userName, ["returnUrl"] = returnUrl });
        using var signedIn = await client.PostAsync(new Uri(provider.Authority, "/login"), form);
        Assert.Equal(new Uri(app.BaseAddress, "/"), signedIn.RequestMessage!.RequestUri);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        return client;
    }

    private static async Task<string> PathOfAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        return response.RequestMessage!.RequestUri!.AbsolutePath;
    }

    /// <summary>The principal of the user's session as the circuit holds it (current stamp, the SSO session's end).</summary>
    private async Task<ClaimsPrincipal> SessionAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user!);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(
            SingleSignOn.SessionExpiresClaim, time.GetUtcNow().AddHours(8).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return principal;
    }

    /// <summary>One revalidation of an open circuit, in its own scope, as the circuit runs it.</summary>
    private async Task<bool> CircuitStillValidAsync(ClaimsPrincipal session)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var revalidation = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        return await revalidation.IsStillValidAsync(scope.ServiceProvider, session);
    }

    private async Task<IList<string>> RolesAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetRolesAsync((await users.FindByEmailAsync(email))!);
    }

    private async Task<(string Stored, string Plain)> StoredRefreshTokenAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var stored = await users.GetAuthenticationTokenAsync((await users.FindByEmailAsync(email))!, SingleSignOnOptions.Scheme, SingleSignOnGroups.RefreshTokenName);
        Assert.NotNull(stored);
        var plain = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("WorkflowAdmin.Account.SingleSignOnRefreshToken.v1").Unprotect(stored);
        return (stored, plain);
    }

    private async Task<int> TokenRowsAsync(string email)
    {
        await using var db = database.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        return await db.UserTokens.CountAsync(t => t.UserId == user.Id && t.LoginProvider == SingleSignOnOptions.Scheme);
    }

    /// <summary>Every line the app logs, with its level, to check what is (and is never) written.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

        public IReadOnlyCollection<string> Lines => lines;

        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception}");
        }
    }

    /// <summary>The real clock, moved forward by the test: timers stay real, "now" jumps.</summary>
    private sealed class ShiftedTime : TimeProvider
    {
        private long offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));
    }
}

public sealed class SingleSignOnGroupsRefreshSqliteTests() : SingleSignOnGroupsRefreshTests(new SqliteDatabaseFixture());

public sealed class SingleSignOnGroupsRefreshPostgresTests() : SingleSignOnGroupsRefreshTests(new PostgresDatabaseFixture());
