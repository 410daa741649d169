using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// Two executions side by side: their facts, and step by step (matched by step key, so executions of different
/// workflows or versions compare too) status, duration, attempts and the structural differences of input, output
/// and error. Read-only; the page that shows it is open to every reader.
/// </summary>
public sealed record ExecutionComparison(
    ComparedExecution Left,
    ComparedExecution Right,
    IReadOnlyList<StepComparison> Steps,
    IReadOnlyList<JsonChange> Input,
    IReadOnlyList<JsonChange> Output)
{
    public bool SameWorkflow => Left.DefinitionKey == Right.DefinitionKey;

    /// <summary>Loads both executions with their steps (never their attempts' stack traces) and compares them.</summary>
    /// <exception cref="ExecutionComparisonException">An id names no execution, or both name the same one.</exception>
    /// <param name="maskWith">When given, personal values are masked (decision 0040) with the workflows' step types: the
    /// comparison still finds that they differ, and shows them masked.</param>
    public static async Task<ExecutionComparison> LoadAsync(
        AppDbContext db, Guid leftId, Guid rightId, CancellationToken cancellationToken, WorkflowRegistry? maskWith = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (leftId == rightId)
        {
            throw new ExecutionComparisonException($"Both sides are execution {leftId}: choose another execution to compare it with.");
        }

        var found = await db.WorkflowExecutions.AsNoTracking()
            .Include(e => e.Steps)
            .Where(e => e.Id == leftId || e.Id == rightId)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var left = found.FirstOrDefault(e => e.Id == leftId);
        var right = found.FirstOrDefault(e => e.Id == rightId);
        if (left is null || right is null)
        {
            var missing = left is null ? leftId : rightId;
            throw new ExecutionComparisonException($"There is no execution {missing}. It may have been typed wrongly or deleted.");
        }

        return Compare(left, right, maskWith);
    }

    /// <summary>The comparison of two loaded executions (their steps included).</summary>
    public static ExecutionComparison Compare(WorkflowExecution left, WorkflowExecution right, WorkflowRegistry? maskWith = null)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (maskWith is not null)
        {
            return Masked(left, right, maskWith);
        }

        var leftSteps = left.Steps.OrderBy(s => s.Ordinal).ToList();
        var rightSteps = right.Steps.OrderBy(s => s.Ordinal).ToList();

        // The left execution's order, then steps only the right one has, in its order.
        var keys = leftSteps.Select(s => s.StepKey).Concat(rightSteps.Select(s => s.StepKey)).Distinct(StringComparer.Ordinal);
        var steps = keys.Select(key =>
        {
            var l = leftSteps.FirstOrDefault(s => s.StepKey == key);
            var r = rightSteps.FirstOrDefault(s => s.StepKey == key);
            return new StepComparison(
                key,
                l is null ? null : ComparedStep.Of(l),
                r is null ? null : ComparedStep.Of(r),
                JsonDiff.Compare(l?.InputJson, r?.InputJson),
                JsonDiff.Compare(l?.OutputJson, r?.OutputJson),
                JsonDiff.Compare(ErrorJson(l?.ErrorType, l?.ErrorMessage), ErrorJson(r?.ErrorType, r?.ErrorMessage)));
        }).ToList();

        return new ExecutionComparison(
            ComparedExecution.Of(left), ComparedExecution.Of(right), steps,
            JsonDiff.Compare(left.InputJson, right.InputJson), JsonDiff.Compare(left.OutputJson, right.OutputJson));
    }

    private static ExecutionComparison Masked(WorkflowExecution left, WorkflowExecution right, WorkflowRegistry registry)
    {
        registry.TryGet(left.DefinitionKey, out var leftDefinition);
        registry.TryGet(right.DefinitionKey, out var rightDefinition);
        var leftPersonal = PayloadMasker.PersonalValuesOf(leftDefinition, left);
        var rightPersonal = PayloadMasker.PersonalValuesOf(rightDefinition, right);
        var leftSteps = left.Steps.OrderBy(s => s.Ordinal).ToList();
        var rightSteps = right.Steps.OrderBy(s => s.Ordinal).ToList();
        var keys = leftSteps.Select(s => s.StepKey).Concat(rightSteps.Select(s => s.StepKey)).Distinct(StringComparer.Ordinal);
        var steps = keys.Select(key =>
        {
            var l = leftSteps.FirstOrDefault(s => s.StepKey == key);
            var r = rightSteps.FirstOrDefault(s => s.StepKey == key);
            return new StepComparison(
                key,
                l is null ? null : ComparedStep.Of(l),
                r is null ? null : ComparedStep.Of(r),
                JsonDiff.Compare(
                    l?.InputJson, r?.InputJson,
                    PayloadMasker.MaskStepInput(leftDefinition, key, l?.InputJson), PayloadMasker.MaskStepInput(rightDefinition, key, r?.InputJson)),
                JsonDiff.Compare(
                    l?.OutputJson, r?.OutputJson,
                    PayloadMasker.MaskStepOutput(leftDefinition, key, l?.OutputJson), PayloadMasker.MaskStepOutput(rightDefinition, key, r?.OutputJson)),
                JsonDiff.Compare(
                    ErrorJson(l?.ErrorType, l?.ErrorMessage), ErrorJson(r?.ErrorType, r?.ErrorMessage),
                    ErrorJson(l?.ErrorType, PayloadMasker.MaskText(l?.ErrorMessage, leftPersonal)),
                    ErrorJson(r?.ErrorType, PayloadMasker.MaskText(r?.ErrorMessage, rightPersonal))));
        }).ToList();

        return new ExecutionComparison(
            ComparedExecution.Of(left) with { ErrorMessage = PayloadMasker.MaskText(left.ErrorMessage, leftPersonal) },
            ComparedExecution.Of(right) with { ErrorMessage = PayloadMasker.MaskText(right.ErrorMessage, rightPersonal) },
            steps,
            JsonDiff.Compare(left.InputJson, right.InputJson, PayloadMasker.MaskInput(leftDefinition, left.InputJson), PayloadMasker.MaskInput(rightDefinition, right.InputJson)),
            JsonDiff.Compare(left.OutputJson, right.OutputJson, PayloadMasker.MaskOutput(leftDefinition, left.OutputJson), PayloadMasker.MaskOutput(rightDefinition, right.OutputJson)));
    }

    // An error is its type and message, compared as one small document so that it reads like the payloads do.
    private static string? ErrorJson(string? type, string? message) =>
        type is null && message is null ? null : new JsonObject { ["type"] = type, ["message"] = message }.ToJsonString();
}

