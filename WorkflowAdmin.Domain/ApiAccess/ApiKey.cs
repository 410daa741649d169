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

    private ApiKey()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Who uses the key ("billing-system"); it becomes the "triggered by" of what the key starts.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The secret's first characters, shown in the console so people can tell keys apart.</summary>
    public string Prefix { get; private set; } = "";

    public string SecretHash { get; private set; } = "";

    /// <summary>Stored as "read,trigger" (see <see cref="ApiScopes"/>).</summary>
    public string Scopes { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public IReadOnlyList<ApiScope> ScopeList => ApiScopes.Parse(Scopes);

    /// <summary>Creates a key and returns its secret, which exists nowhere else after this call.</summary>
    public static (ApiKey Key, string Secret) Issue(string name, IReadOnlyCollection<ApiScope> scopes, string createdBy, DateTime now)
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
            Scopes = ApiScopes.Format(scopes),
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
