using WorkflowAdmin.Domain.Background;

namespace WorkflowAdmin.Domain.Operations;

/// <summary>
/// One running copy of the program, as it last reported itself: written by its own <see cref="NodeHeartbeatService"/>
/// every few seconds, read by the System page. A row whose heartbeat stopped is a node that died (or was stopped
/// without a goodbye); rows silent for longer than the retention are pruned by the nodes still running.
/// </summary>
public sealed class Node
{
    public const int MaxNameLength = 200;
    public const int MaxVersionLength = 100;

    private Node()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Machine name and process id: what an operator finds with <c>ps</c> on that machine.</summary>
    public string Name { get; private set; } = "";

    public NodeRole Role { get; private set; }

    public string Version { get; private set; } = "";

    public DateTime StartedAt { get; private set; }

    public DateTime HeartbeatAt { get; private set; }

    /// <summary>Executions this node can run at once (0 on a web-only node).</summary>
    public int WorkerCount { get; private set; }

    /// <summary>Executions this node was running at its last heartbeat.</summary>
    public int BusyWorkers { get; private set; }

    public static Node Start(Guid id, string name, NodeRole role, string version, int workerCount, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentOutOfRangeException.ThrowIfNegative(workerCount);
        return new Node
        {
            Id = id,
            Name = name.Length > MaxNameLength ? name[..MaxNameLength] : name,
            Role = role,
            Version = version.Length > MaxVersionLength ? version[..MaxVersionLength] : version,
            WorkerCount = workerCount,
            StartedAt = now,
            HeartbeatAt = now,
        };
    }

    public void Beat(int busyWorkers, DateTime now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(busyWorkers);
        BusyWorkers = Math.Min(busyWorkers, WorkerCount);
        HeartbeatAt = now;
    }
}
