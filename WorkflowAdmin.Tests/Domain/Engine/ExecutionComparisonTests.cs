using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>
/// Comparing two executions against a real database: which executions are offered (original, re-runs, the last
/// success with the business key), step-by-step matching and the structural diffs, and the refusals. Once per provider.
/// </summary>
public abstract class ExecutionComparisonTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

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

    private StepProbe Probe => services.GetRequiredService<StepProbe>();

    [Fact]
    public async Task A_failure_is_offered_its_reruns_and_the_last_success_with_its_business_key_and_nothing_else()
    {
        var (older, success, failure, rerun) = await HistoryAsync();
        var other = await RunNewAsync("""{"add":{"a":1,"b":1,"label":"globex"}}""");

        var forFailure = await CandidatesAsync(failure);
        var forRerun = await CandidatesAsync(rerun);
        var forSuccess = await CandidatesAsync(success);

        Assert.Equal([(rerun, ComparisonRelation.Rerun, ExecutionStatus.Succeeded), (success, ComparisonRelation.LastSucceeded, ExecutionStatus.Succeeded)],
            forFailure.Select(c => (c.Id, c.Relation, c.Status)));
        Assert.Equal([(failure, ComparisonRelation.Original), (success, ComparisonRelation.LastSucceeded)], forRerun.Select(c => (c.Id, c.Relation)));

        // The last success *before* it, so a success is compared with the one that worked before it.
        Assert.Equal([(older, ComparisonRelation.LastSucceeded)], forSuccess.Select(c => (c.Id, c.Relation)));
        Assert.Empty(await CandidatesAsync(other));
    }

    [Fact]
    public async Task Steps_are_matched_by_key_and_differ_in_status_and_payload_and_error_values_by_path()
    {
        var (_, success, failure, rerun) = await HistoryAsync();

        var comparison = await CompareAsync(failure, rerun);

        Assert.True(comparison.SameWorkflow);
        Assert.Equal(ExecutionStatus.Failed, comparison.Left.Status);
        Assert.Equal(ExecutionStatus.Succeeded, comparison.Right.Status);
        Assert.Equal(TriggerSource.Rerun, comparison.Right.TriggerSource);
        Assert.Equal(["add", "square", "describe"], comparison.Steps.Select(s => s.StepKey));

        var add = comparison.Steps[0];
        Assert.Equal([new JsonChange("a", "2", "4")], add.Input);
        Assert.Equal([new JsonChange("sum", "5", "7")], add.Output);
        Assert.True(add.Differs);

        var square = comparison.Steps[1];
        Assert.Equal((ExecutionStatus.Failed, 1), (square.Left!.Status, square.Left.AttemptCount));
        Assert.Equal((ExecutionStatus.Succeeded, 1), (square.Right!.Status, square.Right.AttemptCount));
        Assert.Equal([new JsonChange("$", null, """{"square":49}""")], square.Output);
        var error = Assert.Single(square.Error);
        Assert.Equal(("$", JsonChangeKind.Removed), (error.Path, error.Kind));
        Assert.Contains("System.TimeoutException", error.Before, StringComparison.Ordinal);
        Assert.Contains(comparison.Input, c => c.Path == "add.a" && c.Before == "2" && c.After == "4");

        // Two successes of the same input differ in nothing but timing: every step is unchanged.
        var same = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""");
        var unchanged = await CompareAsync(success, same);
        Assert.All(unchanged.Steps, s => Assert.False(s.Differs, s.StepKey));
        Assert.Empty(unchanged.Input);
        Assert.Empty(unchanged.Output);
    }

    [Fact]
    public async Task An_unknown_id_or_the_same_execution_twice_is_refused_with_a_clear_message()
    {
        var (_, success, _, _) = await HistoryAsync();
        var unknown = Guid.NewGuid();

        var missing = await Assert.ThrowsAsync<ExecutionComparisonException>(() => CompareAsync(success, unknown));
        var missingLeft = await Assert.ThrowsAsync<ExecutionComparisonException>(() => CompareAsync(unknown, success));
        var same = await Assert.ThrowsAsync<ExecutionComparisonException>(() => CompareAsync(success, success));

        Assert.Equal($"There is no execution {unknown}. It may have been typed wrongly or deleted.", missing.Message);
        Assert.Equal(missing.Message, missingLeft.Message);
        Assert.Contains("choose another execution", same.Message, StringComparison.Ordinal);
    }

    // Business key "acme": an older success, a success, a failure at "square", and its re-run with an edited input.
    private async Task<(Guid Older, Guid Success, Guid Failure, Guid Rerun)> HistoryAsync()
    {
        var older = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""");
        var success = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""");
        Probe.FailNext("square");
        var failure = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""");
        var rerun = await services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>().RerunAsync(
            failure, new RerunRequest(RerunMode.FromStart, "ticket 4711", """{"add":{"a":4,"b":3,"label":"acme"}}"""), TestActors.Admin, default)).Id);
        Assert.Equal(RunOutcome.Succeeded, await services.GetRequiredService<WorkflowRunner>().RunAsync(rerun, default));
        return (older, success, failure, rerun);
    }

    private async Task<Guid> RunNewAsync(string input)
    {
        var id = await services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, input, TestActors.Admin, default)).Id);
        await services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);
        return id;
    }

    private async Task<IReadOnlyList<ComparisonCandidate>> CandidatesAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        var execution = await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id == id);
        return await ComparisonCandidate.ForAsync(db, execution, default);
    }

    private async Task<ExecutionComparison> CompareAsync(Guid left, Guid right)
    {
        await using var db = database.CreateDbContext();
        return await ExecutionComparison.LoadAsync(db, left, right, default);
    }
}

public sealed class SqliteExecutionComparisonTests(SqliteDatabaseFixture database)
    : ExecutionComparisonTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionComparisonTests(PostgresDatabaseFixture database)
    : ExecutionComparisonTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
