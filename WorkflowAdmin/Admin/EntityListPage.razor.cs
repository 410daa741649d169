using WorkflowAdmin.Components.Shared;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Admin.Columns;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Admin;

/// <summary>
/// Renders any <see cref="EntityAdmin{TRow}"/> as a server-side list. The URL is the single source of the list's
/// state: every change is written to the query string (replacing the history entry), and a URL that changes under
/// the page (a link, the back button) is read back. The first page of rows is read before the first render, so the
/// prerendered HTML carries it; the circuit that follows takes those rows from the persisted component state instead
/// of reading them again (decision 0026).
/// </summary>
public sealed partial class EntityListPage<TRow> : IDisposable
    where TRow : class
{
    private ListState state = ListState.Empty;

    // False until the first page has been read: the table then shows neither rows nor "no rows yet".
    private bool loaded;

    // Null until counted: while the first page loads, and after a search's page until its count comes (decision 0048).
    private ListCount? count;
    private CancellationTokenSource? countLater;

    // The filters and search the count shown is for (FilterKey): a count on its way keeps the one shown for the same
    // filters, so a live reload or another page of a search does not flash "of …".
    private string? countFor;
    private (string Key, ListCount Count)? exactCount;
    private bool countingExactly;
    private string? countsKey;
    private Dictionary<string, ListCount> optionCounts = [];
    private CancellationTokenSource? countsCancellation;

    // Set when the user has left the page: a load still in flight then fails (its token is cancelled) and nobody is
    // there to read an error about it.
    private bool disposed;

    // An exact count over a huge table can take seconds; it stops when the page goes.
    private readonly CancellationTokenSource pageLifetime = new();

    // A live list (Admin.IsLive) follows the execution change feed; see OnExecutionsChangedAsync.
    private IDisposable? changeSubscription;
    private bool liveReloading;
    private bool liveReloadAgain;
    private DateTime readAt;

    // The read in flight; a newer state (a filter, a page) cancels it, so an older answer never overwrites a newer one.
    private CancellationTokenSource? loadCancellation;

    // The prerender's hand-over of its rows to the circuit (see PersistRows).
    private PersistingComponentStateSubscription? persisting;

    [Parameter, EditorRequired]
    public EntityAdmin<TRow> Admin { get; set; } = null!;

    /// <summary>What the feature's page adds below the title, such as the audit log's verification panel.</summary>
    [Parameter]
    public RenderFragment? HeaderContent { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private IServiceProvider Services { get; set; } = null!;

    [Inject]
    private PersistentComponentState PersistentState { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    [Inject]
    private Components.Layout.UserPreferences Preferences { get; set; } = null!;

    // The user's own choice of columns for this list, shown when the address names none.
    private string? remembered;

    private ClaimsPrincipal User { get; set; } = new();

    public void Dispose()
    {
        disposed = true;
        changeSubscription?.Dispose();
        persisting?.Dispose();
        loadCancellation?.Cancel();
        loadCancellation?.Dispose();
        pageLifetime.Cancel();
        pageLifetime.Dispose();
        Navigation.LocationChanged -= OnLocationChanged;
        countsCancellation?.Cancel();
        countsCancellation?.Dispose();
        countLater?.Cancel();
        countLater?.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            User = (await AuthenticationState).User;
        }

        state = ListState.FromUri(await OpeningUriAsync(), Admin);
        Navigation.LocationChanged += OnLocationChanged;
        remembered = ListState.NormalizeColumns(await Preferences.ColumnsForAsync(Admin.Slug), Admin.ColumnKeys);

        if (!RendererInfo.IsInteractive)
        {
            // Prerendering: read the rows now, so they are in the HTML, and hand them to the circuit that follows.
            // The chip counts and the live feed are the circuit's business; a prerender is gone once it is sent.
            await LoadRowsAsync();
            persisting = PersistentState.RegisterOnPersisting(PersistRows);
            return;
        }

        if (TakePersistedRows() is { } handedOver)
        {
            // The prerender read these rows a moment ago: show them and follow the changes since then, not read again.
            Follow(since: handedOver.ReadAt);
            StartCountsIfFiltersChanged();
            return;
        }

        Follow(since: null);
        await LoadRowsAsync();
    }

    /// <summary>
    /// The address the list opens on: the one asked for, or, when it carries no query at all, the default view of the
    /// user's role, put in the address (replacing it) so that the page, the menu and a reload agree (decision 0039).
    /// Only an address with nothing after the path is defaulted; a cleared list or any filtered link is taken as it is.
    /// </summary>
    private async Task<string> OpeningUriAsync()
    {
        var uri = Navigation.Uri;
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        if ((queryStart >= 0 && queryStart < uri.Length - 1) || !Admin.IsVisibleTo(User))
        {
            return uri;
        }

        await using var scope = Services.CreateAsyncScope();
        var roles = Domain.Identity.Roles.All.Where(User.IsInRole);
        if (await scope.ServiceProvider.GetRequiredService<Views.SavedViews>().RoleDefaultQueryAsync(Admin.Slug, roles, pageLifetime.Token) is not { } query)
        {
            return uri;
        }

        var target = $"{Admin.Href}?{query}";
        Navigation.NavigateTo(target, replace: true);
        return Navigation.ToAbsoluteUri(target).ToString();
    }

    /// <summary>
    /// What the prerender hands the circuit: the rows it rendered, for which query string, and when it read them. The
    /// circuit uses them only for the same query; anything else (a URL changed meanwhile) is read afresh.
    /// </summary>
    internal sealed record PersistedRows(string Query, int Page, List<TRow> Rows, ListCount? Count, DateTime ReadAt);

    // One list per page, so the slug tells the lists apart.
    private string PersistenceKey => "entity-list:" + Admin.Slug;

    private Task PersistRows()
    {
        if (loaded)
        {
            PrerenderHandOver.TryPersist(PersistentState, PersistenceKey, new PersistedRows(state.ToQueryString(), state.Page, [.. pageRows], count, readAt));
        }

        return Task.CompletedTask;
    }

    private PersistedRows? TakePersistedRows()
    {
        if (!Admin.IsVisibleTo(User)
            || !PersistentState.TryTakeFromJson<PersistedRows>(PersistenceKey, out var persisted)
            || persisted is null
            || persisted.Query != state.ToQueryString())
        {
            return null;
        }

        // The rows can be too old to bridge with the change feed (a slow connection): then they are read again.
        if (Admin.IsLive && !Admin.CanFollowFrom(Services, persisted.ReadAt))
        {
            return null;
        }

        state = state with { Page = persisted.Page };
        Show(persisted.Rows, persisted.Count, persisted.ReadAt);
        if (persisted.Count is null)
        {
            // The prerender showed a search's rows without their count: the circuit counts them now.
            CountLater();
        }

        return persisted;
    }

    // A live list (executions) follows its changes from before its first read, so no change falls between the two.
    private void Follow(DateTime? since)
    {
        if (Admin.IsLive && changeSubscription is null)
        {
            changeSubscription = Admin.Follow(new LiveList<TRow>(Services, InvokeAsync, () => state, () => pageRows, OnLiveChangeAsync, since));
        }
    }

    /// <summary>Reads the page of rows the list's state selects, and the count; a newer read cancels this one.</summary>
    private async Task LoadRowsAsync()
    {
        // The page that hosts the list checks the role too; the rows themselves are never read for the wrong one.
        if (!Admin.IsVisibleTo(User))
        {
            Show([], ListCount.Exact(0), Time.GetUtcNow().UtcDateTime);
            return;
        }

        loadCancellation?.Cancel();
        loadCancellation?.Dispose();
        countLater?.Cancel();
        var load = loadCancellation = CancellationTokenSource.CreateLinkedTokenSource(pageLifetime.Token);
        var cancellationToken = load.Token;
        try
        {
            var started = Time.GetUtcNow().UtcDateTime;
            await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
            var page = await Admin.LoadRowsFirstAsync(db, state, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (page.Page != state.Page)
            {
                // A page past the end (or deeper than the list serves) showed the last one: the URL says so too.
                state = state with { Page = page.Page };
                WriteUri();
            }

            var counted = exactCount is { } known && known.Key == FilterKey(state) ? known.Count : page.Count;
            Show(page.Rows, counted, started);
            if (RendererInfo.IsInteractive)
            {
                StartCountsIfFiltersChanged();
                if (counted is null)
                {
                    CountLater();
                }
            }
        }
        catch (Exception) when (disposed || cancellationToken.IsCancellationRequested)
        {
            // A newer state replaced this read, or the user left.
        }
        catch (Exception ex) when (ex is InvalidOperationException or DbUpdateException or System.Data.Common.DbException or TimeoutException)
        {
            Snackbar.Add($"The {Admin.Noun} could not be loaded: {ex.Message}", Severity.Error);
            Show([], ListCount.Exact(0), Time.GetUtcNow().UtcDateTime);
        }
    }

    // The only copy of the rows the page keeps: the list it renders (and checks live changes and ticks against).
    private void Show(IReadOnlyList<TRow> rows, ListCount? shownCount, DateTime readTime)
    {
        pageRows = rows;
        loaded = true;
        var key = FilterKey(state);
        if (shownCount is not null || countFor != key)
        {
            count = shownCount;
            countFor = shownCount is null ? null : key;
        }

        readAt = readTime;
        ForgetTicksIfFiltersChanged();
    }

    /// <summary>
    /// Reloads the rows and the chip counts for the same state (page, sort, filters and search stay as they are) when
    /// the admin says a change can affect this view. The feed delivers at most one batch per interval, and a batch
    /// that arrives during a reload causes one more after it, so a list reloads at most once per interval.
    /// </summary>
    private async Task OnLiveChangeAsync()
    {
        if (disposed || !loaded)
        {
            return;
        }

        if (liveReloading)
        {
            liveReloadAgain = true;
            return;
        }

        liveReloading = true;
        try
        {
            do
            {
                liveReloadAgain = false;
                countsKey = null;
                await LoadRowsAsync();
                StateHasChanged();
            }
            while (liveReloadAgain && !disposed);
        }
        finally
        {
            liveReloading = false;
        }
    }

    private Task OnSearchChanged(string? search) => ApplyAsync(state.WithSearch(search));

    private Task OnFilterChanged(ListState next) => ApplyAsync(next);

    // A chip adds its value to the filter or takes it out; the others stay chosen, in option order in the URL.
    private Task ToggleCountChipAsync(ChoiceFilter chips, string value)
    {
        var chosen = chips.Selected(state.Filter(chips.Key)).ToHashSet(StringComparer.Ordinal);
        if (!chosen.Remove(value))
        {
            chosen.Add(value);
        }

        return ApplyAsync(state.WithFilter(chips.Key, ChoiceFilter.Join(chips.Options.Select(o => o.Value).Where(chosen.Contains))));
    }

    // MudBlazor's own chip classes on a native button: the look of an outlined, clickable MudChip without its component.
    private static string ChipClass(FilterOption option, bool selected) =>
        $"mud-chip mud-chip-outlined mud-chip-size-medium mud-chip-color-{option.Color.ToString().ToLowerInvariant()} mud-clickable"
        + (selected ? " mud-chip-selected" : "");

    private Task OnPageChanged(int page) => ApplyAsync(state with { Page = page });

    private Task OnPageSizeChanged(int size) =>
        ApplyAsync(state with { PageSize = size == Admin.PageSizes[0] ? null : size, Page = 1 });

    private Task Clear() => ApplyAsync(state.Cleared());

    private Task SortBy(AdminColumn<TRow> column)
    {
        var (key, descending) = Admin.EffectiveSort(state);

        // A click on the sorted column reverses it; a new column starts ascending.
        var sort = key == column.Key && !descending ? "-" + column.Key : column.Key;
        return ApplyAsync(state with { Sort = sort, Page = 1 });
    }

    /// <summary>
    /// Counts the rows shown without their count (a search's full page, decision 0048) after they are on screen, and
    /// shows the count unless the list has moved on to other filters meanwhile; a newer read cancels it.
    /// </summary>
    private void CountLater()
    {
        countLater?.Cancel();
        countLater?.Dispose();
        countLater = CancellationTokenSource.CreateLinkedTokenSource(pageLifetime.Token);
        _ = CountLaterAsync(state, countLater.Token);
    }

    private async Task CountLaterAsync(ListState forState, CancellationToken cancellationToken)
    {
        try
        {
            ListCount counted;
            await using (var db = await DbFactory.CreateDbContextAsync(cancellationToken))
            {
                counted = await Admin.CountAsync(db, forState, exact: false, cancellationToken);
            }

            await InvokeAsync(() =>
            {
                // Not for filters the list has left, and never over an exact count the user asked for meanwhile.
                var key = FilterKey(state);
                if (cancellationToken.IsCancellationRequested || FilterKey(forState) != key || (exactCount is { } exact && exact.Key == key))
                {
                    return;
                }

                count = counted;
                countFor = key;
                StateHasChanged();
            });
        }
        catch (Exception) when (disposed || cancellationToken.IsCancellationRequested)
        {
            // A newer read replaced this one, or the user left.
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            await InvokeAsync(() => Snackbar.Add($"The {Admin.Noun} could not be counted: {ex.Message}", Severity.Warning));
        }
    }

    private async Task CountExactlyAsync()
    {
        countingExactly = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(pageLifetime.Token);
            exactCount = (FilterKey(state), await Admin.CountAsync(db, state, exact: true, pageLifetime.Token));
            count = exactCount.Value.Count;
            countFor = exactCount.Value.Key;
        }
        catch (Exception) when (disposed)
        {
            // The user left before the count finished.
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            Snackbar.Add($"Counting failed: {ex.Message}", Severity.Error);
        }
        finally
        {
            countingExactly = false;
        }
    }

    private async Task ApplyAsync(ListState next, bool writeUri = true)
    {
        state = next;
        if (writeUri)
        {
            WriteUri();
        }

        // Chips, editors and the pager show the new state now; the rows follow when they are read.
        StateHasChanged();
        await LoadRowsAsync();
    }

    private void WriteUri() =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(state.ToQueryParameters(Admin)), replace: true);

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        // Leaving for another page disposes this one; only a new query string on this page matters here.
        if (!SamePath(e.Location, Navigation.Uri))
        {
            return;
        }

        var next = ListState.FromUri(e.Location, Admin);

        // Other columns are the same rows: shown again, not read again.
        if (next != state && next with { Columns = null } == state with { Columns = null })
        {
            state = next;
            _ = InvokeAsync(StateHasChanged);
            return;
        }

        if (next != state)
        {
            // Not an event of this component, so nothing renders the rows once they are read: say so (the chip counts
            // used to, by chance, when every address change counted them again).
            _ = InvokeAsync(async () =>
            {
                await ApplyAsync(next, writeUri: false);
                StateHasChanged();
            });
        }
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a.Split('?', '#')[0], b.Split('?', '#')[0], StringComparison.OrdinalIgnoreCase);

    // The chip counts depend on the filters and search only, not on the page or the sort.
    private static string FilterKey(ListState s) => (s with { Page = 1, PageSize = null, Sort = null, Columns = null }).ToQueryString();

    private void StartCountsIfFiltersChanged()
    {
        // The chips count each value of their own filter with every OTHER filter applied, so choosing a chip (or
        // another page, sort or columns) changes none of them: only the other filters and the search key the counts.
        var key = Admin.CountsFilter is { } countsFilter ? FilterKey(state.WithFilter(countsFilter.Key, null)) : FilterKey(state);
        if (Admin.CountsFilter is null || key == countsKey)
        {
            return;
        }

        countsKey = key;
        countsCancellation?.Cancel();
        countsCancellation?.Dispose();
        countsCancellation = new CancellationTokenSource();
        _ = LoadCountsAsync(state, countsCancellation.Token);
    }

    private async Task LoadCountsAsync(ListState forState, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
            var counts = await Admin.CountByOptionAsync(db, forState, cancellationToken);
            optionCounts = counts.ToDictionary(c => c.Option.Value, c => c.Count);
            await InvokeAsync(StateHasChanged);
        }
        catch (Exception) when (disposed || cancellationToken.IsCancellationRequested)
        {
            // A newer filter replaced these counts, or the page is gone.
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            await InvokeAsync(() => Snackbar.Add($"The counts could not be loaded: {ex.Message}", Severity.Warning));
        }
    }

    private string CountText(FilterOption option) =>
        optionCounts.TryGetValue(option.Value, out var value) ? value.ToString() : "…";

    private string? AriaSort(AdminColumn<TRow> column) => Admin.EffectiveSort(state) switch
    {
        var (key, descending) when key == column.Key => descending ? "descending" : "ascending",
        _ => null,
    };

    private string SortIcon(AdminColumn<TRow> column) => Admin.EffectiveSort(state) switch
    {
        var (key, descending) when key == column.Key => descending ? Icons.Material.Filled.ArrowDownward : Icons.Material.Filled.ArrowUpward,
        _ => Icons.Material.Filled.UnfoldMore,
    };

    private Dictionary<string, object?> EditorParameters(AdminFilter filter) => new()
    {
        ["Filter"] = filter,
        ["State"] = state,
        ["StateChanged"] = EventCallback.Factory.Create<ListState>(this, OnFilterChanged),
    };

    // A MudButton's label with its start icon, for a link or summary that looks like one without being a component.
    private static RenderFragment ButtonLabel(string label, string icon) => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "mud-button-label");
        builder.OpenElement(2, "span");
        builder.AddAttribute(3, "class", "mud-button-icon-start mud-button-icon-size-medium");
        builder.AddContent(4, SvgIcon.Of(icon, "medium"));
        builder.CloseElement();
        builder.AddContent(5, label);
        builder.CloseElement();
    };

    // The export holds the columns on screen, the user's remembered ones included, so the file is what the page shows.
    private ListState ExportState => state.Columns is null && remembered is not null ? state with { Columns = remembered } : state;

    private string RequiredReason(AdminColumn<TRow> column) =>
        column == Admin.Columns[0] ? "Always shown: it opens the row." : "Always shown in this view.";

    /// <summary>
    /// Shows or hides <paramref name="column"/>: the address gets the new <c>cols=</c> (every column is no parameter at
    /// all), and the choice becomes the user's default for this list. The rows stay; only the cells change.
    /// </summary>
    private async Task ToggleColumnAsync(AdminColumn<TRow> column, bool show)
    {
        var chosen = (state.Columns ?? remembered)?.Split(',').ToHashSet(StringComparer.Ordinal) ?? Admin.ColumnKeys.ToHashSet(StringComparer.Ordinal);
        if (show)
        {
            chosen.Add(column.Key);
        }
        else
        {
            chosen.Remove(column.Key);
        }

        var columns = chosen.IsSupersetOf(Admin.ColumnKeys) ? null : ListState.NormalizeColumns(string.Join(",", chosen), Admin.ColumnKeys) ?? Admin.ColumnKeys[0];
        await ChooseColumnsAsync(columns);
    }

    private Task ResetColumnsAsync() => ChooseColumnsAsync(null);

    private async Task ChooseColumnsAsync(string? columns)
    {
        state = state with { Columns = columns };
        remembered = columns;
        WriteUri();
        StateHasChanged();
        await Preferences.RememberColumnsAsync(Admin.Slug, columns);
    }

    // A cell whose column writes HTML is one markup frame, its <td> included: an open tab keeps two render trees of this
    // page for as long as it is open, and a tree of elements and attributes per cell was most of it (decision 0049).
    private MarkupString? CellMarkup(AdminColumn<TRow> column, TRow row, bool firstCell)
    {
        if (column.CellHtml(row, Time.GetUtcNow().UtcDateTime) is not { } content)
        {
            return null;
        }

        if (column == Admin.Columns[0])
        {
            // The first cell marks the row for browser tests and, as in Django's changelist, links to the row's page: a
            // plain link that, through .list-row-link in app.css, covers the whole row, so a click anywhere on it opens
            // the row and the keyboard reaches it as one link.
            content = Admin.RowLink is null
                ? $"<span data-testid=\"row\">{content}</span>"
                : $"<a href=\"{Html.Encode(Admin.RowLink(row))}\" class=\"list-row-link\" data-testid=\"row\">{content}</a>";
        }

        if (column.SharesCell(row) && !firstCell)
        {
            return new MarkupString(column.TdHtml(content, shared: true));
        }

        var cell = column.TdHtml(content, firstCell ? " elementtiming=\"first-row\"" : null);

        // A cell equal to one already given (in this render, or in the last) is given as that same string, so the page's
        // two render trees (this render and the last, both kept while the tab is open) and its equal cells (the empty
        // ones) share one copy instead of holding one each.
        if (cells.TryGetValue(cell, out var same) || lastCells.TryGetValue(cell, out same))
        {
            cell = same;
        }

        cells.TryAdd(cell, cell);
        return new MarkupString(cell);
    }

    private Dictionary<string, string> cells = new(StringComparer.Ordinal);
    private Dictionary<string, string> lastCells = new(StringComparer.Ordinal);

    // Called as the rows start rendering: this render's cells become the last render's.
    private void StartCells()
    {
        (lastCells, cells) = (cells, lastCells);
        cells.Clear();
    }

    private RenderFragment RenderCell(AdminColumn<TRow> column, TRow row) => builder =>
    {
        if (column != Admin.Columns[0])
        {
            builder.AddContent(0, column.RenderCell(row, Time.GetUtcNow().UtcDateTime));
            return;
        }

        // The first cell marks the row for browser tests and, as in Django's changelist, links to the row's page.
        if (Admin.RowLink is null)
        {
            builder.OpenElement(5, "span");
            builder.AddAttribute(6, "data-testid", "row");
            builder.AddContent(7, column.RenderCell(row, Time.GetUtcNow().UtcDateTime));
            builder.CloseElement();
            return;
        }

        // A plain link (not a component per row) that, through .list-row-link in app.css, covers the whole row: a click
        // anywhere on it opens the row, and the keyboard reaches it as one link.
        builder.OpenElement(1, "a");
        builder.AddAttribute(2, "href", Admin.RowLink(row));
        builder.AddAttribute(3, "class", "list-row-link");
        builder.AddAttribute(4, "data-testid", "row");
        builder.AddContent(8, column.RenderCell(row, Time.GetUtcNow().UtcDateTime));
        builder.CloseElement();
    };
}
