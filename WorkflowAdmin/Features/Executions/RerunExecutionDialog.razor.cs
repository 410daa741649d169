using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// Re-runs a Failed or Cancelled execution as a new, linked one, and says beforehand exactly what will happen:
/// which steps are reused and which run again (by <see cref="RerunPlan"/>, the rule the service applies), the
/// edited input as a diff against the original, and any earlier re-run that makes this one a likely duplicate.
/// Every refusal is shown here and nothing typed is lost; the dialog closes only with the new execution's id.
/// </summary>
public sealed partial class RerunExecutionDialog
{
    private RerunMode mode = RerunMode.ResumeFromFailedStep;
    private WorkflowDefinition? definition;
    private string originalText = "";
    private ValidatedInput? sameInput;
    private IReadOnlyList<InputError> sameInputErrors = [];
    private bool editInput;
    private string editedText = "";
    private ValidatedInput? editedInput;
    private IReadOnlyList<InputError> inputErrors = [];
    private IReadOnlyList<DiffRow> diff = [];
    private IReadOnlyList<PlannedStep>? plan;
    private string reason = "";
    private string? reasonError;
    private IReadOnlyList<ExistingRerun> existing = [];
    private bool confirmDuplicate;
    private bool raced;
    private bool loadingExisting = true;
    private string? error;
    private bool submitting;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = null!;

    /// <summary>The execution to re-run, with its steps.</summary>
    [Parameter]
    [EditorRequired]
    public WorkflowExecution Original { get; set; } = null!;

    [Inject]
    private WorkflowRegistry Registry { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    private bool InputChanged =>
        editInput && editedInput is not null && editedInput.ComposedJson != (sameInput?.ComposedJson ?? Original.InputJson);

    private int ChangedLines => diff.Count(r => r.IsChange);

    private IEnumerable<PlannedStep> Reused => plan?.Where(s => s.IsReused) ?? [];

    private IEnumerable<PlannedStep> RunAgain => plan?.Where(s => !s.IsReused) ?? [];

    private bool NeedsConfirmation => existing.Count > 0 && !confirmDuplicate;

    private bool CanSubmit => definition is not null && !submitting && !loadingExisting && !NeedsConfirmation;

    protected override async Task OnInitializedAsync()
    {
        if (!Registry.TryGet(Original.DefinitionKey, out definition))
        {
            error = $"The workflow '{Original.DefinitionKey}' no longer exists in this version of the application, so its executions cannot be re-run.";
            loadingExisting = false;
            return;
        }

        originalText = PayloadSerializer.Indent(Original.InputJson);
        editedText = originalText;
        try
        {
            sameInput = PayloadSerializer.ParseInput(definition!, Original.InputJson);
        }
        catch (InputValidationException ex)
        {
            // The definition's rules changed since the original ran: only an edited input can be re-run.
            sameInputErrors = ex.Errors;
        }

        UpdatePlan();
        await LoadExistingAsync();
    }

    private string StepName(string key) =>
        definition?.Steps.FirstOrDefault(s => s.Key == key)?.DisplayName ?? key;

    private string ModeExplanation()
    {
        var total = definition?.Steps.Count ?? 0;
        if (mode == RerunMode.FromStart)
        {
            return $"A new execution runs all {total} steps again. Steps are idempotent: records the original already created "
                   + "(the customer, its plans, …) are found by their natural keys and used, not created a second time.";
        }

        if (plan is null)
        {
            return "A new execution reuses the steps that already succeeded with the same input (their outputs are kept and they "
                   + "do not run again) and runs the rest. Fix the input to see which steps those are.";
        }

        var reused = Reused.Count();
        var first = RunAgain.FirstOrDefault();
        return reused == 0
            ? $"Nothing can be reused: {StepName(first?.StepKey ?? "")} {ReasonText(first)}, so every step runs, as from the start."
            : first is null
                ? $"Every step succeeded with this input, so all {reused} are reused and nothing runs again."
                : $"A new execution reuses the {reused} step(s) that already succeeded with the same input (their outputs are kept and "
                  + $"they do not run again) and runs the other {total - reused}, starting with {StepName(first.StepKey)}.";
    }

    private string ReasonText(PlannedStep? step) => step?.Reason switch
    {
        RerunStepReason.InputChanged => "has an edited input",
        RerunStepReason.FollowsRerunStep => "comes after a step that runs again",
        RerunStepReason.FromStart => "runs from the start",
        RerunStepReason.NotSucceeded => Original.Steps.FirstOrDefault(s => s.StepKey == step.StepKey)?.Status switch
        {
            ExecutionStatus.Failed => "failed in the original",
            ExecutionStatus.Cancelled => "was cancelled in the original",
            _ => "did not run in the original",
        },
        _ => "",
    };

    private void SetMode(RerunMode value)
    {
        mode = value;
        UpdatePlan();
    }

    private void SetEditInput(bool value)
    {
        editInput = value;
        if (editInput)
        {
            Validate();
        }

        UpdatePlan();
    }

    // Every keystroke, not debounced: the input is small, and a submit right after typing must see the last edit.
    private void SetEditedText(string? value)
    {
        editedText = value ?? "";
        Validate();
        UpdatePlan();
    }

    private void ResetEditedText() => SetEditedText(originalText);

    // The diff compares formatted JSON whenever the text parses, so re-indenting or reflowing the editor is not a
    // change; what the re-run will actually use is decided by the validation, which reads the same text.
    private void Validate()
    {
        try
        {
            editedInput = PayloadSerializer.ParseInput(definition!, editedText);
            inputErrors = [];
        }
        catch (InputValidationException ex)
        {
            editedInput = null;
            inputErrors = ex.Errors;
        }

        string comparable;
        try
        {
            comparable = PayloadSerializer.Indent(editedText);
        }
        catch (JsonException)
        {
            comparable = editedText;
        }

        diff = LineDiff.SideBySide(LineDiff.Compare(originalText, comparable));
    }

    private void UpdatePlan()
    {
        var inputs = editInput ? editedInput?.StepInputJson : sameInput?.StepInputJson;
        plan = definition is null || inputs is null ? null : RerunPlan.For(definition, Original.Steps, inputs, mode);
    }

    private async Task LoadExistingAsync()
    {
        loadingExisting = true;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            existing = await scope.ServiceProvider.GetRequiredService<ExecutionService>().ExistingRerunsAsync(Original.Id, CancellationToken.None);
        }
        catch (DbException ex)
        {
            error = $"Could not check for earlier re-runs: {ex.Message}";
        }
        finally
        {
            loadingExisting = false;
        }
    }

