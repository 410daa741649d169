using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// Creates, re-runs and cancels executions. Inputs are validated before anything is written; an invalid input
/// writes nothing. Running an execution is the <see cref="WorkflowRunner"/>'s job.
/// </summary>
public sealed class ExecutionService(AppDbContext db, WorkflowRegistry registry, TimeProvider time)
{
    public async Task<WorkflowExecution> CreateAsync(
        string definitionKey, string inputJson, Trigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var definition = registry.Get(definitionKey);
        var input = PayloadSerializer.ParseInput(definition, inputJson);
        var execution = NewExecution(definition, input, trigger);
        foreach (var step in definition.Steps)
        {
            execution.AddPendingStep(step.Key, input.StepInputJson[step.Key]);
        }

        db.WorkflowExecutions.Add(execution);
        await db.SaveChangesAsync(cancellationToken);
        return execution;
    }

    /// <summary>
    /// Creates a new execution linked to a Failed or Cancelled original, which is left untouched. In
    /// <see cref="RerunMode.ResumeFromFailedStep"/> the original's leading succeeded steps are reused with their
    /// outputs, up to the first step that did not succeed or whose input was edited: an edit is never ignored.
    /// </summary>
    public async Task<WorkflowExecution> RerunAsync(
        Guid originalId, RerunMode mode, string? editedInputJson, string actor, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw InputValidationException.At("reason", "is required: say why the execution is re-run");
        }

        if (reason.Length > WorkflowExecution.MaxReasonLength)
        {
            throw InputValidationException.At("reason", $"must be at most {WorkflowExecution.MaxReasonLength} characters");
        }

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
        var execution = NewExecution(definition, input, new Trigger(actor, TriggerSource.Rerun));
        execution.MarkAsRerunOf(original, mode, reason.Trim());

        var reusing = mode == RerunMode.ResumeFromFailedStep;
        foreach (var step in definition.Steps)
        {
            var stepInput = input.StepInputJson[step.Key];
            var previous = original.Steps.SingleOrDefault(s => s.StepKey == step.Key);
            reusing = reusing && previous is { Status: ExecutionStatus.Succeeded } && previous.InputJson == stepInput;
            if (reusing)
            {
                execution.AddReusedStep(previous!, Now());
            }
            else
            {
                execution.AddPendingStep(step.Key, stepInput);
            }
        }

        db.WorkflowExecutions.Add(execution);
        await db.SaveChangesAsync(cancellationToken);
        return execution;
    }

    /// <summary>
    /// Cancels a Pending execution at once; asks a Running one to stop at its next step boundary (the runner ends
    /// it as Cancelled). Finished executions cannot be cancelled.
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(Guid executionId, string actor, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw InputValidationException.At("reason", "is required: say why the execution is cancelled");
        }

        // A runner may claim the execution between our read and our write; the concurrency stamp catches that,
        // and the second pass sees it Running and asks it to stop instead.
        for (var pass = 0; ; pass++)
        {
            var execution = await db.WorkflowExecutions.Include(e => e.Steps)
                .SingleOrDefaultAsync(e => e.Id == executionId, cancellationToken)
                ?? throw new ExecutionNotFoundException(executionId);
            if (StatusTransitions.IsFinal(execution.Status))
            {
                throw new ExecutionStateException($"Execution {executionId} is already {execution.Status} and cannot be cancelled.");
            }

            var wasPending = execution.Status == ExecutionStatus.Pending;
            execution.RequestCancellation(actor, reason.Trim(), Now());
            if (wasPending)
            {
                execution.Cancel(Now());
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return wasPending ? CancelOutcome.Cancelled : CancelOutcome.StopRequested;
            }
            catch (DbUpdateConcurrencyException) when (pass < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private WorkflowExecution NewExecution(WorkflowDefinition definition, ValidatedInput input, Trigger trigger) =>
        WorkflowExecution.Create(definition.Key, definition.Version, input.ComposedJson, Truncate(input.BusinessKey), trigger, Now());

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
