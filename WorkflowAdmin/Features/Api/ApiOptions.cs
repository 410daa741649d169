namespace WorkflowAdmin.Features.Api;

/// <summary>HTTP API settings, bound from the "Api" section of appsettings.json.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How long an Idempotency-Key is remembered; retries within it get the original execution.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired idempotency keys are deleted.</summary>
    public TimeSpan IdempotencyCleanupInterval { get; set; } = TimeSpan.FromHours(1);

    public sealed class RateLimitOptions
    {
        /// <summary>Requests one API key may make per <see cref="Window"/>.</summary>
        public int PermitLimit { get; set; } = 120;

        public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    }
}
