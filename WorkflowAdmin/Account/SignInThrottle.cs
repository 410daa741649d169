using Microsoft.Extensions.Options;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Account;

/// <summary>
/// This node's sign-in counters: attempts per client address, failures per account name, and the cap on failed
/// sign-ins written to the audit log (<see cref="SignInThrottleOptions"/>). In memory, so with N nodes an attacker
/// gets N times each budget; the account lockout, kept in the database, is shared by all nodes.
/// </summary>
internal sealed partial class SignInThrottle
{
    private readonly AttemptWindows auditNotices;
    private readonly ILogger<SignInThrottle> logger;
    private long unrecorded;

    public SignInThrottle(IOptions<SignInThrottleOptions> options, TimeProvider time, ILogger<SignInThrottle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;
        PerIp = new AttemptWindows(limits.PerIp.PermitLimit, limits.PerIp.Window, time);
        PerAccount = new AttemptWindows(limits.PerAccount.PermitLimit, limits.PerAccount.Window, time);
        AuditedFailures = new AttemptWindows(limits.AuditedFailures.PermitLimit, limits.AuditedFailures.Window, time);

        // One notice per key per window: the first refusal of an address or account is worth an audit entry, the
        // thousandth is not.
        var longest = new[] { limits.PerIp.Window, limits.PerAccount.Window, limits.AuditedFailures.Window }.Max();
        auditNotices = new AttemptWindows(1, longest, time);
        this.logger = logger;
    }

    public AttemptWindows PerIp { get; }

    public AttemptWindows PerAccount { get; }

    private AttemptWindows AuditedFailures { get; }

    /// <summary>The per-account key: the name as typed, trimmed and case-folded, so "Ada@x" and "ada@x " are one account.</summary>
    public static string AccountKey(string? email)
    {
        var key = (email ?? "").Trim().ToUpperInvariant();
        return key.Length > 256 ? key[..256] : key;
    }

    /// <summary>True for the first refusal of <paramref name="key"/> in its window: the one worth recording.</summary>
    public bool IsFirstRefusal(string key) => auditNotices.TryAcquire("refused:" + key, out _);

    /// <summary>
    /// Whether a failed sign-in may be written to the audit log now; if so, <paramref name="unrecordedBefore"/> is how
    /// many were not written since the last one, for the entry to carry.
    /// </summary>
    public bool TryAuditFailure(out long unrecordedBefore)
    {
        if (AuditedFailures.TryAcquire("all", out _))
        {
            unrecordedBefore = Interlocked.Exchange(ref unrecorded, 0);
            return true;
        }

        unrecordedBefore = 0;
        var count = Interlocked.Increment(ref unrecorded);
        if (auditNotices.TryAcquire("audit-cap", out _))
        {
            LogAuditCapReached(AuditedFailures.PermitLimit, AuditedFailures.Window, count);
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "More than {Limit} failed sign-ins in {Window} on this node: further ones are counted, not audited one by one ({Count} so far).")]
    private partial void LogAuditCapReached(int limit, TimeSpan window, long count);
}
