using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Api;

/// <summary>An execution as the API lists it: status, times, who started it, and the error summary if it failed.</summary>
public record ExecutionSummary
{
    public required Guid Id { get; init; }

    [Description("The workflow's key, e.g. provision-customer.")]
    public required string Workflow { get; init; }

    public required int WorkflowVersion { get; init; }

    [Description("Pending, Running, Succeeded, Failed or Cancelled; the last three are final.")]
    public required ExecutionStatus Status { get; init; }

    [Description("What support searches by: for provisioning, the customer's slug.")]
    public string? BusinessKey { get; init; }

    [Description("A console user's email, an API key's name, or \"system\".")]
    public required string TriggeredBy { get; init; }

    public required TriggerSource Source { get; init; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    [Description("Changes whenever the execution moves (a step starts, an attempt ends): a cheap \"anything new?\" check.")]
    public required DateTime ModifiedAt { get; init; }

    [Description("The step being run, or where a failed execution stopped.")]
    public string? CurrentStep { get; init; }

    public ExecutionError? Error { get; init; }

    [Description("The execution this one re-runs, if it is a re-run.")]
    public Guid? RerunOf { get; init; }

    [Description("This execution's URL in the API.")]
    public string Href { get; init; } = "";
}

/// <summary>One execution in full: the summary, every step, and the composed output once it succeeded.</summary>
public sealed record ExecutionDetail : ExecutionSummary
{
    [SetsRequiredMembers]
    public ExecutionDetail(ExecutionSummary summary, IReadOnlyList<StepSummary> steps)
        : base(summary)
    {
        Steps = steps;
    }

    [JsonPropertyOrder(1)]
    public IReadOnlyList<StepSummary> Steps { get; init; }

    [Description("Every step's output under its step key (e.g. create-customer.customerId); present when Succeeded.")]
    [JsonPropertyOrder(2)]
    public JsonElement? Output { get; init; }

    public DateTime? CancelRequestedAt { get; init; }
}

public sealed record StepSummary
{
    public required string Key { get; init; }

    public required string Name { get; init; }

    public required ExecutionStatus Status { get; init; }

    public required int Attempts { get; init; }

    [Description("True when a re-run took this step's output from the execution it re-runs instead of running it.")]
    public required bool Reused { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public ExecutionError? Error { get; init; }
}

/// <summary>An error summary: where, what kind, and the message (stack traces stay in the console).</summary>
public sealed record ExecutionError(string? Step, string? Type, string? Message);

/// <summary>One page of executions, newest first; <see cref="NextCursor"/> fetches the next (older) page.</summary>
public sealed record ExecutionPage(IReadOnlyList<ExecutionSummary> Items, string? NextCursor, string? Next);
