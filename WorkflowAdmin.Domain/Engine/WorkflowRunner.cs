using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// Runs one execution from its first unfinished step to the end. Progress is checkpointed after every step, so a
/// crash loses at most the step in flight, and the claim (Pending to Running, guarded by the concurrency stamp)
/// makes sure that two runners, in two processes, never both run the same execution.
/// </summary>
public sealed partial class WorkflowRunner(
    IDbContextFactory<AppDbContext> dbFactory,
    WorkflowRegistry registry,
    IServiceScopeFactory scopeFactory,
    TimeProvider time,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WorkflowRunner> logger)
{
    public async Task<RunOutcome> RunAsync(Guid executionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var execution = await db.WorkflowExecutions
            .Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .AsSplitQuery()
            .SingleOrDefaultAsync(e => e.Id == executionId, cancellationToken)
            ?? throw new ExecutionNotFoundException(executionId);

        switch (execution.Status)
        {
            case ExecutionStatus.Running:
                return RunOutcome.NotClaimed;
            case ExecutionStatus.Succeeded:
                throw new ExecutionStateException(
                    $"Execution {executionId} has already succeeded and is never run again; start a new execution instead.");
            case ExecutionStatus.Failed or ExecutionStatus.Cancelled:
                throw new ExecutionStateException(
                    $"Execution {executionId} is {execution.Status}; re-run it to create a new execution.");
        }

        var definition = registry.Get(execution.DefinitionKey);
        execution.Start(Now());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogClaimLost(executionId);
            return RunOutcome.NotClaimed;
        }

        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = BeatAsync(executionId, execution.ConcurrencyStamp, heartbeatStop.Token);
        try
        {
            return await RunClaimedAsync(db, execution, definition, cancellationToken);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    private async Task<RunOutcome> RunClaimedAsync(
        AppDbContext db, WorkflowExecution execution, WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        var executionId = execution.Id;
        var outputs = new StepValues();
        try
        {
            foreach (var step in execution.Steps.OrderBy(s => s.Ordinal))
            {
                var stepDefinition = definition.GetStep(step.StepKey);
                if (step.Status == ExecutionStatus.Succeeded)
                {
                    outputs.Add(step.StepKey, PayloadSerializer.Deserialize(step.OutputJson!, stepDefinition.OutputType));
                    continue;
                }

                if (await IsCancellationRequestedAsync(db, executionId, cancellationToken))
                {
                    execution.Cancel(Now());
                    await db.SaveChangesAsync(CancellationToken.None);
                    return RunOutcome.Cancelled;
                }

                var error = await RunStepAsync(db, execution, step, stepDefinition, outputs, cancellationToken);
                if (error is not null)
                {
                    execution.Fail(step.StepKey, error, Now());
                    await db.SaveChangesAsync(CancellationToken.None);
                    return RunOutcome.Failed;
                }
            }

            execution.Succeed(PayloadSerializer.ComposeOutput(definition, outputs), Now());
            await db.SaveChangesAsync(CancellationToken.None);
            return RunOutcome.Succeeded;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Every runner write touches the execution row under its concurrency stamp, and recovery rotates the
            // stamp when it takes an execution back: this runner was presumed dead and another owns the execution.
            // Writing anything now would clobber the new owner's progress, so stop quietly.
            LogOwnershipLost(executionId);
            return RunOutcome.Abandoned;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not a step's own failure (RunStepAsync records those) but the engine's: a stored payload that no
            // longer fits its record, a step the definition no longer has, a database error. Record it, so the
            // execution ends Failed and can be re-run instead of staying Running for ever.
            LogEngineFailure(ex, executionId);
            await FailAfterEngineErrorAsync(db, executionId, ErrorInfo.From(ex));
            return RunOutcome.Failed;
        }
    }

    private async Task FailAfterEngineErrorAsync(AppDbContext db, Guid executionId, ErrorInfo error)
    {
        db.ChangeTracker.Clear();
        var execution = await db.WorkflowExecutions
            .Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .AsSplitQuery()
            .SingleAsync(e => e.Id == executionId, CancellationToken.None);
        var steps = execution.Steps.OrderBy(s => s.Ordinal).ToList();
        var running = steps.FirstOrDefault(s => s.Attempts.Any(a => a.Status == ExecutionStatus.Running));
        running?.FailAttempt(error, isFinal: true, Now());
        execution.Fail(running?.StepKey ?? steps.FirstOrDefault(s => s.Status != ExecutionStatus.Succeeded)?.StepKey, error, Now());
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Runs the step's attempts; returns null on success, or the last error once attempts are exhausted.</summary>
    private async Task<ErrorInfo?> RunStepAsync(
        AppDbContext db, WorkflowExecution execution, StepExecution step, IWorkflowStep stepDefinition,
        StepValues outputs, CancellationToken cancellationToken)
    {
        var input = PayloadSerializer.Deserialize(step.InputJson, stepDefinition.InputType);
        while (true)
        {
            // Persist the attempt before any side effect: if the process dies inside the step, the row says so.
            var attempt = step.StartAttempt(Now());
            execution.EnterStep(step.StepKey, Now());
            await db.SaveChangesAsync(cancellationToken);
            object output;
            string outputJson;
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var context = new StepContext(execution.Id, step.StepKey, attempt.Number, outputs, scope.ServiceProvider, Requester.Of(execution));
                output = await stepDefinition.ExecuteAsync(input, context, cancellationToken);
                outputJson = PayloadSerializer.Serialize(output, stepDefinition.OutputType);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var error = ErrorInfo.From(ex);
                var isFinal = attempt.Number >= stepDefinition.MaxAttempts;
                step.FailAttempt(error, isFinal, Now());
                execution.EnterStep(step.StepKey, Now());
                await db.SaveChangesAsync(CancellationToken.None);
                LogAttemptFailed(ex, execution.Id, step.StepKey, attempt.Number, stepDefinition.MaxAttempts);
                if (isFinal)
                {
                    return error;
                }

                await Task.Delay(options.Value.RetryDelay, time, cancellationToken);
                continue;
            }

            // Outside the try: a failure to save the success is the engine's, not a failed attempt of the step.
            step.Succeed(outputJson, Now());
            execution.EnterStep(step.StepKey, Now());
            await db.SaveChangesAsync(CancellationToken.None);
            outputs.Add(step.StepKey, output);
            return null;
        }
    }

    // A cheap indexed read: cancellation is requested by another process writing the execution row.
    private static Task<bool> IsCancellationRequestedAsync(AppDbContext db, Guid executionId, CancellationToken cancellationToken) =>
        db.WorkflowExecutions.AsNoTracking()
            .AnyAsync(e => e.Id == executionId && e.CancelRequestedAt != null, cancellationToken);

    /// <summary>
    /// Writes the heartbeat while the execution runs, outside the change tracker so it never conflicts with the
    /// runner's own saves. It matches on the claim's stamp: once recovery has taken the execution back, no row
    /// matches and the beat stops, so a presumed-dead runner cannot keep the new owner's lease alive.
    /// </summary>
    private async Task BeatAsync(Guid executionId, Guid claimStamp, CancellationToken stop)
    {
        var interval = options.Value.Lease / 4;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stop);
                await using var db = await dbFactory.CreateDbContextAsync(stop);
                var now = Now();
                var beating = await db.WorkflowExecutions
                    .Where(e => e.Id == executionId && e.Status == ExecutionStatus.Running && e.ConcurrencyStamp == claimStamp)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.HeartbeatAt, now), stop);
                if (beating == 0)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (DbException ex)
            {
                // A missed beat is not fatal: the lease is four beats long. Try again at the next beat.
                LogHeartbeatFailed(ex, executionId);
            }
        }
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} was taken back by recovery; this runner stops without writing.")]
    private partial void LogOwnershipLost(Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: a heartbeat failed; the next one is tried at the usual time.")]
    private partial void LogHeartbeatFailed(Exception exception, Guid executionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} was claimed by another runner.")]
    private partial void LogClaimLost(Guid executionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} failed outside its steps.")]
    private partial void LogEngineFailure(Exception exception, Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: step {StepKey} failed attempt {Attempt} of {MaxAttempts}.")]
    private partial void LogAttemptFailed(Exception exception, Guid executionId, string stepKey, int attempt, int maxAttempts);
}
