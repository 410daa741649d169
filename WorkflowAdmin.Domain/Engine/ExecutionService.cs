using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// Triggers, re-runs and cancels executions on behalf of an <see cref="Actor"/>. Each call is authorised here, on
/// the server, whatever the caller's UI shows; inputs are validated before anything is written; the change and its
/// audit entry are saved together; the committed Pending row is the queue entry, and the workers are woken after
/// commit (decision 0019). Running an execution is the runner's job.
/// </summary>
public sealed partial class ExecutionService(
    AppDbContext db, WorkflowRegistry registry, TimeProvider time, IExecutionDispatcher dispatcher, ILogger<ExecutionService> logger)
{
    /// <summary>Parses and validates <paramref name="inputJson"/>, then starts it (see <see cref="CreateAsync(WorkflowDefinition, ValidatedInput, Actor, CancellationToken)"/>).</summary>
    /// <exception cref="UnknownWorkflowException">No workflow has the key.</exception>
    /// <exception cref="InputValidationException">The input is invalid; every error has its path.</exception>
    public Task<WorkflowExecution> CreateAsync(string definitionKey, string inputJson, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.TriggerExecution);
        var definition = registry.Get(definitionKey);
        return CreateAsync(definition, PayloadSerializer.ParseInput(definition, inputJson), actor, cancellationToken);
    }

    /// <summary>Starts an execution of an input already validated for <paramref name="definition"/>, audited with it.</summary>
    public async Task<WorkflowExecution> CreateAsync(WorkflowDefinition definition, ValidatedInput input, Actor actor, CancellationToken cancellationToken)
    {
        var execution = PrepareCreate(definition, input, actor);
        await SaveCreatedAsync(execution, actor, cancellationToken);
        return execution;
    }

    /// <summary>
    /// Authorises, builds the execution and adds it to the context, unsaved, so a caller in this assembly can add
    /// rows that must commit with it (the API's idempotency record) before <see cref="SaveCreatedAsync"/>.
    /// </summary>
    internal WorkflowExecution PrepareCreate(WorkflowDefinition definition, ValidatedInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.TriggerExecution, definition.Key);

        // The input names the workflow it was checked for; one checked for another workflow (or an older version of
        // this one) is a programming error, not a user's mistake.
        if (!input.IsFor(definition) || !ReferenceEquals(registry.Get(definition.Key), definition))
        {
            throw new InvalidOperationException(
                $"The input was validated for {input.WorkflowKey} v{input.WorkflowVersion}, not for the registered {definition.Key} v{definition.Version}.");
        }

        var execution = NewExecution(definition, input, actor.ToTrigger());
        foreach (var step in definition.Steps)
        {
            execution.AddPendingStep(step.Key, input.StepInputJson[step.Key]);
        }

        db.WorkflowExecutions.Add(execution);
        return execution;
    }

    /// <summary>Saves what <see cref="PrepareCreate"/> built with its audit entry, in one transaction, then wakes the workers.</summary>
    internal async Task SaveCreatedAsync(WorkflowExecution execution, Actor actor, CancellationToken cancellationToken)
    {
        await AuditTrail.SaveAsync(db, AuditRecord.For(
            actor, AuditActions.ExecutionTriggered, Now(), AuditTargets.Execution, execution.Id.ToString(),
            after: new { workflow = execution.DefinitionKey, execution.BusinessKey, source = execution.TriggerSource.ToString() }), cancellationToken);
        WorkflowTelemetry.ExecutionCreated(execution);
        await dispatcher.EnqueueOrLogAsync(execution.Id, logger, CancellationToken.None);
    }

    /// <summary>
    /// Creates a new execution linked to a Failed or Cancelled original, which is left untouched. In
    /// <see cref="RerunMode.ResumeFromFailedStep"/> the original's leading succeeded steps are reused with their
    /// outputs, up to the first step that did not succeed or whose input was edited: an edit is never ignored.
    /// </summary>
    /// <exception cref="DuplicateRerunException">A live or successful re-run exists and the request does not confirm another.</exception>
    public async Task<WorkflowExecution> RerunAsync(Guid originalId, RerunRequest request, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.RerunExecution);
        if (actor.Workflows is not null)
        {
            var workflow = await db.WorkflowExecutions.AsNoTracking().Where(e => e.Id == originalId).Select(e => e.DefinitionKey)
                .SingleOrDefaultAsync(cancellationToken) ?? throw new ExecutionNotFoundException(originalId);
            actor.Demand(Permission.RerunExecution, workflow);
        }

        var reason = CheckReason(request.Reason, "re-run");
        if (!request.ConfirmDuplicate)
        {
            var existing = await ExistingRerunsAsync(originalId, cancellationToken);
            if (existing.Count > 0)
            {
                throw new DuplicateRerunException(originalId, existing);
            }
        }

        var (original, execution) = await PrepareRerunAsync(
            originalId, request.Mode, request.EditedInputJson, actor.Name, reason, exclusive: !request.ConfirmDuplicate, cancellationToken);
        var edited = request.EditedInputJson is not null ? JsonDiff.Compare(original.InputJson, execution.InputJson) : [];
        var audit = AuditRecord.For(
            actor, AuditActions.ExecutionRerun, Now(), AuditTargets.Execution, originalId.ToString(), reason,
            before: new { status = original.Status.ToString(), original.FailedStepKey },
            after: new
            {
                rerunExecutionId = execution.Id,
                mode = request.Mode.ToString(),
                reusedSteps = execution.Steps.Count(s => s.IsReused),
                inputEdited = edited.Count > 0,
                inputChanges = edited,
                confirmedDuplicate = request.ConfirmDuplicate,
            });
        try
        {
            await AuditTrail.SaveAsync(db, audit, cancellationToken);
        }
        catch (DbUpdateException) when (!request.ConfirmDuplicate)
        {
            // Another admin's re-run of the same original committed between our check and our save, and the
            // database's unique index refused ours: the same answer the check would have given a moment later.
            db.ChangeTracker.Clear();
            var existing = await ExistingRerunsAsync(originalId, cancellationToken);
            if (existing.Count == 0)
            {
                throw;
            }

            throw new DuplicateRerunException(originalId, existing);
        }

        WorkflowTelemetry.ExecutionCreated(execution);
        await dispatcher.EnqueueOrLogAsync(execution.Id, logger, CancellationToken.None);
        return execution;
    }

    /// <summary>The original's re-runs that are pending, running or succeeded: the duplicate guard's evidence.</summary>
    public async Task<IReadOnlyList<ExistingRerun>> ExistingRerunsAsync(Guid originalId, CancellationToken cancellationToken) =>
        await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.RerunOfId == originalId
                        && (e.Status == ExecutionStatus.Pending || e.Status == ExecutionStatus.Running || e.Status == ExecutionStatus.Succeeded))
            .OrderBy(e => e.CreatedAt)
            .Select(e => new ExistingRerun(e.Id, e.Status, e.CreatedAt, e.TriggeredBy))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Builds the re-run of <paramref name="originalId"/> and adds it to the context, unsaved: for <see cref="RerunAsync"/>
    /// and for bulk re-runs, which audit once for the whole batch.
    /// </summary>
    /// <param name="exclusive">False only for a re-run the admin confirmed beside a live or successful one.</param>
    internal async Task<(WorkflowExecution Original, WorkflowExecution Rerun)> PrepareRerunAsync(
        Guid originalId, RerunMode mode, string? editedInputJson, string actorName, string reason, bool exclusive, CancellationToken cancellationToken)
    {
        var original = await db.WorkflowExecutions.Include(e => e.Steps)
            .SingleOrDefaultAsync(e => e.Id == originalId, cancellationToken)
            ?? throw new ExecutionNotFoundException(originalId);
        if (original.Status is not (ExecutionStatus.Failed or ExecutionStatus.Cancelled))
        {
            throw new ExecutionStateException(
                $"Execution {originalId} is {original.Status}; only Failed or Cancelled executions can be re-run.");
        }

        var definition = registry.Get(original.DefinitionKey);
        var input = PayloadSerializer.ParseInput(definition, editedInputJson ?? original.InputJson);
        var execution = NewExecution(definition, input, new Trigger(actorName, TriggerSource.Rerun));
        execution.MarkAsRerunOf(original, mode, reason, exclusive);

        foreach (var step in RerunPlan.For(definition, original.Steps, input.StepInputJson, mode))
        {
            if (step.ReusedFrom is { } previous)
            {
                execution.AddReusedStep(previous, Now());
            }
            else
            {
                execution.AddPendingStep(step.StepKey, input.StepInputJson[step.StepKey]);
            }
        }

        db.WorkflowExecutions.Add(execution);
        return (original, execution);
    }

    /// <summary>
    /// Cancels a Pending execution at once; asks a Running one to stop at its next step boundary (the runner ends
    /// it as Cancelled). Finished executions cannot be cancelled.
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(Guid executionId, string reason, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.CancelExecution);
        reason = CheckReason(reason, "cancel");

        // A runner may claim the execution between our read and our write; the concurrency stamp catches that,
        // and the second pass sees it Running and asks it to stop instead.
        for (var pass = 0; ; pass++)
        {
            var execution = await db.WorkflowExecutions.Include(e => e.Steps)
                .SingleOrDefaultAsync(e => e.Id == executionId, cancellationToken)
                ?? throw new ExecutionNotFoundException(executionId);
            actor.Demand(Permission.CancelExecution, execution.DefinitionKey);
            if (StatusTransitions.IsFinal(execution.Status))
            {
                throw new ExecutionStateException($"Execution {executionId} is already {execution.Status} and cannot be cancelled.");
            }

            if (execution.CancelRequestedAt is not null)
            {
                throw new ExecutionStateException(
                    $"Cancellation of execution {executionId} was already requested by {execution.CancelRequestedBy}; it stops at its next step boundary.");
            }

            var before = execution.Status;
            execution.RequestCancellation(actor.Name, reason, Now());
            if (before == ExecutionStatus.Pending)
            {
                execution.Cancel(Now());
            }

            var outcome = before == ExecutionStatus.Pending ? CancelOutcome.Cancelled : CancelOutcome.StopRequested;
            try
            {
                await AuditTrail.SaveAsync(db, AuditRecord.For(
                    actor, AuditActions.ExecutionCancelled, Now(), AuditTargets.Execution, executionId.ToString(), reason,
                    before: new { status = before.ToString(), execution.CurrentStepKey },
                    after: new { status = execution.Status.ToString(), outcome = outcome.ToString() }), cancellationToken);
                if (outcome == CancelOutcome.Cancelled)
                {
                    WorkflowTelemetry.ExecutionFinished(execution.DefinitionKey, ExecutionStatus.Cancelled);
                }

                return outcome;
            }
            catch (DbUpdateConcurrencyException) when (pass < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static string CheckReason(string? reason, string verb)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw InputValidationException.At("reason", $"is required: say why you {verb} the execution");
        }

        reason = reason.Trim();
        return reason.Length > WorkflowExecution.MaxReasonLength
            ? throw InputValidationException.At("reason", $"must be at most {WorkflowExecution.MaxReasonLength} characters")
            : reason;
    }

    private WorkflowExecution NewExecution(WorkflowDefinition definition, ValidatedInput input, Trigger trigger)
    {
        var execution = WorkflowExecution.Create(definition.Key, definition.Version, input.ComposedJson, Truncate(input.BusinessKey), trigger, Now(), input.SubjectName);

        // The request (API call, console action, bulk job) that creates it: each run's trace links back to it.
        execution.RecordTraceParent(Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null);
        return execution;
    }

    private static string? Truncate(string? businessKey) =>
        businessKey is { Length: > WorkflowExecution.MaxBusinessKeyLength } ? businessKey[..WorkflowExecution.MaxBusinessKeyLength] : businessKey;

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}

public enum CancelOutcome
{
    /// <summary>The execution was Pending and is now Cancelled.</summary>
    Cancelled,

    /// <summary>The execution is Running; it stops at its next step boundary and ends Cancelled.</summary>
    StopRequested,
}
