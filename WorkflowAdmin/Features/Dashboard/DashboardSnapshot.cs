using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Dashboard;

/// <summary>Everything the dashboard shows, read at one moment (<see cref="AsOf"/>).</summary>
public sealed record DashboardSnapshot(
    DateTime AsOf,
    StatusWindow Last24Hours,
    StatusWindow Last7Days,
    IReadOnlyList<DailyCount> Days,
    IReadOnlyList<ErrorGroup> FrequentErrors,
    IReadOnlyList<RecentFailure> LatestFailures);

/// <summary>Executions created in [<see cref="From"/>, <see cref="To"/>), counted by status; every status is present.</summary>
public sealed record StatusWindow(DateTime From, DateTime To, IReadOnlyDictionary<ExecutionStatus, int> Counts);

/// <summary>One UTC day: the executions created that day, and how many of them failed.</summary>
public sealed record DailyCount(DateOnly Day, int Executions, int Failures);

/// <summary>Failures that share a failed step and an exception type, with one of their messages as a sample.</summary>
public sealed record ErrorGroup(string? StepKey, string? ErrorType, int Count, string? SampleMessage, DateTime LatestAt);

public sealed record RecentFailure(
    Guid Id, string DefinitionKey, string? BusinessKey, string? FailedStepKey, string? ErrorType, string? ErrorMessage, DateTime FailedAt);
