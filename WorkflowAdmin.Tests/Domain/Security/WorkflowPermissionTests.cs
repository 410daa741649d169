using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;
using WorkflowAdmin.Tests.ThirdWorkflow;

namespace WorkflowAdmin.Tests.Domain.Security;

/// <summary>
/// An admin limited to some workflows starts, re-runs and cancels only their executions, whatever the caller shows:
/// enforced in <see cref="ExecutionService"/> and <see cref="BulkReruns"/>. Run once per provider (bottom).
/// </summary>
public abstract class WorkflowPermissionTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly Actor Limited = TestActors.Admin.LimitedTo([ShipOrderWorkflow.WorkflowKey]);
    private const string ArithmeticInput = """{"add":{"a":1,"b":2,"label":"p"}}""";

    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s =>
        {
            s.AddSingleton<WorkflowDefinition, ShipOrderWorkflow>();
            s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        });
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_limited_admin_starts_only_the_workflows_named_and_nothing_is_written_for_the_others()
    {
        var allowed = await CreateAsync(ShipOrderWorkflow.WorkflowKey, ShipOrderWorkflow.ExampleInput("ORD-P1"), Limited);

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => CreateAsync(ArithmeticWorkflow.WorkflowKey, ArithmeticInput, Limited));

        Assert.Equal(ArithmeticWorkflow.WorkflowKey, denied.WorkflowKey);
        Assert.Contains(ArithmeticWorkflow.WorkflowKey, denied.Message, StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        Assert.Equal([allowed], db.WorkflowExecutions.Select(e => e.Id).ToList());
    }

    [Fact]
    public async Task A_limited_admin_cancels_and_reruns_only_executions_of_the_workflows_named()
    {
        var other = await CreateAsync(ArithmeticWorkflow.WorkflowKey, ArithmeticInput, Actor.System);
        var own = await CreateAsync(ShipOrderWorkflow.WorkflowKey, ShipOrderWorkflow.ExampleInput("ORD-P2"), Actor.System);

        await Assert.ThrowsAsync<AccessDeniedException>(() => InScope<ExecutionService, CancelOutcome>(s => s.CancelAsync(other, "not mine", Limited, default)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => InScope<ExecutionService, WorkflowExecution>(
            s => s.RerunAsync(other, new RerunRequest(RerunMode.FromStart, "not mine"), Limited, default)));

        // Its own: past the permission, to the execution's state (a Pending one is cancelled; it cannot be re-run).
        await Assert.ThrowsAsync<ExecutionStateException>(() => InScope<ExecutionService, WorkflowExecution>(
            s => s.RerunAsync(own, new RerunRequest(RerunMode.FromStart, "mine"), Limited, default)));
        Assert.Equal(CancelOutcome.Cancelled, await InScope<ExecutionService, CancelOutcome>(s => s.CancelAsync(own, "mine", Limited, default)));

        await using var db = database.CreateDbContext();
        Assert.Equal(ExecutionStatus.Pending, db.WorkflowExecutions.Single(e => e.Id == other).Status);
    }

    [Fact]
    public async Task A_bulk_rerun_naming_any_execution_of_another_workflow_is_refused_whole()
    {
        var other = await CreateAsync(ArithmeticWorkflow.WorkflowKey, ArithmeticInput, Actor.System);
        var own = await CreateAsync(ShipOrderWorkflow.WorkflowKey, ShipOrderWorkflow.ExampleInput("ORD-P3"), Actor.System);

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => InScope<BulkReruns, BulkRerun>(
            s => s.StartAsync(Guid.NewGuid(), [own, other], RerunMode.FromStart, "both", "", Limited, default)));

        Assert.Equal(ArithmeticWorkflow.WorkflowKey, denied.WorkflowKey);
        await using var db = database.CreateDbContext();
        Assert.Empty(db.BulkReruns);
    }

    [Fact]
    public void An_empty_limit_is_no_limit()
    {
        var unlimited = TestActors.Admin.LimitedTo([]);

        Assert.Null(unlimited.Workflows);
        Assert.True(unlimited.Can(Permission.TriggerExecution, ArithmeticWorkflow.WorkflowKey));
        Assert.False(Limited.Can(Permission.TriggerExecution, ArithmeticWorkflow.WorkflowKey));
        Assert.True(Limited.Can(Permission.TriggerExecution, ShipOrderWorkflow.WorkflowKey));
        Assert.False(TestActors.Support.LimitedTo(null).Can(Permission.TriggerExecution, ShipOrderWorkflow.WorkflowKey));
    }

    private async Task<Guid> CreateAsync(string workflow, string input, Actor actor) =>
        (await InScope<ExecutionService, WorkflowExecution>(s => s.CreateAsync(workflow, input, actor, default))).Id;

    private Task<TResult> InScope<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull =>
        services.InScopeAsync(sp => action(sp.GetRequiredService<TService>()));
}

public sealed class SqliteWorkflowPermissionTests(SqliteDatabaseFixture database)
    : WorkflowPermissionTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresWorkflowPermissionTests(PostgresDatabaseFixture database)
    : WorkflowPermissionTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
