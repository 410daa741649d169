using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Operations;

namespace WorkflowAdmin.Features.Operations;

/// <summary>What the System page shows, read at <see cref="AsOf"/>.</summary>
public sealed record SystemSnapshot(
    DateTime AsOf,
    IReadOnlyList<NodeRow> Nodes,
    QueueStatus Queue,
    int RecoveriesLast24Hours,
    DatabaseProvider Provider,
    string? LatestMigration,
    int PendingMigrations)
{
    public IEnumerable<NodeRow> LiveNodes => Nodes.Where(n => !n.IsLost);

    public int BusyWorkers => LiveNodes.Sum(n => n.BusyWorkers);

    public int IdleWorkers => LiveNodes.Sum(n => n.WorkerCount - n.BusyWorkers);
}

public sealed record NodeRow(
    Guid Id, string Name, NodeRole Role, string Version, DateTime StartedAt, DateTime HeartbeatAt, int WorkerCount, int BusyWorkers, bool IsLost);
