using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// Asks for the reason and cancels: a Pending execution at once, a Running one at its next step boundary. Closes
/// with the <see cref="CancelOutcome"/> so the page can say which of the two happened; refusals stay here.
/// </summary>
public sealed partial class CancelExecutionDialog
{
    private string reason = "";
    private string? reasonError;
    private string? error;
    private bool submitting;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = null!;

    [Parameter]
    [EditorRequired]
    public WorkflowExecution Execution { get; set; } = null!;

    /// <summary>Display name of the step the execution is on, if it is running one.</summary>
    [Parameter]
    public string? CurrentStepName { get; set; }

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    private string Explanation => Execution.Status == ExecutionStatus.Pending
        ? "It has not started yet: it is cancelled at once, and no step will run."
        : $"It is running{(CurrentStepName is null ? "" : $" ({CurrentStepName})")}: it is asked to stop and stops at the next "
          + "step boundary. The step in progress finishes first, and steps already done are not undone.";

    private async Task SubmitAsync()
    {
        error = null;
        reasonError = string.IsNullOrWhiteSpace(reason) ? "A reason is required: say why this execution is cancelled." : null;
        if (reasonError is not null)
        {
            return;
        }

        submitting = true;
        try
        {
            (reasonError, error) = await ActionErrors.RunWithReasonAsync(
                async () =>
                {
                    var actor = await CurrentActor.GetAsync();
                    await using var scope = ScopeFactory.CreateAsyncScope();
                    var outcome = await scope.ServiceProvider.GetRequiredService<ExecutionService>().CancelAsync(Execution.Id, reason, actor, CancellationToken.None);
                    Dialog.Close(DialogResult.Ok(outcome));
                },
                "The cancellation was not saved");
        }
        finally
        {
            submitting = false;
        }
    }

    private void Close() => Dialog.Cancel();
}
