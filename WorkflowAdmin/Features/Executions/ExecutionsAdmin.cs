using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.BulkReruns;
using WorkflowAdmin.Live;

namespace WorkflowAdmin.Features.Executions;

/// <summary>The executions list (<c>/executions</c>): the console's main screen, declared.</summary>
public sealed class ExecutionsAdmin : EntityAdmin<ExecutionRow>
{
    public const string SlugValue = "executions";

    /// <summary>
    /// The status chip for failures no succeeded re-run has resolved (decision 0025), beside Failed, which counts
    /// every failure; the console's links to failures open this one.
    /// </summary>
    public const string UnresolvedValue = "Unresolved";

    public const string UnresolvedHref = "/executions?status=" + UnresolvedValue;

    /// <summary>The query key of the failure-group filter: <c>/executions?fingerprint=…</c>.</summary>
    public const string FingerprintKey = "fingerprint";

    public ExecutionsAdmin(WorkflowRegistry workflows)
        : base("Executions", SlugValue)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        Href = "/executions";
        Icon = Icons.Material.Filled.PlaylistPlay;
        Noun = "executions";
        RowLink = r => $"/executions/{r.Id}";

        Column("Id", r => r.ShortId).WithClass("mono").ExportAs(r => r.Id);
        // Executions store keys; the list shows the names people know from the definitions in code (a workflow or step
        // that no longer exists shows its key). Sorting and the export stay on the key.
        // The name cells are the same few strings on every row: built once here, shared by every tab (decision 0049).
        var workflowCells = workflows.All.ToDictionary(d => d.Key, d => NameHtml(d.DisplayName, d.Key), StringComparer.Ordinal);
        var stepCells = workflows.All.ToDictionary(
            d => d.Key, d => (IReadOnlyDictionary<string, string>)d.Steps.ToDictionary(s => s.Key, s => NameHtml(s.DisplayName, s.Key), StringComparer.Ordinal), StringComparer.Ordinal);
        Column("Workflow", r => r.Workflow).WithHtml(r => workflowCells.GetValueOrDefault(r.Workflow) ?? NameHtml(null, r.Workflow)).WithFewValues();
        Column("Business key", r => r.BusinessKey).WithClass("mono truncate-narrow");
        Column("Status", r => r.Status).WithHtml(StatusHtml).WithFewValues(r => r.ResolvedByExecutionId is null);
        // The error sits beside the status, not at the far right: on the failure views it is what people triage by,
        // and at 1440 px with the menu open the right end of the list is where columns go out of view (issue 11, point 2).
        // An error message may quote an email address from the input: masked on screen and in exports (decision 0040).
        Column("Error", r => r.Error).WithHtml(ErrorHtml).SortableWhen(false).ExportAs(r => PayloadMasker.MaskText(r.Error));
        Column("Step", r => r.CurrentStep)
            .WithHtml(r => r.CurrentStep is not { } step ? "" : stepCells.GetValueOrDefault(r.Workflow)?.GetValueOrDefault(step) ?? NameHtml(null, step))
            .WithFewValues()
            .SortableWhen(false);
        Column("Triggered by", r => r.TriggeredBy).WithClass("truncate-narrow");
        Column("Source", r => r.Source).WithFewValues();
        // Date over time when space is short: the list stays within the window at 1440 px.
        Column("Created", r => r.CreatedAt);
        Column("Duration", r => r.Duration).WithHtml(DurationHtml).WithTemplate(RunningDurationCell);

        FilterBy("Status", "status", StatusOptions(), StatusMatch, showCounts: true);
        Filter("Workflow", "workflow",
            workflows.All.OrderBy(d => d.DisplayName, StringComparer.Ordinal).Select(d => new FilterOption(d.Key, d.DisplayName)).ToList(),
            (rows, key) => rows.Where(r => r.Workflow == key));
        FilterByDate("Created", r => r.CreatedAt, "from", "to");
        FilterByText("Triggered by", r => r.TriggeredBy, "by");
        FilterByEnum("Source", r => r.Source, "source");
        FilterByBool("Re-run", r => r.IsRerun, "rerun", yes: "Re-runs", no: "First runs");

        // A failure group's executions (/failures links here): an equality on the fingerprint, which its filtered
        // index answers in the list's order at any table size (decision 0028).
        FilterByText("Failure group", FingerprintKey, FingerprintMatch);

