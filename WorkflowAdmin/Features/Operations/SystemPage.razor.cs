using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Live;

namespace WorkflowAdmin.Features.Operations;

/// <summary>
/// The installation at a glance, for Admins: nodes and their workers, the queue, recoveries and the database. It
/// follows the <see cref="ExecutionChangeFeed"/> like the dashboard (a status change moves the queue) and reads
/// again every heartbeat interval besides, since nodes beat without any execution changing.
/// </summary>
public sealed partial class SystemPage : IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private readonly CancellationTokenSource disposed = new();
    private SystemSnapshot? snapshot;
    private bool loading;
    private bool refreshing;
    private IDisposable? changeSubscription;
    private ITimer? timer;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private QueueGauges Queue { get; set; } = null!;

    [Inject]
    private DatabaseOptions Database { get; set; } = null!;

    [Inject]
    private IOptions<OperationsOptions> Options { get; set; } = null!;

    [Inject]
    private TimeProvider Clock { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private ExecutionChangeFeed ChangeFeed { get; set; } = null!;

    public void Dispose()
    {
        changeSubscription?.Dispose();
        timer?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override Task OnInitializedAsync() => LoadAsync(showProgress: true);

    // Only an interactive render gets here: prerendering is not a circuit and follows nothing.
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            changeSubscription = ChangeFeed.SubscribePage(InvokeAsync, batch => batch.MayMoveStatus ? RefreshAsync() : Task.CompletedTask);
            var interval = Options.Value.HeartbeatInterval;
            timer = Clock.CreateTimer(_ => _ = InvokeAsync(RefreshAsync), null, interval, interval);
        }
    }

    private async Task RefreshAsync()
    {
        // A poll that arrives while the last read is still running has nothing newer to show.
        if (refreshing || disposed.IsCancellationRequested)
        {
            return;
        }

        refreshing = true;
        try
        {
            await LoadAsync(showProgress: false);
            StateHasChanged();
        }
        finally
        {
            refreshing = false;
        }
    }

    private Task LoadAsync() => LoadAsync(showProgress: true);

    private async Task LoadAsync(bool showProgress)
    {
        loading = showProgress;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            snapshot = await SystemQueries.LoadAsync(db, Queue, Database, Options.Value, Clock.GetUtcNow().UtcDateTime, disposed.Token);
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
            // The user left the page.
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            // The page keeps the figures it had; the operator learns why the new ones are missing.
            Snackbar.Add($"The system status could not be loaded: {ex.Message}", Severity.Error);
        }
        finally
        {
            loading = false;
        }
    }

    private static string Time(DateTime utc) => DetailFormat.Utc(utc);

    private static string ShortId(Guid id) => DetailFormat.ShortId(id);

    // "1.0.0+7eeeecc1d2…": the version and the commit's first characters are what tells two deployments apart.
    private static string ShortVersion(string version) =>
        version.IndexOf('+', StringComparison.Ordinal) is var plus and >= 0 && version.Length > plus + 8 ? version[..(plus + 8)] : version;

    private static string Age(TimeSpan age) => age switch
    {
        { TotalSeconds: < 1 } => "0 s",
        { TotalMinutes: < 1 } => $"{age.TotalSeconds:0} s",
        { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min {age.Seconds} s",
        { TotalDays: < 1 } => $"{(int)age.TotalHours} h {age.Minutes} min",
        _ => $"{(int)age.TotalDays} d {age.Hours} h",
    };
}
