using System.Linq.Expressions;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Audit;

/// <summary>
/// The audit log (<c>/audit</c>), newest first, for auditors and administrators. Every filter and search field is
/// matched through one of the <c>AuditEntries</c> indexes (see <see cref="Domain.Data.Configurations.AuditEntryConfiguration"/>),
/// except the reason, which is read row by row along the time index.
/// </summary>
public sealed class AuditAdmin : EntityAdmin<AuditRow>
{
    public const string SlugValue = "audit";

    /// <summary>The roles holding <see cref="Domain.Security.Permission.ReadAudit"/>, for pages and the navigation.</summary>
    public const string ReaderRoles = Domain.Identity.Roles.Admin + "," + Domain.Identity.Roles.Auditor;

    /// <summary>Which kind of entries the log shows (issue #11 point 10); a bare <c>/audit</c> opens on the changes.</summary>
    public const string ShowKey = "show";

    public const string ShowChanges = "changes";

    public const string ShowSignIns = "sign-ins";

    public const string ShowEverything = "all";

    /// <summary>Where the log opens: the entries that changed something, sign-ins and everything one click away.</summary>
    public const string DefaultHref = "/audit?" + ShowKey + "=" + ShowChanges;

    private const string ActionKey = "action";
    private const string FromKey = "from";
    private const string ToKey = "to";

    private static readonly string[] SignInActions = [AuditActions.SignIn, AuditActions.SignInFailed, AuditActions.SignOut];

    // Sign-ins, list exports and reveals of personal data are audited but change nothing; people open the log to see
    // who changed what (a reveal is found under "Everything" or by its action). Named as what is left out, so an action
    // added later counts as a change until someone decides otherwise.
    private static readonly string[] ReadActions = [.. SignInActions, AuditActions.ListExported, AuditActions.PersonalDataRevealed];

    public AuditAdmin()
        : base("Audit log", SlugValue)
    {
        Href = "/audit";
        Roles = ReaderRoles;
        Icon = Icons.Material.Filled.Policy;
        Noun = "audit entries";
        PageSizes = [50, 100, 200];
        RowLink = r => AuditLinks.Entry(r.Id);
        ExportLink(AuditExportEndpoint.Path, "Export CSV", ReaderRoles);

        // One line at any width (issue 11, point 9): "3 min ago", the exact time in the browser's zone on hover (the
        // list's own markup for a time, not a component per row).
        Column("Time", r => r.OccurredAt);
        Column("Actor", r => r.Actor).WithTemplate(ActorCell).SortableWhen(false);
        Column("Action", r => r.Action).WithTemplate(ActionCell).SortableWhen(false);
        Column("Target", r => r.TargetId).WithTemplate(TargetCell).SortableWhen(false);
        Column("Reason", r => r.Reason).WithClass("truncate-cell").SortableWhen(false);
        Column("Client IP", r => r.ClientIp).WithClass("mono nowrap").SortableWhen(false);

        Filter("Show", ShowKey,
            [
                new FilterOption(ShowChanges, "Changes", Description: "Triggers, re-runs, cancellations, user, API key and triage changes"),
                new FilterOption(ShowSignIns, "Sign-ins", Description: "Sign-ins, failed sign-ins and sign-outs"),
                new FilterOption(ShowEverything, "Everything", Description: "Every entry, sign-ins, list exports and reveals of personal data included"),
            ],
            (rows, show) => show switch
            {
                ShowChanges => rows.Where(r => !ReadActions.Contains(r.Action)),
                ShowSignIns => rows.Where(r => SignInActions.Contains(r.Action)),
                _ => rows,
            });
        FilterByText("Actor", r => r.Actor, "actor");
        FilterByChoices("Action", r => r.Action, ActionKey,
            AuditActions.All.Select(a => new FilterOption(a, AuditActionLabels.Of(a))).ToList());
        Filter("Target type", "target-type",
            AuditTargets.All.Select(t => new FilterOption(t, t)).ToList(), (rows, type) => rows.Where(r => r.TargetType == type));
        FilterByText("Target id", "target", TargetIs);
        FilterByDate("Time", r => r.OccurredAt, FromKey, ToKey);

        // Actors and target ids match as prefixes through their indexes. A reason can only be read row by row (a
        // second on a million entries), so reasons are searched once an action or a time window narrows the rows.
        SearchOn("actor", r => r.Actor, TextMatch.StartsWith);
        SearchWith("target id", TargetStartsWith);
        SearchOn("reason", r => r.Reason, TextMatch.Contains, when: IsNarrowed, hint: "Reasons are searched once an action or a time range is chosen.");

        Ordering(r => r.OccurredAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<AuditRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.AuditEntries.Select(e => new AuditRow
        {
            Id = e.Id,
            Sequence = e.Sequence,
            OccurredAt = e.OccurredAt,
            Actor = e.Actor,
            ActorKind = e.ActorKind,
            ActorRoles = e.ActorRoles,
            Action = e.Action,
            TargetType = e.TargetType,
            TargetId = e.TargetId,

            // A user target is an id; people read it by the account's email (one primary-key lookup per shown row).
            TargetName = e.TargetType == AuditTargets.User ? db.Users.Where(u => u.Id == e.TargetId).Select(u => u.Email).FirstOrDefault() : null,
            Reason = e.Reason,
            ClientIp = e.ClientIp,
            CorrelationId = e.CorrelationId,
        });
    }

    /// <summary>
    /// The export: the list's own rows (filters, search and order exactly as the page applies them) with the columns
    /// the page leaves out. The payloads come as one primary-key lookup each, so the list's query stays what it is.
    /// </summary>
    public IQueryable<AuditExportRow> ExportQuery(AppDbContext db, ListState state)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Sorted(Filtered(db, state), state).Select(r => new AuditExportRow
        {
            Row = r,
            BeforeJson = db.AuditEntries.Where(e => e.Id == r.Id).Select(e => e.BeforeJson).FirstOrDefault(),
            AfterJson = db.AuditEntries.Where(e => e.Id == r.Id).Select(e => e.AfterJson).FirstOrDefault(),
            PreviousHash = db.AuditEntries.Where(e => e.Id == r.Id).Select(e => e.PreviousHash).FirstOrDefault(),
            Hash = db.AuditEntries.Where(e => e.Id == r.Id).Select(e => e.Hash).FirstOrDefault(),
        });
    }

