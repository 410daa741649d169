using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Start;

/// <summary>
/// Starts any workflow from a form generated from its steps' input JSON Schemas. The form checks only what the
/// widgets cannot (a required number left empty); every other rule is the step's own, run by the engine on each
/// change after a first submit and again by <see cref="ExecutionService"/>, and shown at the field it names. A failed
/// submit keeps every value; <see cref="From"/> prefills it from an earlier execution ("start like this one").
/// </summary>
public sealed partial class GeneratedStartForm
{
    private readonly List<StepSection> steps = [];
    private readonly HashSet<string> placed = new(StringComparer.Ordinal);
    private Dictionary<string, IReadOnlyList<string>> errors = new(StringComparer.Ordinal);
    private StartPrefill? prefill;
    private string? problem;
    private bool submitted;
    private bool submitting;
    private (WorkflowDefinition Definition, Guid? From)? loaded;

    [Parameter]
    [EditorRequired]
    public WorkflowDefinition Definition { get; set; } = null!;

    /// <summary>An execution whose input prefills the form.</summary>
    [Parameter]
    public Guid? From { get; set; }

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    protected override async Task OnParametersSetAsync()
    {
        // The parent re-rendering hands the same parameters again: what was typed stays.
        if (loaded is { } last && ReferenceEquals(last.Definition, Definition) && last.From == From)
        {
            return;
        }

        loaded = (Definition, From);
        steps.Clear();
        errors = new(StringComparer.Ordinal);
        submitted = false;
        problem = null;
        prefill = null;
        steps.AddRange(Definition.Steps.Select(s => new StepSection(s, StartFormField.ForStep(s)) { Included = s.InputPresence != StepInputPresence.Optional }));
        if (From is { } sourceId)
        {
            await PrefillAsync(sourceId);
        }
    }

    private async Task PrefillAsync(Guid sourceId)
    {
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            var source = await db.WorkflowExecutions.AsNoTracking().Where(e => e.Id == sourceId)
                .Select(e => new { e.DefinitionKey, e.InputJson }).SingleOrDefaultAsync();
            if (source is null)
            {
                prefill = new StartPrefill(sourceId, StartPrefillOutcome.NotFound, null);
                return;
            }

            if (source.DefinitionKey != Definition.Key)
            {
                prefill = new StartPrefill(sourceId, StartPrefillOutcome.OtherWorkflow, source.DefinitionKey);
                return;
            }

            var input = JsonNode.Parse(source.InputJson) as JsonObject ?? [];
            foreach (var section in steps)
            {
                var value = input[section.Step.Key];
                section.Included = value is not null || section.Step.InputPresence != StepInputPresence.Optional;
                section.Input.Load(value);
            }

            prefill = new StartPrefill(sourceId, StartPrefillOutcome.Prefilled, source.DefinitionKey);
        }
        catch (DbException ex)
        {
            problem = $"Execution {sourceId} could not be read, so the form starts empty: {ex.Message}";
        }
    }

    /// <summary>The input as it stands, with what the form itself could not send; the paths of every field on screen.</summary>
    private (JsonObject Input, List<InputError> FormErrors) Compose()
    {
        var formErrors = new List<InputError>();
        var input = new JsonObject();
        placed.Clear();
        foreach (var section in steps.Where(s => s.Included))
        {
            if (section.Input.TryToJson(section.Step.Key, formErrors, placed, out var value))
            {
                input[section.Step.Key] = value;
            }
        }

        return (input, formErrors);
    }

    /// <summary>Every error of the input: the form's own, then the engine's (the steps' rules) for the other fields.</summary>
    private List<InputError> Check(JsonObject input, List<InputError> formErrors)
    {
        var all = new List<InputError>(formErrors);
        try
        {
            _ = PayloadSerializer.ParseInput(Definition, input);
        }
        catch (InputValidationException ex)
        {
            all.AddRange(ex.Errors.Where(e => formErrors.All(f => f.Path != e.Path)));
        }

        return all;
    }

    private void Show(IEnumerable<InputError> found) =>
        errors = found.GroupBy(e => e.Path.Length == 0 ? "$" : e.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(e => e.Message).Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);

    // After a first submit, every change is checked at once, so an error goes away as soon as it is fixed.
    private Task ChangedAsync()
    {
        if (submitted)
        {
            var (input, formErrors) = Compose();
            Show(Check(input, formErrors));
        }

        return Task.CompletedTask;
    }

    private Task IncludeAsync(StepSection section, bool included)
    {
        section.Included = included;
        return ChangedAsync();
    }

    private async Task SubmitAsync()
    {
        if (submitting)
        {
            return;
        }

        submitted = true;
        problem = null;
        var (input, formErrors) = Compose();
        var found = Check(input, formErrors);
        Show(found);
        if (found.Count > 0)
        {
            return;
        }

        submitting = true;
        try
        {
            var actor = await CurrentActor.GetAsync();
            await using var scope = ScopeFactory.CreateAsyncScope();
            var executions = scope.ServiceProvider.GetRequiredService<ExecutionService>();

            // Once sent, the request completes even if the page goes away: a half-seen submit invites a duplicate.
            var execution = await executions.CreateAsync(Definition.Key, input.ToJsonString(), actor, CancellationToken.None);
            Snackbar.Add($"{Definition.DisplayName} started{(execution.BusinessKey is { } key ? $" for {key}" : "")}.", Severity.Success);
            Navigation.NavigateTo($"/executions/{execution.Id}");
        }
        catch (InputValidationException ex)
        {
            Show(ex.Errors);
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The execution was not created") is { } message)
        {
            problem = message;
        }
        finally
        {
            submitting = false;
        }
    }

    private sealed class StepSection(IWorkflowStep step, StartFormField input)
    {
        public IWorkflowStep Step { get; } = step;

        public StartFormField Input { get; } = input;

        public bool Included { get; set; }
    }
}

public enum StartPrefillOutcome
{
    Prefilled,
    OtherWorkflow,
    NotFound,
}

public sealed record StartPrefill(Guid ExecutionId, StartPrefillOutcome Outcome, string? WorkflowKey);
