using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.ApiAccess;

/// <summary>Issuing, revoking and checking API keys against a real database; run once per provider (bottom).</summary>
public abstract class ApiKeyServiceTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database);
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Issue_stores_only_the_hash_and_audits_the_creation_with_the_admin_as_actor()
    {
        var issued = await KeysAsync(k => k.IssueAsync(" crm-integration ", [ApiScope.Trigger, ApiScope.Read], TestActors.Admin, CancellationToken.None));

        Assert.Equal("crm-integration", issued.Name);
        Assert.StartsWith(ApiKey.SecretPrefix, issued.Secret, StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        var stored = await db.ApiKeys.SingleAsync();
        Assert.Equal(issued.Secret[..ApiKey.PrefixLength], stored.Prefix);
        Assert.DoesNotContain(issued.Secret, stored.SecretHash, StringComparison.Ordinal);
        Assert.Equal("read,trigger", stored.Scopes);
        Assert.Equal("ada", stored.CreatedBy);
        var audit = await db.AuditEntries.SingleAsync();
        Assert.Equal(AuditActions.ApiKeyCreated, audit.Action);
        Assert.Equal("ada", audit.Actor);
        Assert.Equal(stored.Id.ToString(), audit.TargetId);
        Assert.DoesNotContain(issued.Secret[ApiKey.PrefixLength..], audit.AfterJson!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("  ", "name")]
    [InlineData("crm\nintegration", "name")]
    [InlineData("-leading-dash", "name")]
    [InlineData("CRM-Integration", "name")]
    public async Task Issue_refuses_a_missing_malformed_or_taken_name_and_writes_nothing_more(string name, string path)
    {
        await KeysAsync(k => k.IssueAsync("crm-integration", [ApiScope.Read], TestActors.Admin, CancellationToken.None));

        var refused = await Assert.ThrowsAsync<InputValidationException>(() =>
            KeysAsync(k => k.IssueAsync(name, [ApiScope.Read], TestActors.Admin, CancellationToken.None)));

        Assert.Contains(refused.Errors, e => e.Path == path);
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.ApiKeys.CountAsync());
        Assert.Equal(1, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task Issue_needs_a_scope_and_an_actor_allowed_to_manage_keys()
    {
        var noScope = await Assert.ThrowsAsync<InputValidationException>(() =>
            KeysAsync(k => k.IssueAsync("billing", [], TestActors.Admin, CancellationToken.None)));
        Assert.Equal("scopes", Assert.Single(noScope.Errors).Path);

        foreach (var actor in new[] { TestActors.Support, TestActors.Auditor, Actor.ForApiKey("other-key", [ApiScope.Read, ApiScope.Trigger]) })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => KeysAsync(k => k.IssueAsync("billing", [ApiScope.Read], actor, CancellationToken.None)));
        }

        await using var db = database.CreateDbContext();
        Assert.False(await db.ApiKeys.AnyAsync());
    }

    [Fact]
    public async Task Authenticate_accepts_the_secret_and_refuses_unknown_tampered_and_revoked_ones()
    {
        var issued = await KeysAsync(k => k.IssueAsync("crm-integration", [ApiScope.Trigger], TestActors.Admin, CancellationToken.None));

        var found = await KeysAsync(k => k.AuthenticateAsync(issued.Secret, CancellationToken.None));
        Assert.NotNull(found);
        Assert.Equal((issued.Id, "crm-integration"), (found.Id, found.Name));
        Assert.Equal([ApiScope.Trigger], found.Scopes);
        Assert.Null(await KeysAsync(k => k.AuthenticateAsync(issued.Secret[..^1] + (issued.Secret[^1] == 'a' ? 'b' : 'a'), CancellationToken.None)));
        Assert.Null(await KeysAsync(k => k.AuthenticateAsync("wfa_" + new string('z', 43), CancellationToken.None)));
        Assert.Null(await KeysAsync(k => k.AuthenticateAsync("not-a-key", CancellationToken.None)));
        Assert.Null(await KeysAsync(k => k.AuthenticateAsync(null, CancellationToken.None)));

        await services.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ApiKeyService>().RevokeAsync(issued.Id, TestActors.Admin, CancellationToken.None);
            return true;
        });

        Assert.Null(await KeysAsync(k => k.AuthenticateAsync(issued.Secret, CancellationToken.None)));
    }

    [Fact]
    public async Task Revoke_is_audited_and_cannot_happen_twice()
    {
        var issued = await KeysAsync(k => k.IssueAsync("crm-integration", [ApiScope.Trigger], TestActors.Admin, CancellationToken.None));

        await services.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ApiKeyService>().RevokeAsync(issued.Id, TestActors.Admin, CancellationToken.None);
            return true;
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => services.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ApiKeyService>().RevokeAsync(issued.Id, TestActors.Admin, CancellationToken.None);
            return true;
        }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => services.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ApiKeyService>().RevokeAsync(issued.Id, TestActors.Support, CancellationToken.None);
            return true;
        }));

        await using var db = database.CreateDbContext();
        var key = await db.ApiKeys.SingleAsync();
        Assert.False(key.IsActive);
        Assert.Equal("ada", key.RevokedBy);
        var revoked = await db.AuditEntries.Where(a => a.Action == AuditActions.ApiKeyRevoked).SingleAsync();
        Assert.Equal(issued.Id.ToString(), revoked.TargetId);
        Assert.True((await AuditChain.VerifyAsync(db, CancellationToken.None)).IsIntact);
    }

    [Fact]
    public async Task Use_is_recorded_at_most_once_per_minute()
    {
        var issued = await KeysAsync(k => k.IssueAsync("crm-integration", [ApiScope.Trigger], TestActors.Admin, CancellationToken.None));
        var first = services.Time.GetUtcNow().UtcDateTime;

        await KeysAsync(k => k.AuthenticateAsync(issued.Secret, CancellationToken.None));
        var afterFirst = await LastUsedAsync();
        services.Time.Advance(TimeSpan.FromSeconds(30));
        await KeysAsync(k => k.AuthenticateAsync(issued.Secret, CancellationToken.None));
        var afterSecond = await LastUsedAsync();
        services.Time.Advance(ApiKeyService.UsageResolution);
        await KeysAsync(k => k.AuthenticateAsync(issued.Secret, CancellationToken.None));
        var afterThird = await LastUsedAsync();

        Assert.NotNull(afterFirst);
        Assert.InRange(afterFirst.Value, first, first.AddSeconds(1));
        Assert.Equal(afterFirst, afterSecond);
        Assert.True(afterThird > afterSecond);
    }

    [Fact]
    public async Task The_cleanup_deletes_expired_idempotency_keys_only()
    {
        var issued = await KeysAsync(k => k.IssueAsync("crm-integration", [ApiScope.Trigger], TestActors.Admin, CancellationToken.None));
        var now = services.Time.GetUtcNow().UtcDateTime;
        await using (var db = database.CreateDbContext())
        {
            foreach (var (key, age) in new[] { ("old", TimeSpan.FromHours(25)), ("fresh", TimeSpan.FromHours(23)) })
            {
                var execution = WorkflowExecution.Create("provision-customer", 1, "{}", null, new Trigger(issued.Name, TriggerSource.Api), now - age);
                db.WorkflowExecutions.Add(execution);
                db.IdempotencyRecords.Add(IdempotencyRecord.Create(issued.Id, key, new string('a', 64), execution.Id, now - age, TimeSpan.FromHours(24)));
            }

            await db.SaveChangesAsync();
        }

        var cleanup = new IdempotencyCleanup(
            services.Provider.GetRequiredService<IServiceScopeFactory>(), services.Time, Options.Create(new ApiOptions()), NullLogger<IdempotencyCleanup>.Instance);
        var deleted = await cleanup.DeleteExpiredAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        await using var check = database.CreateDbContext();
        Assert.Equal(["fresh"], await check.IdempotencyRecords.Select(r => r.Key).ToListAsync());
    }

    private async Task<DateTime?> LastUsedAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.ApiKeys.Select(k => k.LastUsedAt).SingleAsync();
    }

    private Task<T> KeysAsync<T>(Func<ApiKeyService, Task<T>> action) =>
        services.InScopeAsync(sp => action(sp.GetRequiredService<ApiKeyService>()));
}

public sealed class SqliteApiKeyServiceTests(SqliteDatabaseFixture database)
    : ApiKeyServiceTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresApiKeyServiceTests(PostgresDatabaseFixture database)
    : ApiKeyServiceTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
