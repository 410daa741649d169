using System.Security.Cryptography;
using System.Text;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.ApiAccess;

/// <summary>
/// A back-office system's credential for the HTTP API. The secret is shown once, when issued, and stored only as a
/// SHA-256 hash: it is 256 random bits, so a fast hash is enough (there is nothing to guess), and lookups stay cheap.
/// The key's public prefix finds the row; the hash comparison runs in constant time.
/// </summary>
public sealed class ApiKey
{
    public const int MaxNameLength = 100;
    public const int PrefixLength = 12;
    public const string SecretPrefix = "wfa_";
    public const int MaxScopesLength = 100;

    /// <summary>A scope entry "trigger:onboard-customer" limits the trigger scope to the workflows it names.</summary>
    public const string TriggerWorkflowPrefix = "trigger:";

    private ApiKey()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Who uses the key ("billing-system"); it becomes the "triggered by" of what the key starts.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The secret's first characters, shown in the console so people can tell keys apart.</summary>
    public string Prefix { get; private set; } = "";

    public string SecretHash { get; private set; } = "";

    /// <summary>
    /// Stored as "read,trigger" (see <see cref="ApiScopes"/>), followed by "trigger:{workflow key}" entries when the
    /// trigger scope is limited to some workflows (older readers ignore entries they do not know).
    /// </summary>
    public string Scopes { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public IReadOnlyList<ApiScope> ScopeList => ApiScopes.Parse(Scopes);

    /// <summary>The workflows the trigger scope is limited to; empty means every workflow.</summary>
    public IReadOnlyList<string> TriggerWorkflows => TriggerWorkflowsOf(Scopes);

    public static IReadOnlyList<string> TriggerWorkflowsOf(string? scopes) =>
        [.. (scopes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.StartsWith(TriggerWorkflowPrefix, StringComparison.Ordinal) && s.Length > TriggerWorkflowPrefix.Length)
            .Select(s => s[TriggerWorkflowPrefix.Length..])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>The stored form of <paramref name="scopes"/> with the trigger scope limited to <paramref name="triggerWorkflows"/>.</summary>
    public static string FormatScopes(IEnumerable<ApiScope> scopes, IEnumerable<string>? triggerWorkflows)
    {
        var list = scopes.ToList();
        IEnumerable<string> limits = list.Contains(ApiScope.Trigger) ? (triggerWorkflows ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal) : [];
        return string.Join(",", new[] { ApiScopes.Format(list) }.Concat(limits.Select(k => TriggerWorkflowPrefix + k)));
    }

    /// <summary>Creates a key and returns its secret, which exists nowhere else after this call.</summary>
    public static (ApiKey Key, string Secret) Issue(
        string name, IReadOnlyCollection<ApiScope> scopes, string createdBy, DateTime now, IReadOnlyCollection<string>? triggerWorkflows = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);
        if (scopes.Count == 0)
        {
            throw new ArgumentException("A key needs at least one scope.", nameof(scopes));
        }

        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Id = SequentialIds.New(now),
            Name = name.Trim(),
            Prefix = secret[..PrefixLength],
            SecretHash = Hash(secret),
            Scopes = FormatScopes(scopes, triggerWorkflows),
            CreatedAt = now,
            CreatedBy = createdBy,
        };
        return (key, secret);
    }

    /// <summary>The prefix a presented secret would have, for the lookup; null when it cannot be one of ours.</summary>
    public static string? PrefixOf(string? secret) =>
        secret is { Length: > PrefixLength and <= 200 } && secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[..PrefixLength] : null;

    public bool Matches(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(SecretHash));
    }

    public void Revoke(string revokedBy, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revokedBy);
        if (!IsActive)
        {
            throw new InvalidOperationException($"API key '{Name}' was already revoked.");
        }

        RevokedAt = now;
        RevokedBy = revokedBy;
    }

    public void MarkUsed(DateTime now) => LastUsedAt = now;

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
