namespace WorkflowAdmin.Domain.Operations;

/// <summary>Node heartbeats and the queue figures, bound from the "Operations" section of appsettings.json.</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>How often each node writes its row in <c>Nodes</c>.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A node silent for this long (three missed beats) counts as lost: not ready, shown as lost.</summary>
    public TimeSpan StaleAfter => HeartbeatInterval * 3;

    /// <summary>A node's row is removed once it has been silent this long.</summary>
    public TimeSpan NodeRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long queue depth and oldest Pending age, read from the database, are reused by the gauges and the System page.</summary>
    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsValid => HeartbeatInterval > TimeSpan.Zero && NodeRetention > StaleAfter && QueueSampleInterval >= TimeSpan.Zero;
}
