using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Domain.ApiAccess;

/// <summary>
/// Issues, revokes and checks API keys. Issuing and revoking are admin actions, authorised here and audited in the
/// same save; checking a presented secret is what every API request does first, so it reads one row by the key's
/// public prefix and records use at most once a minute rather than writing on every request.
/// </summary>
public sealed partial class ApiKeyService(AppDbContext db, WorkflowRegistry workflows, TimeProvider time)
{
    /// <summary>How stale "last used" may get: a busy key writes once per this interval, not once per request.</summary>
    public static readonly TimeSpan UsageResolution = TimeSpan.FromMinutes(1);

    /// <exception cref="InputValidationException">The name is missing, malformed or taken, or no scope is given.</exception>
    public Task<IssuedApiKey> IssueAsync(string name, IReadOnlyCollection<ApiScope> scopes, Actor actor, CancellationToken cancellationToken) =>
        IssueAsync(name, scopes, [], actor, cancellationToken);

    /// <param name="triggerWorkflows">The workflows the trigger scope may start; empty means every workflow.</param>
    public async Task<IssuedApiKey> IssueAsync(
        string name, IReadOnlyCollection<ApiScope> scopes, IReadOnlyCollection<string> triggerWorkflows, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(triggerWorkflows);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.ManageApiKeys);
        name = name?.Trim() ?? "";
        var errors = new InputErrors();
        errors.Required("name", name);
        errors.MaxLength("name", name, ApiKey.MaxNameLength);
        if (name.Length > 0 && !NamePattern().IsMatch(name))
        {
            errors.Add("name", "may contain letters, digits, spaces, dots, hyphens and underscores, and must start with a letter or digit");
        }

        if (scopes.Count == 0)
        {
            errors.Add("scopes", "must name at least one scope (read, trigger, pii)");
        }

        if (scopes.Contains(ApiScope.Pii) && !scopes.Contains(ApiScope.Read) && !scopes.Contains(ApiScope.Trigger))
        {
            errors.Add("scopes", "pii needs read or trigger as well: it unmasks what they read and reads nothing alone");
        }

        if (triggerWorkflows.Count > 0 && !scopes.Contains(ApiScope.Trigger))
        {
            errors.Add("triggerWorkflows", "need the trigger scope: they limit what it may start");
        }

        foreach (var unknown in triggerWorkflows.Where(k => !workflows.TryGet(k, out _)))
        {
            errors.Add("triggerWorkflows", $"names '{unknown}', which is not a workflow");
        }

        if (ApiKey.FormatScopes(scopes, triggerWorkflows).Length > ApiKey.MaxScopesLength)
        {
            errors.Add("triggerWorkflows", $"name too many workflows for one key (the scopes are stored in {ApiKey.MaxScopesLength} characters): leave the limit out, or issue a key per workflow");
        }

        if (!errors.Any && await NameTakenAsync(name, cancellationToken))
        {
            errors.Add("name", NameTaken(name));
        }

        if (errors.Any)
        {
            throw new InputValidationException(errors.All);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (key, secret) = ApiKey.Issue(name, scopes, actor.Name, now, triggerWorkflows);
        db.ApiKeys.Add(key);
        try
        {
            await AuditTrail.SaveAsync(db, AuditRecord.For(
                actor, AuditActions.ApiKeyCreated, now, AuditTargets.ApiKey, key.Id.ToString(),
                after: new { key.Name, key.Prefix, key.Scopes }), cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another admin may have issued a key of this name between our check and our save: the unique index decided.
            db.ChangeTracker.Clear();
            if (await NameTakenAsync(name, CancellationToken.None))
            {
                throw InputValidationException.At("name", NameTaken(name));
            }

            throw;
        }

        return new IssuedApiKey(key.Id, key.Name, key.Prefix, key.ScopeList, secret);
    }

    /// <exception cref="ApiKeyNotFoundException">No key has this id.</exception>
    /// <exception cref="InvalidOperationException">The key was already revoked.</exception>
    public async Task RevokeAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.ManageApiKeys);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken) ?? throw new ApiKeyNotFoundException(id);
        var now = time.GetUtcNow().UtcDateTime;
        key.Revoke(actor.Name, now);
        await AuditTrail.SaveAsync(db, AuditRecord.For(
            actor, AuditActions.ApiKeyRevoked, now, AuditTargets.ApiKey, key.Id.ToString(),
            before: new { key.Name, key.Prefix, revoked = false }, after: new { key.Name, key.Prefix, revoked = true }), cancellationToken);
    }

    /// <summary>
    /// The active key whose secret this is, or null (unknown, malformed or revoked). The hash is compared in
    /// constant time; "last used" is recorded when it is older than <see cref="UsageResolution"/>.
    /// </summary>
    public async Task<AuthenticatedApiKey?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (ApiKey.PrefixOf(secret) is not { } prefix)
        {
            return null;
        }

        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null || !key.Matches(secret!) || !key.IsActive)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            if (key.LastUsedAt is not { } used || now - used >= UsageResolution)
            {
                key.MarkUsed(now);
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            // "Last used" is a hint for people; a busy database must not turn it into a refused request.
        }
        finally
        {
            // The request's own work (an execution, say) saves through this context later; the key is not part of it.
            db.Entry(key).State = EntityState.Detached;
        }

        return new AuthenticatedApiKey(key.Id, key.Name, key.ScopeList) { TriggerWorkflows = key.TriggerWorkflows };
    }

    // Names are compared without case: "CRM" and "crm" in the executions list would look like one system. Keys
    // are counted in tens, so the comparison is made here rather than in each provider's collation.
    private async Task<bool> NameTakenAsync(string name, CancellationToken cancellationToken) =>
        (await db.ApiKeys.AsNoTracking().Select(k => k.Name).ToListAsync(cancellationToken))
            .Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    private static string NameTaken(string name) =>
        $"is already used by another key ('{name}'); names stay reserved after a key is revoked, so its executions stay attributable";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._-]*$")]
    private static partial Regex NamePattern();
}

/// <summary>A key just issued, with its secret: the only moment the secret exists outside the caller's hands.</summary>
public sealed record IssuedApiKey(Guid Id, string Name, string Prefix, IReadOnlyList<ApiScope> Scopes, string Secret);

/// <summary>Who a valid secret belongs to.</summary>
public sealed record AuthenticatedApiKey(Guid Id, string Name, IReadOnlyList<ApiScope> Scopes)
{
    /// <summary>The workflows the trigger scope may start; empty means every workflow.</summary>
    public IReadOnlyList<string> TriggerWorkflows { get; init; } = [];
}

/// <summary>There is no API key with the given id.</summary>
public sealed class ApiKeyNotFoundException(Guid id) : KeyNotFoundException($"There is no API key with id {id}.")
{
    public Guid ApiKeyId { get; } = id;
}
