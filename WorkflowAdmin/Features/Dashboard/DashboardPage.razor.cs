using WorkflowAdmin.Components.Shared;
using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Live;

namespace WorkflowAdmin.Features.Dashboard;

/// <summary>
/// Counts, a chart and the latest failures, read from the rollups (decision 0027). The prerendered page carries its
/// figures to the circuit as persistent component state, so the circuit shows them without asking again. The figures follow the <see cref="ExecutionChangeFeed"/>: when an
/// execution is created or changes status they are read again, at most once per <see cref="LiveRefreshSpacing"/>.
/// </summary>
public sealed partial class DashboardPage : IDisposable
{
    private const string StateKey = "dashboard";

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    // Failures sit between the other finished statuses, as in the executions list's chips.
    private static readonly ExecutionStatus[] CardOrder =
        [ExecutionStatus.Pending, ExecutionStatus.Running, ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Cancelled];

    // Week-long aggregates cost more than a list page; figures a few seconds old are still current for people.
    private static readonly TimeSpan LiveRefreshSpacing = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource disposed = new();
    private readonly BarChartOptions chartOptions = new()
    {
        ChartPalette = [Colors.Indigo.Lighten1, Colors.Red.Default, Colors.Green.Default],
        ShowValues = true,
        XAxisTitle = "Day created (UTC)",
        YAxisTitle = "Executions",
        YAxisFormat = "N0",
    };

    private DashboardSnapshot? snapshot;
    private List<ChartSeries<double>> chartSeries = [];
    private string[] chartLabels = [];
    private bool loading;
    private DateTimeOffset loadedAt;
    private IDisposable? changeSubscription;
    private ITimer? refreshTimer;
    private PersistingComponentStateSubscription persisting;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private TimeProvider Clock { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private ExecutionChangeFeed ChangeFeed { get; set; } = null!;

    [Inject]
    private PersistentComponentState State { get; set; } = null!;

    public void Dispose()
    {
        persisting.Dispose();
        changeSubscription?.Dispose();
        refreshTimer?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override Task OnInitializedAsync()
    {
        persisting = State.RegisterOnPersisting(Persist);
        if (State.TryTakeFromJson<DashboardSnapshot>(StateKey, out var prerendered) && prerendered is not null)
        {
            // The circuit starting after the prerender: show what the HTML already showed, without a second query.
            loadedAt = new DateTimeOffset(prerendered.AsOf, TimeSpan.Zero);
            Show(prerendered);
            return Task.CompletedTask;
        }

        return LoadAsync();
    }

    private Task Persist()
    {
        if (snapshot is not null)
        {
            PrerenderHandOver.TryPersist(State, StateKey, snapshot);
        }

        return Task.CompletedTask;
    }

    // Only an interactive render gets here: prerendering is not a circuit and follows nothing.
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            changeSubscription = ChangeFeed.SubscribePage(InvokeAsync, OnExecutionsChanged);
        }
    }

    // Only a new execution or a status move changes these figures; a step moving on within a run does not.
    private Task OnExecutionsChanged(ExecutionChangeBatch batch)
    {
        if (refreshTimer is not null || disposed.IsCancellationRequested || !batch.MayMoveStatus)
        {
            return Task.CompletedTask;
        }

        var wait = loadedAt + LiveRefreshSpacing - Clock.GetUtcNow();
        refreshTimer = Clock.CreateTimer(_ => _ = InvokeAsync(RefreshAsync), null, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    private async Task RefreshAsync()
    {
        refreshTimer?.Dispose();
        refreshTimer = null;
        await LoadAsync(showProgress: false);
        StateHasChanged();
    }

    private Task LoadAsync() => LoadAsync(showProgress: true);

    private async Task LoadAsync(bool showProgress)
    {
        loading = showProgress;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            loadedAt = Clock.GetUtcNow();
            Show(await DashboardQueries.LoadAsync(db, loadedAt.UtcDateTime, disposed.Token));
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
            // The user left the page; nobody is waiting for these figures.
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            // The page keeps the figures it had; the operator learns why the new ones are missing.
            Snackbar.Add($"The dashboard could not be loaded: {ex.Message}", Severity.Error);
        }
        finally
        {
            loading = false;
        }
    }

    private void Show(DashboardSnapshot loaded)
    {
        snapshot = loaded;
        chartLabels = loaded.Days.Select(d => d.Day.ToString("MMM d", Culture)).ToArray();
        chartSeries =
        [
            new ChartSeries<double> { Name = "Executions created", Data = loaded.Days.Select(d => (double)d.Executions).ToArray() },
            new ChartSeries<double> { Name = "Failed, unresolved", Data = loaded.Days.Select(d => (double)d.UnresolvedFailures).ToArray() },
            new ChartSeries<double> { Name = "Failed, resolved by re-run", Data = loaded.Days.Select(d => (double)d.ResolvedFailures).ToArray() },
        ];
    }

    private static string Time(DateTime utc) => DetailFormat.Utc(utc);

    // Version 7 ids begin with their timestamp, so executions made close together share a prefix; the random
    // tail is what tells them apart at a glance.
    private static string ShortId(Guid id) => DetailFormat.ShortId(id);

    private static string? ShortTypeName(string? type) => type?[(type.LastIndexOf('.') + 1)..];
}
