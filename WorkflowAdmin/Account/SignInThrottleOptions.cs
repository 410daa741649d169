namespace WorkflowAdmin.Account;

/// <summary>Sign-in abuse limits, bound from the "SignIn" section of appsettings.json (decision 0014).</summary>
public sealed class SignInThrottleOptions
{
    public const string SectionName = "SignIn";

    /// <summary>
    /// Failed sign-ins one client address may make per window, whatever the account; beyond it the address is refused
    /// before any lookup or password hash. Successes do not count, so many people behind one address are not refused.
    /// </summary>
    public Limit PerIp { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Failed attempts one account name (existing or not) may take per window from browsers it has not signed in
    /// from; beyond it such browsers are refused without the password being checked. Its own trusted browsers pass.
    /// </summary>
    public Limit PerAccount { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(15) };

    /// <summary>
    /// Failed sign-ins written to the audit log per window on this node; beyond it they are counted, and the count
    /// goes into the next entry written, so a flood can neither fill the log nor queue the audited writes behind it.
    /// </summary>
    public Limit AuditedFailures { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>How long a browser that signed in stays trusted for that account (it passes the account's throttle and lockout).</summary>
    public TimeSpan TrustedBrowserLifetime { get; set; } = TimeSpan.FromDays(30);

    public sealed class Limit
    {
        public int PermitLimit { get; set; }

        public TimeSpan Window { get; set; }

        public bool IsValid => PermitLimit > 0 && Window > TimeSpan.Zero;
    }
}
