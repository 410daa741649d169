namespace WorkflowAdmin.Domain.Engine;

/// <summary>Engine settings, bound from the "Workflows" section of appsettings.json.</summary>
public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflows";

    /// <summary>Pause between two attempts of a step, so a briefly unavailable system gets a moment to recover.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a Running execution may go without a heartbeat before recovery decides its worker is gone and
    /// resumes it elsewhere. The runner beats four times per lease, so a lease survives a few slow writes.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times the runner tries again, in place, a checkpoint or a step that failed because the database was
    /// briefly unavailable (a dropped connection, a deadlock, a failover) before it leaves the execution to recovery.
    /// </summary>
    public int TransientRetries { get; set; } = 3;

    /// <summary>The first pause before such a retry; each further one doubles it, with jitter.</summary>
    public TimeSpan TransientRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>After this many recoveries an execution is failed instead: a step that kills its worker every time must stop.</summary>
    public int MaxRecoveries { get; set; } = 3;
}
