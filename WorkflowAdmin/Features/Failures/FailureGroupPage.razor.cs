using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.BulkReruns;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Failures;

/// <summary>
/// One failure group: what fails, how often, its trend, the affected executions (the executions list filtered by the
/// fingerprint), and for Admins its triage (state, owner, note, ticket link; each change audited by
/// <see cref="FailureTriage"/>) and a bulk re-run of its unresolved executions through the executions list's own
/// bulk re-run dialog, which reads the set again and applies the same server-side guard.
/// </summary>
public sealed partial class FailureGroupPage : IDisposable
{
    private const string NotSaved = "The triage was not saved";
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private readonly CancellationTokenSource disposed = new();
    private FailureGroup? group;
    private int[] trend = new int[FailureGroupQueries.TrendDays];
    private DateTime today;
    private List<(string Id, string Name)> owners = [];
    private List<BreadcrumbItem> breadcrumbs = [];
    private string? loadedFingerprint;
    private bool loading = true;
    private bool busy;
    private string? loadError;
    private string? actionError;
    private string? ownerId;
    private string? note;
    private string? link;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private ExecutionsAdmin Executions { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    [Parameter]
    public string Fingerprint { get; set; } = "";

    private IEnumerable<DateTime> TrendDays =>
        Enumerable.Range(0, FailureGroupQueries.TrendDays).Select(i => today.AddDays(i - FailureGroupQueries.TrendDays + 1));

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (loadedFingerprint != Fingerprint)
        {
            loadedFingerprint = Fingerprint;
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        loading = true;
        loadError = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            var fingerprint = Fingerprint.Trim().ToLowerInvariant();
            group = await FailureGroupQueries.FindAsync(db, fingerprint, disposed.Token);
            today = Time.GetUtcNow().UtcDateTime.Date;
            if (group is not null)
            {
                trend = (await FailureGroupQueries.TrendAsync(db, today, fingerprint, disposed.Token)).GetValueOrDefault(fingerprint)
                    ?? new int[FailureGroupQueries.TrendDays];
                owners = await FailureGroupQueries.OwnerCandidatesAsync(db, disposed.Token);
                ownerId = group.OwnerId;
                note = group.Note;
                link = group.Link;
            }
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

        var title = group is null ? "Failure group" : $"{group.StepKey} · {FailuresPage.ShortType(group.ErrorType)}";
        breadcrumbs = [new BreadcrumbItem("Failures", "/failures"), new BreadcrumbItem(title, null, disabled: true)];
    }

    private Task MoveAsync(TriageState next) =>
        ActAsync((triage, actor) => triage.ChangeStateAsync(group!.Fingerprint, next, actor, CancellationToken.None), $"Marked {TriageChip.Label(next)}.");

    private Task AssignAsync() =>
        ActAsync((triage, actor) => triage.AssignOwnerAsync(group!.Fingerprint, ownerId, actor, CancellationToken.None), "Owner saved.");

    private Task DescribeAsync() =>
        ActAsync((triage, actor) => triage.DescribeAsync(group!.Fingerprint, note, link, actor, CancellationToken.None), "Note and link saved.");

    // The service authorises and audits; the page shows its refusals as they are worded and reloads after a change,
    // so what is shown is what was stored (including a reopening that came in meanwhile).
    private async Task ActAsync(Func<FailureTriage, Actor, Task<FailureGroup>> act, string done)
    {
        busy = true;
        actionError = null;
        var reload = true;
        try
        {
            var actor = await CurrentActor.GetAsync();
            await using var scope = ScopeFactory.CreateAsyncScope();
            await act(scope.ServiceProvider.GetRequiredService<FailureTriage>(), actor);
            Snackbar.Add(done, Severity.Success);
        }
        catch (FailureGroupChangedException ex)
        {
            // Show the group as it is now (a new failure may have reopened it) beside the refusal.
            actionError = ActionErrors.Describe(ex, NotSaved);
            reload = true;
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, NotSaved) is { } message)
        {
            actionError = message;
            reload = false;
        }
        finally
        {
            busy = false;
        }

        if (reload)
        {
            loadedFingerprint = null;
            await OnParametersSetAsync();
        }
    }

    /// <summary>Every unresolved execution of the group, as the executions list's "Re-run all matching" would take them.</summary>
    private async Task RerunUnresolvedAsync()
    {
        var state = ListState.Empty
            .WithFilter(ExecutionsAdmin.FingerprintKey, group!.Fingerprint)
            .WithFilter("status", ExecutionsAdmin.UnresolvedValue);
        var listUrl = FailuresPage.AffectedHref(group.Fingerprint, unresolvedOnly: true);
        var selection = new AdminSelection<ExecutionRow>(Executions, state, listUrl, ListCount.Exact(group.UnresolvedCount));
        await BulkRerunDialog.ShowAsync(selection, Dialogs);
    }
}
