using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// Runs one execution from its first unfinished step to the end. Progress is checkpointed after every step, so a
/// crash loses at most the step in flight, and the claim (Pending to Running, guarded by the concurrency stamp)
/// makes sure that two runners, in two processes, never both run the same execution. Every write after the claim
/// goes through <see cref="SaveCheckpointAsync"/> and touches the execution row under the claim's stamp, so a runner
/// that lost its claim never writes again; a database that is briefly unavailable is retried there, and beyond
/// that left to recovery, never recorded as the execution's failure (decision 0016). A step that reaches the database
/// writes in the runner's transaction, which the checkpoint of its success commits (decision 0044): the step's records
/// and its success are written together or not at all.
/// </summary>
public sealed partial class WorkflowRunner(
    IDbContextFactory<AppDbContext> dbFactory,
    WorkflowRegistry registry,
    IServiceScopeFactory scopeFactory,
    TimeProvider time,
    IOptions<WorkflowEngineOptions> options,
    CurrentNode node,
    ILogger<WorkflowRunner> logger)
{
    public async Task<RunOutcome> RunAsync(Guid executionId, CancellationToken cancellationToken)
    {
        // Every log line of the run, the steps' own included, carries the execution's id: it leads to its page.
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["ExecutionId"] = executionId });
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // The step transaction's checkpoint takes its own savepoint (SaveInStepTransactionAsync): EF's would add a
        // RELEASE round trip to every step.
        db.Database.AutoSavepointsEnabled = false;
        var execution = await LoadAsync(db, executionId, cancellationToken) ?? throw new ExecutionNotFoundException(executionId);

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
        var firstStart = execution.StartedAt is null;
        execution.Start(Now());
        try
        {
            await SaveCheckpointAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogClaimLost(executionId);
            return RunOutcome.NotClaimed;
        }
        catch (Exception ex) when (IsLeftForRecovery(ex))
        {
            // Still Pending (this worker's reservation lapses after the grace and another worker takes it) or, if the
            // claim did commit unacknowledged, Running without a heartbeat (the lease runs out, recovery resumes it).
            LogLeftForRecovery(ex, executionId);
            return RunOutcome.Interrupted;
        }

        if (firstStart)
        {
            WorkflowTelemetry.ExecutionStarted(execution.DefinitionKey);
        }

        using var activity = WorkflowTelemetry.StartRun(execution);
        using var working = node.Working();
        var claimStamp = execution.ConcurrencyStamp;
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = BeatAsync(executionId, claimStamp, heartbeatStop.Token);
        try
        {
            var outcome = await RunClaimedAsync(db, execution, definition, claimStamp, cancellationToken);
            Record(activity, execution.DefinitionKey, outcome);
            return outcome;
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    private static void Record(Activity? activity, string workflow, RunOutcome outcome)
    {
        activity?.SetTag(WorkflowTelemetry.OutcomeAttribute, outcome.ToString());
        var status = outcome switch
        {
            RunOutcome.Succeeded => ExecutionStatus.Succeeded,
            RunOutcome.Failed => ExecutionStatus.Failed,
            RunOutcome.Cancelled => ExecutionStatus.Cancelled,
            _ => (ExecutionStatus?)null,
        };
        if (status is { } final)
        {
            WorkflowTelemetry.ExecutionFinished(workflow, final);
        }

        if (outcome != RunOutcome.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.ToString());
        }
    }

    private async Task<RunOutcome> RunClaimedAsync(
        AppDbContext db, WorkflowExecution execution, WorkflowDefinition definition, Guid claimStamp, CancellationToken cancellationToken)
    {
        var executionId = execution.Id;
        var outputs = new StepValues();

        // A step's success is written together with the next write at that boundary (the next attempt's start, the
        // cancellation, the execution's end): one transaction per step boundary instead of two (decision 0019).
        var successUnsaved = false;
        StepExecution? lastSucceeded = null;
        try
        {
            foreach (var step in execution.Steps.OrderBy(s => s.Ordinal))
            {
                using var stepScope = logger.BeginScope(new Dictionary<string, object> { ["StepKey"] = step.StepKey });
                if (step.Status == ExecutionStatus.Succeeded)
                {
                    outputs.Add(step.StepKey, await ResolveAsync(db, successUnsaved,
                        () => PayloadSerializer.Deserialize(step.OutputJson!, definition.GetStep(step.StepKey).OutputType)));
                    continue;
                }

                // Known without a read: the request was there when the execution was loaded, or a write of this run
                // met it (see SaveCheckpointAsync) and took it in.
                if (execution.CancelRequestedAt is not null)
                {
                    execution.Cancel(Now());
                    await SaveCheckpointAsync(db, CancellationToken.None);
                    return RunOutcome.Cancelled;
                }

                var stepDefinition = await ResolveAsync(db, successUnsaved, () => definition.GetStep(step.StepKey));
                var input = await ResolveAsync(db, successUnsaved, () => PayloadSerializer.Deserialize(step.InputJson, stepDefinition.InputType));

                // The step's first write (its attempt's start) carries the previous step's success.
                ErrorInfo? error;
                try
                {
                    error = await RunStepAsync(db, execution, step, stepDefinition, input, outputs, cancellationToken);
                }
                catch (CancellationArrivedException)
                {
                    // Requested during the previous step (or before this run's first one): stop at this boundary,
                    // with that step's success and records (still in the open step transaction), and without the
                    // attempt that was about to start.
                    return await CancelAtBoundaryAsync(db, executionId, claimStamp, successUnsaved ? lastSucceeded : null);
                }

                successUnsaved = false;
                if (error is not null)
                {
                    execution.Fail(step.StepKey, error, Now());
                    await SaveCheckpointAsync(db, CancellationToken.None);
                    return RunOutcome.Failed;
                }

                successUnsaved = true;
                lastSucceeded = step;
            }

            var output = await ResolveAsync(db, successUnsaved, () => PayloadSerializer.ComposeOutput(definition, outputs));
            var resolved = await UnresolvedFailuresBeforeAsync(db, execution, cancellationToken);
            var finishedAt = Now();
            execution.Succeed(output, finishedAt);
            foreach (var failure in resolved)
            {
                failure.ResolveByRerun(execution, finishedAt);
            }

            await SaveCheckpointAsync(db, CancellationToken.None);
            return RunOutcome.Succeeded;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Every runner write touches the execution row under its concurrency stamp, and recovery rotates the
            // stamp when it takes an execution back: this runner was presumed dead and another owns the execution.
            // Writing anything now would clobber the new owner's progress, so stop quietly; the records of the step
            // in flight go with the step transaction, and the new owner runs the step again.
            await RollBackStepAsync(db);
            LogOwnershipLost(executionId);
            return RunOutcome.Abandoned;
        }
        catch (Exception ex) when (IsLeftForRecovery(ex))
        {
            // The database, not the execution, failed; it is also where a failure would have to be written. Stop:
            // the execution stays Running, the heartbeat stops with this runner, and once the lease has passed
            // recovery resumes it from its last checkpoint, recording the attempt in flight as WorkerLost.
            await RollBackStepAsync(db);
            LogLeftForRecovery(ex, executionId);
            return RunOutcome.Interrupted;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not a step's own failure (RunStepAsync records those) but the engine's: a stored payload that no
            // longer fits its record, a step the definition no longer has, a write the database refuses. Record it,
            // so the execution ends Failed and can be re-run instead of staying Running for ever. A step transaction
            // still open goes first: the step whose success could not be written keeps no records either.
            await RollBackStepAsync(db);
            LogEngineFailure(ex, executionId);
            return await FailAfterEngineErrorAsync(db, executionId, claimStamp, ErrorInfo.From(ex));
        }
    }

    /// <summary>
    /// Fails the execution after an engine error, from what the database holds rather than from the tracked
    /// entities, which may be half changed. Only while the claim is still this runner's: a runner whose execution was
    /// taken back and claimed elsewhere since must not fail the new owner's run.
    /// </summary>
    private async Task<RunOutcome> FailAfterEngineErrorAsync(AppDbContext db, Guid executionId, Guid claimStamp, ErrorInfo error)
    {
        try
        {
            db.ChangeTracker.Clear();
            var execution = await LoadAsync(db, executionId, CancellationToken.None);
            if (execution is null || execution.Status != ExecutionStatus.Running || execution.ConcurrencyStamp != claimStamp)
            {
                LogOwnershipLost(executionId);
                return RunOutcome.Abandoned;
            }

            var steps = execution.Steps.OrderBy(s => s.Ordinal).ToList();
            var running = steps.FirstOrDefault(s => s.Attempts.Any(a => a.Status == ExecutionStatus.Running));
            running?.FailAttempt(error, isFinal: true, Now());
            execution.Fail(running?.StepKey ?? steps.FirstOrDefault(s => s.Status != ExecutionStatus.Succeeded)?.StepKey, error, Now());

            // The UPDATE still matches on the claim's stamp (it was loaded with it), so a take-back that lands
            // between the read above and this write wins, and this runner stops.
            await SaveCheckpointAsync(db, CancellationToken.None);
            return RunOutcome.Failed;
        }
        catch (DbUpdateConcurrencyException)
        {
            LogOwnershipLost(executionId);
            return RunOutcome.Abandoned;
        }
        catch (Exception ex) when (IsLeftForRecovery(ex))
        {
            LogLeftForRecovery(ex, executionId);
            return RunOutcome.Interrupted;
        }
    }

    /// <summary>
    /// Resolves what the next write needs (a step's definition, a stored payload as its record) without changing any
    /// entity. If that fails (an engine error: a step the definition no longer has, a payload that no longer fits)
    /// while the last step's success is still unwritten, the success is written first, under the claim's stamp, so
    /// the engine error fails the step that comes next, as it would have with a write per step.
    /// </summary>
    private async Task<T> ResolveAsync<T>(AppDbContext db, bool successUnsaved, Func<T> resolve)
    {
        try
        {
            return resolve();
        }
        catch (Exception) when (successUnsaved)
        {
            await SaveCheckpointAsync(db, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Runs the step's attempts; returns null on success, or the last error once attempts are exhausted. The success
    /// is recorded on the tracked entities but written by the caller's next write at this boundary.
    /// </summary>
    private async Task<ErrorInfo?> RunStepAsync(
        AppDbContext db, WorkflowExecution execution, StepExecution step, IWorkflowStep stepDefinition, object? input,
        StepValues outputs, CancellationToken cancellationToken)
    {
        var databaseFaults = 0;
        var firstAttempt = true;
        while (true)
        {
            // Persist the attempt before any side effect: if the process dies inside the step, the row says so.
            var attempt = step.StartAttempt(Now());
            execution.EnterStep(step.StepKey, Now());
            await SaveCheckpointAsync(db, cancellationToken, startsStep: firstAttempt);
            firstAttempt = false;
            using var span = WorkflowTelemetry.StartAttempt(execution.Id, execution.DefinitionKey, step.StepKey, attempt.Number);
            var startedAt = time.GetTimestamp();
            object output;
            string outputJson;
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();

                // The step's database writes join the runner's transaction, committed with the step's success.
                scope.ServiceProvider.GetRequiredService<LentTransaction>().Lend(db);
                var context = new StepContext(execution.Id, step.StepKey, attempt.Number, outputs, scope.ServiceProvider, Requester.Of(execution));
                output = await stepDefinition.ExecuteAsync(input, context, cancellationToken);
                outputJson = PayloadSerializer.Serialize(output, stepDefinition.OutputType);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // A step whose systems live in our database (the provisioning adapters do) fails when the database
                // is briefly away. That is no verdict on the step: the attempt is recorded, under a type of its own
                // and never as the last one; a few are tried here, then the execution is left to recovery like any
                // other database fault. Likewise an attempt lost with its worker (recorded by recovery). Neither
                // counts towards the step's limit, in this run or in one after a resume.
                // Whatever the attempt wrote goes: a failed attempt leaves no records behind, and the retry starts clean.
                await RollBackStepAsync(db);
                var databaseFault = DatabaseFaults.IsTransient(ex);
                var error = databaseFault ? ErrorInfo.DatabaseUnavailable(ex) : ErrorInfo.From(ex);
                databaseFaults += databaseFault ? 1 : 0;
                var used = step.Attempts.Count(a => ErrorInfo.UsesUpAnAttempt(a.ErrorType));
                var isFinal = !databaseFault && used >= stepDefinition.MaxAttempts;
                step.FailAttempt(error, isFinal, Now());
                execution.EnterStep(step.StepKey, Now());
                await SaveCheckpointAsync(db, CancellationToken.None);
                WorkflowTelemetry.AttemptFinished(execution.DefinitionKey, step.StepKey, ExecutionStatus.Failed, time.GetElapsedTime(startedAt));
                span?.SetStatus(ActivityStatusCode.Error, error.Type);
                LogAttemptFailed(ex, execution.Id, step.StepKey, attempt.Number, stepDefinition.MaxAttempts);
                if (isFinal)
                {
                    return error;
                }

                if (databaseFault && databaseFaults > options.Value.TransientRetries)
                {
                    throw new LeftForRecoveryException(ex);
                }

                await Task.Delay(databaseFault ? TransientBackoff(databaseFaults) : options.Value.RetryDelay, time, cancellationToken);
                continue;
            }

            // Outside the try: a failure to save the success (with the next write) is the engine's, not a failed
            // attempt of the step.
            step.Succeed(outputJson, Now());
            execution.EnterStep(step.StepKey, Now());
            WorkflowTelemetry.AttemptFinished(execution.DefinitionKey, step.StepKey, ExecutionStatus.Succeeded, time.GetElapsedTime(startedAt));
            outputs.Add(step.StepKey, output);
            return null;
        }
    }

    /// <summary>
    /// Saves the runner's changes: one transaction that also updates the execution row under the claim's stamp and
    /// under the cancellation request the runner knows of (<c>CancelRequestedAt</c> is a concurrency token), so the
    /// write itself tells the runner that a cancellation was requested since, instead of a read per step
    /// (decision 0032). Then the request is taken into the tracked execution and the same changes are written again,
    /// or, for the write that starts a step (<paramref name="startsStep"/>), nothing is written and
    /// <see cref="CancellationArrivedException"/> tells the caller to stop at this boundary instead.
    /// </summary>
    private async Task SaveCheckpointAsync(AppDbContext db, CancellationToken cancellationToken, bool startsStep = false)
    {
        if (db.Database.CurrentTransaction is { } stepTransaction)
        {
            await SaveInStepTransactionAsync(db, stepTransaction, startsStep, cancellationToken);
            return;
        }

        try
        {
            await SaveWithRetriesAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            if (!await TakeInCancellationAsync(db, ex))
            {
                throw;
            }

            if (startsStep)
            {
                throw new CancellationArrivedException(ex);
            }

            await SaveWithRetriesAsync(db, cancellationToken);
        }
    }

    /// <summary>
    /// The checkpoint that ends a step transaction: the runner's changes (the step's success, and the next attempt's
    /// start, the cancellation or the execution's end) written beside the step's records, then one commit. A
    /// conflict on the execution row is met as in <see cref="SaveCheckpointAsync"/>, after rolling back to a savepoint
    /// taken just before, so that the step's records stay and nothing of the refused write does (Npgsql sends the
    /// savepoint with the write, no round trip of its own). A transient fault is not retried here: it has ended the
    /// transaction, and the step's records with it, so the execution is left to recovery, which runs the step again.
    /// On <see cref="CancellationArrivedException"/> the transaction stays open for <see cref="CancelAtBoundaryAsync"/>.
    /// </summary>
    private static async Task SaveInStepTransactionAsync(
        AppDbContext db, IDbContextTransaction transaction, bool startsStep, CancellationToken cancellationToken)
    {
        try
        {
            await transaction.CreateSavepointAsync(CheckpointSavepoint, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException ex)
            {
                await transaction.RollbackToSavepointAsync(CheckpointSavepoint, CancellationToken.None);
                if (!await TakeInCancellationAsync(db, ex))
                {
                    throw;
                }

                if (startsStep)
                {
                    throw new CancellationArrivedException(ex);
                }

                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (DatabaseFaults.IsTransient(ex))
        {
            throw new LeftForRecoveryException(ex);
        }

        await transaction.DisposeAsync();
    }

    /// <summary>
    /// Rolls back the step transaction, if one is open: after a failed attempt, a lost claim, a database fault or an
    /// engine error. A connection the fault broke has ended the transaction already; that is not a second error.
    /// </summary>
    private static async Task RollBackStepAsync(AppDbContext db)
    {
        if (db.Database.CurrentTransaction is not { } transaction)
        {
            return;
        }

        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException || DatabaseFaults.IsTransient(ex))
        {
            // Ended with its connection: nothing of it was committed.
        }

        try
        {
            await transaction.DisposeAsync();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException || DatabaseFaults.IsTransient(ex))
        {
            // As above.
        }
    }

    /// <summary>
    /// A transient database fault is tried again a few times after a jittered, growing pause, which is safe because a
    /// failed save leaves the tracked changes as they were. A retry that then fails for another reason is in doubt
    /// (the first try may have committed without the answer arriving: its inserts now collide, its stamp moved on),
    /// so it, like a fault that outlasts the retries, leaves the execution to recovery, which reads the database.
    /// </summary>
    private async Task SaveWithRetriesAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (retry > 0 && ex is DbUpdateException && !DatabaseFaults.IsTransient(ex))
            {
                throw new LeftForRecoveryException(ex);
            }
            catch (Exception ex) when (retry < options.Value.TransientRetries && DatabaseFaults.IsTransient(ex))
            {
                LogCheckpointRetried(ex, retry + 1, options.Value.TransientRetries);
                await Task.Delay(TransientBackoff(retry + 1), time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// After a conflict on the execution row: if the row still carries the claim's stamp and a cancellation request
    /// that the tracked execution does not know of, that request caused the conflict. It is copied into the tracked
    /// execution as both its current and its original values, so the next write matches the row and leaves the request
    /// as it is. Anything else (the stamp moved on: recovery took the execution back) is a lost claim, as before.
    /// </summary>
    private static async Task<bool> TakeInCancellationAsync(AppDbContext db, DbUpdateConcurrencyException conflict)
    {
        var entry = conflict.Entries.SingleOrDefault(e => e.Entity is WorkflowExecution);
        if (entry is null || entry.Property(nameof(WorkflowExecution.CancelRequestedAt)).OriginalValue is not null)
        {
            return false;
        }

        var id = ((WorkflowExecution)entry.Entity).Id;
        var stamp = (Guid)entry.Property(nameof(WorkflowExecution.ConcurrencyStamp)).OriginalValue!;
        var row = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Id == id)
            .Select(e => new { e.ConcurrencyStamp, e.CancelRequestedAt, e.CancelRequestedBy, e.CancelReason })
            .SingleOrDefaultAsync(CancellationToken.None);
        if (row is null || row.ConcurrencyStamp != stamp || row.CancelRequestedAt is null)
        {
            return false;
        }

        Accept(entry.Property(nameof(WorkflowExecution.CancelRequestedAt)), row.CancelRequestedAt);
        Accept(entry.Property(nameof(WorkflowExecution.CancelRequestedBy)), row.CancelRequestedBy);
        Accept(entry.Property(nameof(WorkflowExecution.CancelReason)), row.CancelReason);
        return true;

        static void Accept(Microsoft.EntityFrameworkCore.ChangeTracking.PropertyEntry property, object? value)
        {
            property.CurrentValue = value;
            property.OriginalValue = value;
        }
    }

    /// <summary>
    /// Ends the execution as Cancelled at the boundary before a step, when the write that would have started the step
    /// met a cancellation request. That write's changes (the attempt's start) are dropped by reloading what the
    /// database holds; the previous step's success, which was to be written with them, is recorded again on the
    /// reloaded step and written with the cancellation, under the claim's stamp.
    /// </summary>
    private async Task<RunOutcome> CancelAtBoundaryAsync(AppDbContext db, Guid executionId, Guid claimStamp, StepExecution? unsavedSuccess)
    {
        var success = unsavedSuccess is { OutputJson: { } json }
            ? (unsavedSuccess.StepKey, Json: json, At: unsavedSuccess.FinishedAt ?? Now())
            : default((string StepKey, string Json, DateTime At)?);
        db.ChangeTracker.Clear();
        var execution = await LoadAsync(db, executionId, CancellationToken.None);
        if (execution is null || execution.Status != ExecutionStatus.Running || execution.ConcurrencyStamp != claimStamp)
        {
            await RollBackStepAsync(db);
            LogOwnershipLost(executionId);
            return RunOutcome.Abandoned;
        }

        if (success is { } succeeded)
        {
            execution.Steps.Single(s => s.StepKey == succeeded.StepKey).Succeed(succeeded.Json, succeeded.At);
        }

        execution.Cancel(Now());
        await SaveCheckpointAsync(db, CancellationToken.None);
        return RunOutcome.Cancelled;
    }

    /// <summary>
    /// The execution with its steps and their attempts in one round trip: one row per attempt (a chain of one-to-many,
    /// so no product of sibling collections), instead of a query per level.
    /// </summary>
    private static Task<WorkflowExecution?> LoadAsync(AppDbContext db, Guid executionId, CancellationToken cancellationToken) =>
        db.WorkflowExecutions
            .Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .AsSingleQuery()
            .SingleOrDefaultAsync(e => e.Id == executionId, cancellationToken);

    // Jittered so that the runners a database blip interrupted together do not all come back at the same instant;
    // the value needs no reproducibility, so the shared generator serves (no test depends on it).
    private TimeSpan TransientBackoff(int retry) =>
        options.Value.TransientRetryDelay * Math.Pow(2, retry - 1) * (0.5 + Random.Shared.NextDouble());

    private static bool IsLeftForRecovery(Exception exception) =>
        exception is LeftForRecoveryException || DatabaseFaults.IsTransient(exception);

    /// <summary>
    /// The failures a succeeding re-run resolves (decision 0025): every Failed, unresolved execution of its lineage
    /// created before it, the original, the original's original and failed sibling re-runs alike. Loaded tracked, so
    /// that their resolution is written by the same SaveChanges, in the same transaction, as the success. A Failed
    /// row's stamp never rotates again (Failed is final), so these updates cannot conflict with anything but a
    /// concurrent resolution, which writes the same fact.
    /// </summary>
    private static async Task<List<WorkflowExecution>> UnresolvedFailuresBeforeAsync(
        AppDbContext db, WorkflowExecution rerun, CancellationToken cancellationToken)
    {
        if (rerun.RerunOfId is null || rerun.RootExecutionId is not { } root)
        {
            return [];
        }

        return await db.WorkflowExecutions
            .Where(e => (e.Id == root || e.RootExecutionId == root) && e.Id != rerun.Id
                && e.Status == ExecutionStatus.Failed && e.ResolvedAt == null && e.CreatedAt <= rerun.CreatedAt)
            .ToListAsync(cancellationToken);
    }

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
            catch (Exception ex) when (ex is DbException || DatabaseFaults.IsTransient(ex))
            {
                // A missed beat is not fatal: the lease is four beats long. Try again at the next beat.
                LogHeartbeatFailed(ex, executionId);
            }
        }
    }

    private const string CheckpointSavepoint = "checkpoint";

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} was taken back by recovery; this runner stops without writing.")]
    private partial void LogOwnershipLost(Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: a heartbeat failed; the next one is tried at the usual time.")]
    private partial void LogHeartbeatFailed(Exception exception, Guid executionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} was claimed by another runner.")]
    private partial void LogClaimLost(Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: the database failed under the runner; it stops and leaves the execution to recovery.")]
    private partial void LogLeftForRecovery(Exception exception, Guid executionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A checkpoint met a transient database fault; retry {Retry} of {Retries}.")]
    private partial void LogCheckpointRetried(Exception exception, int retry, int retries);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} failed outside its steps.")]
    private partial void LogEngineFailure(Exception exception, Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: step {StepKey} failed attempt {Attempt} of {MaxAttempts}.")]
    private partial void LogAttemptFailed(Exception exception, Guid executionId, string stepKey, int attempt, int maxAttempts);

    /// <summary>The write that would start a step met a cancellation request; nothing of it was written.</summary>
    private sealed class CancellationArrivedException(Exception inner)
        : Exception("A cancellation was requested before the step started.", inner);

    /// <summary>The runner met a database fault it cannot settle by itself; recovery resumes the execution from the database.</summary>
    private sealed class LeftForRecoveryException(Exception inner)
        : Exception("The database failed under the runner; the execution is left to recovery.", inner);
}
