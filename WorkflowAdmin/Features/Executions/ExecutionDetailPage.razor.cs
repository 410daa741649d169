using System.Data.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;
using MudBlazor;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// Everything about one execution on one page: header, lineage, step timeline with the selected step's payloads,
/// error and attempts, and the composed input and output. The selected step lives in the URL (<c>?step=</c>), so
/// a link handed to someone else opens on the same step. A Pending or Running execution is re-read periodically.
/// </summary>
public sealed partial class ExecutionDetailPage : IDisposable
{
    // Frequent enough to follow a run step by step; each refresh is one indexed read of one execution.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource disposed = new();
    private WorkflowExecution? execution;
    private ExecutionLineage lineage = ExecutionLineage.None;
    private IReadOnlyDictionary<string, string> stepNames = new Dictionary<string, string>();
    private List<BreadcrumbItem> breadcrumbs = [];
    private string workflowName = "";
    private Guid? loadedId;
    private bool loading = true;
    private string? chosenKey;
    private int activeTab;
    private ITimer? refreshTimer;
    private bool refreshing;
    private string? loadError;

    // What a refresh compares before reloading: it changes whenever the execution or any of its steps moves on.
    private string? changeToken;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private WorkflowRegistry Registry { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter]
    public Guid Id { get; set; }

    /// <summary>The key of the selected step; when absent or unknown the failed, else the running, else the first step.</summary>
    [SupplyParameterFromQuery(Name = "step")]
    public string? Step { get; set; }

    private string Title => execution is null ? "Execution" : $"{workflowName} {execution.BusinessKey}".TrimEnd();

    // Until someone picks a step, the selection follows the run: the failed step, else the running one, else the first.
    private string? SelectedKey => ResolveSelection(chosenKey);

    private StepExecution? SelectedStep => execution?.Steps.FirstOrDefault(s => s.StepKey == SelectedKey);

    private StepExecution? CurrentStep => execution?.Status == ExecutionStatus.Running
        ? execution.Steps.FirstOrDefault(s => s.Status == ExecutionStatus.Running)
        : null;

    private string SourceText => execution?.TriggerSource switch
    {
        TriggerSource.Api => "API",
        TriggerSource.Rerun => "re-run",
        TriggerSource.Console => "console",
        TriggerSource.System => "system",
        _ => "",
    };

    // A run in progress shows how long it has been going so far.
    private string DurationText => execution switch
    {
        { Duration: { } duration } => DetailFormat.Duration(duration),
        { StartedAt: { } started, FinishedAt: null } => $"{DetailFormat.Duration(Time.GetUtcNow().UtcDateTime - started)} so far",
        _ => DetailFormat.None,
    };

    public void Dispose()
    {
        refreshTimer?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (loadedId != Id)
        {
            loadedId = Id;
            loading = true;
            execution = null;
            loadError = null;
            try
            {
                await LoadAsync();
            }
            catch (DbException ex)
            {
                loadError = ex.Message;
            }

            loading = false;
            StartOrStopRefresh();
        }

        chosenKey = Step;
    }

    private string StepName(string key) => stepNames.GetValueOrDefault(key, key);

    private string? ResolveSelection(string? requested)
    {
        if (execution is null)
        {
            return null;
        }

        var ordered = execution.Steps.OrderBy(s => s.Ordinal).ToList();
        return (ordered.FirstOrDefault(s => s.StepKey == requested)
                ?? ordered.FirstOrDefault(s => s.Status == ExecutionStatus.Failed)
                ?? ordered.FirstOrDefault(s => s.Status == ExecutionStatus.Running)
                ?? ordered.FirstOrDefault())?.StepKey;
    }

    // Selecting a step rewrites the address in place, so the link can be shared and Back still leaves the page.
    private void SelectStep(string key)
    {
        chosenKey = key;
        activeTab = 0;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("step", key), replace: true);
    }

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
        execution = await db.WorkflowExecutions.AsNoTracking()
            .Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .AsSplitQuery()
            .SingleOrDefaultAsync(e => e.Id == Id, disposed.Token);
        lineage = execution is null ? ExecutionLineage.None : await ExecutionLineage.LoadAsync(db, execution, disposed.Token);
        changeToken = await ChangeTokenAsync(db);

        // Executions store the workflow key; names come from the definition in code, falling back to the key for
        // workflows or steps that no longer exist.
        Registry.TryGet(execution?.DefinitionKey ?? "", out var definition);
        workflowName = definition?.DisplayName ?? execution?.DefinitionKey ?? "";
        stepNames = definition?.Steps.ToDictionary(s => s.Key, s => s.DisplayName) ?? new Dictionary<string, string>();
        breadcrumbs =
        [
            new BreadcrumbItem("Executions", "executions"),
            new BreadcrumbItem(execution is null ? Id.ToString() : Title, null, disabled: true),
        ];
    }

    private async Task<string> ChangeTokenAsync(AppDbContext db)
    {
        var modified = await db.WorkflowExecutions.Where(e => e.Id == Id).Select(e => (DateTime?)e.ModifiedAt).SingleOrDefaultAsync(disposed.Token);
        var steps = db.StepExecutions.Where(s => s.ExecutionId == Id);
        var attempts = await steps.SumAsync(s => s.AttemptCount, disposed.Token);
        var finished = await steps.CountAsync(s => s.FinishedAt != null, disposed.Token);
        return FormattableString.Invariant($"{modified:O}|{attempts}|{finished}");
    }

    private void StartOrStopRefresh()
    {
        var live = execution is not null && !StatusTransitions.IsFinal(execution.Status) && RendererInfo.IsInteractive;
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
        // A slow database must not pile up refreshes behind each other (ticks arrive on the dispatcher, one at a time).
        if (disposed.IsCancellationRequested || refreshing)
        {
            return;
        }

        refreshing = true;
        try
        {
            // Payloads can be megabytes: read two small aggregates first, and the whole execution only if it moved.
            await using (var db = await DbFactory.CreateDbContextAsync(disposed.Token))
            {
                if (await ChangeTokenAsync(db) == changeToken)
                {
                    return;
                }
            }

            await LoadAsync();
            StartOrStopRefresh();
            StateHasChanged();
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        catch (DbException ex)
        {
            // The page still shows the last state it read; say that it stopped following, rather than failing the circuit.
            refreshTimer?.Dispose();
            refreshTimer = null;
            Snackbar.Add($"Stopped refreshing this execution: {ex.Message}", Severity.Warning);
        }
        finally
        {
            refreshing = false;
        }
    }

    // An action on this page changed the execution: show it as it is now, and follow it if it became live.
    private async Task ReloadAsync()
    {
        await LoadAsync();
        StartOrStopRefresh();
    }

    private async Task DownloadAsync()
    {
        if (execution is null)
        {
            return;
        }

        try
        {
            await JS.InvokeVoidAsync("workflowAdmin.downloadText", ExecutionExport.FileName(execution.Id), ExecutionExport.ToJson(execution), "application/json");
        }
        catch (JSException ex)
        {
            Snackbar.Add($"The download failed: {ex.Message}", Severity.Error);
        }
    }
}
