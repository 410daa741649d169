using WorkflowAdmin.Components.Shared;
using System.Data.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;
using MudBlazor;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Live;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// Everything about one execution on one page: header, lineage, step timeline with the selected step's payloads,
/// error and attempts, and the composed input and output. The selected step lives in the URL (<c>?step=</c>), so
/// a link handed to someone else opens on the same step. The page follows the execution and its lineage through the
/// shared <see cref="ExecutionChangeFeed"/>: it reads the database again only when one of them changed.
/// </summary>
public sealed partial class ExecutionDetailPage : IDisposable
{
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
    private string? loadError;
    private IDisposable? changeSubscription;

    // Personal values are masked (decision 0040) until the reader reveals this execution's, with a reason; the reveal
    // holds for this page and this execution only: another execution, a reload or a new tab starts masked again.
    private bool revealed;
    private bool hasPersonalData;
    private Actor? actor;

    // The prerender's read, handed to the circuit (decision 0026); taken once, for the execution it was read for.
    private ExecutionHandOver? handedOver;
    private PersistingComponentStateSubscription? persisting;
    private DateTime readAt;

    // Changes that arrived while the page was reading; handled, merged, once the read is done.
    private ExecutionChangeBatch? unhandledChanges;
    private bool followingChanges;
    private bool followFailed;

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
    private ExecutionChangeFeed ChangeFeed { get; set; } = default!;

    [Inject]
    private PersistentComponentState PersistentState { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Parameter]
    public Guid Id { get; set; }

    /// <summary>
    /// The key of the selected step; when absent or unknown the failed, else the running, else the first step that
    /// ran in this execution (a re-run's reused steps did not, and opening on one reads as if it had).
    /// </summary>
    [SupplyParameterFromQuery(Name = "step")]
    public string? Step { get; set; }

    private string Title => execution is null ? "Execution" : $"{workflowName} {execution.BusinessKey}".TrimEnd();

    // Until someone picks a step, the selection follows the run: the failed step, else the running one, else the first
    // that actually ran.
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

    public void Dispose()
    {
        changeSubscription?.Dispose();
        persisting?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }

    // Subscribed before the first read, so a change made while the page loads is not missed; a page that takes the
    // prerender's read follows the changes since that read. Prerendering is not a circuit and never follows anything:
    // it hands what it read to the circuit instead.
    protected override void OnInitialized()
    {
        if (!RendererInfo.IsInteractive)
        {
            persisting = PersistentState.RegisterOnPersisting(PersistExecution);
            return;
        }

        if (PersistentState.TryTakeFromJson<ExecutionHandOver>(ExecutionHandOver.Key, out var persisted)
            && persisted is not null
            && ChangeFeed.CanBridge(persisted.ReadAt, Time))
        {
            handedOver = persisted;
        }

        changeSubscription = ChangeFeed.SubscribePage(InvokeAsync, OnExecutionsChangedAsync, handedOver?.ReadAt);
    }

    private Task PersistExecution()
    {
        if (execution is not null && execution.Id == Id)
        {
            PrerenderHandOver.TryPersist(PersistentState, ExecutionHandOver.Key, ExecutionHandOver.Create(execution, lineage, readAt));
        }

        return Task.CompletedTask;
    }

    protected override async Task OnParametersSetAsync()
    {
        actor ??= await CurrentActor.GetAsync();
        if (loadedId != Id)
        {
            loadedId = Id;
            revealed = false;
            loading = true;
            execution = null;
            loadError = null;
            try
            {
                if (TakeHandedOver() is { } taken)
                {
                    Show(taken.Execution, taken.Lineage, taken.ReadAt);
                }
                else
                {
                    await LoadAsync();
                }
            }
            catch (DbException ex)
            {
                loadError = ex.Message;
            }

            loading = false;
            await FollowChangesAsync();
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
                ?? ordered.FirstOrDefault(s => !s.IsReused)
                ?? ordered.FirstOrDefault())?.StepKey;
    }

