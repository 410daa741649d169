namespace WorkflowAdmin.Admin;

/// <summary>
/// What a bulk action is asked to act on: the rows the user ticked, or every row that matches the list's state.
/// "All matching" carries the state, not rows, so the action resolves the set itself when the user confirms: the
/// rows matching then, on every page, not the ones that happened to be on screen.
/// </summary>
public sealed record AdminSelection<TRow>
    where TRow : class
{
    /// <summary>The rows the user ticked.</summary>
    public AdminSelection(EntityAdmin<TRow> admin, ListState state, string listUrl, IReadOnlyList<TRow> ticked)
    {
        ArgumentNullException.ThrowIfNull(ticked);
        Admin = admin;
        State = state;
        ListUrl = listUrl;
        Ticked = ticked;
    }

    /// <summary>Every row matching <paramref name="state"/>, of which the list counted <paramref name="matching"/>.</summary>
    public AdminSelection(EntityAdmin<TRow> admin, ListState state, string listUrl, ListCount matching)
    {
        Admin = admin;
        State = state;
        ListUrl = listUrl;
        Ticked = [];
        MatchingCount = matching;
    }

    public EntityAdmin<TRow> Admin { get; }

    /// <summary>The list's filters, search and sort when the action was chosen.</summary>
    public ListState State { get; }

    /// <summary>The list's address with that state (relative), to say later how the rows were chosen.</summary>
    public string ListUrl { get; }

    /// <summary>The ticked rows, in the order they were ticked; empty for "all matching".</summary>
    public IReadOnlyList<TRow> Ticked { get; }

    /// <summary>How many rows the list counted as matching (possibly capped); null for ticked rows.</summary>
    public ListCount? MatchingCount { get; }

    public bool IsAllMatching => MatchingCount is not null;

    /// <summary>Every row matching <see cref="State"/> (unordered): what "all matching" means right now.</summary>
    public IQueryable<TRow> Matching(Domain.Data.AppDbContext db) => Admin.Filtered(db, State);
}
