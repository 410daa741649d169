using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// Requests without a valid API key, counted per client address (<see cref="ApiOptions.InvalidKeyLimit"/>). The
/// authentication handler asks it before looking a key up, so once an address has spent its budget its requests are
/// refused (429) without touching the database until the window ends, unless they carry a key this node has accepted
/// recently: an office behind one address must not lose its working integration because someone there pasted a
/// wrong key twenty times.
/// </summary>
internal sealed class InvalidKeyThrottle(IOptions<ApiOptions> options, TimeProvider time)
{
    // How long a key this node accepted passes an exhausted address's budget. The key is still looked up (a revoked
    // key is refused), so the window only bounds how many lookups a throttled address can cause: one per request,
    // with keys that were genuinely valid a moment ago, which a guesser does not have.
    private static readonly TimeSpan RememberValidFor = TimeSpan.FromMinutes(15);

    // Keys are counted in tens; the bound only matters if something goes badly wrong.
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> recentlyValid = new(StringComparer.Ordinal);

    public AttemptWindows Windows { get; } = new(options.Value.InvalidKeyLimit.PermitLimit, options.Value.InvalidKeyLimit.Window, time);

    public static string AddressOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>Notes a key that just authenticated, by a digest of it (the secret itself is never held).</summary>
    public void RememberValid(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var now = time.GetUtcNow();
        if (recentlyValid.Count >= MaxRemembered)
        {
            foreach (var (digest, seen) in recentlyValid)
            {
                if (now - seen >= RememberValidFor)
                {
                    recentlyValid.TryRemove(new KeyValuePair<string, DateTimeOffset>(digest, seen));
                }
            }

            if (recentlyValid.Count >= MaxRemembered)
            {
                return;
            }
        }

        recentlyValid[Digest(secret)] = now;
    }

    /// <summary>Whether <paramref name="secret"/> authenticated on this node within <see cref="RememberValidFor"/>.</summary>
    public bool WasRecentlyValid(string? secret) =>
        secret is not null
        && recentlyValid.TryGetValue(Digest(secret), out var seen)
        && time.GetUtcNow() - seen < RememberValidFor;

    private static string Digest(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