        // Each word: the start of an id, through the primary key, or anywhere in the business key, the customer's
        // name or the error message, through each provider's text index on SearchText, whatever the filters
        // (decision 0029).
        SearchWith("id, business key, customer name, error", Search);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);

        // Admins re-run many at once: the ticked rows, or all that match the filters, as one audited bulk re-run.
        BulkAction("Re-run", Icons.Material.Filled.Replay, BulkRerunDialog.ShowAsync, Domain.Identity.Roles.Admin);
    }

    public override bool IsLive => true;

    /// <summary>The key of the error column, which a view of failures always shows.</summary>
    public const string ErrorColumn = "error";

    // Failures are triaged by their error (issue 11, point 2): a view of Failed or Unresolved executions, or of one
    // failure group, shows it whatever columns the user chose.
    protected override IReadOnlyCollection<string> ColumnsRequiredIn(ListState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var statuses = state.Filter("status")?.Split(',') ?? [];
        return statuses.Contains(nameof(ExecutionStatus.Failed)) || statuses.Contains(UnresolvedValue) || state.Filter(FingerprintKey) is not null
            ? [ErrorColumn]
            : [];
    }

    // The feed is the host's, resolved at follow time: the admin is a singleton of declarations, built (and tested)
    // without the database the feed reads.
    public override IDisposable? Follow(LiveList<ExecutionRow> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return list.Services.GetRequiredService<ExecutionChangeFeed>().SubscribePage(
            list.InvokeAsync,
            changes => IsAffectedBy(changes, list.State(), list.RowsOnPage()) ? list.ReloadAsync() : Task.CompletedTask,
            list.Since);
    }

    public override bool CanFollowFrom(IServiceProvider services, DateTime readAt)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<ExecutionChangeFeed>().CanBridge(readAt, services.GetRequiredService<TimeProvider>());
    }

    /// <summary>
    /// A change reaches this view when it alters a row on the page (its status or step; durations tick by
    /// themselves), or when it may have moved an execution to another status: that changes the chip counts and can
    /// bring a row into, or take one out of, the filtered page. A step moving on in an execution elsewhere does not.
    /// </summary>
    public bool IsAffectedBy(ExecutionChangeBatch changes, ListState state, IReadOnlyList<ExecutionRow> rowsOnPage)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(rowsOnPage);
        if (changes.IsPartial)
        {
            return true;
        }

        var shown = rowsOnPage.ToDictionary(r => r.Id);
        return changes.Changes.Any(c => shown.TryGetValue(c.Id, out var row)
            ? row.Status != c.Status || row.CurrentStep != c.CurrentStepKey
            : c.IsNewStatus);
    }

    public override IQueryable<ExecutionRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.WorkflowExecutions.Select(e => new ExecutionRow
        {
            Id = e.Id,
            Workflow = e.DefinitionKey,
            BusinessKey = e.BusinessKey,
            Status = e.Status,
            CurrentStep = e.CurrentStepKey,
            TriggeredBy = e.TriggeredBy,
            Source = e.TriggerSource,
            CreatedAt = e.CreatedAt,
            StartedAt = e.StartedAt,
            FinishedAt = e.FinishedAt,
            IsRerun = e.RerunOfId != null,
            ResolvedAt = e.ResolvedAt,
            ResolvedByExecutionId = e.ResolvedByExecutionId,
            FailedStep = e.FailedStepKey,
            Error = e.ErrorMessage,
            Fingerprint = e.FailureFingerprint,
            SearchText = e.SearchText,
        });
    }

    // Fingerprints are stored in lower case; one pasted from elsewhere in upper case still finds its group.
    private static Expression<Func<ExecutionRow, bool>> FingerprintMatch(string value)
    {
        var fingerprint = value.Trim().ToLowerInvariant();
        return r => r.Fingerprint == fingerprint;
    }

    /// <summary>
    /// How many executions, newest first, a search's page is looked for in before the text index is asked (decision
    /// 0043). A search matching thousands of executions fills a page within the newest few thousand; one matching
    /// few reads this many rows for nothing and then takes the index.
    /// </summary>
    public const int SearchNewestFirstWindow = 10_000;

    /// <summary><see cref="SearchNewestFirstWindow"/> unless set otherwise (tests use a small window on a small table).</summary>
    public int SearchWindow { get; init; } = SearchNewestFirstWindow;

    /// <summary>
    /// A search's count stops here ("1,000+"), not at <see cref="EntityAdmin.CountCap"/>: each match counted is a row
    /// read to recheck its text, so 10,001 of them cost most of a common search's time (decision 0043).
    /// </summary>
    public const int SearchCountCap = 1_000;

    protected override int CountCapFor(ListState state) =>
        SearchTerms(state?.Search) is { Count: > 0 } ? SearchCountCap : CountCap;

    // Newest first through the CreatedAt index (or the filter's own index with CreatedAt), testing each row's text and
    // stopping after a page: PostgreSQL estimates one row for a few LIKEs and would never choose this plan itself.
    // SQLite keeps its FTS5 table, whose matches it reads by rowid without a per-row text test.
    protected override int? NewestFirstWindow(ListState state, AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return SearchTerms(state?.Search) is { Count: > 0 } && !db.Database.IsSqlite() ? SearchWindow : null;
    }

    // A search PostgreSQL's statistics say is rare (its least common word expected in fewer than a page's worth of the
    // window's rows: a key fragment, a misspelling, an id) goes straight to the text index, which answers it in a few
    // milliseconds, instead of first reading the whole window for nothing. Elsewhere the walk is always tried.
    protected override async Task<bool> IsWorthWalkingAsync(AppDbContext db, ListState state, int window, int rowsNeeded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return await ExecutionSearch.SmallestShareAsync(db, SearchTerms(state.Search), cancellationToken) is not { } share
            || share * window >= rowsNeeded;
    }

    /// <summary>
    /// The executions every word finds, as ONE condition on the row (decisions 0037, 0043): each word must be in the
    /// searchable text or, when it can be, the start of the id. On PostgreSQL and SQL Server it is a plain
    /// <c>WHERE</c> on the listed rows, so the newest-first window can test it row by row; on SQLite it is one
    /// subquery of the FTS5 table.
    /// </summary>
    public override IQueryable<ExecutionRow> ApplySearch(IQueryable<ExecutionRow> rows, ListState state, AppDbContext? db = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (db is null || SearchTerms(state.Search) is not { Count: > 0 } terms)
        {
            return base.ApplySearch(rows, state, db);
        }

        if (db.Database.IsSqlite())
        {
            var ids = ExecutionSearch.MatchingIds(db, terms, ExecutionIdSearch.Match);
            return rows.Where(r => ids.Contains(r.Id));
        }

        return rows.Where(ExecutionSearch.ContainsAll<ExecutionRow>(r => r.SearchText, terms, w => ExecutionIdSearch.Match<ExecutionRow>(w, r => r.Id)));
    }

    // One word at a time: what the search field declares (the placeholder, the checks of rows already loaded); the
    // list itself searches all words at once through ApplySearch.
    private static Expression<Func<ExecutionRow, bool>> Search(AppDbContext db, string term)
    {
        var ids = ExecutionSearch.MatchingIds(db, [term], ExecutionIdSearch.Match);
        return r => ids.Contains(r.Id);
    }

    private static List<FilterOption> StatusOptions() =>
        Enum.GetValues<ExecutionStatus>()
            .SelectMany(s => s == ExecutionStatus.Failed
                ? new[]
                {
                    new FilterOption(s.ToString(), s.ToString(), StatusChip.ColorOf(s), "Every failed execution, including those a later re-run resolved"),
                    new FilterOption(UnresolvedValue, UnresolvedValue, Color.Error, "Failed executions with no succeeded re-run", Within: s.ToString()),
                }
                : [new FilterOption(s.ToString(), s.ToString(), StatusChip.ColorOf(s), $"Executions that are {s}")])
            .ToList();

    /// <summary>
    /// The selected statuses as one predicate. "Unresolved" is Failed with no resolution: on its own it reads
    /// <c>Status = 'Failed' AND ResolvedAt IS NULL</c>, which IX_WorkflowExecutions_Status_ResolvedAt_CreatedAt
    /// serves newest first; beside Failed it adds nothing.
    /// </summary>
    private static Expression<Func<ExecutionRow, bool>> StatusMatch(IReadOnlyList<string> values)
    {
        var statuses = values.Where(v => v != UnresolvedValue).Select(Enum.Parse<ExecutionStatus>).ToList();
        var anyStatus = QueryExpressions.AnyOf<ExecutionRow, ExecutionStatus>(r => r.Status, statuses);
        if (!values.Contains(UnresolvedValue) || statuses.Contains(ExecutionStatus.Failed))
        {
            return anyStatus;
        }

        var row = anyStatus.Parameters[0];
        var unresolved = Expression.AndAlso(
            Expression.Equal(Expression.Property(row, nameof(ExecutionRow.Status)), Expression.Constant(ExecutionStatus.Failed)),
            Expression.Equal(Expression.Property(row, nameof(ExecutionRow.ResolvedAt)), Expression.Constant(null, typeof(DateTime?))));
        return Expression.Lambda<Func<ExecutionRow, bool>>(statuses.Count == 0 ? unresolved : Expression.OrElse(anyStatus.Body, unresolved), row);
    }

    // Cells are HTML strings, not components or element trees: a page of rows then costs an open tab a few hundred
    // render-tree frames (decisions 0026, 0049). Every value from data is encoded; the chip is MudChip's own markup, so it
    // looks as it does elsewhere.

    /// <summary>The status chip, and on a failure a later re-run resolved, a link to that re-run.</summary>
    private static string StatusHtml(ExecutionRow row) => row.ResolvedByExecutionId is { } rerun
        ? $"{StatusChip.Html(row.Status)}<a href=\"/executions/{rerun}\" class=\"list-resolved list-row-inner\" title=\"Resolved by re-run {rerun}\" data-testid=\"execution-resolved\">resolved by re-run</a>"
        : StatusChip.Html(row.Status);

    /// <summary>A name, with the key it stands for on hover; the key itself (in monospace) when the registry does not know it.</summary>
    private static string NameHtml(string? name, string key) =>
        $"<span class=\"{(name is null ? "mono truncate-narrow" : "truncate-narrow")}\" title=\"{Html.Encode(key)}\">{Html.Encode(name ?? key)}</span>";

    // Only a run in progress needs the ticking component; a finished one is text.
    private static string? DurationHtml(ExecutionRow row) => row.StartedAt is not null && row.FinishedAt is null
        ? null
        : $"<span class=\"nowrap\" data-testid=\"execution-duration\">{Html.Encode(DetailFormat.Duration(row.Duration))}</span>";

    private static RenderFragment RunningDurationCell(ExecutionRow row) => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "nowrap");
        builder.AddAttribute(2, "data-testid", "execution-duration");
        builder.OpenComponent<ExecutionDuration>(3);
        builder.AddComponentParameter(4, nameof(ExecutionDuration.Started), row.StartedAt);
        builder.AddComponentParameter(5, nameof(ExecutionDuration.Finished), row.FinishedAt);
        builder.CloseComponent();
        builder.CloseElement();
    };

    private static string ErrorHtml(ExecutionRow row)
    {
        if (row.Error is null)
        {
            return "";
        }

        var error = Html.Encode(PayloadMasker.MaskText(row.Error));
        var step = Html.Encode(row.FailedStep);
        return $"<span class=\"truncate-cell list-error\" title=\"{step}: {error}\" data-testid=\"execution-error\"><span class=\"mono mr-2\">{step}</span>{error}</span>";
    }
}

