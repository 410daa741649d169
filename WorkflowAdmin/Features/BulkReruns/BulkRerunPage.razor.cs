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
/// re-reads the one bulk re-run row every second, and the items only when that row says they moved on; until the
/// new executions have all finished, it counts them by status whenever one of them changed, so the admin sees them
/// succeed.
/// </summary>
public sealed partial class BulkRerunPage : IDisposable
{
    private const string AllItems = "all";
    private const string RerunItems = "rerun";
    private const string NotRerunItems = "not-rerun";
    private const string WaitingItems = "waiting";

    // The bulk re-run row is one primary-key read: cheap enough to follow a job that commits every few hundred ms.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    // Counting the new executions by status reads up to 10,000 of them, so it is done when one of them changed (an
    // indexed read on ModifiedAt), and every so often regardless, in case a node whose clock lags wrote the change.
    private const int RecountTicks = 10;
    private static readonly int[] PageSizes = [50, 100];

    private readonly CancellationTokenSource disposed = new();
    private BulkRerun? bulk;
    private List<BreadcrumbItem> breadcrumbs = [];
    private MudTable<BulkRerunItemRow>? table;
    private Guid? loadedId;
    private bool loading = true;
    private string? loadError;
    private string show = AllItems;
    private Dictionary<ExecutionStatus, int> outcomes = [];
    private DateTime? outcomesSeen;
    private ITimer? refreshTimer;
    private bool refreshing;
    private int ticks;

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

    private string? EndText => bulk?.Status switch
    {
        ExecutionStatus.Succeeded => "Every execution was re-run.",
        ExecutionStatus.Failed => $"{Executions(bulk.FailedCount)} not re-run: the list below says why.",
        _ => null,
    };

    // Whether some re-run is still to finish, so the page keeps following them after the bulk re-run itself ended.
    private bool OutcomesLive => outcomes.GetValueOrDefault(ExecutionStatus.Pending) + outcomes.GetValueOrDefault(ExecutionStatus.Running) > 0;

    private string OutcomesText => string.Join(" · ", new[]
        {
            (ExecutionStatus.Succeeded, "succeeded"), (ExecutionStatus.Running, "running"), (ExecutionStatus.Pending, "waiting to run"),
            (ExecutionStatus.Failed, "failed"), (ExecutionStatus.Cancelled, "cancelled"),
        }
        .Where(o => outcomes.GetValueOrDefault(o.Item1) > 0)
        .Select(o => string.Create(CultureInfo.InvariantCulture, $"{outcomes[o.Item1]:N0} {o.Item2}")));

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
                if (bulk is not null)
                {
                    await LoadOutcomesAsync();
                }

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

    /// <summary>Counts the re-runs created so far by their status now; true when the counts changed.</summary>
    private async Task<bool> LoadOutcomesAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
        var counts = await (
                from item in db.BulkRerunItems
                where item.BulkRerunId == Id && item.RerunExecutionId != null
                join rerun in db.WorkflowExecutions on item.RerunExecutionId equals (Guid?)rerun.Id
                group rerun by rerun.Status into byStatus
                select new { Status = byStatus.Key, Count = byStatus.Count(), Latest = byStatus.Max(r => r.ModifiedAt) })
            .ToListAsync(disposed.Token);
        var latest = counts.ToDictionary(c => c.Status, c => c.Count);
        var changed = !latest.OrderBy(c => c.Key).SequenceEqual(outcomes.OrderBy(c => c.Key));
        outcomes = latest;
        outcomesSeen = counts.Count > 0 ? counts.Max(c => c.Latest) : null;
        return changed;
    }

    /// <summary>Whether any re-run of this bulk re-run changed since the last count: an index range on ModifiedAt.</summary>
    private async Task<bool> RerunsChangedAsync()
    {
        if (outcomesSeen is not { } seen)
        {
            return false;
        }

        await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
        return await (
                from rerun in db.WorkflowExecutions
                where rerun.ModifiedAt > seen
                join item in db.BulkRerunItems on (Guid?)rerun.Id equals item.RerunExecutionId
                where item.BulkRerunId == Id
                select rerun.Id)
            .AnyAsync(disposed.Token);
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
        var live = bulk is not null && (!StatusTransitions.IsFinal(bulk.Status) || OutcomesLive) && RendererInfo.IsInteractive;
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
        ticks++;
        try
        {
            var moved = false;
            if (bulk is null || !StatusTransitions.IsFinal(bulk.Status))
            {
                var latest = await LoadBulkAsync();
                moved = latest is null || bulk is null || latest.ProcessedCount != bulk.ProcessedCount || latest.Status != bulk.Status;
                bulk = latest;
            }

            if (bulk is not null && (moved || ticks % RecountTicks == 0 || await RerunsChangedAsync()))
            {
                moved |= await LoadOutcomesAsync();
            }

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
