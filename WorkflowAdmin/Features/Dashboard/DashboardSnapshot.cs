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

/// <summary>
/// Executions created in [<see cref="From"/>, <see cref="To"/>), counted by their status now; every status is
/// present. <see cref="UnresolvedFailures"/> are the Failed ones no succeeded re-run has resolved (decision 0025).
/// </summary>
public sealed record StatusWindow(DateTime From, DateTime To, IReadOnlyDictionary<ExecutionStatus, int> Counts, int UnresolvedFailures)
{
    public int ResolvedFailures => Counts[ExecutionStatus.Failed] - UnresolvedFailures;
}

/// <summary>One UTC day: the executions created that day, and how many of them failed, unresolved and resolved.</summary>
public sealed record DailyCount(DateOnly Day, int Executions, int UnresolvedFailures, int ResolvedFailures);

/// <summary>Failures that share a failed step and an exception type: all of them, and those still unresolved.</summary>
public sealed record ErrorGroup(string StepKey, string ErrorType, int Count, int Unresolved);

public sealed record RecentFailure(
    Guid Id, string DefinitionKey, string? BusinessKey, string? FailedStepKey, string? ErrorType, string? ErrorMessage, DateTime FailedAt);
