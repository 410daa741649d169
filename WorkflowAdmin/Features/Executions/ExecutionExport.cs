using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// One execution as a self-contained JSON file (fields, steps, attempts, payloads) that can be attached to a ticket.
/// Payloads are embedded as JSON, not as strings holding JSON, so the file reads as one document.
/// </summary>
internal static class ExecutionExport
{
    public static string FileName(Guid executionId) => $"execution-{executionId}.json";

    public static string ToJson(WorkflowExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var file = new ExecutionFile(
            execution.Id, execution.DefinitionKey, execution.DefinitionVersion, execution.Status, execution.BusinessKey,
            execution.CreatedAt, execution.StartedAt, execution.FinishedAt, execution.TriggeredBy, execution.TriggerSource,
            execution.RerunOfId, execution.RootExecutionId, execution.RerunMode, execution.RerunReason,
            execution.FailedStepKey, execution.ErrorType, execution.ErrorMessage,
            execution.CancelRequestedAt, execution.CancelRequestedBy, execution.CancelReason,
            Payload(execution.InputJson), Payload(execution.OutputJson),
            [.. execution.Steps.OrderBy(s => s.Ordinal).Select(s => new StepFile(
                s.StepKey, s.Ordinal, s.Status, s.StartedAt, s.FinishedAt, s.AttemptCount, s.ReusedFromStepId,
                s.ErrorType, s.ErrorMessage, Payload(s.InputJson), Payload(s.OutputJson),
                [.. s.Attempts.OrderBy(a => a.Number).Select(a => new AttemptFile(
                    a.Number, a.Status, a.StartedAt, a.FinishedAt, a.ErrorType, a.ErrorMessage, a.ErrorStackTrace))]))]);
        return JsonSerializer.Serialize(file, PayloadSerializer.IndentedOptions);
    }

    // A payload that does not parse is kept as the text it is, rather than dropped from the file.
    private static JsonNode? Payload(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    private sealed record ExecutionFile(
        Guid Id, string WorkflowKey, int WorkflowVersion, ExecutionStatus Status, string? BusinessKey,
        DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string TriggeredBy, TriggerSource TriggerSource,
        Guid? RerunOfId, Guid? RootExecutionId, RerunMode? RerunMode, string? RerunReason,
        string? FailedStepKey, string? ErrorType, string? ErrorMessage,
        DateTime? CancelRequestedAt, string? CancelRequestedBy, string? CancelReason,
        JsonNode? Input, JsonNode? Output, IReadOnlyList<StepFile> Steps);

    private sealed record StepFile(
        string Key, int Ordinal, ExecutionStatus Status, DateTime? StartedAt, DateTime? FinishedAt, int AttemptCount,
        Guid? ReusedFromStepId, string? ErrorType, string? ErrorMessage, JsonNode? Input, JsonNode? Output,
        IReadOnlyList<AttemptFile> Attempts);

    private sealed record AttemptFile(
        int Number, ExecutionStatus Status, DateTime StartedAt, DateTime? FinishedAt,
        string? ErrorType, string? ErrorMessage, string? ErrorStackTrace);
}
