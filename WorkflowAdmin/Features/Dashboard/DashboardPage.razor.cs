using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Dashboard;

public sealed partial class DashboardPage : IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private readonly CancellationTokenSource disposed = new();
    private readonly BarChartOptions chartOptions = new() { ChartPalette = [Colors.Indigo.Lighten1, Colors.Red.Default] };

    private DashboardSnapshot? snapshot;
    private List<ChartSeries<double>> chartSeries = [];
    private string[] chartLabels = [];
    private bool loading;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private TimeProvider Clock { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        loading = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            snapshot = await DashboardQueries.LoadAsync(db, Clock.GetUtcNow().UtcDateTime, disposed.Token);
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

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Culture);

    // Version 7 ids begin with their timestamp, so executions made close together share a prefix; the random
    // tail is what tells them apart at a glance.
    private static string ShortId(Guid id) => id.ToString("N")[..8]; // as the executions list shows it

    private static string? ShortTypeName(string? type) => type?[(type.LastIndexOf('.') + 1)..];
}
