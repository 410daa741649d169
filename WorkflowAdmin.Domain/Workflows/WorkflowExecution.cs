namespace WorkflowAdmin.Domain.Workflows;

/// <summary>
/// One run of a workflow definition. Queryable facts (status, times, business key, error summary, lineage) are
/// columns; the composed input and output are JSON text. Every status change goes through a method here, checked
/// against <see cref="StatusTransitions"/>, and rotates <see cref="ConcurrencyStamp"/> so that two processes racing
/// on the same change cannot both win.
/// </summary>
public sealed class WorkflowExecution
{
    public const int MaxKeyLength = 100;
    public const int MaxBusinessKeyLength = 200;
    public const int MaxActorLength = 256;
    public const int MaxActorIdLength = 64;
    public const int MaxReasonLength = 1000;
    public const int MaxTraceParentLength = 55;
    public const int MaxSubjectNameLength = 200;

    private readonly List<StepExecution> steps = [];

    private WorkflowExecution()
    {
    }

    public Guid Id { get; private set; }

    public string DefinitionKey { get; private set; } = "";

    public int DefinitionVersion { get; private set; }

    public ExecutionStatus Status { get; private set; }

    public string InputJson { get; private set; } = "{}";

    public string? OutputJson { get; private set; }

    public string? BusinessKey { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    public DateTime ModifiedAt { get; private set; }

    public string TriggeredBy { get; private set; } = "";

    /// <summary>The triggering API key's or user's id (see <see cref="Requester"/>); null for the application.</summary>
    public string? TriggeredById { get; private set; }

    public TriggerSource TriggerSource { get; private set; }

    public Guid? RerunOfId { get; private set; }

    public Guid? RootExecutionId { get; private set; }

    /// <summary>
    /// The original again, on a re-run that was created as its only live or successful one (the usual case), or
    /// null on a re-run an admin confirmed beside an existing one ("Re-run anyway"). A unique index over this column,
    /// limited to Pending, Running and Succeeded rows, lets the database refuse a second such re-run when two admins
    /// race past the service's check at the same moment.
    /// </summary>
    public Guid? ExclusiveRerunOfId { get; private set; }

    public RerunMode? RerunMode { get; private set; }

    public string? RerunReason { get; private set; }

    public string? FailedStepKey { get; private set; }

    public string? ErrorType { get; private set; }

    public string? ErrorMessage { get; private set; }

    /// <summary>
    /// The failure group this failed execution belongs to (<see cref="FailureFingerprint"/>), set with the failure
    /// itself; null on every other status and on failures recorded before fingerprints existed and not backfilled.
    /// </summary>
    public string? FailureFingerprint { get; private set; }

    public DateTime? CancelRequestedAt { get; private set; }

    public string? CancelRequestedBy { get; private set; }

    public string? CancelReason { get; private set; }

    /// <summary>The step the runner is on (or stopped at); a column so lists show progress without reading steps.</summary>
    public string? CurrentStepKey { get; private set; }

    /// <summary>
    /// Last sign of life from the runner that owns this Running execution. Written outside the change tracker
    /// (see WorkflowRunner); a Running execution whose heartbeat is older than the lease has lost its worker.
    /// </summary>
    public DateTime? HeartbeatAt { get; private set; }

    /// <summary>The background job that was last asked to run this execution (bookkeeping for recovery).</summary>
    public string? JobId { get; private set; }

    /// <summary>How many times this execution was taken back from a worker that stopped answering.</summary>
    public int RecoveryCount { get; private set; }

    /// <summary>When a worker was last found lost while running this execution (the System page counts these).</summary>
    public DateTime? LastRecoveredAt { get; private set; }

    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the request that created this execution, so that each run's
    /// trace links back to it; null when nothing was being traced.
    /// </summary>
    public string? TraceParent { get; private set; }

    /// <summary>
    /// When a later re-run in this failed execution's lineage succeeded, so the failure no longer needs anyone;
    /// null while the failure is unresolved. Set only through <see cref="ResolveByRerun"/>.
    /// </summary>
    public DateTime? ResolvedAt { get; private set; }

    /// <summary>The succeeded re-run that resolved this failure (see <see cref="ResolvedAt"/>).</summary>
    public Guid? ResolvedByExecutionId { get; private set; }

    /// <summary>A Failed execution that no succeeded re-run has resolved yet: what the console's "Unresolved" shows.</summary>
    public bool IsUnresolvedFailure => Status == ExecutionStatus.Failed && ResolvedAt is null;

    /// <summary>
    /// What the console's search box looks in, in lower case, one line each: the business key, the name of what the
    /// execution works on (a customer's name) and, once it failed, the error message. Written only here, when the
    /// execution is created and when it fails; each provider indexes it its own way (decision 0029).
    /// </summary>
    public string SearchText { get; private set; } = "";

    public Guid ConcurrencyStamp { get; private set; }

    public IReadOnlyList<StepExecution> Steps => steps;

    public TimeSpan? Duration => StartedAt is { } started && FinishedAt is { } finished ? finished - started : null;

    /// <param name="subjectName">
    /// The name a person knows the execution's subject by (a customer's name, see
    /// <see cref="Engine.WorkflowDefinition.GetSubjectName"/>), so that searching it finds the execution.
    /// </param>
    public static WorkflowExecution Create(
        string definitionKey, int definitionVersion, string inputJson, string? businessKey, Trigger trigger, DateTime now,
        string? subjectName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionKey);
        ArgumentNullException.ThrowIfNull(inputJson);
        ArgumentNullException.ThrowIfNull(trigger);
        return new WorkflowExecution
        {
            // Random, unlike step and attempt ids: people read, quote and search an execution by the first eight
            // characters of its id, which in a time-ordered id would repeat for every execution of the same minute.
            Id = Guid.NewGuid(),
            DefinitionKey = definitionKey,
            DefinitionVersion = definitionVersion,
            Status = ExecutionStatus.Pending,
            InputJson = inputJson,
            BusinessKey = businessKey,
            CreatedAt = now,
            ModifiedAt = now,
            TriggeredBy = trigger.Actor,
            TriggeredById = trigger.ActorId is { Length: > MaxActorIdLength } ? throw new ArgumentException("The actor id is too long.", nameof(trigger)) : trigger.ActorId,
            TriggerSource = trigger.Source,
            SearchText = SearchLines(businessKey, subjectName is { Length: > MaxSubjectNameLength } ? subjectName[..MaxSubjectNameLength] : subjectName),
            ConcurrencyStamp = Guid.NewGuid(),
        };
    }

