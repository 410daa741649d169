using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Admin.Views;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Features.Failures;

/// <summary>
/// <c>/failures</c>: every failure group with its counts, first and last seen, a 14-day trend and a sample message,
/// the affected executions one click away (the executions list filtered by the fingerprint). Opens on the groups that
/// still want someone (New and Acknowledged); the view is in the URL (<c>?view=</c>).
/// </summary>
public sealed partial class FailuresPage : IDisposable
{
    private const string OpenView = FailuresViewList.OpenView;
    private const string AllView = FailuresViewList.AllView;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private static readonly IReadOnlyList<FilterOption> Views = FailuresViewList.Views;

    private readonly CancellationTokenSource disposed = new();
    private List<FailureGroup> groups = [];
    private Dictionary<string, int[]> trend = [];
    private bool truncated;
    private bool loading = true;
    private string? loadError;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private FailuresViewList ViewList { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [SupplyParameterFromQuery(Name = "view")]
    public string? ViewParameter { get; set; }

    private string View => Views.Any(v => v.Value == ViewParameter) ? ViewParameter! : OpenView;

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }

    internal static string AffectedHref(string fingerprint, bool unresolvedOnly) =>
        $"/executions?{ExecutionsAdmin.FingerprintKey}={fingerprint}" + (unresolvedOnly ? $"&status={ExecutionsAdmin.UnresolvedValue}" : "");

    internal static string ShortType(string? type) => type is null ? "" : type[(type.LastIndexOf('.') + 1)..];

    /// <summary>
    /// A bare <c>/failures</c> opens on the default view of the user's role, put in the address (replacing it), as the
    /// lists do (decision 0039); any <c>?view=</c> is taken as it is.
    /// </summary>
    protected override async Task OnInitializedAsync()
    {
        var uri = Navigation.Uri;
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        if ((queryStart >= 0 && queryStart < uri.Length - 1) || AuthenticationState is null)
        {
            return;
        }

        var user = (await AuthenticationState).User;
        await using var scope = ScopeFactory.CreateAsyncScope();
        var query = await scope.ServiceProvider.GetRequiredService<SavedViews>()
            .RoleDefaultQueryAsync(FailuresViewList.SlugValue, Roles.All.Where(user.IsInRole), disposed.Token);
        if (query is not null)
        {
            Navigation.NavigateTo($"{ViewList.Href}?{query}", replace: true);
        }
    }

    protected override Task OnParametersSetAsync() => LoadAsync();

    private Task ShowAsync(string? view)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("view", view is null or OpenView ? null : view));
        return Task.CompletedTask;
    }

    private int[] TrendOf(string fingerprint) => trend.GetValueOrDefault(fingerprint) ?? new int[FailureGroupQueries.TrendDays];

    private async Task LoadAsync()
    {
        loading = true;
        loadError = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            TriageState[] states = View switch
            {
                OpenView => [TriageState.New, TriageState.Acknowledged],
                AllView => [],
                var state => [Enum.Parse<TriageState>(state)],
            };
            var found = await FailureGroupQueries.ListAsync(db, states, disposed.Token);
            truncated = found.Count > FailureGroupQueries.MaxGroups;
            groups = truncated ? found[..FailureGroupQueries.MaxGroups] : found;
            trend = await FailureGroupQueries.TrendAsync(db, Time.GetUtcNow().UtcDateTime, null, disposed.Token);
        }
        catch (DbException ex)
        {
            loadError = ex.Message;
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            loading = false;
        }
    }
}
