using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>
/// A failure is resolved by a succeeded re-run in its lineage, written with the re-run's success (decision 0025);
/// run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class ResolvedByRerunTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string ValidInput = """{"add":{"a":2,"b":3,"label":"two-and-three"}}""";

    private TestServices services = null!;

    private StepProbe Probe => services.GetRequiredService<StepProbe>();

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
    public async Task A_succeeded_rerun_resolves_the_failure_it_reran_when_it_succeeds()
    {
        Probe.FailNext("square", times: 1);
        var originalId = await CreateAsync(ValidInput);
        Assert.Equal(RunOutcome.Failed, await RunAsync(originalId));
        var rerunId = await RerunAsync(originalId);
        Assert.Null((await LoadAsync(originalId)).ResolvedAt);

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(rerunId));

        var original = await LoadAsync(originalId);
        var rerun = await LoadAsync(rerunId);
        Assert.Equal(ExecutionStatus.Failed, original.Status);
        Assert.Equal(rerun.FinishedAt, original.ResolvedAt);
        Assert.Equal(rerunId, original.ResolvedByExecutionId);
        Assert.False(original.IsUnresolvedFailure);
        Assert.Null(rerun.ResolvedAt);
        Assert.Null(rerun.ResolvedByExecutionId);
    }

    [Fact]
    public async Task A_failed_rerun_resolves_nothing_and_a_succeeded_rerun_of_it_resolves_both()
    {
        Probe.FailNext("square", times: 2);
        var originalId = await CreateAsync(ValidInput);
        Assert.Equal(RunOutcome.Failed, await RunAsync(originalId));
        var firstRerunId = await RerunAsync(originalId);
        Assert.Equal(RunOutcome.Failed, await RunAsync(firstRerunId));

        Assert.True((await LoadAsync(originalId)).IsUnresolvedFailure);
        Assert.True((await LoadAsync(firstRerunId)).IsUnresolvedFailure);

        var secondRerunId = await RerunAsync(firstRerunId);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(secondRerunId));

        var secondRerun = await LoadAsync(secondRerunId);
        foreach (var id in new[] { originalId, firstRerunId })
        {
            var failure = await LoadAsync(id);
            Assert.Equal(ExecutionStatus.Failed, failure.Status);
            Assert.Equal(secondRerunId, failure.ResolvedByExecutionId);
            Assert.Equal(secondRerun.FinishedAt, failure.ResolvedAt);
        }
    }

    [Fact]
    public async Task An_execution_that_is_no_rerun_resolves_nothing_when_it_succeeds()
    {
        Probe.FailNext("square", times: 1);
        var failedId = await CreateAsync(ValidInput);
        Assert.Equal(RunOutcome.Failed, await RunAsync(failedId));
        var otherId = await CreateAsync(ValidInput);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(otherId));

        Assert.True((await LoadAsync(failedId)).IsUnresolvedFailure);
    }

    private Task<Guid> CreateAsync(string input) =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, input, TestActors.Admin, default)).Id);

    private Task<Guid> RerunAsync(Guid id) =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().RerunAsync(
                id, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711", ConfirmDuplicate: true), TestActors.Admin, default)).Id);

    private Task<RunOutcome> RunAsync(Guid id) => services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);

    private async Task<WorkflowExecution> LoadAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id == id);
    }
}

public sealed class SqliteResolvedByRerunTests(SqliteDatabaseFixture database)
    : ResolvedByRerunTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresResolvedByRerunTests(PostgresDatabaseFixture database)
    : ResolvedByRerunTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
