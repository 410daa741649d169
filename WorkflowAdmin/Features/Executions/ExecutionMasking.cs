using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// An execution as the console shows it until someone reveals it (decision 0040): a detached copy whose payloads have
/// their personal values masked and whose free text (error messages, stack traces, the search text) has the same
/// values, and every email address, masked. The page holds only this copy, so nothing it renders, downloads or hands
/// over to its circuit can carry a personal value.
/// </summary>
internal static class ExecutionMasking
{
    public static WorkflowExecution Masked(WorkflowExecution execution, WorkflowDefinition? definition)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var personal = PayloadMasker.PersonalValuesOf(definition, execution);
        var node = JsonSerializer.SerializeToNode(execution, ExecutionHandOver.Options)!.AsObject();
        Replace(node, nameof(WorkflowExecution.InputJson), json => PayloadMasker.MaskInput(definition, json));
        Replace(node, nameof(WorkflowExecution.OutputJson), json => PayloadMasker.MaskOutput(definition, json));
        Replace(node, nameof(WorkflowExecution.ErrorMessage), text => PayloadMasker.MaskText(text, personal));
        Replace(node, nameof(WorkflowExecution.SearchText), text => PayloadMasker.MaskText(text, personal));
        foreach (var step in node[nameof(WorkflowExecution.Steps)]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var key = step[nameof(StepExecution.StepKey)]?.GetValue<string>() ?? "";
            Replace(step, nameof(StepExecution.InputJson), json => PayloadMasker.MaskStepInput(definition, key, json));
            Replace(step, nameof(StepExecution.OutputJson), json => PayloadMasker.MaskStepOutput(definition, key, json));
            Replace(step, nameof(StepExecution.ErrorMessage), text => PayloadMasker.MaskText(text, personal));
            foreach (var attempt in step[nameof(StepExecution.Attempts)]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Replace(attempt, nameof(StepAttempt.ErrorMessage), text => PayloadMasker.MaskText(text, personal));
                Replace(attempt, nameof(StepAttempt.ErrorStackTrace), text => PayloadMasker.MaskText(text, personal));
            }
        }

        return node.Deserialize<WorkflowExecution>(ExecutionHandOver.Options)!;
    }

    /// <summary>Whether a masked copy shows anything masked, so the page says so only when it does.</summary>
    public static bool ShowsMasked(WorkflowExecution masked)
    {
        ArgumentNullException.ThrowIfNull(masked);
        return new[] { masked.InputJson, masked.OutputJson, masked.ErrorMessage }
            .Concat(masked.Steps.SelectMany(s => new[] { s.InputJson, s.OutputJson, s.ErrorMessage }))
            .Concat(masked.Steps.SelectMany(s => s.Attempts).SelectMany(a => new[] { a.ErrorMessage, a.ErrorStackTrace }))
            .Any(text => text?.Contains(PayloadMasker.Masked, StringComparison.Ordinal) == true);
    }

    private static void Replace(JsonObject node, string property, Func<string?, string?> mask)
    {
        if (node.TryGetPropertyValue(property, out var value) && value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            node[property] = mask(text.GetValue<string>());
        }
    }
}
