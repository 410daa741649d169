using System.Linq.Expressions;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkflowAdmin.Admin.Columns;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Admin;

/// <summary>
/// A list screen declared rather than coded, after Django's <c>ModelAdmin</c>: <see cref="Query"/> is
/// <c>get_queryset</c> (an explicit projection into <typeparamref name="TRow"/>, so lists never load payload
/// columns), and the constructor declares columns, filters, search fields and the default ordering. Every
/// declaration is an expression over the row, so a typo fails the build and EF translates it to SQL.
/// </summary>
/// <typeparam name="TRow">
/// A row record with settable (init) members: EF can keep composing (filter, sort, page) after a member-init
/// projection, but not after a constructor call.
/// </typeparam>
public abstract partial class EntityAdmin<TRow> : EntityAdmin
    where TRow : class
{
    private readonly List<AdminColumn<TRow>> columns = [];
    private readonly List<AdminFilter> filters = [];
    private readonly Dictionary<AdminFilter, Func<IQueryable<TRow>, ListState, IQueryable<TRow>>> filterBindings = [];
    private readonly List<SearchField> searchFields = [];
    private readonly List<(OrderingTerm<TRow> Term, bool Descending)> ordering = [];

    protected EntityAdmin(string title, string slug)
        : base(title, slug)
    {
    }

    /// <summary>Every column the list can show, in order; <see cref="VisibleColumns"/> says which a view shows.</summary>
    public IReadOnlyList<AdminColumn<TRow>> Columns => columns;

    public override IReadOnlyList<string> ColumnKeys => columns.Select(c => c.Key).ToList();

    /// <summary>
    /// The columns a view shows, in the list's order: those its <c>cols</c> names, else those the user chose for this
    /// list (<paramref name="remembered"/>), else all; the first column (the row's link) and any column
    /// <see cref="IsColumnRequired"/> always.
    /// </summary>
    public IReadOnlyList<AdminColumn<TRow>> VisibleColumns(ListState state, string? remembered = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var chosen = (state.Columns ?? ListState.NormalizeColumns(remembered, ColumnKeys))?.Split(',').ToHashSet(StringComparer.Ordinal);
        return chosen is null ? columns : columns.Where(c => chosen.Contains(c.Key) || IsColumnRequired(c, state)).ToList();
    }

    /// <summary>Whether <paramref name="column"/> cannot be hidden in <paramref name="state"/>: the first (the row's link) never can.</summary>
    public bool IsColumnRequired(AdminColumn<TRow> column, ListState state) =>
        column == columns[0] || ColumnsRequiredIn(state).Contains(column.Key);

    /// <summary>Keys of the columns a view needs whatever the user chose, such as the error on a list of failures.</summary>
    protected virtual IReadOnlyCollection<string> ColumnsRequiredIn(ListState state) => [];

    public override IReadOnlyList<AdminFilter> Filters => filters;

    public override IReadOnlyList<string> SortKeys => [.. columns.Where(c => c.Sortable).Select(c => c.Key)];

    /// <summary>The page sizes offered; the first is the default (Django's <c>list_per_page</c>).</summary>
    public IReadOnlyList<int> PageSizes { get; protected init; } = [25, 50, 100];

    /// <summary>The choice filter shown as chips with a count per value (Django's <c>show_facets</c>), if any.</summary>
    public ChoiceFilter? CountsFilter { get; private set; }

    /// <summary>Where a row's first cell links to (its detail page), if anywhere.</summary>
    public Func<TRow, string>? RowLink { get; protected init; }

    public bool HasSearch => searchFields.Count > 0;

    /// <summary>The action offered on ticked rows and on all matching rows (Django's <c>actions</c>), if any.</summary>
    public AdminBulkAction<TRow>? Bulk { get; private set; }

    /// <summary>The rows of the list: an explicit <c>Select</c> into <typeparamref name="TRow"/>, nothing else.</summary>
    public abstract IQueryable<TRow> Query(AppDbContext db);

    /// <summary>
    /// For a live list (<see cref="EntityAdmin.IsLive"/>): starts following whatever the list shows, calling
    /// <see cref="LiveList{TRow}.ReloadAsync"/> when a change can alter the view, until the returned handle is
    /// disposed. A list that shows what it read follows nothing (null).
    /// </summary>
    public virtual IDisposable? Follow(LiveList<TRow> list) => null;

    /// <summary>
    /// For a live list: whether rows read at <paramref name="readAt"/> (a prerender's, handed to the circuit) can be
    /// brought up to date by <see cref="Follow"/> from then; if not, the page reads them again.
    /// </summary>
    public virtual bool CanFollowFrom(IServiceProvider services, DateTime readAt) => true;

    public string SearchPlaceholder(ListState state) =>
        "Search " + string.Join(", ", searchFields.Where(f => f.AppliesTo(state)).Select(f => f.Label));

    public string? SearchHint(ListState state) =>
        searchFields.Where(f => !f.AppliesTo(state) && f.Hint is not null).Select(f => f.Hint).FirstOrDefault();

    internal override RenderFragment RenderList(RenderFragment? headerContent = null) => builder =>
    {
        builder.OpenComponent<EntityListPage<TRow>>(0);

        // Keyed by admin: moving between two lists of one row type starts a fresh page, not one with stale state.
        builder.SetKey(this);
        builder.AddComponentParameter(1, nameof(EntityListPage<TRow>.Admin), this);
        builder.AddComponentParameter(2, nameof(EntityListPage<TRow>.HeaderContent), headerContent);
        builder.CloseComponent();
    };

    protected AdminColumn<TRow, TValue> Column<TValue>(string title, Expression<Func<TRow, TValue>> value)
    {
        var column = new AdminColumn<TRow, TValue>(title, value);
        columns.Add(column);
        return column;
    }

    /// <summary>One or several enum values; with <paramref name="showCounts"/> they become chips with counts.</summary>
    protected ChoiceFilter FilterByEnum<TEnum>(
        string title, Expression<Func<TRow, TEnum>> field, string key, bool showCounts = false, Func<TEnum, Color>? color = null)
        where TEnum : struct, Enum
    {
        var options = Enum.GetValues<TEnum>().Select(v => new FilterOption(v.ToString(), v.ToString(), color?.Invoke(v) ?? Color.Default)).ToList();
        var filter = AddFilter(new ChoiceFilter(title, key, options, multiple: true), (rows, state) =>
        {
            var values = FilterValues(key, state).Select(Enum.Parse<TEnum>).ToList();
            return values.Count == 0 ? rows : rows.Where(QueryExpressions.AnyOf(field, values));
        });
        if (showCounts)
        {
            CountsFilter = CountsFilter is null ? filter : throw new InvalidOperationException($"{GetType().Name} shows counts for two filters.");
        }

        return filter;
    }

    /// <summary>
    /// One or several of the admin's own <paramref name="options"/>, combined into one predicate by
    /// <paramref name="match"/> (given the selected values, never none): for choices that are not plain field values,
    /// such as the executions list's "Unresolved" beside its statuses. With <paramref name="showCounts"/> they become
    /// chips with counts.
    /// </summary>
    protected ChoiceFilter FilterBy(
        string title, string key, IReadOnlyList<FilterOption> options, Func<IReadOnlyList<string>, Expression<Func<TRow, bool>>> match, bool showCounts = false)
    {
        ArgumentNullException.ThrowIfNull(match);
        var filter = AddFilter(new ChoiceFilter(title, key, options, multiple: true), (rows, state) =>
            FilterValues(key, state) is { Count: > 0 } values ? rows.Where(match(values)) : rows);
        if (showCounts)
        {
            CountsFilter = CountsFilter is null ? filter : throw new InvalidOperationException($"{GetType().Name} shows counts for two filters.");
        }

        return filter;
    }

    /// <summary>One or several of a fixed set of text values (an <c>IN</c> list), such as the audit trail's action names.</summary>
    protected ChoiceFilter FilterByChoices(string title, Expression<Func<TRow, string>> field, string key, IReadOnlyList<FilterOption> options) =>
        AddFilter(new ChoiceFilter(title, key, options, multiple: true), (rows, state) =>
        {
            var values = FilterValues(key, state);
            return values.Count == 0 ? rows : rows.Where(QueryExpressions.AnyOf(field, values));
        });

    protected ChoiceFilter FilterByBool(string title, Expression<Func<TRow, bool>> field, string key, string yes = "Yes", string no = "No") =>
        AddFilter(new ChoiceFilter(title, key, [new FilterOption("yes", yes), new FilterOption("no", no)], multiple: false), (rows, state) =>
            FilterValues(key, state) is [var value] ? rows.Where(QueryExpressions.AnyOf(field, [value == "yes"])) : rows);

    protected TextFilter FilterByText(string title, Expression<Func<TRow, string?>> field, string key, TextMatch match = TextMatch.Exact) =>
        AddFilter(new TextFilter(title, key, match), (rows, state) =>
            state.Filter(key) is { } value ? rows.Where(QueryExpressions.Text(field, match, value)) : rows);

    /// <summary>A typed value with a predicate of the admin's own, for a match a plain field comparison cannot make use an index.</summary>
    protected TextFilter FilterByText(string title, string key, Func<string, Expression<Func<TRow, bool>>> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return AddFilter(new TextFilter(title, key, TextMatch.Exact), (rows, state) =>
            state.Filter(key) is { } value ? rows.Where(match(value)) : rows);
    }

    protected DateRangeFilter FilterByDate(string title, Expression<Func<TRow, DateTime>> field, string fromKey, string toKey) =>
        FilterByDate(title, Expression.Lambda<Func<TRow, DateTime?>>(Expression.Convert(field.Body, typeof(DateTime?)), field.Parameters), fromKey, toKey);

    protected DateRangeFilter FilterByDate(string title, Expression<Func<TRow, DateTime?>> field, string fromKey, string toKey) =>
        AddFilter(new DateRangeFilter(title, fromKey, toKey), (rows, state) =>
        {
            // Read at query time, not when the address was written: "-24h" in a saved view is the last 24 hours
            // whenever it is opened (decision 0042).
            var now = Clock.GetUtcNow().UtcDateTime;
            var from = DateRangeFilter.Resolve(state.Filter(fromKey), now);
            var to = DateRangeFilter.Resolve(state.Filter(toKey), now);
            return from is null && to is null ? rows : rows.Where(QueryExpressions.Between(field, from, to));
        });

    /// <summary>
    /// A filter of the admin's own (Django's <c>SimpleListFilter</c>): its <paramref name="options"/> and how the
    /// chosen one narrows the rows.
    /// </summary>
    protected ChoiceFilter Filter(string title, string key, IReadOnlyList<FilterOption> options, Func<IQueryable<TRow>, string, IQueryable<TRow>> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        return AddFilter(new ChoiceFilter(title, key, options, multiple: false), (rows, state) =>
            FilterValues(key, state) is [var value] ? apply(rows, value) : rows);
    }

    /// <summary>
    /// A field the search box looks in (Django's <c>search_fields</c>). Each word must match some field: an OR
    /// across fields, an AND across words. <paramref name="when"/> limits a field that has to read every candidate
    /// row to lists already narrowed enough, with <paramref name="hint"/> telling the user when it applies.
    /// </summary>
    protected void SearchOn(string label, Expression<Func<TRow, string?>> field, TextMatch match = TextMatch.Contains, Func<ListState, bool>? when = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        SearchWith(label, term => QueryExpressions.Text(field, match, term), when, hint);
    }

    /// <summary>A search field with its own matching: given one word, a predicate, or null when the word cannot match.</summary>
    protected void SearchWith(string label, Func<string, Expression<Func<TRow, bool>>?> match, Func<ListState, bool>? when = null, string? hint = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(match);
        searchFields.Add(new SearchField(label, (_, term) => match(term), when, hint, NeedsDatabase: false));
    }

    /// <summary>
    /// A search field matched through the database itself (a provider's own text index, queried as a subquery):
    /// given the context and one word, a predicate, or null when the word cannot match. Rows already loaded cannot
    /// be checked against it, so <see cref="ApplySearch"/> without a context counts it as matching.
    /// </summary>
    protected void SearchWith(string label, Func<AppDbContext, string, Expression<Func<TRow, bool>>?> match, Func<ListState, bool>? when = null, string? hint = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(match);
        searchFields.Add(new SearchField(label, (db, term) => db is null ? (_ => true) : match(db, term), when, hint, NeedsDatabase: true));
    }

    /// <summary>
    /// Offers <paramref name="run"/> on many rows at once to <paramref name="roles"/>: the list grows a tick box per
    /// row and buttons for the ticked rows and for all matching rows.
    /// </summary>
    protected void BulkAction(string verb, string icon, Func<AdminSelection<TRow>, IDialogService, Task<bool>> run, string roles = Domain.Identity.Roles.Admin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        ArgumentNullException.ThrowIfNull(run);
        Bulk = Bulk is null
            ? new AdminBulkAction<TRow>(verb, icon, CheckRoles(roles), run)
            : throw new InvalidOperationException($"{GetType().Name} declares two bulk actions.");
    }

    /// <summary>Appends a term to the default ordering (Django's <c>ordering</c>); it also breaks ties after a column sort.</summary>
    protected void Ordering<TKey>(Expression<Func<TRow, TKey>> key, bool descending = false) =>
        ordering.Add((new OrderingTerm<TRow, TKey>(key), descending));

    private TFilter AddFilter<TFilter>(TFilter filter, Func<IQueryable<TRow>, ListState, IQueryable<TRow>> apply)
        where TFilter : AdminFilter
    {
        var taken = filters.SelectMany(f => f.Keys).Concat(ListState.ReservedKeys).ToHashSet(StringComparer.Ordinal);
        if (filter.Keys.FirstOrDefault(taken.Contains) is { } clash)
        {
            throw new InvalidOperationException($"{GetType().Name}: the URL parameter '{clash}' is already taken.");
        }

        filters.Add(filter);
        filterBindings[filter] = apply;
        return filter;
    }

    private IReadOnlyList<string> FilterValues(string key, ListState state) =>
        filters.OfType<ChoiceFilter>().Single(f => f.Key == key).Selected(state.Filter(key));

    private sealed record SearchField(
        string Label, Func<AppDbContext?, string, Expression<Func<TRow, bool>>?> Match, Func<ListState, bool>? When, string? Hint, bool NeedsDatabase)
    {
        public bool AppliesTo(ListState state) => When?.Invoke(state) ?? true;
    }
}
