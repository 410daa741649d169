namespace WorkflowAdmin.Security;

/// <summary>
/// HTTPS enforcement, bound from the "Https" section. Off by default: the default start listens on plain HTTP on
/// loopback, where a redirect to HTTPS would lead nowhere. Turn it on where TLS is terminated (by Kestrel or by a
/// proxy in <see cref="ReverseProxyOptions"/> that sends X-Forwarded-Proto).
/// </summary>
public sealed class HttpsOptions
{
    public const string SectionName = "Https";

    /// <summary>Redirect plain HTTP requests to HTTPS (except /health) and send Strict-Transport-Security.</summary>
    public bool Enforce { get; set; }

    /// <summary>The port browsers are redirected to: the proxy's public HTTPS port, usually 443.</summary>
    public int Port { get; set; } = 443;

    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}