    private static bool IsNarrowed(ListState state) =>
        state.Filter(ActionKey) is not null || state.Filter(FromKey) is not null || state.Filter(ToKey) is not null;

    // Every entry's target type is one of AuditTargets.All, so naming them all costs nothing in the result and lets
    // the database look the id up in the (TargetType, TargetId, OccurredAt) index instead of reading every entry.
    private static Expression<Func<AuditRow, bool>> TargetIs(string id) =>
        r => AuditTargets.All.Contains(r.TargetType!) && r.TargetId == id;

    private static Expression<Func<AuditRow, bool>> TargetStartsWith(string term) =>
        QueryExpressions.AndAlso<AuditRow>(
            r => AuditTargets.All.Contains(r.TargetType!), QueryExpressions.Text<AuditRow>(r => r.TargetId, TextMatch.StartsWith, term));

    private static RenderFragment ActorCell(AuditRow row) => builder =>
    {
        builder.OpenComponent<AuditActor>(0);
        builder.AddComponentParameter(1, nameof(AuditActor.Name), row.Actor);
        builder.AddComponentParameter(2, nameof(AuditActor.Kind), row.ActorKind);
        builder.AddComponentParameter(3, nameof(AuditActor.Roles), row.ActorRoles);
        builder.CloseComponent();
    };

    private static RenderFragment ActionCell(AuditRow row) => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "nowrap");
        builder.AddAttribute(2, "title", row.Action);
        builder.AddAttribute(3, "data-testid", "audit-action");
        builder.AddAttribute(4, "data-action", row.Action);
        builder.AddContent(5, AuditActionLabels.Of(row.Action));
        builder.CloseElement();
    };

    private static RenderFragment TargetCell(AuditRow row) => builder =>
    {
        builder.OpenComponent<AuditTarget>(0);
        builder.AddComponentParameter(1, nameof(AuditTarget.Type), row.TargetType);
        builder.AddComponentParameter(2, nameof(AuditTarget.Id), row.TargetId);
        builder.AddComponentParameter(3, nameof(AuditTarget.Name), row.TargetName);
        builder.CloseComponent();
    };
}

/// <summary>One audit-log row: what the list shows and filters on, never the before/after payloads.</summary>
public sealed record AuditRow
{
    /// <summary>The entry's address (its order of recording).</summary>
    public required long Id { get; init; }

    /// <summary>Its place in the hash chain; null while it waits to be sealed.</summary>
    public long? Sequence { get; init; }

    public required DateTime OccurredAt { get; init; }

    public required string Actor { get; init; }

    public required string ActorKind { get; init; }

    public required string ActorRoles { get; init; }

    public required string Action { get; init; }

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    /// <summary>A readable name for the target where one exists (a user's email).</summary>
    public string? TargetName { get; init; }

    public string? Reason { get; init; }

    public string? ClientIp { get; init; }

    public string? CorrelationId { get; init; }
}

/// <summary>A row of the CSV export: the list's row and the rest of the entry.</summary>
public sealed record AuditExportRow
{
    public required AuditRow Row { get; init; }

    public string? BeforeJson { get; init; }

    public string? AfterJson { get; init; }

    /// <summary>Null while the entry waits to be sealed, as is <see cref="Hash"/>.</summary>
    public string? PreviousHash { get; init; }

    public string? Hash { get; init; }
}
