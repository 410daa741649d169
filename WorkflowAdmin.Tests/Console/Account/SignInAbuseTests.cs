using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Account;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Api;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Account;

/// <summary>
/// Abuse of the sign-in page (decision 0014), through the real login form over HTTP: per-address and per-account
/// throttles answer 429 with Retry-After, an unknown account is throttled exactly like a real one, and a stranger who
/// fails on purpose locks an account out of new browsers but not out of the browser its owner signed in from.
/// Each test connects from a loopback address of its own, so the per-address budgets do not mix.
/// </summary>
public abstract class SignInAbuseTests<TDatabase>(SignInAbuseTests<TDatabase>.SignInHost host)
    where TDatabase : DatabaseFixture, new()
{
    private static readonly (string Email, string Name, string Role, string Password) Admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);

    [Fact]
    public async Task One_address_gets_429_with_retry_after_past_its_budget_and_only_the_first_refusal_is_audited()
    {
        using var client = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        var emails = Enumerable.Range(0, SignInHost.PerIp + 3).Select(i => $"spray-{i}-{Guid.NewGuid():N}@example.com").ToList();

        var answers = new List<HttpResponseMessage>();
        foreach (var email in emails)
        {
            answers.Add(await client.SignInAsync(email, "guessed-password-1"));
        }

        Assert.All(answers.Take(SignInHost.PerIp), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        foreach (var refused in answers.Skip(SignInHost.PerIp))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
            Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var audited = await host.FailedSignInsAsync(emails);
        Assert.Equal(SignInHost.PerIp + 1, audited.Count);
        Assert.Single(audited, e => e.AfterJson!.Contains("too many attempts for this address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stranger_locks_an_admin_out_of_new_browsers_but_not_out_of_the_browser_the_admin_signed_in_from()
    {
        using var owner = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync(Admin.Email, Admin.Password)).StatusCode);

        // Five failures lock the account (Identity's lockout, in the database); one more spends its throttle.
        using var stranger = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        for (var i = 0; i < SignInHost.PerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await stranger.SignInAsync(Admin.Email, $"wrong-password-{i}")).StatusCode);
        }

        Assert.True(await host.IsLockedOutAsync(Admin.Email));

        // Now even the right password is refused to a browser the account never signed in from, before it is checked.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await stranger.SignInAsync(Admin.Email, Admin.Password)).StatusCode);
        using var newLaptop = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await newLaptop.SignInAsync(Admin.Email, Admin.Password)).StatusCode);

        // The owner's own browser still gets in with the password, and still cannot guess.
        Assert.Equal(HttpStatusCode.OK, (await owner.SignInAsync(Admin.Email, "not-the-password")).StatusCode);
        var signedIn = await owner.SignInAsync(Admin.Email, Admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/executions")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_account_is_throttled_exactly_like_a_real_one()
    {
        var ghost = $"ghost-{Guid.NewGuid():N}@example.com";
        using var first = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        using var second = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < SignInHost.PerAccount; i++)
        {
            statuses.Add((await first.SignInAsync(ghost, $"wrong-password-{i}")).StatusCode);
        }

        // Another address is refused for the account too, and in the same words as for a real one.
        var refused = await second.SignInAsync(ghost.ToUpperInvariant(), "another-guess-123");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public sealed class SignInHost : ApiHost<TDatabase>
    {
        public const int PerIp = 8;

        // Above Identity's lockout (five failures), so the lockout is reached first.
        public const int PerAccount = 6;

        public SignInHost()
            : base(new Dictionary<string, string?>
            {
                ["SignIn:PerIp:PermitLimit"] = PerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SignIn:PerIp:Window"] = "00:05:00",
                ["SignIn:PerAccount:PermitLimit"] = PerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SignIn:PerAccount:Window"] = "00:15:00",
                ["SignIn:AuditedFailures:PermitLimit"] = "100000",
            })
        {
        }

        public async Task<bool> IsLockedOutAsync(string email)
        {
            await using var scope = App.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            return await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!);
        }

        public Task<List<AuditEntry>> FailedSignInsAsync(IReadOnlyCollection<string> actors) =>
            QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.SignInFailed && actors.Contains(e.Actor)).ToListAsync());
    }
}

public sealed class SqliteSignInAbuseTests(SignInAbuseTests<SqliteDatabaseFixture>.SignInHost host)
    : SignInAbuseTests<SqliteDatabaseFixture>(host), IClassFixture<SignInAbuseTests<SqliteDatabaseFixture>.SignInHost>;

public sealed class PostgresSignInAbuseTests(SignInAbuseTests<PostgresDatabaseFixture>.SignInHost host)
    : SignInAbuseTests<PostgresDatabaseFixture>(host), IClassFixture<SignInAbuseTests<PostgresDatabaseFixture>.SignInHost>;

/// <summary>
/// The cap on failed sign-ins written to the audit log: a spray of failures from many names writes at most the cap
/// per window, and the next entry after the window says how many went unrecorded.
/// </summary>
public sealed class SignInAuditCapTests(SignInAuditCapTests.CapHost host) : IClassFixture<SignInAuditCapTests.CapHost>
{
    [Fact]
    public async Task Failures_beyond_the_audit_cap_are_counted_into_the_next_entry_instead_of_written()
    {
        using var client = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        var emails = Enumerable.Range(0, 10).Select(i => $"flood-{i}-{Guid.NewGuid():N}@example.com").ToList();
        foreach (var email in emails)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync(email, "guessed-password-1")).StatusCode);
        }

        Assert.Equal(CapHost.Cap, (await FailedSignInsAsync(emails)).Count);

        // The next window: the first failure is written, carrying the count of those that were not.
        await Task.Delay(CapHost.Window + TimeSpan.FromMilliseconds(300));
        var later = $"later-{Guid.NewGuid():N}@example.com";
        await client.SignInAsync(later, "guessed-password-1");
        var entry = Assert.Single(await FailedSignInsAsync([later]));
        Assert.Equal(10 - CapHost.Cap, AuditLog.Json(entry.AfterJson)!["unrecordedBefore"]!.GetValue<long>());
    }

    private Task<List<AuditEntry>> FailedSignInsAsync(IReadOnlyCollection<string> actors) =>
        host.QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.SignInFailed && actors.Contains(e.Actor)).ToListAsync());

    public sealed class CapHost : ApiHost<SqliteDatabaseFixture>
    {
        public const int Cap = 3;

        // Long enough that ten sign-ins fit in one window on a busy machine.
        public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

        public CapHost()
            : base(new Dictionary<string, string?>
            {
                ["SignIn:PerIp:PermitLimit"] = "1000",
                ["SignIn:PerAccount:PermitLimit"] = "1000",
                ["SignIn:AuditedFailures:PermitLimit"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SignIn:AuditedFailures:Window"] = "00:00:10",
            })
        {
        }
    }
}
