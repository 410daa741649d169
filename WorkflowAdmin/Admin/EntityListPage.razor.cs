using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Admin.Columns;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Features.Executions.Live;

namespace WorkflowAdmin.Admin;

/// <summary>
/// Renders any <see cref="EntityAdmin{TRow}"/> as a server-side data grid. The URL is the single source of the
/// list's state: every change is written to the query string (replacing the history entry), and a URL that changes
/// under the page (a link, the back button) is read back. The grid only renders: filters, search, sort headers and
/// the pager are the page's own, because the grid would otherwise keep a second copy of the page and sort.
/// </summary>
public sealed partial class EntityListPage<TRow> : IDisposable
    where TRow : class
{
    private ListState state = ListState.Empty;
    private MudDataGrid<TRow>? grid;
    private int rowsOnPage;
    private ListCount? count;
    private (string Key, ListCount Count)? exactCount;
    private bool countingExactly;
    private string? countsKey;
    private Dictionary<string, ListCount> optionCounts = [];
    private CancellationTokenSource? countsCancellation;

    // Set when the user has left the page: a load still in flight then fails (the grid disposes its token source)
    // and nobody is there to read an error about it.
    private bool disposed;

    // An exact count over a huge table can take seconds; it stops when the page goes.
    private readonly CancellationTokenSource pageLifetime = new();

    // A live list (Admin.IsLive) follows the execution change feed; see OnExecutionsChangedAsync.
    private IDisposable? changeSubscription;
    private bool liveReloading;
    private bool liveReloadAgain;

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
    private ExecutionChangeFeed ChangeFeed { get; set; } = null!;

    private ClaimsPrincipal User { get; set; } = new();

    public void Dispose()
    {
        disposed = true;
        changeSubscription?.Dispose();
        pageLifetime.Cancel();
        pageLifetime.Dispose();
        Navigation.LocationChanged -= OnLocationChanged;
        countsCancellation?.Cancel();
        countsCancellation?.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        state = ListState.FromUri(Navigation.Uri, Admin);
        Navigation.LocationChanged += OnLocationChanged;
        if (AuthenticationState is not null)
        {
            User = (await AuthenticationState).User;
        }
    }

    // Only an interactive render gets here (prerendering is not a circuit); the grid's first load starts after this.
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && Admin.IsLive)
        {
            changeSubscription = ChangeFeed.Subscribe(batch => InvokeAsync(() => OnExecutionsChangedAsync(batch)));
        }
    }

    // The grid asks for rows with its own paging state; the list's state (the URL) decides which rows they are.
    private async Task<GridData<TRow>> LoadServerDataAsync(GridState<TRow> gridState, CancellationToken cancellationToken)
    {
        // The page that hosts the list checks the role too; the rows themselves are never read for the wrong one.
        if (!Admin.IsVisibleTo(User))
        {
            return new GridData<TRow> { Items = [], TotalItems = 0 };
        }

        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
            var page = await Admin.LoadPageAsync(db, state, cancellationToken);
            if (page.Page != state.Page)
            {
                // A page past the end (or deeper than the list serves) showed the last one: the URL says so too.
                state = state with { Page = page.Page };
                WriteUri();
            }

            count = exactCount is { } known && known.Key == FilterKey(state) ? known.Count : page.Count;
            rowsOnPage = page.Rows.Count;
            pageRows = page.Rows;
            ForgetTicksIfFiltersChanged();
            StartCountsIfFiltersChanged();
            return new GridData<TRow> { Items = page.Rows, TotalItems = count.Value.Value };
        }
        catch (Exception) when (disposed || cancellationToken.IsCancellationRequested)
        {
            return new GridData<TRow> { Items = [], TotalItems = 0 };
        }
        catch (Exception ex) when (ex is InvalidOperationException or DbUpdateException or System.Data.Common.DbException or TimeoutException)
        {
            Snackbar.Add($"The {Admin.Noun} could not be loaded: {ex.Message}", Severity.Error);
            return new GridData<TRow> { Items = [], TotalItems = 0 };
        }
    }

    /// <summary>
    /// Reloads the rows and the chip counts for the same state (page, sort, filters and search stay as they are) when
    /// the admin says the changes can affect this view. The feed delivers at most one batch per interval, and a batch
    /// that arrives during a reload causes one more after it, so a list reloads at most once per interval.
    /// </summary>
    private async Task OnExecutionsChangedAsync(ExecutionChangeBatch changes)
    {
        if (disposed || grid is null || !Admin.IsAffectedBy(changes, state, pageRows))
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
                await grid.ReloadServerData();
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

    private Task OnCountChipsChanged(IReadOnlyCollection<string>? values) =>
        ApplyAsync(state.WithFilter(Admin.CountsFilter!.Key, ChoiceFilter.Join(values ?? [])));

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

    private async Task CountExactlyAsync()
    {
        countingExactly = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(pageLifetime.Token);
            exactCount = (FilterKey(state), await Admin.CountAsync(db, state, exact: true, pageLifetime.Token));
            count = exactCount.Value.Count;
            if (grid is not null)
            {
                await grid.ReloadServerData();
            }
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

        // Chips, editors and the pager show the new state now; the rows follow when the grid has them.
        StateHasChanged();
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
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
        if (next != state)
        {
            _ = InvokeAsync(() => ApplyAsync(next, writeUri: false));
        }
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a.Split('?', '#')[0], b.Split('?', '#')[0], StringComparison.OrdinalIgnoreCase);

    // The chip counts depend on the filters and search only, not on the page or the sort.
    private static string FilterKey(ListState s) => (s with { Page = 1, PageSize = null, Sort = null }).ToQueryString();

    private void StartCountsIfFiltersChanged()
    {
        var key = FilterKey(state);
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

    private string? SortIcon(AdminColumn<TRow> column) => Admin.EffectiveSort(state) switch
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

    private RenderFragment RenderCell(AdminColumn<TRow> column, TRow row) => builder =>
    {
        if (column != Admin.Columns[0])
        {
            builder.AddContent(0, column.RenderCell(row));
            return;
        }

        // The first cell marks the row for browser tests and, as in Django's changelist, links to the row's page.
        if (Admin.RowLink is null)
        {
            builder.OpenElement(5, "span");
            builder.AddAttribute(6, "data-testid", "row");
            builder.AddContent(7, column.RenderCell(row));
            builder.CloseElement();
            return;
        }

        builder.OpenComponent<MudLink>(1);
        builder.AddComponentParameter(2, nameof(MudLink.Href), Admin.RowLink(row));
        builder.AddAttribute(3, "data-testid", "row");
        builder.AddComponentParameter(4, nameof(MudLink.ChildContent), column.RenderCell(row));
        builder.CloseComponent();
    };
}
