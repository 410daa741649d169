using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.BulkReruns;

/// <summary>Every bulk re-run (<c>/bulk-reruns</c>), for the administrators who start them and the auditors who check them.</summary>
public sealed class BulkRerunsAdmin : EntityAdmin<BulkRerunRow>
{
    public const string SlugValue = "bulk-reruns";

    public BulkRerunsAdmin()
        : base("Bulk re-runs", SlugValue)
    {
        Href = "/bulk-reruns";
        Roles = Domain.Identity.Roles.Admin + "," + Domain.Identity.Roles.Auditor;
        Icon = Icons.Material.Filled.PlaylistAddCheck;
        Noun = "bulk re-runs";
        RowLink = r => $"/bulk-reruns/{r.Id}";

        Column("Id", r => r.ShortId).WithClass("mono");
        Column("Created", r => r.CreatedAt).WithClass("nowrap");
        Column("Requested by", r => r.RequestedBy);
        Column("Status", r => r.Status).WithHtml(r => StatusChip.Html(r.Status)).WithFewValues();
        Column("Executions", r => r.Total);
        Column("Re-run", r => r.Rerun);
        Column("Not re-run", r => r.NotRerun);
        Column("Mode", r => r.Mode).WithClass("nowrap");
        Column("Reason", r => r.Reason).WithClass("truncate-cell").SortableWhen(false);
        Column("Finished", r => r.FinishedAt).WithClass("nowrap");

        FilterByEnum("Status", r => r.Status, "status", showCounts: true, color: StatusChip.ColorOf);
        FilterByDate("Created", r => r.CreatedAt, "from", "to");
        FilterByText("Requested by", r => r.RequestedBy, "by");
        FilterByEnum("Mode", r => r.Mode, "mode");

        // Bulk re-runs are few (each is a human decision), so reading every reason is cheap.
        SearchOn("reason", r => r.Reason);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<BulkRerunRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.BulkReruns.Select(b => new BulkRerunRow
        {
            Id = b.Id,
            CreatedAt = b.CreatedAt,
            RequestedBy = b.RequestedBy,
            Status = b.Status,
            Total = b.Total,
            Rerun = b.SucceededCount,
            NotRerun = b.FailedCount,
            Mode = b.Mode,
            Reason = b.Reason,
            FinishedAt = b.FinishedAt,
        });
    }
}

/// <summary>One bulk re-run in the list: who, when, why, how far; never its items.</summary>
public sealed record BulkRerunRow
{
    public required Guid Id { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required string RequestedBy { get; init; }

    public required ExecutionStatus Status { get; init; }

    public required int Total { get; init; }

    public required int Rerun { get; init; }

    public required int NotRerun { get; init; }

    public required RerunMode Mode { get; init; }

    public required string Reason { get; init; }

    public DateTime? FinishedAt { get; init; }

    public string ShortId => Id.ToString()[..8];
}