    // Selecting a step rewrites the address in place, so the link can be shared and Back still leaves the page.
    private void SelectStep(string key)
    {
        chosenKey = key;
        activeTab = 0;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("step", key), replace: true);
    }

    private (WorkflowExecution Execution, ExecutionLineage Lineage, DateTime ReadAt)? TakeHandedOver()
    {
        var taken = handedOver;
        handedOver = null;
        return taken is not null && taken.Id == Id && taken.ReadExecution() is { } read ? (read, taken.Lineage, taken.ReadAt) : null;
    }

    private async Task LoadAsync()
    {
        var started = Time.GetUtcNow().UtcDateTime;
        await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
        var read = await db.WorkflowExecutions.AsNoTracking()
            .Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .AsSplitQuery()
            .SingleOrDefaultAsync(e => e.Id == Id, disposed.Token);
        Show(read, read is null ? ExecutionLineage.None : await ExecutionLineage.LoadAsync(db, read, disposed.Token), started);
    }

    private void Show(WorkflowExecution? read, ExecutionLineage readLineage, DateTime readTime)
    {
        // Executions store the workflow key; names come from the definition in code, falling back to the key for
        // workflows or steps that no longer exist.
        Registry.TryGet(read?.DefinitionKey ?? "", out var definition);
        execution = read is null || revealed ? read : ExecutionMasking.Masked(read, definition);
        hasPersonalData = revealed || (execution is not null && ExecutionMasking.ShowsMasked(execution));
        lineage = readLineage;
        readAt = readTime;
        workflowName = definition?.DisplayName ?? execution?.DefinitionKey ?? "";
        stepNames = definition?.Steps.ToDictionary(s => s.Key, s => s.DisplayName) ?? new Dictionary<string, string>();
        breadcrumbs =
        [
            new BreadcrumbItem("Executions", "executions"),
            new BreadcrumbItem(execution is null ? Id.ToString() : Title, null, disabled: true),
        ];
    }

    private Task OnExecutionsChangedAsync(ExecutionChangeBatch batch)
    {
        unhandledChanges = unhandledChanges?.Merge(batch) ?? batch;
        return FollowChangesAsync();
    }

    /// <summary>
    /// Brings the page up to date with the changes received so far. One read at a time: changes that arrive during
    /// a read are merged and handled after it, and a first load in progress handles them when it ends.
    /// </summary>
    private async Task FollowChangesAsync()
    {
        if (loading || followingChanges || disposed.IsCancellationRequested)
        {
            return;
        }

        followingChanges = true;
        try
        {
            while (unhandledChanges is { } batch && !disposed.IsCancellationRequested)
            {
                unhandledChanges = null;
                if (execution is not null && await RefreshAsync(batch, execution))
                {
                    StateHasChanged();
                }
            }
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        catch (DbException ex)
        {
            // The page still shows the last state it read and tries again at the next change; said once, not every time.
            if (!followFailed)
            {
                followFailed = true;
                Snackbar.Add($"This execution could not be refreshed: {ex.Message}", Severity.Warning);
            }
        }
        finally
        {
            followingChanges = false;
        }
    }

    // An action on this page changed the execution: show it as it is now (the feed keeps following it).
    private Task ReloadAsync() => LoadAsync();

    /// <summary>Re-reads what <paramref name="batch"/> made stale: the whole execution, only its lineage, or nothing.</summary>
    private async Task<bool> RefreshAsync(ExecutionChangeBatch batch, WorkflowExecution current)
    {
        var own = batch.Find(current.Id);
        var executionChanged = own is not null && own.ModifiedAt != current.ModifiedAt;
        var lineageChanged = batch.Changes.Any(c => LineageStatus(c.Id) is { } shown ? shown != c.Status : c.RerunOfId == current.Id);
        if (batch.IsPartial && !executionChanged)
        {
            // Too much changed at once for the batch to list it all: ask about this execution alone (one key lookup).
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            var modified = await db.WorkflowExecutions.Where(e => e.Id == current.Id).Select(e => (DateTime?)e.ModifiedAt).SingleOrDefaultAsync(disposed.Token);
            executionChanged = modified != current.ModifiedAt;
            lineageChanged = true;
        }

        if (executionChanged)
        {
            // Payloads and steps are read again only now; the page stays as it is while they load.
            await LoadAsync();
        }
        else if (lineageChanged)
        {
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            lineage = await ExecutionLineage.LoadAsync(db, current, disposed.Token);
        }

        followFailed = false;
        return executionChanged || lineageChanged;
    }

    // The status the lineage strip shows for an execution, or null when the strip does not show it.
    private ExecutionStatus? LineageStatus(Guid id) =>
        new[] { lineage.RerunOf, lineage.Root }.Concat(lineage.Reruns).FirstOrDefault(l => l?.Id == id)?.Status;

    private bool CanReveal => actor?.Can(Permission.RevealPersonalData) == true;

    private async Task RevealAsync()
    {
        var parameters = new DialogParameters<RevealPersonalDataDialog> { { d => d.ExecutionId, Id } };
        var dialog = await Dialogs.ShowAsync<RevealPersonalDataDialog>("Reveal", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false })
        {
            revealed = true;
            await LoadAsync();
        }
    }

    private async Task MaskAgainAsync()
    {
        revealed = false;
        await LoadAsync();
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
