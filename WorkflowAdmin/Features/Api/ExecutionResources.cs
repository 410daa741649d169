using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Api;

/// <summary>An execution as the API lists it: status, times, who started it, and the error summary if it failed.</summary>
public record ExecutionSummary
{
    public required Guid Id { get; init; }

    /// <summary>The workflow's key, e.g. <c>provision-customer</c>.</summary>
    public required string Workflow { get; init; }

    public required int WorkflowVersion { get; init; }

    /// <summary>Pending, Running, Succeeded, Failed or Cancelled; the last three are final.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>What support searches by: for provisioning, the customer's slug.</summary>
    public string? BusinessKey { get; init; }

    /// <summary>A console user's email, an API key's name, or "system".</summary>
    public required string TriggeredBy { get; init; }

    public required TriggerSource Source { get; init; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    /// <summary>Changes whenever the execution moves (a step starts, an attempt ends): a cheap "anything new?" check.</summary>
    public required DateTime ModifiedAt { get; init; }

    /// <summary>The step being run, or where a failed execution stopped.</summary>
    public string? CurrentStep { get; init; }

    public ExecutionError? Error { get; init; }

    /// <summary>The execution this one re-runs, if it is a re-run.</summary>
    public Guid? RerunOf { get; init; }

    /// <summary>This execution's URL in the API.</summary>
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

    public IReadOnlyList<StepSummary> Steps { get; init; }

    /// <summary>Every step's output under its step key (e.g. <c>create-customer.customerId</c>); present when Succeeded.</summary>
    public JsonElement? Output { get; init; }

    public DateTime? CancelRequestedAt { get; init; }
}

public sealed record StepSummary
{
    public required string Key { get; init; }

    public required string Name { get; init; }

    public required ExecutionStatus Status { get; init; }

    public required int Attempts { get; init; }

    /// <summary>True when a re-run took this step's output from the execution it re-runs instead of running it.</summary>
    public required bool Reused { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public ExecutionError? Error { get; init; }
}

/// <summary>An error summary: where, what kind, and the message (stack traces stay in the console).</summary>
public sealed record ExecutionError(string? Step, string? Type, string? Message);

/// <summary>One page of executions, newest first; <see cref="NextCursor"/> fetches the next (older) page.</summary>
public sealed record ExecutionPage(IReadOnlyList<ExecutionSummary> Items, string? NextCursor, string? Next);