/// <summary>One executions-list row: the columns the list shows and filters on, never the payloads.</summary>
public sealed record ExecutionRow
{
    public required Guid Id { get; init; }

    public required string Workflow { get; init; }

    public string? BusinessKey { get; init; }

    public required ExecutionStatus Status { get; init; }

    /// <summary>The step the execution is on, or stopped at when it failed or was cancelled.</summary>
    public string? CurrentStep { get; init; }

    public required string TriggeredBy { get; init; }

    public required TriggerSource Source { get; init; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public required bool IsRerun { get; init; }

    /// <summary>When a succeeded re-run resolved this failure (decision 0025); null otherwise.</summary>
    public DateTime? ResolvedAt { get; init; }

    public Guid? ResolvedByExecutionId { get; init; }

    public string? FailedStep { get; init; }

    public string? Error { get; init; }

    /// <summary>The failure group of a failed execution (decision 0028); null otherwise.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>
    /// What the search reads (decision 0029), read with the row so the search can test it on each row of a newest-first
    /// walk (decision 0043). Never shown, and never handed to the browser with the prerendered rows: it holds the
    /// customer's name, which is personal data (decision 0040).
    /// </summary>
    [JsonIgnore]
    public string SearchText { get; init; } = "";

    public string ShortId => DetailFormat.ShortId(Id);

    public TimeSpan? Duration => FinishedAt - StartedAt;
}