    private async Task SubmitAsync()
    {
        error = null;
        reasonError = string.IsNullOrWhiteSpace(reason) ? "A reason is required: say why this execution is re-run (a ticket number helps)." : null;
        if (editInput)
        {
            Validate();
        }

        if (reasonError is not null || (editInput && inputErrors.Count > 0) || !CanSubmit)
        {
            return;
        }

        submitting = true;
        try
        {
            var actor = await CurrentActor.GetAsync();
            await using var scope = ScopeFactory.CreateAsyncScope();
            var request = new RerunRequest(mode, reason, InputChanged ? editedText : null, ConfirmDuplicate: existing.Count > 0 && confirmDuplicate);
            var rerun = await scope.ServiceProvider.GetRequiredService<ExecutionService>().RerunAsync(Original.Id, request, actor, CancellationToken.None);
            Dialog.Close(DialogResult.Ok(rerun.Id));
        }
        catch (DuplicateRerunException ex)
        {
            // Someone re-ran it while this dialog was open: show what exists now and ask again.
            existing = ex.Existing;
            confirmDuplicate = false;
            raced = true;
        }
        catch (InputValidationException ex)
        {
            reasonError = string.Join(" ", ex.Errors.Where(e => e.Path == "reason").Select(e => $"The reason {e.Message}."));
            reasonError = reasonError.Length == 0 ? null : reasonError;
            var others = ex.Errors.Where(e => e.Path != "reason").ToList();
            if (others.Count > 0)
            {
                if (editInput)
                {
                    inputErrors = others;
                }
                else
                {
                    sameInputErrors = others;
                }
            }
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The re-run was not saved") is { } message)
        {
            error = message;
        }
        finally
        {
            submitting = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
