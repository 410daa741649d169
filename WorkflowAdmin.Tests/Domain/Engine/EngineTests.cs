using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>The engine against a real database; run once per provider by the subclasses at the bottom.</summary>
public abstract class EngineTests<TDatabase>(TDatabase database) : IAsyncLifetime
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
    public async Task A_run_executes_every_step_in_order_and_stores_the_composed_output()
    {
        var id = await CreateAsync("""{"add":{"a":2,"b":3,"label":"two-and-three"},"describe":{"prefix":"sq"}}""");

        var outcome = await RunAsync(id);

        Assert.Equal(RunOutcome.Succeeded, outcome);
        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("two-and-three", execution.BusinessKey);
        Assert.NotNull(execution.StartedAt);
        Assert.True(execution.FinishedAt > execution.StartedAt);
        Assert.Equal("""{"add":{"sum":5},"square":{"square":25},"describe":{"text":"sq=25"}}""", execution.OutputJson);
        Assert.Equal(["add", "square", "describe"], execution.Steps.OrderBy(s => s.Ordinal).Select(s => s.StepKey));
        Assert.All(execution.Steps, s =>
        {
            Assert.Equal(ExecutionStatus.Succeeded, s.Status);
            Assert.Equal(1, s.AttemptCount);
            Assert.Equal(ExecutionStatus.Succeeded, Assert.Single(s.Attempts).Status);
        });
    }

    [Fact]
    public async Task An_optional_step_left_out_of_the_input_succeeds_without_input()
    {
        var id = await CreateAsync(ValidInput);

        await RunAsync(id);

        var execution = await LoadAsync(id);
        Assert.Equal("null", execution.Steps.Single(s => s.StepKey == "describe").InputJson);
        Assert.Contains("\"describe\":{\"text\":\"skipped\"}", execution.OutputJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_input_reports_every_error_with_its_path_and_writes_nothing()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            CreateAsync("""{"add":{"a":-1,"b":3,"label":""},"describe":{"prefix":"far-too-long-prefix"},"bogus":{}}"""));

        Assert.Equal(
            ["bogus: is not a step of workflow 'test-arithmetic'", "add.label: is required", "add.a: must not be negative", "describe.prefix: must be at most 10 characters"],
            ex.Errors.Select(e => e.ToString()));
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.WorkflowExecutions.CountAsync());
        Assert.Equal(0, await db.StepExecutions.CountAsync());
    }

    [Theory]
    [InlineData("""{"add":{"a":"two","label":"x"}}""", "add.a: must be a whole number")]
    [InlineData("""{"add":{"a":1,"label":"x","c":3}}""", "add.c: is not a known field")]
    [InlineData("""{"add":[1,2]}""", "add: must be an object")]
    [InlineData("""{}""", "add: is required")]
    [InlineData("""[1]""", "$: must be a JSON object keyed by step")]
    [InlineData("""{"add":""", "$: is not valid JSON")]
    public async Task Malformed_input_is_reported_in_words_with_its_path(string input, string expected)
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => CreateAsync(input));

        Assert.StartsWith(expected, Assert.Single(ex.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_workflow_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<UnknownWorkflowException>(() =>
            services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>().CreateAsync("nope", "{}", TestActors.Admin, default)));

        Assert.Contains("There is no workflow 'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_step_records_the_attempt_marks_step_and_execution_failed_and_runs_no_later_step()
    {
        Probe.FailNext("square");
        var id = await CreateAsync(ValidInput);

        var outcome = await RunAsync(id);

        Assert.Equal(RunOutcome.Failed, outcome);
        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("square", execution.FailedStepKey);
        Assert.Equal("System.TimeoutException", execution.ErrorType);
        Assert.Equal("The arithmetic service did not answer for step 'square'.", execution.ErrorMessage);
        var square = execution.Steps.Single(s => s.StepKey == "square");
        Assert.Equal(ExecutionStatus.Failed, square.Status);
        var attempt = Assert.Single(square.Attempts);
        Assert.Equal(ExecutionStatus.Failed, attempt.Status);
        Assert.Equal("System.TimeoutException", attempt.ErrorType);
        Assert.Contains("StepProbe.EnterAsync", attempt.ErrorStackTrace, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Pending, execution.Steps.Single(s => s.StepKey == "describe").Status);
        Assert.Equal(0, Probe.Calls("describe"));
        Assert.Null(execution.OutputJson);
    }

    [Fact]
    public async Task A_step_is_retried_up_to_its_attempt_limit_and_every_attempt_is_kept()
    {
        Probe.FailNext("add", times: 1);
        var id = await CreateAsync(ValidInput);

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var add = (await LoadAsync(id)).Steps.Single(s => s.StepKey == "add");
        Assert.Equal(2, add.AttemptCount);
        var attempts = add.Attempts.OrderBy(a => a.Number).ToList();
        Assert.Equal(ExecutionStatus.Failed, attempts[0].Status);
        Assert.Equal("System.TimeoutException", attempts[0].ErrorType);
        Assert.Equal(ExecutionStatus.Succeeded, attempts[1].Status);
        Assert.Null(attempts[1].ErrorType);
    }

    [Fact]
    public async Task A_succeeded_execution_is_never_run_or_rerun_again()
    {
        var id = await CreateAsync(ValidInput);
        await RunAsync(id);

        var run = await Assert.ThrowsAsync<ExecutionStateException>(() => RunAsync(id));
        var rerun = await Assert.ThrowsAsync<ExecutionStateException>(() => RerunAsync(id, RerunMode.FromStart));

        Assert.Contains("already succeeded", run.Message, StringComparison.Ordinal);
        Assert.Contains("only Failed or Cancelled executions can be re-run", rerun.Message, StringComparison.Ordinal);
        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Null(execution.ErrorMessage);
        Assert.Equal(1, Probe.Calls("add"));
    }

    [Fact]
    public async Task Resume_from_failed_step_reuses_succeeded_steps_and_only_marks_the_original_resolved()
    {
        Probe.FailNext("square");
        var originalId = await CreateAsync(ValidInput);
        await RunAsync(originalId);
        var before = await LoadAsync(originalId);

        var rerunId = await RerunAsync(originalId, RerunMode.ResumeFromFailedStep);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(rerunId));

        var rerun = await LoadAsync(rerunId);
        Assert.Equal(originalId, rerun.RerunOfId);
        Assert.Equal(originalId, rerun.RootExecutionId);
        Assert.Equal(TriggerSource.Rerun, rerun.TriggerSource);
        Assert.Equal("ada", rerun.TriggeredBy);
        Assert.Equal(RerunMode.ResumeFromFailedStep, rerun.RerunMode);
        Assert.Equal("ticket 4711", rerun.RerunReason);
        var add = rerun.Steps.Single(s => s.StepKey == "add");
        Assert.True(add.IsReused);
        Assert.Equal(before.Steps.Single(s => s.StepKey == "add").Id, add.ReusedFromStepId);
        Assert.Empty(add.Attempts);
        Assert.Equal(1, Probe.Calls("add"));
        Assert.Equal(2, Probe.Calls("square"));
        Assert.Contains("\"square\":{\"square\":25}", rerun.OutputJson, StringComparison.Ordinal);

        var after = await LoadAsync(originalId);
        Assert.Equal(ExecutionStatus.Failed, after.Status);
        Assert.Equal(before.ConcurrencyStamp, after.ConcurrencyStamp);
        Assert.Equal(before.FinishedAt, after.FinishedAt);
        Assert.Equal(before.ErrorMessage, after.ErrorMessage);
        Assert.Equal(
            before.Steps.Select(s => (s.Id, s.Status, s.AttemptCount)).OrderBy(s => s.Id),
            after.Steps.Select(s => (s.Id, s.Status, s.AttemptCount)).OrderBy(s => s.Id));

        // Its resolution (decision 0025) is the one change, and it moves ModifiedAt so that open pages see it.
        Assert.Equal(rerunId, after.ResolvedByExecutionId);
        Assert.Equal(rerun.FinishedAt, after.ResolvedAt);
        Assert.Equal(rerun.FinishedAt, after.ModifiedAt);
    }

    [Fact]
    public async Task A_rerun_of_a_rerun_keeps_the_first_execution_as_its_root()
    {
        Probe.FailNext("square", times: 2);
        var originalId = await CreateAsync(ValidInput);
        await RunAsync(originalId);
        var firstRerun = await RerunAsync(originalId, RerunMode.ResumeFromFailedStep);
        await RunAsync(firstRerun);

        var secondRerun = await RerunAsync(firstRerun, RerunMode.FromStart);

        var execution = await LoadAsync(secondRerun);
        Assert.Equal(firstRerun, execution.RerunOfId);
        Assert.Equal(originalId, execution.RootExecutionId);
    }

    [Fact]
    public async Task An_edited_input_is_validated_and_never_silently_ignored_by_resume()
    {
        Probe.FailNext("square");
        var originalId = await CreateAsync(ValidInput);
        await RunAsync(originalId);

        var invalid = await Assert.ThrowsAsync<InputValidationException>(() =>
            RerunAsync(originalId, RerunMode.ResumeFromFailedStep, """{"add":{"a":-2,"b":3,"label":"x"}}"""));
        Assert.Equal("add.a: must not be negative", Assert.Single(invalid.Errors).ToString());

        var rerunId = await RerunAsync(originalId, RerunMode.ResumeFromFailedStep, """{"add":{"a":4,"b":3,"label":"x"}}""");
        await RunAsync(rerunId);

        var rerun = await LoadAsync(rerunId);
        Assert.False(rerun.Steps.Single(s => s.StepKey == "add").IsReused);
        Assert.Equal("x", rerun.BusinessKey);
        Assert.Contains("\"square\":{\"square\":49}", rerun.OutputJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task From_start_runs_every_step_again()
    {
        Probe.FailNext("square");
        var originalId = await CreateAsync(ValidInput);
        await RunAsync(originalId);

        var rerunId = await RerunAsync(originalId, RerunMode.FromStart);
        await RunAsync(rerunId);

        Assert.All((await LoadAsync(rerunId)).Steps, s => Assert.False(s.IsReused));
        Assert.Equal(2, Probe.Calls("add"));
    }

    [Fact]
    public async Task A_rerun_needs_a_reason()
    {
        Probe.FailNext("square");
        var originalId = await CreateAsync(ValidInput);
        await RunAsync(originalId);

        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>()
                .RerunAsync(originalId, new RerunRequest(RerunMode.FromStart, " "), TestActors.Admin, default)));

        Assert.Equal("reason", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public async Task A_pending_execution_is_cancelled_at_once_and_can_no_longer_run()
    {
        var id = await CreateAsync(ValidInput);

        var outcome = await CancelAsync(id);

        Assert.Equal(CancelOutcome.Cancelled, outcome);
        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Cancelled, execution.Status);
        Assert.Equal("ada", execution.CancelRequestedBy);
        Assert.All(execution.Steps, s => Assert.Equal(ExecutionStatus.Cancelled, s.Status));
        await Assert.ThrowsAsync<ExecutionStateException>(() => RunAsync(id));
        await Assert.ThrowsAsync<ExecutionStateException>(() => CancelAsync(id));
    }

    [Fact]
    public async Task A_running_execution_stops_at_the_next_step_boundary_when_cancelled()
    {
        var id = await CreateAsync(ValidInput);
        CancelOutcome? requested = null;
        Probe.OnEnter("square", async _ => requested = await CancelAsync(id));

        var outcome = await RunAsync(id);

        Assert.Equal(CancelOutcome.StopRequested, requested);
        Assert.Equal(RunOutcome.Cancelled, outcome);
        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Cancelled, execution.Status);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Steps.Single(s => s.StepKey == "square").Status);
        Assert.Equal(ExecutionStatus.Cancelled, execution.Steps.Single(s => s.StepKey == "describe").Status);
        Assert.Equal(0, Probe.Calls("describe"));
        Assert.Equal("wrong customer", execution.CancelReason);
    }

    [Fact]
    public async Task A_cancellation_requested_during_the_last_step_comes_too_late_and_every_step_is_recorded()
    {
        // The runner writes a step's success with the next write at that boundary (decision 0019); after the last
        // step that is the execution's end, and no boundary is left to stop at.
        var id = await CreateAsync("""{"add":{"a":2,"b":3,"label":"last"},"describe":{"prefix":"p"}}""");
        CancelOutcome? requested = null;
        Probe.OnEnter("describe", async _ => requested = await CancelAsync(id));

        var outcome = await RunAsync(id);

        Assert.Equal(CancelOutcome.StopRequested, requested);
        Assert.Equal(RunOutcome.Succeeded, outcome);
        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.All(execution.Steps, s => Assert.Equal(ExecutionStatus.Succeeded, Assert.Single(s.Attempts).Status));
        Assert.NotNull(execution.Steps.Single(s => s.StepKey == "describe").OutputJson);
        Assert.Equal("wrong customer", execution.CancelReason);
    }

    [Fact]
    public async Task A_cancellation_requested_during_a_step_keeps_that_steps_success()
    {
        var id = await CreateAsync(ValidInput);
        Probe.OnEnter("add", async _ => await CancelAsync(id));

        Assert.Equal(RunOutcome.Cancelled, await RunAsync(id));

        var execution = await LoadAsync(id);
        var add = execution.Steps.Single(s => s.StepKey == "add");
        Assert.Equal(ExecutionStatus.Succeeded, add.Status);
        Assert.Equal(ExecutionStatus.Succeeded, Assert.Single(add.Attempts).Status);
        Assert.NotNull(add.OutputJson);
        Assert.All(execution.Steps.Where(s => s.StepKey != "add"), s => Assert.Equal(ExecutionStatus.Cancelled, s.Status));
    }

    [Fact]
    public async Task Two_runners_racing_on_one_execution_run_it_exactly_once()
    {
        var id = await CreateAsync(ValidInput);

        // The winner waits inside its first step until every loser has returned, so no loser can arrive after the
        // execution finished; each loser must be turned away by the claim itself.
        var losersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var losers = 0;
        Probe.OnEnter("add", _ => losersDone.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        var runners = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var outcome = await RunAsync(id);
            if (outcome == RunOutcome.NotClaimed && Interlocked.Increment(ref losers) == 3)
            {
                losersDone.SetResult();
            }

            return outcome;
        }));

        var outcomes = await Task.WhenAll(runners);

        Assert.Single(outcomes, o => o == RunOutcome.Succeeded);
        Assert.Equal(3, outcomes.Count(o => o == RunOutcome.NotClaimed));
        Assert.Equal(1, Probe.Calls("add"));
        Assert.Equal(1, Probe.Calls("square"));
    }

    [Fact]
    public async Task An_engine_error_after_the_claim_fails_the_execution_instead_of_leaving_it_running()
    {
        var id = await CreateAsync(ValidInput);
        await using (var db = database.CreateDbContext())
        {
            // A stored input that no longer fits its record, as after an incompatible change to a step's contract.
            await db.StepExecutions.Where(s => s.ExecutionId == id && s.StepKey == "square")
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.InputJson, "{\"unexpected\":1}"));
        }

        Assert.Equal(RunOutcome.Failed, await RunAsync(id));

        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("square", execution.FailedStepKey);
        Assert.Equal("System.Text.Json.JsonException", execution.ErrorType);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Steps.Single(s => s.StepKey == "add").Status);
        Assert.Equal(0, Probe.Calls("square"));
    }

    [Fact]
    public void The_composed_input_survives_a_round_trip_unchanged()
    {
        var definition = services.GetRequiredService<WorkflowRegistry>().Get(ArithmeticWorkflow.WorkflowKey);

        var first = PayloadSerializer.ParseInput(definition, """{ "describe": {"prefix":"p"}, "add": {"label":"l","b":1,"a":2} }""");
        var second = PayloadSerializer.ParseInput(definition, first.ComposedJson);

        Assert.Equal("""{"add":{"a":2,"b":1,"label":"l"},"square":{},"describe":{"prefix":"p"}}""", first.ComposedJson);
        Assert.Equal(first.ComposedJson, second.ComposedJson);
        Assert.Equal(first.StepInputJson, second.StepInputJson);
        Assert.Equal(2, JsonNode.Parse(first.StepInputJson["add"])!["a"]!.GetValue<int>());
    }

    private Task<Guid> CreateAsync(string input) =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, input, TestActors.Admin, default)).Id);

    private Task<Guid> RerunAsync(Guid id, RerunMode mode, string? editedInput = null) =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().RerunAsync(id, new RerunRequest(mode, "ticket 4711", editedInput, ConfirmDuplicate: true), TestActors.Admin, default)).Id);

    private Task<CancelOutcome> CancelAsync(Guid id) =>
        services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>().CancelAsync(id, "wrong customer", TestActors.Admin, default));

    private Task<RunOutcome> RunAsync(Guid id) => services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);

    private async Task<WorkflowExecution> LoadAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking()
            .Include(e => e.Steps).ThenInclude(s => s.Attempts)
            .SingleAsync(e => e.Id == id);
    }
}

public sealed class SqliteEngineTests(SqliteDatabaseFixture database)
    : EngineTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresEngineTests(PostgresDatabaseFixture database)
    : EngineTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
