using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.BulkReruns;

/// <summary>
/// One bulk re-run: who asked for it, when, why and how, a progress bar that follows the background job, and every
/// execution's outcome, page by page (the new execution, or why it was not re-run). While the job runs, the page
/// re-reads the one bulk re-run row every second, and the items only when that row says they moved on.
/// </summary>
public sealed partial class BulkRerunPage : IDisposable
{
    private const string AllItems = "all";
    private const string RerunItems = "rerun";
    private const string NotRerunItems = "not-rerun";
    private const string WaitingItems = "waiting";

    // The bulk re-run row is one primary-key read: cheap enough to follow a job that commits every few hundred ms.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly int[] PageSizes = [50, 100];

    private readonly CancellationTokenSource disposed = new();
    private BulkRerun? bulk;
    private List<BreadcrumbItem> breadcrumbs = [];
    private MudTable<BulkRerunItemRow>? table;
    private Guid? loadedId;
    private bool loading = true;
    private string? loadError;
    private string show = AllItems;
    private ITimer? refreshTimer;
    private bool refreshing;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    [Parameter]
    public Guid Id { get; set; }

    /// <summary>Which items to list: all (default), rerun, not-rerun or waiting. In the URL, so a link shows the same.</summary>
    [SupplyParameterFromQuery(Name = "show")]
    public string? Show { get; set; }

    private string Title => bulk is null ? "Bulk re-run" : $"Bulk re-run of {Executions(bulk.Total)}";

    private double Percent => bulk is { Total: > 0 } b ? 100.0 * b.ProcessedCount / b.Total : 0;

    private string PercentText => Percent.ToString("0", CultureInfo.InvariantCulture);

    private Color ProgressColor => bulk?.Status switch
    {
        ExecutionStatus.Succeeded => Color.Success,
        ExecutionStatus.Failed => Color.Warning,
        _ => Color.Primary,
    };

    private string CountersText => bulk is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $"{bulk.ProcessedCount:N0} of {bulk.Total:N0} processed ({PercentText} %) · {bulk.SucceededCount:N0} re-run · {bulk.FailedCount:N0} not re-run");

    private string ModeText => bulk?.Mode switch
    {
        RerunMode.ResumeFromFailedStep => "Resume from the failed step: each re-run reuses the steps that had succeeded, with their outputs.",
        RerunMode.FromStart => "Run from the start: each re-run runs every step again with the original input.",
        _ => "",
    };

    public void Dispose()
    {
        refreshTimer?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        var requested = Show is RerunItems or NotRerunItems or WaitingItems ? Show : AllItems;
        var showChanged = requested != show;
        show = requested;
        if (loadedId != Id)
        {
            loadedId = Id;
            loading = true;
            bulk = null;
            loadError = null;
            try
            {
                bulk = await LoadBulkAsync();
            }
            catch (DbException ex)
            {
                loadError = ex.Message;
            }

            breadcrumbs = [new BreadcrumbItem("Bulk re-runs", "/bulk-reruns"), new BreadcrumbItem(Title, null, disabled: true)];
            loading = false;
            StartOrStopRefresh();
        }
        else if (showChanged && table is not null)
        {
            await table.ReloadServerData();
        }
    }

    private async Task<BulkRerun?> LoadBulkAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
        return await db.BulkReruns.AsNoTracking().SingleOrDefaultAsync(b => b.Id == Id, disposed.Token);
    }

    private async Task<TableData<BulkRerunItemRow>> LoadItemsAsync(TableState state, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
            var items = db.BulkRerunItems.AsNoTracking().Where(i => i.BulkRerunId == Id);
            items = show switch
            {
                RerunItems => items.Where(i => i.Status == ExecutionStatus.Succeeded),
                NotRerunItems => items.Where(i => i.Status == ExecutionStatus.Failed),
                WaitingItems => items.Where(i => i.Status == ExecutionStatus.Pending),
                _ => items,
            };

            // A bulk re-run holds at most 10,000 items: an exact count is cheap.
            var total = await items.CountAsync(cancellationToken);
            var rows = await (
                    from item in items
                    join original in db.WorkflowExecutions on item.ExecutionId equals original.Id
                    from rerun in db.WorkflowExecutions.Where(r => r.Id == item.RerunExecutionId).DefaultIfEmpty()
                    orderby item.Ordinal
                    select new BulkRerunItemRow
                    {
                        Ordinal = item.Ordinal,
                        ExecutionId = item.ExecutionId,
                        BusinessKey = original.BusinessKey,
                        Status = item.Status,
                        RerunExecutionId = item.RerunExecutionId,
                        RerunStatus = rerun == null ? null : rerun.Status,
                        Error = item.Error,
                    })
                .Skip(state.Page * state.PageSize)
                .Take(state.PageSize)
                .ToListAsync(cancellationToken);
            return new TableData<BulkRerunItemRow> { Items = rows, TotalItems = total };
        }
        catch (Exception) when (disposed.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            return new TableData<BulkRerunItemRow> { Items = [], TotalItems = 0 };
        }
        catch (DbException ex)
        {
            Snackbar.Add($"The executions of this bulk re-run could not be loaded: {ex.Message}", Severity.Error);
            return new TableData<BulkRerunItemRow> { Items = [], TotalItems = 0 };
        }
    }

    private void OnShowChanged(string? value) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("show", value is null or AllItems ? null : value), replace: true);

    private void StartOrStopRefresh()
    {
        var live = bulk is not null && !StatusTransitions.IsFinal(bulk.Status) && RendererInfo.IsInteractive;
        if (live && refreshTimer is null)
        {
            refreshTimer = Time.CreateTimer(_ => _ = InvokeAsync(RefreshAsync), null, RefreshInterval, RefreshInterval);
        }
        else if (!live && refreshTimer is not null)
        {
            refreshTimer.Dispose();
            refreshTimer = null;
        }
    }

    private async Task RefreshAsync()
    {
        // Ticks arrive on the dispatcher one at a time; a slow read must not queue reads behind it.
        if (disposed.IsCancellationRequested || refreshing)
        {
            return;
        }

        refreshing = true;
        try
        {
            var latest = await LoadBulkAsync();
            var moved = latest is null || bulk is null || latest.ProcessedCount != bulk.ProcessedCount || latest.Status != bulk.Status;
            bulk = latest;
            StartOrStopRefresh();
            if (moved && table is not null)
            {
                await table.ReloadServerData();
            }

            StateHasChanged();
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        catch (DbException ex)
        {
            refreshTimer?.Dispose();
            refreshTimer = null;
            Snackbar.Add($"Stopped following this bulk re-run: {ex.Message}", Severity.Warning);
        }
        finally
        {
            refreshing = false;
        }
    }

    private static string ResultText(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Succeeded => "Re-run created",
        ExecutionStatus.Failed => "Not re-run",
        _ => "Waiting",
    };

    private static string Short(Guid id) => id.ToString()[..8];

    private static string Executions(int n) => n == 1 ? "1 execution" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} executions");
}
