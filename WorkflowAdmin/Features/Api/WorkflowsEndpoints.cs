using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// <c>GET /api/v1/workflows</c>: every registered workflow with its steps and the JSON Schema of each step's input,
/// so a client can compose the input of any workflow without a hand-written model per workflow.
/// </summary>
internal static class WorkflowsEndpoints
{
    public static RouteGroupBuilder MapWorkflowsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/workflows", List)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListWorkflows")
            .WithSummary("List workflows")
            .WithDescription(
                "Every registered workflow, by key, with its steps in order. A workflow's input is an object keyed by step key; " +
                "each step's inputSchema is the JSON Schema of its entry, generated from the step's input record. " +
                "Rules a step checks beyond its schema (required text, lengths, ranges) are reported as field errors when an input is submitted.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    private static Ok<IReadOnlyList<WorkflowResource>> List(WorkflowRegistry workflows) =>
        TypedResults.Ok<IReadOnlyList<WorkflowResource>>([.. workflows.All.OrderBy(w => w.Key, StringComparer.Ordinal).Select(ToResource)]);

    private static WorkflowResource ToResource(WorkflowDefinition definition) => new()
    {
        Key = definition.Key,
        Name = definition.DisplayName,
        Version = definition.Version,
        Description = definition.Description.Length == 0 ? null : definition.Description,
        Steps = [.. definition.Steps.Select(s => new WorkflowStepResource
        {
            Key = s.Key,
            Name = s.DisplayName,
            Input = s.InputPresence,
            InputSchema = JsonSerializer.SerializeToElement(PayloadSerializer.InputSchema(s)),
        })],
    };
}

/// <summary>A registered workflow: what it is called and the steps its input is made of.</summary>
public sealed record WorkflowResource
{
    [Description("The workflow's stable key, e.g. provision-customer; executions list it as their workflow.")]
    public required string Key { get; init; }

    public required string Name { get; init; }

    [Description("The version new executions run.")]
    public required int Version { get; init; }

    public string? Description { get; init; }

    [Description("The steps in the order they run; the workflow's input has one entry per step, under the step's key.")]
    public required IReadOnlyList<WorkflowStepResource> Steps { get; init; }
}

/// <summary>One step of a workflow and the shape of its input entry.</summary>
public sealed record WorkflowStepResource
{
    [Description("The step's key: the property of the workflow input (and output) that belongs to this step.")]
    public required string Key { get; init; }

    public required string Name { get; init; }

    [Description("Required: the input must have the entry. DefaultsToEmpty: a missing entry means {}. Optional: a missing entry skips the step.")]
    public required StepInputPresence Input { get; init; }

    [Description("The JSON Schema (draft 2020-12) of the step's input entry.")]
    public required JsonElement InputSchema { get; init; }
}
