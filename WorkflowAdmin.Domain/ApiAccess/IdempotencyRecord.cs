namespace WorkflowAdmin.Domain.ApiAccess;

/// <summary>
/// Remembers which execution an API client's Idempotency-Key produced, and a hash of the request body, so a retry
/// gets the same execution and a different body under the same key is refused. The primary key (API key, key) makes
/// the database, not a check-then-insert, decide the winner of concurrent identical requests.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 200;

    private IdempotencyRecord()
    {
    }

    public Guid ApiKeyId { get; private set; }

    public string Key { get; private set; } = "";

    public string RequestHash { get; private set; } = "";

    public Guid ExecutionId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public static IdempotencyRecord Create(Guid apiKeyId, string key, string requestHash, Guid executionId, DateTime now, TimeSpan retention)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestHash);
        return new IdempotencyRecord
        {
            ApiKeyId = apiKeyId,
            Key = key,
            RequestHash = requestHash,
            ExecutionId = executionId,
            CreatedAt = now,
            ExpiresAt = now + retention,
        };
    }
}
