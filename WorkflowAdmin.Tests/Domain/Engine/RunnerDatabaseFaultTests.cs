using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>
/// The runner when the database fails under it, on PostgreSQL with real dropped connections (the session a chosen
/// command is about to use is terminated with pg_terminate_backend): a brief fault is retried, a longer one is left
/// to recovery, and neither becomes a Failed execution. The engine's failure path writes only under its own claim.
/// </summary>
public sealed class RunnerDatabaseFaultTests(PostgresDatabaseFixture database) : IAsyncLifetime, IClassFixture<PostgresDatabaseFixture>
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"faults"}}""";
    private static readonly TimeSpan Lease = new WorkflowEngineOptions().Lease;
    private static readonly int Retries = new WorkflowEngineOptions().TransientRetries;

    private TestServices services = null!;
    private SessionFaults faults = null!;

    private StepProbe Probe => services.GetRequiredService<StepProbe>();

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        faults = new SessionFaults(database.ConnectionString);
        services = TestServices.Create(database, s =>
        {
            s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
            s.AddSingleton<StepProbe>();
            s.ConfigureDbContext<PostgreSqlAppDbContext>((_, o) => o.AddInterceptors(faults), ServiceLifetime.Singleton);
        });
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_checkpoint_that_loses_its_connection_is_saved_again_and_the_execution_succeeds()
    {
        var id = await CreateAsync();
        faults.KillBefore(IsStepSuccessCheckpoint, times: 1);

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        Assert.Equal(1, faults.Killed);
        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.All(execution.Steps, s => Assert.Equal(ExecutionStatus.Succeeded, Assert.Single(s.Attempts).Status));
        Assert.Equal(1, Probe.Calls("add"));
    }

    [Fact]
    public async Task A_run_reads_its_execution_once_and_learns_of_cancellation_from_its_writes()
    {
        // Decision 0032: one query loads the execution with its steps and attempts, and no read per step asks about a
        // cancellation; the boundary writes carry that check. The runner's other statements are writes.
        var id = await CreateAsync();
        var reads = new List<string>();
        faults.RunBefore(
            sql =>
            {
                if (sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
                {
                    lock (reads)
                    {
                        reads.Add(sql);
                    }
                }

                return false;
            },
            () => Task.CompletedTask);

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var read = Assert.Single(reads);
        Assert.Contains("FROM \"WorkflowExecutions\"", read, StringComparison.Ordinal);
        Assert.Contains("\"StepAttempts\"", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_fault_that_outlasts_the_retries_leaves_the_execution_to_recovery_which_finishes_it()
    {
        var id = await CreateAsync();
        faults.KillBefore(IsStepSuccessCheckpoint, times: Retries + 1);

        Assert.Equal(RunOutcome.Interrupted, await RunAsync(id));

        var interrupted = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Running, interrupted.Status);
        Assert.Null(interrupted.ErrorType);
        Assert.Equal(ExecutionStatus.Running, Assert.Single(Step(interrupted, "add").Attempts).Status);

        services.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await services.GetRequiredService<ExecutionRecovery>().SweepAsync(default)).Resumed);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var finished = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Status);
        var attempts = Step(finished, "add").Attempts.OrderBy(a => a.Number).ToList();
        Assert.Equal(["WorkerLost", null], attempts.Select(a => a.ErrorType));
        Assert.Equal(ExecutionStatus.Succeeded, attempts[1].Status);
    }

    [Fact]
    public async Task A_step_whose_database_work_loses_its_connection_is_tried_again_beyond_its_attempt_limit()
    {
        // The step's own system lives in the database (as the provisioning adapters do), and its connection is
        // dropped on as many attempts as the step is allowed (add: 2). That is no verdict on the step.
        Probe.OnEnter("add", async context =>
            await context.Services.GetRequiredService<AppDbContext>().Customers.CountAsync(c => c.Slug == "probe"));
        faults.KillBefore(sql => sql.Contains("FROM \"Customers\"", StringComparison.Ordinal), times: 2);
        var id = await CreateAsync();

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        var attempts = Step(execution, "add").Attempts.OrderBy(a => a.Number).ToList();
        Assert.Equal(
            [ExecutionStatus.Failed, ExecutionStatus.Failed, ExecutionStatus.Succeeded],
            attempts.Select(a => a.Status));
        Assert.All(attempts.Take(2), a => Assert.Contains("terminating connection due to administrator command", a.ErrorStackTrace, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Database_faults_before_a_resume_do_not_use_up_the_steps_attempts_after_it()
    {
        // add may be attempted twice. Its database work is dropped until the runner leaves the execution to recovery...
        Probe.OnEnter("add", async context =>
            await context.Services.GetRequiredService<AppDbContext>().Customers.CountAsync(c => c.Slug == "probe"));
        faults.KillBefore(sql => sql.Contains("FROM \"Customers\"", StringComparison.Ordinal), times: Retries + 1);
        var id = await CreateAsync();
        Assert.Equal(RunOutcome.Interrupted, await RunAsync(id));
        services.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await services.GetRequiredService<ExecutionRecovery>().SweepAsync(default)).Resumed);

        // ...and after the resume it fails once on its own: its first real attempt, so it is tried again.
        Probe.FailNext("add");
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var attempts = Step(await LoadAsync(id), "add").Attempts.OrderBy(a => a.Number).ToList();
        Assert.Equal(Retries + 1, attempts.Count(a => a.ErrorType == ErrorInfo.DatabaseUnavailableType));
        Assert.All(
            attempts.Where(a => a.ErrorType == ErrorInfo.DatabaseUnavailableType),
            a => Assert.Contains("terminating connection due to administrator command", a.ErrorStackTrace, StringComparison.Ordinal));
        Assert.Equal([ExecutionStatus.Failed, ExecutionStatus.Succeeded], attempts.TakeLast(2).Select(a => a.Status));
    }

    [Fact]
    public async Task A_runner_whose_execution_was_claimed_elsewhere_does_not_fail_it_on_an_engine_error()
    {
        var id = await CreateAsync();
        await using (var db = database.CreateDbContext())
        {
            // An engine error waits for this runner at "square": a stored input that no longer fits its record.
            await db.StepExecutions.Where(s => s.ExecutionId == id && s.StepKey == "square")
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.InputJson, "{\"unexpected\":1}"));
        }

        // Between "add" and "square" (as it writes add's success, which the engine error makes it write alone) the
        // runner stalls long enough for recovery to take the execution back and another node to claim it.
        var seen = 0;
        Guid newOwnerStamp = default;
        faults.RunBefore(
            sql => sql.Contains("UPDATE \"StepExecutions\"", StringComparison.Ordinal)
                   && sql.Contains("\"OutputJson\"", StringComparison.Ordinal) && ++seen == 1,
            async () => newOwnerStamp = await TakeBackAndClaimElsewhereAsync(id));

        Assert.Equal(RunOutcome.Abandoned, await RunAsync(id));

        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Running, execution.Status);
        Assert.Equal(newOwnerStamp, execution.ConcurrencyStamp);
        Assert.Null(execution.ErrorType);
        Assert.Null(execution.FailedStepKey);
        Assert.DoesNotContain(execution.Steps, s => s.Status == ExecutionStatus.Failed);
    }

    [Fact]
    public async Task A_steps_records_commit_in_the_same_transaction_as_its_success()
    {
        // Decision 0044: the step's adapters write in the runner's transaction, which the step's success commits. So
        // when the checkpoint that records the success is sent, no other session can see the step's record yet.
        Probe.OnEnter("add", WriteRecordAsync);
        var id = await CreateAsync();
        int? visibleBeforeCheckpoint = null;
        faults.RunBefore(
            sql => IsStepSuccessCheckpoint(sql) && visibleBeforeCheckpoint is null,
            async () =>
            {
                await using var other = database.CreateDbContext();
                visibleBeforeCheckpoint = await other.DirectoryUsers.CountAsync(u => u.Email == RecordEmail);
            });

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        Assert.Equal(0, visibleBeforeCheckpoint);
        Assert.Equal(ExecutionStatus.Succeeded, (await LoadAsync(id)).Status);
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.DirectoryUsers.CountAsync(u => u.Email == RecordEmail));
    }

    [Fact]
    public async Task A_runner_that_loses_its_claim_before_the_steps_success_is_written_leaves_none_of_the_steps_records()
    {
        Probe.OnEnter("add", WriteRecordAsync);
        var id = await CreateAsync();
        var seen = 0;
        faults.RunBefore(sql => IsStepSuccessCheckpoint(sql) && ++seen == 1, async () => await TakeBackAndClaimElsewhereAsync(id));

        Assert.Equal(RunOutcome.Abandoned, await RunAsync(id));

        // Before decision 0044 the record stayed without the success; now the new owner finds neither and runs the
        // step again, creating the record once.
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.DirectoryUsers.CountAsync(u => u.Email == RecordEmail));
        Assert.NotEqual(ExecutionStatus.Succeeded, Step(await LoadAsync(id), "add").Status);
    }

    [Fact]
    public async Task A_step_transaction_whose_connection_drops_at_the_checkpoint_is_left_to_recovery_and_the_record_is_written_once()
    {
        Probe.OnEnter("add", WriteRecordAsync);
        var id = await CreateAsync();
        faults.KillBefore(IsStepSuccessCheckpoint, times: 1);

        // The fault ended the transaction with the step's record in it: nothing to retry the checkpoint with.
        Assert.Equal(RunOutcome.Interrupted, await RunAsync(id));
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(0, await db.DirectoryUsers.CountAsync(u => u.Email == RecordEmail));
        }

        services.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await services.GetRequiredService<ExecutionRecovery>().SweepAsync(default)).Resumed);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var finished = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Status);
        Assert.Equal(["WorkerLost", null], Step(finished, "add").Attempts.OrderBy(a => a.Number).Select(a => a.ErrorType));
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(1, await db.DirectoryUsers.CountAsync(u => u.Email == RecordEmail));
        }
    }

    [Fact]
    public async Task A_failed_attempt_leaves_none_of_its_records_and_the_retry_writes_them_once()
    {
        // The step inserts its record and then fails (add may be attempted twice): the attempt's insert is rolled back,
        // so the retry's insert of the same unique email succeeds (before decision 0044 it met the first one's row).
        Probe.OnEnter("add", async context =>
        {
            var db = context.Services.GetRequiredService<AppDbContext>();
            db.DirectoryUsers.Add(DirectoryUser.Create(RecordEmail, "Record", DateTime.UtcNow));
            await db.SaveChangesAsync();
        });
        Probe.FailNext("add");
        var id = await CreateAsync();

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        Assert.Equal(
            [ExecutionStatus.Failed, ExecutionStatus.Succeeded],
            Step(await LoadAsync(id), "add").Attempts.OrderBy(a => a.Number).Select(a => a.Status));
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.DirectoryUsers.CountAsync(u => u.Email == RecordEmail));
    }

    private const string RecordEmail = "record@example.com";

    // A step's own record, written as the adapters write theirs: through the attempt scope's AppDbContext. A record
    // that exists already is not written again (as the adapters' get-or-create).
    private static async Task WriteRecordAsync(StepContext context)
    {
        var db = context.Services.GetRequiredService<AppDbContext>();
        if (!await db.DirectoryUsers.AnyAsync(u => u.Email == RecordEmail))
        {
            db.DirectoryUsers.Add(DirectoryUser.Create(RecordEmail, "Record", DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
    }

    private async Task<Guid> TakeBackAndClaimElsewhereAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        var stale = services.Time.GetUtcNow().UtcDateTime - Lease - Lease;
        await db.WorkflowExecutions.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.HeartbeatAt, stale));
        Assert.Equal(1, (await services.GetRequiredService<ExecutionRecovery>().SweepAsync(default)).Resumed);
        var execution = await db.WorkflowExecutions.SingleAsync(e => e.Id == id);
        execution.Start(services.Time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
        return execution.ConcurrencyStamp;
    }

    // The save that records a step's success (the only runner write that carries a step's output).
    private static bool IsStepSuccessCheckpoint(string sql) =>
        sql.Contains("UPDATE \"StepExecutions\"", StringComparison.Ordinal) && sql.Contains("\"OutputJson\"", StringComparison.Ordinal);

    private Task<Guid> CreateAsync() =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default)).Id);

    private Task<RunOutcome> RunAsync(Guid id) => services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);

    private async Task<WorkflowExecution> LoadAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking()
            .Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .AsSplitQuery()
            .SingleAsync(e => e.Id == id);
    }

    private static StepExecution Step(WorkflowExecution execution, string key) => execution.Steps.Single(s => s.StepKey == key);
}
