using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Executions;

/// <summary>Where an execution sits in its re-run chain: what it re-ran, the chain's first execution, and its own re-runs.</summary>
public sealed record ExecutionLineage(LineageLink? RerunOf, LineageLink? Root, IReadOnlyList<LineageLink> Reruns)
{
    public static ExecutionLineage None { get; } = new(null, null, []);

    /// <summary>One query, projected to ids, statuses and times: payloads of related executions are never loaded.</summary>
    public static async Task<ExecutionLineage> LoadAsync(AppDbContext db, WorkflowExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(execution);
        var id = execution.Id;
        Guid[] ancestors = [.. new[] { execution.RerunOfId, execution.RootExecutionId }.OfType<Guid>().Distinct()];
        var related = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => ancestors.Contains(e.Id) || e.RerunOfId == id)
            .OrderBy(e => e.CreatedAt)
            .Select(e => new { e.Id, e.Status, e.CreatedAt, e.RerunOfId })
            .ToListAsync(cancellationToken);

        LineageLink? Find(Guid? wanted) =>
            related.Where(e => e.Id == wanted).Select(e => new LineageLink(e.Id, e.Status, e.CreatedAt)).FirstOrDefault();

        return new ExecutionLineage(
            Find(execution.RerunOfId),
            Find(execution.RootExecutionId),
            [.. related.Where(e => e.RerunOfId == id).Select(e => new LineageLink(e.Id, e.Status, e.CreatedAt))]);
    }
}

public sealed record LineageLink(Guid Id, ExecutionStatus Status, DateTime CreatedAt)
{
    public string Href => $"executions/{Id}";
}
