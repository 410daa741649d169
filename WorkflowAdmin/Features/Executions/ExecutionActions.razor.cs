using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// The execution detail page's actions: re-run, cancel, start a new one like it. Each button shows only when the
/// execution's status allows the action and the signed-in user's roles (read from the database) permit it, so
/// Support and Auditors see none. This is courtesy, not protection: the services authorise every call again.
/// </summary>
public sealed partial class ExecutionActions
{
    private Actor? actor;

    [Parameter]
    [EditorRequired]
    public WorkflowExecution Execution { get; set; } = null!;

    /// <summary>Display name of the step a running execution is on, for the cancel dialog's wording.</summary>
    [Parameter]
    public string? CurrentStepName { get; set; }

    /// <summary>Called after the execution was changed here (cancelled), so the page shows it as it now is.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    /// <summary>
    /// The actor the page has already read from the database, to decide which buttons to show without reading the user,
    /// its roles and its claims a second time before the first byte (decision 0046); read here when not given. Every
    /// action still reads the actor afresh when it is taken.
    /// </summary>
    [Parameter]
    public Actor? Actor { get; set; }

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private WorkflowRegistry Registry { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    private bool CanRerun =>
        actor!.Can(Permission.RerunExecution, Execution.DefinitionKey) && Execution.Status is ExecutionStatus.Failed or ExecutionStatus.Cancelled;

    private bool CanCancel =>
        actor!.Can(Permission.CancelExecution, Execution.DefinitionKey) && Execution.Status is ExecutionStatus.Pending or ExecutionStatus.Running
                                                && Execution.CancelRequestedAt is null;

    // An admin limited to other workflows is told why the actions are missing, rather than left to guess.
    private bool LimitedToOtherWorkflows => actor!.Can(Permission.RerunExecution) && !actor.MayUse(Execution.DefinitionKey);

    // Any workflow this application still has can be started again from an execution's input.
    private bool CanStartLike => actor!.Can(Permission.TriggerExecution, Execution.DefinitionKey) && Registry.TryGet(Execution.DefinitionKey, out _);

    protected override async Task OnInitializedAsync() => actor = Actor ?? await CurrentActor.GetAsync();

    // The page holds the execution masked (decision 0040); a re-run plans and edits from the input as stored, so the
    // dialog gets the execution as it is in the database.
    private async Task RerunAsync()
    {
        WorkflowExecution? original;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            original = await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).AsSplitQuery().SingleOrDefaultAsync(e => e.Id == Execution.Id);
        }

        if (original is null)
        {
            Snackbar.Add($"There is no execution {Execution.Id} any more.", Severity.Warning);
            return;
        }

        var parameters = new DialogParameters<RerunExecutionDialog> { { d => d.Original, original } };
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = false, BackdropClick = false };
        var dialog = await Dialogs.ShowAsync<RerunExecutionDialog>("Re-run", parameters, options);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: Guid rerunId })
        {
            Snackbar.Add("Re-run started. This is the new execution; the original links to it.", Severity.Success);
            Navigation.NavigateTo($"executions/{rerunId}");
        }
    }

    private async Task CancelAsync()
    {
        var parameters = new DialogParameters<CancelExecutionDialog>
        {
            { d => d.Execution, Execution },
            { d => d.CurrentStepName, CurrentStepName },
        };
        var dialog = await Dialogs.ShowAsync<CancelExecutionDialog>("Cancel", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: CancelOutcome outcome })
        {
            Snackbar.Add(
                outcome == CancelOutcome.Cancelled
                    ? "Cancelled: the execution had not started, and none of its steps will run."
                    : "Stop requested: the execution stops at its next step boundary and then shows as Cancelled.",
                outcome == CancelOutcome.Cancelled ? Severity.Success : Severity.Info);
            await Changed.InvokeAsync();
        }
    }
}
