namespace WorkflowAdmin.Domain.Workflows;

/// <summary>One try at one step. Appended when the try starts, completed once with its outcome.</summary>
public sealed class StepAttempt
{
    private StepAttempt()
    {
    }

    public Guid Id { get; private set; }

    public Guid StepExecutionId { get; private set; }

    public int Number { get; private set; }

    public ExecutionStatus Status { get; private set; }

    public DateTime StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    public string? ErrorType { get; private set; }

    public string? ErrorMessage { get; private set; }

    public string? ErrorStackTrace { get; private set; }

    public TimeSpan? Duration => FinishedAt is { } finished ? finished - StartedAt : null;

    internal static StepAttempt Start(Guid stepExecutionId, int number, DateTime now) => new()
    {
        Id = SequentialIds.New(now),
        StepExecutionId = stepExecutionId,
        Number = number,
        Status = ExecutionStatus.Running,
        StartedAt = now,
    };

    internal void Succeed(DateTime now) => Finish(ExecutionStatus.Succeeded, now);

    internal void Fail(ErrorInfo error, DateTime now)
    {
        Finish(ExecutionStatus.Failed, now);
        ErrorType = error.Type;
        ErrorMessage = error.Message;
        ErrorStackTrace = error.StackTrace;
    }

    internal void Cancel(DateTime now) => Finish(ExecutionStatus.Cancelled, now);

    private void Finish(ExecutionStatus outcome, DateTime now)
    {
        StatusTransitions.Ensure($"Attempt {Number}", Status, outcome);
        Status = outcome;
        FinishedAt = now;
    }
}
