using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// Asks for the reason and records the reveal (decision 0040). Closes with true once the audit entry is saved; the
/// page then reads the execution again and shows it unmasked. Refusals stay here.
/// </summary>
public sealed partial class RevealPersonalDataDialog
{
    private string reason = "";
    private string? reasonError;
    private string? error;
    private bool submitting;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = null!;

    [Parameter]
    [EditorRequired]
    public Guid ExecutionId { get; set; }

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    private async Task SubmitAsync()
    {
        error = null;
        reasonError = string.IsNullOrWhiteSpace(reason) ? "A reason is required: say why you need to see this execution's personal data." : null;
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
                    await scope.ServiceProvider.GetRequiredService<PersonalDataReveals>().RevealAsync(ExecutionId, reason, actor, CancellationToken.None);
                    Dialog.Close(DialogResult.Ok(true));
                },
                "Nothing was revealed");
        }
        finally
        {
            submitting = false;
        }
    }

    private void Close() => Dialog.Cancel();
}
