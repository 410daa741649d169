using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Rollups;

/// <summary>
/// What the dashboard counts executions by: the UTC hour they were created in, their workflow, their status, and for
/// a failure whether a re-run resolved it (decision 0025) and where it failed (step and exception type). Every
/// execution is in exactly one key at a time, so the counts of all keys add up to the executions.
/// </summary>
public readonly record struct RollupKey(
    DateTime CreatedHour, string DefinitionKey, ExecutionStatus Status, bool Resolved, string FailedStepKey, string ErrorType)
{
    public static RollupKey Of(WorkflowExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return Of(execution.CreatedAt, execution.DefinitionKey, execution.Status, execution.ResolvedAt, execution.FailedStepKey, execution.ErrorType);
    }

    public static RollupKey Of(
        DateTime createdAt, string definitionKey, ExecutionStatus status, DateTime? resolvedAt, string? failedStepKey, string? errorType)
    {
        // Only a failure keeps its step and type: a cancelled or recovered execution may carry a step, and counting it
        // under that step would only multiply the rows without telling anyone anything.
        var failed = status == ExecutionStatus.Failed;
        return new RollupKey(
            HourOf(createdAt),
            definitionKey,
            status,
            failed && resolvedAt is not null,
            failed ? failedStepKey ?? "" : "",
            failed ? errorType ?? "" : "");
    }

    /// <summary>The start of the UTC hour <paramref name="utc"/> falls in.</summary>
    public static DateTime HourOf(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc);
}
