using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin.Columns;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Admin;

// The query side of an admin: a ListState (the URL) becomes filter, search, sort and paging on the projected rows.
public abstract partial class EntityAdmin<TRow>
{
    private const int MaxSearchTerms = 10;

    /// <summary>Rows matching the state's filters and search. <paramref name="except"/> leaves one filter out (for its counts).</summary>
    public IQueryable<TRow> Filtered(AppDbContext db, ListState state, AdminFilter? except = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(state);
        return ApplySearch(ApplyFilters(Query(db).AsNoTracking(), state, except), state, db);
    }

    /// <summary>The state's filters over any rows: the database's, or rows already loaded (to check them).</summary>
    public IQueryable<TRow> ApplyFilters(IQueryable<TRow> rows, ListState state, AdminFilter? except = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var (filter, apply) in filterBindings)
        {
            if (filter != except)
            {
                rows = apply(rows, state);
            }
        }

        return rows;
    }

    /// <summary>
    /// Django's <c>get_search_results</c>: override to search differently. Without <paramref name="db"/> (rows
    /// already loaded), fields matched through the database count as matching: only the others are checked.
    /// </summary>
    public virtual IQueryable<TRow> ApplySearch(IQueryable<TRow> rows, ListState state, AppDbContext? db = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (string.IsNullOrWhiteSpace(state.Search) || searchFields.Count == 0)
        {
            return rows;
        }

        var fields = searchFields.Where(f => f.AppliesTo(state)).ToList();
        foreach (var term in SearchTerms(state.Search))
        {
            var matches = fields.Select(f => f.Match(db, term)).OfType<Expression<Func<TRow, bool>>>().ToList();
            rows = rows.Where(QueryExpressions.OrElse(matches));
        }

        return rows;
    }

    /// <summary>The words of a search box (at most ten, each once), each of which a row must match.</summary>
    protected static IReadOnlyList<string> SearchTerms(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? []
            : search.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(MaxSearchTerms).ToList();

    /// <summary>The column the state sorts by, if it names a sortable one.</summary>
    public AdminColumn<TRow>? SortColumn(ListState state, out bool descending)
    {
        ArgumentNullException.ThrowIfNull(state);
        descending = state.Sort?.StartsWith('-') == true;
        var key = state.Sort?.TrimStart('-');
        return columns.FirstOrDefault(c => c.Sortable && c.Key == key);
    }

    /// <summary>The column and direction the list is effectively sorted by, for the header arrows.</summary>
    public (string? Key, bool Descending) EffectiveSort(ListState state)
    {
        if (SortColumn(state, out var descending) is { } column)
        {
            return (column.Key, descending);
        }

        return ordering.FirstOrDefault() is { Term: { } first } term
            ? (columns.FirstOrDefault(c => c.Sortable && c.Ordering.Path == first.Path)?.Key, term.Descending)
            : (null, false);
    }

    public IQueryable<TRow> Sorted(IQueryable<TRow> rows, ListState state)
    {
        var terms = SortTerms(state);
        for (var i = 0; i < terms.Count; i++)
        {
            rows = terms[i].Term.Apply(rows, terms[i].Descending, then: i > 0);
        }

        return rows;
    }

    /// <summary>The <c>ORDER BY</c> the state asks for: its sorted column, then the default ordering.</summary>
    private List<(OrderingTerm<TRow> Term, bool Descending)> SortTerms(ListState state)
    {
        var terms = new List<(OrderingTerm<TRow> Term, bool Descending)>();
        if (SortColumn(state, out var descending) is { } column)
        {
            terms.Add((column.Ordering, descending));
        }

        // The default ordering follows as a tie-breaker, so pages stay stable while rows share a sorted value.
        terms.AddRange(ordering.Where(o => terms.TrueForAll(t => t.Term.Path != o.Term.Path)));
        return terms;
    }

    public int PageSizeFor(ListState state) =>
        state?.PageSize is { } size && PageSizes.Contains(size) ? size : PageSizes[0];

    /// <summary>
    /// One page and its count. The count stops at <see cref="EntityAdmin.CountCap"/>, and is not queried at all
    /// when the page is the last one (it is then simply what came before plus what the page holds).
    /// A page past the end (a hand-edited <c>?page=9000000</c>, a list that shrank) shows the last page instead,
    /// and no page starts deeper than <see cref="EntityAdmin.MaxOffset"/> rows: the database would walk every row
    /// before it to find it. <see cref="ListPage{TRow}.Page"/> says which page was shown.
    /// </summary>
    public async Task<ListPage<TRow>> LoadPageAsync(AppDbContext db, ListState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var size = PageSizeFor(state);
        var page = Math.Clamp(state.Page, 1, MaxPage(size));
        var filtered = Filtered(db, state);
        var rows = await LoadRowsAsync(db, state, cancellationToken);
        return await WithCountAsync(rows, filtered, state, page, size, cancellationToken);
    }

    /// <summary>
    /// The page for the list's first response: its rows, and its count when that costs no more than the rows. A page
    /// that is not full says its count itself; a search's full page leaves <see cref="ListRows{TRow}.Count"/> null, for
    /// the list to count once the rows are shown: the capped count of a common text search reads the text index for
    /// every match up to the cap, several times what its first page reads (decision 0048). Any other list counts as
    /// before, from an index, in the same response.
    /// </summary>
    public async Task<ListRows<TRow>> LoadRowsFirstAsync(AppDbContext db, ListState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!CountsAfterRows(state))
        {
            var counted = await LoadPageAsync(db, state, cancellationToken);
            return new ListRows<TRow>(counted.Rows, counted.Count, counted.Page);
        }

        var size = PageSizeFor(state);
        var page = Math.Clamp(state.Page, 1, MaxPage(size));
        var rows = await LoadRowsAsync(db, state, cancellationToken);
        if (rows.Count == size)
        {
            return new ListRows<TRow>(rows, null, page);
        }

        if (rows.Count > 0 || page == 1)
        {
            return new ListRows<TRow>(rows, ListCount.Exact(((page - 1) * size) + rows.Count), page);
        }

        // Past the end: the count says where the end is.
        var last = await LoadPageAsync(db, state, cancellationToken);
        return new ListRows<TRow>(last.Rows, last.Count, last.Page);
    }

    /// <summary>Whether the list's first response leaves a full page's count for later: when it is searched.</summary>
    protected virtual bool CountsAfterRows(ListState state) => state?.Search is not null;

    /// <summary>The rows of the page <paramref name="state"/> asks for, without the count: what the list shows first.</summary>
    public async Task<IReadOnlyList<TRow>> LoadRowsAsync(AppDbContext db, ListState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var size = PageSizeFor(state);
        var page = Math.Clamp(state.Page, 1, MaxPage(size));
        return await NewestFirstPageAsync(db, state, size, cancellationToken) ?? await PageAsync(Filtered(db, state), state, page, size, cancellationToken);
    }

    private async Task<ListPage<TRow>> WithCountAsync(
        IReadOnlyList<TRow> rows, IQueryable<TRow> filtered, ListState state, int page, int size, CancellationToken cancellationToken)
    {
        var cap = CountCapFor(state);
        if (rows.Count > 0 || page == 1)
        {
            var skip = (page - 1) * size;
            var count = rows.Count < size ? ListCount.Exact(skip + rows.Count) : await CountAsync(filtered, exact: false, cap, cancellationToken);
            return new ListPage<TRow>(rows, count, page);
        }

        // Past the end: the capped count says where the end is (or that it is beyond the deepest page).
        var total = await CountAsync(filtered, exact: false, cap, cancellationToken);
        var last = Math.Clamp((total.Value + size - 1) / size, 1, MaxPage(size));
        return new ListPage<TRow>(await PageAsync(filtered, state, last, size, cancellationToken), total, last);
    }

    /// <summary>
    /// How many rows, in the list's default order, a page is first looked for in, with the search tested on each
    /// (decision 0043); null (the default) always runs the whole query. An admin whose search the database answers
    /// from an index that cannot stop early (a text index: every match is read before the newest can be picked)
    /// gives a window, so that a common search reads a few thousand rows of the ordering's index, not all its matches.
    /// </summary>
    protected virtual int? NewestFirstWindow(ListState state, AppDbContext db) => null;

    /// <summary>
    /// Whether the window is likely to hold <paramref name="rowsNeeded"/> matches: a search the database expects to be
    /// rare would read the whole window for nothing before the full query. The default assumes it is.
    /// </summary>
    protected virtual Task<bool> IsWorthWalkingAsync(AppDbContext db, ListState state, int window, int rowsNeeded, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    /// <summary>
    /// The page's query over only the first <see cref="NewestFirstWindow"/> rows in the default order (filters applied
    /// first, the search after): <c>SELECT … FROM (SELECT … ORDER BY … LIMIT window) WHERE search ORDER BY … LIMIT page</c>.
    /// The inner limit makes the database walk the ordering's index and test each row, and the outer one stops the walk
    /// as soon as a page is found. Null when the admin gives no window, the list is sorted otherwise, or the page lies
    /// beyond the window.
    /// </summary>
    public IQueryable<TRow>? NewestFirstPage(AppDbContext db, ListState state)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(state);
        var size = PageSizeFor(state);
        var page = Math.Clamp(state.Page, 1, MaxPage(size));
        if (NewestFirstWindow(state, db) is not { } window || page * size > window || !IsDefaultOrder(state))
        {
            return null;
        }

        var newest = Sorted(ApplyFilters(Query(db).AsNoTracking(), state), state).Take(window);
        return Sorted(ApplySearch(newest, state, db), state).Skip((page - 1) * size).Take(size);
    }

    /// <summary>
    /// The page from <see cref="NewestFirstPage"/> when the window holds a whole page: those are then exactly the
    /// page's rows, since every row outside the window comes after all rows inside it. Null otherwise (a rare search
    /// finds fewer than a page there), and the caller runs the whole query.
    /// </summary>
    private async Task<List<TRow>?> NewestFirstPageAsync(AppDbContext db, ListState state, int size, CancellationToken cancellationToken)
    {
        if (NewestFirstPage(db, state) is not { } query
            || !await IsWorthWalkingAsync(db, state, NewestFirstWindow(state, db)!.Value, Math.Clamp(state.Page, 1, MaxPage(size)) * size, cancellationToken))
        {
            return null;
        }

        var rows = await query.ToListAsync(cancellationToken);
        return rows.Count == size ? rows : null;
    }

    private bool IsDefaultOrder(ListState state) =>
        SortTerms(state).Select(t => (t.Term.Path, t.Descending)).SequenceEqual(ordering.Select(o => (o.Term.Path, o.Descending)));

    private async Task<List<TRow>> PageAsync(IQueryable<TRow> filtered, ListState state, int page, int size, CancellationToken cancellationToken) =>
        await Sorted(filtered, state).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);

    public async Task<ListCount> CountAsync(AppDbContext db, ListState state, bool exact, CancellationToken cancellationToken) =>
        await CountAsync(Filtered(db, state), exact, CountCapFor(state), cancellationToken);

    /// <summary>The count of each value of <see cref="CountsFilter"/>, with every other filter and the search applied.</summary>
    public async Task<IReadOnlyList<(FilterOption Option, ListCount Count)>> CountByOptionAsync(
        AppDbContext db, ListState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (CountsFilter is not { } filter)
        {
            return [];
        }

        var counts = new List<(FilterOption, ListCount)>();
        foreach (var option in filter.Options)
        {
            // One capped count per value rather than one GROUP BY: each stops after CountCap rows of an index.
            var rows = filterBindings[filter](Filtered(db, state, except: filter), state.WithFilter(filter.Key, option.Value));
            counts.Add((option, await CountAsync(rows, exact: false, CountCapFor(state), cancellationToken)));
        }

        return counts;
    }

    public override async Task<AdminListResult> LoadAsync(AppDbContext db, ListState state, CancellationToken cancellationToken)
    {
        var page = await LoadPageAsync(db, state, cancellationToken);
        return new AdminListResult(page.Rows, page.Count);
    }

    /// <summary>Where the list's counts stop for <paramref name="state"/>: <see cref="EntityAdmin.CountCap"/> unless the admin counts a costlier query less far.</summary>
    protected virtual int CountCapFor(ListState state) => CountCap;

    private static async Task<ListCount> CountAsync(IQueryable<TRow> rows, bool exact, int cap, CancellationToken cancellationToken)
    {
        if (exact)
        {
            return ListCount.Exact(await rows.CountAsync(cancellationToken));
        }

        // Unordered on purpose (see DatabaseSetup): any cap + 1 rows will do, and no sort is needed to find them.
        return ListCount.FromCapped(await rows.Take(cap + 1).CountAsync(cancellationToken), cap);
    }
}

/// <summary>One page of typed rows, the (possibly capped) count of all matching rows, and which page it is.</summary>
public sealed record ListPage<TRow>(IReadOnlyList<TRow> Rows, ListCount Count, int Page = 1);

/// <summary>One page of typed rows for the list's first response; <see cref="Count"/> is null while it is still to be counted.</summary>
public sealed record ListRows<TRow>(IReadOnlyList<TRow> Rows, ListCount? Count, int Page);
