namespace WorkflowAdmin.Features.Api;

/// <summary>HTTP API settings, bound from the "Api" section of appsettings.json.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// Requests without a valid key, per client address and window (per node). Counted and refused before the key is
    /// looked up, so a flood of guessed keys costs the database at most this many lookups per address and window.
    /// </summary>
    public RateLimitOptions InvalidKeyLimit { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    public LongPollOptions LongPoll { get; set; } = new();

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

    /// <summary>The <c>?wait=</c> long-poll of <c>GET /api/v1/executions/{id}</c>.</summary>
    public sealed class LongPollOptions
    {
        /// <summary>Waiting requests one key may hold open at once on this node; more get 429.</summary>
        public int MaxPerKey { get; set; } = 5;

        /// <summary>Waiting requests this node holds open at once, all keys together; more get 429.</summary>
        public int MaxPerNode { get; set; } = 100;

        /// <summary>How often a waiting request reads the execution's status; never more than once a second.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    }
}