/// <summary>One side's execution facts (no payloads: those are compared, not shown whole).</summary>
public sealed record ComparedExecution(
    Guid Id,
    string DefinitionKey,
    int DefinitionVersion,
    ExecutionStatus Status,
    string? BusinessKey,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string TriggeredBy,
    TriggerSource TriggerSource,
    Guid? RerunOfId,
    RerunMode? RerunMode,
    string? FailedStepKey,
    string? ErrorType,
    string? ErrorMessage)
{
    public TimeSpan? Duration => StartedAt is { } started && FinishedAt is { } finished ? finished - started : null;

    public static ComparedExecution Of(WorkflowExecution e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.DefinitionKey, e.DefinitionVersion, e.Status, e.BusinessKey, e.CreatedAt, e.StartedAt, e.FinishedAt,
            e.TriggeredBy, e.TriggerSource, e.RerunOfId, e.RerunMode, e.FailedStepKey, e.ErrorType, e.ErrorMessage);
    }
}

/// <summary>One side of a step.</summary>
public sealed record ComparedStep(ExecutionStatus Status, DateTime? StartedAt, DateTime? FinishedAt, int AttemptCount, bool IsReused)
{
    public TimeSpan? Duration => StartedAt is { } started && FinishedAt is { } finished ? finished - started : null;

    public static ComparedStep Of(StepExecution step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new(step.Status, step.StartedAt, step.FinishedAt, step.AttemptCount, step.IsReused);
    }
}

/// <summary>A step matched by key across both executions; a side is null when that execution has no such step.</summary>
public sealed record StepComparison(
    string StepKey,
    ComparedStep? Left,
    ComparedStep? Right,
    IReadOnlyList<JsonChange> Input,
    IReadOnlyList<JsonChange> Output,
    IReadOnlyList<JsonChange> Error)
{
    /// <summary>
    /// Whether the step differs in anything but timing: presence, status, attempts, or a payload or error value.
    /// Durations always differ a little, so they are shown but do not count; nor do the attempts of a step one side
    /// reused (it took its output from the run before and made none of its own).
    /// </summary>
    public bool Differs =>
        Left is null || Right is null || Left.Status != Right.Status
        || (Left.AttemptCount != Right.AttemptCount && !Left.IsReused && !Right.IsReused)
        || Input.Count > 0 || Output.Count > 0 || Error.Count > 0;
}

/// <summary>A comparison that cannot be made, with a message for the person who asked.</summary>
public sealed class ExecutionComparisonException(string message) : Exception(message);

/// <summary>Why an execution is offered for comparison with another.</summary>
public enum ComparisonRelation
{
    /// <summary>The execution this one re-ran.</summary>
    Original,

    /// <summary>A re-run of this execution.</summary>
    Rerun,

    /// <summary>The newest Succeeded execution of the same workflow and business key before this one: "what is different from when it worked".</summary>
    LastSucceeded,
}

/// <summary>An execution offered for comparison, with why.</summary>
public sealed record ComparisonCandidate(Guid Id, ComparisonRelation Relation, ExecutionStatus Status, DateTime CreatedAt)
{
    /// <summary>
    /// The executions worth comparing <paramref name="execution"/> with: its original, its re-runs, and the last
    /// success with its business key. Two small queries on indexed columns (re-run lineage; business key with
    /// creation time), projected: no payload is read.
    /// </summary>
    public static async Task<IReadOnlyList<ComparisonCandidate>> ForAsync(AppDbContext db, WorkflowExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(execution);
        var id = execution.Id;
        var originalId = execution.RerunOfId;
        var lineage = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Id == originalId || e.RerunOfId == id)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .Select(e => new { e.Id, e.Status, e.CreatedAt })
            .ToListAsync(cancellationToken);
        var candidates = lineage
            .Select(e => new ComparisonCandidate(e.Id, e.Id == originalId ? ComparisonRelation.Original : ComparisonRelation.Rerun, e.Status, e.CreatedAt))
            .OrderBy(c => c.Relation)
            .ToList();

        if (execution.BusinessKey is { } key)
        {
            var definition = execution.DefinitionKey;
            var createdAt = execution.CreatedAt;
            var lastSucceeded = await db.WorkflowExecutions.AsNoTracking()
                // At or before its creation: two executions created in the same instant are each other's "before".
                // Its own re-runs are offered as such, not as the success before it.
                .Where(e => e.BusinessKey == key && e.CreatedAt <= createdAt && e.Id != id && e.RerunOfId != id
                    && e.Status == ExecutionStatus.Succeeded && e.DefinitionKey == definition)
                .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
                .Select(e => new { e.Id, e.Status, e.CreatedAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (lastSucceeded is not null)
            {
                candidates.Add(new ComparisonCandidate(lastSucceeded.Id, ComparisonRelation.LastSucceeded, lastSucceeded.Status, lastSucceeded.CreatedAt));
            }
        }

        return candidates;
    }
}
