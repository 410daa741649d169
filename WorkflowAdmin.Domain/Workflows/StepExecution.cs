namespace WorkflowAdmin.Domain.Workflows;

/// <summary>
/// One step of one execution: exactly one row per (execution, step key). Its attempts are appended as
/// <see cref="StepAttempt"/> rows and never overwritten, so a retry does not erase the failure before it.
/// </summary>
public sealed class StepExecution
{
    private readonly List<StepAttempt> attempts = [];

    private StepExecution()
    {
    }

    public Guid Id { get; private set; }

    public Guid ExecutionId { get; private set; }

    public string StepKey { get; private set; } = "";

    public int Ordinal { get; private set; }

    public ExecutionStatus Status { get; private set; }

    public string InputJson { get; private set; } = "{}";

    public string? OutputJson { get; private set; }

    public DateTime? StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    public int AttemptCount { get; private set; }

    /// <summary>The step of an earlier execution whose output this one reuses (resume-from-failed re-runs).</summary>
    public Guid? ReusedFromStepId { get; private set; }

    public string? ErrorType { get; private set; }

    public string? ErrorMessage { get; private set; }

    public IReadOnlyList<StepAttempt> Attempts => attempts;

    public bool IsReused => ReusedFromStepId is not null;

    public TimeSpan? Duration => StartedAt is { } started && FinishedAt is { } finished ? finished - started : null;

    internal static StepExecution CreatePending(Guid executionId, string stepKey, int ordinal, string inputJson, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepKey);
        ArgumentNullException.ThrowIfNull(inputJson);
        return new StepExecution
        {
            Id = SequentialIds.New(now),
            ExecutionId = executionId,
            StepKey = stepKey,
            Ordinal = ordinal,
            Status = ExecutionStatus.Pending,
            InputJson = inputJson,
        };
    }

    internal static StepExecution CreateReused(Guid executionId, int ordinal, StepExecution original, DateTime now)
    {
        if (original.Status != ExecutionStatus.Succeeded)
        {
            throw new InvalidOperationException($"Only a succeeded step can be reused; '{original.StepKey}' is {original.Status}.");
        }

        return new StepExecution
        {
            Id = SequentialIds.New(now),
            ExecutionId = executionId,
            StepKey = original.StepKey,
            Ordinal = ordinal,
            Status = ExecutionStatus.Succeeded,
            InputJson = original.InputJson,
            OutputJson = original.OutputJson,
            StartedAt = now,
            FinishedAt = now,
            ReusedFromStepId = original.Id,
        };
    }

    /// <summary>Records the start of an attempt. Called, and saved, before the step's side effects begin.</summary>
    public StepAttempt StartAttempt(DateTime now)
    {
        if (attempts.Any(a => a.Status == ExecutionStatus.Running))
        {
            throw new InvalidOperationException($"Step '{StepKey}' already has an attempt in progress.");
        }

        if (Status == ExecutionStatus.Pending)
        {
            MoveTo(ExecutionStatus.Running);
            StartedAt = now;
        }
        else if (Status != ExecutionStatus.Running)
        {
            throw new InvalidStatusTransitionException($"Step '{StepKey}'", Status, ExecutionStatus.Running);
        }

        AttemptCount++;
        var attempt = StepAttempt.Start(Id, AttemptCount, now);
        attempts.Add(attempt);
        return attempt;
    }

    public void Succeed(string outputJson, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(outputJson);
        CurrentAttempt().Succeed(now);
        MoveTo(ExecutionStatus.Succeeded);
        OutputJson = outputJson;
        FinishedAt = now;
    }

    /// <summary>Records a failed attempt. The step itself fails only when no further attempt will be made.</summary>
    public void FailAttempt(ErrorInfo error, bool isFinal, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(error);
        CurrentAttempt().Fail(error, now);
        ErrorType = error.Type;
        ErrorMessage = error.Message;
        if (isFinal)
        {
            MoveTo(ExecutionStatus.Failed);
            FinishedAt = now;
        }
    }

    public void Cancel(DateTime now)
    {
        attempts.SingleOrDefault(a => a.Status == ExecutionStatus.Running)?.Cancel(now);
        MoveTo(ExecutionStatus.Cancelled);
        FinishedAt = now;
    }

    private StepAttempt CurrentAttempt() =>
        attempts.SingleOrDefault(a => a.Status == ExecutionStatus.Running)
        ?? throw new InvalidOperationException($"Step '{StepKey}' has no attempt in progress.");

    private void MoveTo(ExecutionStatus next)
    {
        StatusTransitions.Ensure($"Step '{StepKey}'", Status, next);
        Status = next;
    }
}