    /// <summary>Remembers the trace of the request creating this execution; anything but a W3C traceparent is ignored.</summary>
    public void RecordTraceParent(string? traceParent)
    {
        if (Status != ExecutionStatus.Pending || StartedAt is not null)
        {
            throw new InvalidOperationException("Only a new, unstarted execution records the trace that created it.");
        }

        TraceParent = traceParent is { Length: MaxTraceParentLength } ? traceParent : null;
    }

    /// <summary>Links this new execution to the one it re-runs; the original row is never touched.</summary>
    /// <param name="exclusive">
    /// False only when the admin confirmed this re-run beside a live or successful one; see <see cref="ExclusiveRerunOfId"/>.
    /// </param>
    public void MarkAsRerunOf(WorkflowExecution original, RerunMode mode, string reason, bool exclusive = true)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (Status != ExecutionStatus.Pending || StartedAt is not null)
        {
            throw new InvalidOperationException("Only a new, unstarted execution can be linked as a re-run.");
        }

        RerunOfId = original.Id;
        RootExecutionId = original.RootExecutionId ?? original.Id;
        RerunMode = mode;
        RerunReason = reason;
        ExclusiveRerunOfId = exclusive ? original.Id : null;
    }

    /// <summary>
    /// Marks this failure as resolved by <paramref name="rerun"/>, a succeeded re-run in the same lineage created
    /// after it (decision 0025). The first resolution stays: a later success is not news. Not a status change (a
    /// Failed execution stays Failed), so the concurrency stamp stays; ModifiedAt moves so open pages see it.
    /// </summary>
    public void ResolveByRerun(WorkflowExecution rerun, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(rerun);
        if (Status != ExecutionStatus.Failed)
        {
            throw new InvalidOperationException($"Execution {Id} is {Status}; only a failed execution is resolved by a re-run.");
        }

        if (rerun.Status != ExecutionStatus.Succeeded || rerun.RerunOfId is null
            || rerun.RootExecutionId != (RootExecutionId ?? Id) || rerun.CreatedAt < CreatedAt || rerun.Id == Id)
        {
            throw new InvalidOperationException(
                $"Execution {rerun.Id} is not a succeeded re-run in the lineage of execution {Id}; it cannot resolve it.");
        }

        if (ResolvedAt is not null)
        {
            return;
        }

        ResolvedAt = now;
        ResolvedByExecutionId = rerun.Id;
        ModifiedAt = now;
    }

    public StepExecution AddPendingStep(string stepKey, string inputJson) =>
        AddStep(StepExecution.CreatePending(Id, stepKey, steps.Count, inputJson, CreatedAt));

    public StepExecution AddReusedStep(StepExecution original, DateTime now) =>
        AddStep(StepExecution.CreateReused(Id, steps.Count, original, now));

    public void Start(DateTime now)
    {
        MoveTo(ExecutionStatus.Running, now);
        StartedAt ??= now;
        HeartbeatAt = now;
    }

    /// <summary>Records that the runner moved on to <paramref name="stepKey"/>, so lists and live pages can show it.</summary>
    public void EnterStep(string stepKey, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepKey);
        if (Status != ExecutionStatus.Running)
        {
            throw new InvalidOperationException($"Execution {Id} is {Status}; only a running execution enters a step.");
        }

        CurrentStepKey = stepKey;
        ModifiedAt = now;
    }

    /// <summary>
    /// Takes a Running execution back from a worker that stopped sending heartbeats: the attempt it had in flight
    /// is recorded as failed (the step is not: it will be attempted again) and the execution is Pending once more,
    /// to be resumed from that step by the next runner. Rotating the stamp means the lost worker, should it wake,
    /// fails its next write instead of running on beside the new one.
    /// </summary>
    public void ReleaseFromLostWorker(DateTime heartbeatDeadline, DateTime now)
    {
        if (Status != ExecutionStatus.Running || HeartbeatAt is { } beat && beat >= heartbeatDeadline)
        {
            throw new InvalidOperationException($"Execution {Id} is {Status} with a live worker; it cannot be released.");
        }

        var error = new ErrorInfo(
            ErrorInfo.WorkerLostType, $"The worker running this step stopped responding (last heartbeat {HeartbeatAt:u}); the step is attempted again.", null);
        foreach (var step in steps.Where(s => s.Attempts.Any(a => a.Status == ExecutionStatus.Running)))
        {
            step.FailAttempt(error, isFinal: false, now);
        }

        MoveTo(ExecutionStatus.Pending, now);
        HeartbeatAt = null;
        RecoveryCount++;
        LastRecoveredAt = now;
    }

    /// <summary>
    /// Ends a Running execution whose worker was lost once too often: failed at <paramref name="stepKey"/> rather
    /// than resumed again. Like <see cref="ReleaseFromLostWorker"/>, it counts as a recovery.
    /// </summary>
    public void FailAfterLostWorker(string? stepKey, ErrorInfo error, DateTime now)
    {
        Fail(stepKey, error, now);
        LastRecoveredAt = now;
    }

    public void Succeed(string outputJson, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(outputJson);
        MoveTo(ExecutionStatus.Succeeded, now);
        OutputJson = outputJson;
        FinishedAt = now;
        CurrentStepKey = null;
    }

    public void Fail(string? stepKey, ErrorInfo error, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(error);
        MoveTo(ExecutionStatus.Failed, now);
        FailedStepKey = stepKey;
        CurrentStepKey = stepKey;
        ErrorType = error.Type;
        ErrorMessage = error.Message;
        FailureFingerprint = Failures.FailureFingerprint.Compute(DefinitionKey, stepKey, error.Type, error.Message);
        FinishedAt = now;

        // Failed is final, so the message is appended once: people search failures by the words of their error.
        SearchText = SearchLines(SearchText, error.Message);
    }

    /// <summary>
    /// Sets the fingerprint of a failure recorded before fingerprints existed (the backfill), or after the
    /// normaliser changed. Only a failure has one.
    /// </summary>
    public void RecomputeFailureFingerprint()
    {
        if (Status != ExecutionStatus.Failed)
        {
            throw new InvalidOperationException($"Execution {Id} is {Status}; only a failure has a fingerprint.");
        }

        FailureFingerprint = Failures.FailureFingerprint.Compute(DefinitionKey, FailedStepKey, ErrorType, ErrorMessage);
    }

    /// <summary>Ends the execution as Cancelled; steps that never ran are cancelled with it.</summary>
    public void Cancel(DateTime now)
    {
        MoveTo(ExecutionStatus.Cancelled, now);
        FinishedAt = now;
        foreach (var step in steps.Where(s => !StatusTransitions.IsFinal(s.Status)))
        {
            step.Cancel(now);
        }
    }

    /// <summary>
    /// Asks a running execution to stop at its next step boundary. This is not a status change, so the
    /// concurrency stamp stays: the runner that owns the execution keeps writing it without a conflict.
    /// </summary>
    public void RequestCancellation(string actor, string reason, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (StatusTransitions.IsFinal(Status))
        {
            throw new InvalidStatusTransitionException($"Execution {Id}", Status, ExecutionStatus.Cancelled);
        }

        CancelRequestedAt ??= now;
        CancelRequestedBy ??= actor;
        CancelReason ??= reason;
        ModifiedAt = now;
    }

    private StepExecution AddStep(StepExecution step)
    {
        if (Status != ExecutionStatus.Pending || StartedAt is not null)
        {
            throw new InvalidOperationException("Steps can only be added before the execution starts.");
        }

        if (steps.Any(s => s.StepKey == step.StepKey))
        {
            throw new InvalidOperationException($"Step '{step.StepKey}' is already part of execution {Id}.");
        }

        steps.Add(step);
        return step;
    }

    /// <summary>
    /// The non-empty parts, lower-cased (invariant) and one per line: providers then match a lower-cased term as
    /// stored, whatever their collation, and a term never spans two parts by accident of their spacing.
    /// </summary>
    private static string SearchLines(params string?[] parts) =>
        string.Join('\n', parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim().ToLowerInvariant()));

    private void MoveTo(ExecutionStatus next, DateTime now)
    {
        StatusTransitions.Ensure($"Execution {Id}", Status, next);
        Status = next;
        ModifiedAt = now;
        ConcurrencyStamp = Guid.NewGuid();
    }
}
