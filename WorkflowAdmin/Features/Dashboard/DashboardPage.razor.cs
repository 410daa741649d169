using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Features.Executions.Live;

namespace WorkflowAdmin.Features.Dashboard;

/// <summary>
/// Counts, a chart and the latest failures. The figures follow the <see cref="ExecutionChangeFeed"/>: when an
/// execution is created or changes status they are read again, at most once per <see cref="LiveRefreshSpacing"/>.
/// </summary>
public sealed partial class DashboardPage : IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    // Week-long aggregates cost more than a list page; figures a few seconds old are still current for people.
    private static readonly TimeSpan LiveRefreshSpacing = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource disposed = new();
    private readonly BarChartOptions chartOptions = new() { ChartPalette = [Colors.Indigo.Lighten1, Colors.Red.Default] };

    private DashboardSnapshot? snapshot;
    private List<ChartSeries<double>> chartSeries = [];
    private string[] chartLabels = [];
    private bool loading;
    private DateTimeOffset loadedAt;
    private IDisposable? changeSubscription;
    private ITimer? refreshTimer;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private TimeProvider Clock { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private ExecutionChangeFeed ChangeFeed { get; set; } = null!;

    public void Dispose()
    {
        changeSubscription?.Dispose();
        refreshTimer?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override Task OnInitializedAsync() => LoadAsync();

    // Only an interactive render gets here: prerendering is not a circuit and follows nothing.
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            changeSubscription = ChangeFeed.Subscribe(batch => InvokeAsync(() => OnExecutionsChanged(batch)));
        }
    }

    // Only a new execution or a status move changes these figures; a step moving on within a run does not.
    private void OnExecutionsChanged(ExecutionChangeBatch batch)
    {
        if (refreshTimer is not null || disposed.IsCancellationRequested || (!batch.IsPartial && !batch.Changes.Any(c => c.IsNewStatus)))
        {
            return;
        }

        var wait = loadedAt + LiveRefreshSpacing - Clock.GetUtcNow();
        refreshTimer = Clock.CreateTimer(_ => _ = InvokeAsync(RefreshAsync), null, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
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
            snapshot = await DashboardQueries.LoadAsync(db, loadedAt.UtcDateTime, disposed.Token);
            chartLabels = snapshot.Days.Select(d => d.Day.ToString("MMM d", Culture)).ToArray();
            chartSeries =
            [
                new ChartSeries<double> { Name = "Executions", Data = snapshot.Days.Select(d => (double)d.Executions).ToArray() },
                new ChartSeries<double> { Name = "Failures", Data = snapshot.Days.Select(d => (double)d.Failures).ToArray() },
            ];
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

    private static string Time(DateTime utc) => DetailFormat.Utc(utc);

    // Version 7 ids begin with their timestamp, so executions made close together share a prefix; the random
    // tail is what tells them apart at a glance.
    private static string ShortId(Guid id) => DetailFormat.ShortId(id);

    private static string? ShortTypeName(string? type) => type?[(type.LastIndexOf('.') + 1)..];
}
