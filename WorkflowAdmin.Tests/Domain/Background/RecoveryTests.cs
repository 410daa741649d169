using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Background;

/// <summary>
/// Recovery of executions nothing is going to run, on a fake clock: Running ones whose worker stopped beating
/// (Pending ones need no recovery: the table is the queue, see PendingExecutionsTests). Dispatches are recorded; the tests run the runner themselves.
/// </summary>
public abstract class RecoveryTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private TestServices services = null!;

    private RecordingDispatcher Dispatched => services.GetRequiredService<RecordingDispatcher>();

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s =>
        {
            s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
            s.AddSingleton<StepProbe>();
        });
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_running_execution_whose_worker_stopped_beating_is_resumed_from_its_unfinished_step()
    {
        var id = await CreateAsync();
        await SimulateWorkerDiedInsideAsync(id, "square");
        services.Time.Advance(Lease + TimeSpan.FromSeconds(1));

        var report = await SweepAsync();

        Assert.Equal(new RecoveryReport(Resumed: 1, Failed: 0), report);
        Assert.Contains(id, Dispatched.Enqueued);
        var released = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Pending, released.Status);
        Assert.Equal(1, released.RecoveryCount);
        var lost = Assert.Single(Step(released, "square").Attempts);
        Assert.Equal(ExecutionStatus.Failed, lost.Status);
        Assert.Equal("WorkerLost", lost.ErrorType);

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));
        var finished = await LoadAsync(id);
        Assert.Equal(1, Step(finished, "add").AttemptCount);
        Assert.Equal(2, Step(finished, "square").AttemptCount);
        Assert.Equal(0, services.GetRequiredService<StepProbe>().Calls("add"));
        Assert.Equal(1, services.GetRequiredService<StepProbe>().Calls("square"));
    }

    [Fact]
    public async Task A_running_execution_with_a_live_heartbeat_is_left_alone()
    {
        var id = await CreateAsync();
        await SimulateWorkerDiedInsideAsync(id, "add");
        services.Time.Advance(Lease - TimeSpan.FromSeconds(5));

        Assert.False((await SweepAsync()).Any);
        Assert.Equal(ExecutionStatus.Running, (await LoadAsync(id)).Status);
        Assert.Single(Dispatched.Enqueued, e => e == id);
    }

    [Fact]
    public async Task An_execution_that_loses_its_worker_too_often_is_failed_instead_of_resumed_again()
    {
        var id = await CreateAsync();
        for (var loss = 1; loss <= 4; loss++)
        {
            await SimulateWorkerDiedInsideAsync(id, "add");
            services.Time.Advance(Lease + TimeSpan.FromSeconds(1));
            var report = await SweepAsync();
            Assert.Equal(loss <= 3 ? 1 : 0, report.Resumed);
            Assert.Equal(loss <= 3 ? 0 : 1, report.Failed);
        }

        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("add", execution.FailedStepKey);
        Assert.Equal("WorkerLost", execution.ErrorType);
        Assert.Equal(ExecutionStatus.Failed, Step(execution, "add").Status);
        Assert.Equal(4, Step(execution, "add").AttemptCount);
    }

    [Fact]
    public async Task A_runner_presumed_dead_stops_without_writing_when_it_wakes_up()
    {
        var id = await CreateAsync();
        var inside = new TaskCompletionSource();
        var wake = new TaskCompletionSource();
        services.GetRequiredService<StepProbe>().OnEnter("square", async _ =>
        {
            inside.TrySetResult();
            await wake.Task;
        });
        var zombie = RunAsync(id);
        await inside.Task;

        // The runner is stuck inside "square" long enough for its heartbeat to lapse, and recovery takes it back.
        await using (var db = await CreateDbContextAsync())
        {
            var stale = services.Time.GetUtcNow().UtcDateTime - Lease - Lease;
            await db.WorkflowExecutions.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.HeartbeatAt, stale));
        }

        Assert.Equal(1, (await SweepAsync()).Resumed);
        wake.SetResult();

        Assert.Equal(RunOutcome.Abandoned, await zombie);
        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Pending, execution.Status);
        Assert.Equal(ExecutionStatus.Running, Step(execution, "square").Status);
        Assert.Null(Step(execution, "square").OutputJson);
        services.GetRequiredService<StepProbe>().OnEnter("square", _ => Task.CompletedTask);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));
    }

    private async Task SimulateWorkerDiedInsideAsync(Guid id, string stepKey)
    {
        // What a worker leaves behind when its process dies inside a step: the claim and the attempt, nothing after.
        await using var db = await CreateDbContextAsync();
        var execution = await db.WorkflowExecutions.Include(e => e.Steps).ThenInclude(s => s.Attempts).AsSplitQuery()
            .SingleAsync(e => e.Id == id);
        var now = services.Time.GetUtcNow().UtcDateTime;
        execution.Start(now);
        foreach (var step in execution.Steps.OrderBy(s => s.Ordinal).TakeWhile(s => s.StepKey != stepKey))
        {
            if (step.Status != ExecutionStatus.Succeeded)
            {
                step.StartAttempt(now);
                step.Succeed("""{"sum":5}""", now);
            }
        }

        execution.Steps.Single(s => s.StepKey == stepKey).StartAttempt(now);
        execution.EnterStep(stepKey, now);
        await db.SaveChangesAsync();
    }

    private Task<Guid> CreateAsync() =>
        services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
            .CreateAsync(ArithmeticWorkflow.WorkflowKey, """{"add":{"a":2,"b":3,"label":"rec"}}""", TestActors.Admin, default)).Id);

    private Task<RecoveryReport> SweepAsync() => services.GetRequiredService<ExecutionRecovery>().SweepAsync(default);

    private Task<RunOutcome> RunAsync(Guid id) => services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);

    private Task<AppDbContext> CreateDbContextAsync() =>
        services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    private async Task<WorkflowExecution> LoadAsync(Guid id)
    {
        await using var db = await CreateDbContextAsync();
        return await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).ThenInclude(s => s.Attempts).AsSplitQuery()
            .SingleAsync(e => e.Id == id);
    }

    private static StepExecution Step(WorkflowExecution execution, string key) => execution.Steps.Single(s => s.StepKey == key);
}

public sealed class SqliteRecoveryTests(SqliteDatabaseFixture database)
    : RecoveryTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresRecoveryTests(PostgresDatabaseFixture database)
    : RecoveryTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
