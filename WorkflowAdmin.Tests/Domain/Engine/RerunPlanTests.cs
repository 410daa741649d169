using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>The one rule for what a re-run reuses, on executions built in memory with the arithmetic workflow.</summary>
public sealed class RerunPlanTests
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two"},"describe":{"prefix":"sq"}}""";
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private readonly ArithmeticWorkflow definition = new();

    [Fact]
    public void Resume_reuses_the_steps_before_the_failed_one_and_runs_it_and_everything_after()
    {
        var original = FailedAt("square");

        var plan = RerunPlan.For(definition, original.Steps, StepInputs(Input), RerunMode.ResumeFromFailedStep);

        Assert.Equal(
            [("add", RerunStepReason.Reused), ("square", RerunStepReason.NotSucceeded), ("describe", RerunStepReason.FollowsRerunStep)],
            plan.Select(p => (p.StepKey, p.Reason)));
        Assert.Same(original.Steps[0], plan[0].ReusedFrom);
        Assert.All(plan.Skip(1), p => Assert.False(p.IsReused));
    }

    [Fact]
    public void An_edited_input_of_a_succeeded_step_runs_that_step_and_every_step_after_it()
    {
        var original = FailedAt("describe");

        var plan = RerunPlan.For(
            definition, original.Steps, StepInputs("""{"add":{"a":2,"b":4,"label":"two"},"describe":{"prefix":"sq"}}"""), RerunMode.ResumeFromFailedStep);

        Assert.Equal(
            [RerunStepReason.InputChanged, RerunStepReason.FollowsRerunStep, RerunStepReason.FollowsRerunStep],
            plan.Select(p => p.Reason));
    }

    [Fact]
    public void Editing_only_the_failed_steps_input_keeps_the_steps_before_it()
    {
        var original = FailedAt("describe");

        var plan = RerunPlan.For(
            definition, original.Steps, StepInputs("""{"add":{"a":2,"b":3,"label":"two"},"describe":{"prefix":"x"}}"""), RerunMode.ResumeFromFailedStep);

        Assert.Equal([true, true, false], plan.Select(p => p.IsReused));
        Assert.Equal(RerunStepReason.NotSucceeded, plan[2].Reason);
    }

    [Fact]
    public void From_the_start_reuses_nothing()
    {
        var plan = RerunPlan.For(definition, FailedAt("describe").Steps, StepInputs(Input), RerunMode.FromStart);

        Assert.All(plan, p => Assert.Equal((false, RerunStepReason.FromStart), (p.IsReused, p.Reason)));
    }

    [Fact]
    public void A_cancelled_original_resumes_at_its_first_step_that_never_ran()
    {
        var original = Started();
        Succeed(original, "add");
        original.RequestCancellation("ada", "customer withdrew", Now);
        original.Cancel(Now);

        var plan = RerunPlan.For(definition, original.Steps, StepInputs(Input), RerunMode.ResumeFromFailedStep);

        Assert.Equal(
            [RerunStepReason.Reused, RerunStepReason.NotSucceeded, RerunStepReason.FollowsRerunStep],
            plan.Select(p => p.Reason));
    }

    private IReadOnlyDictionary<string, string> StepInputs(string json) => PayloadSerializer.ParseInput(definition, json).StepInputJson;

    private WorkflowExecution Started()
    {
        var input = PayloadSerializer.ParseInput(definition, Input);
        var execution = WorkflowExecution.Create(definition.Key, definition.Version, input.ComposedJson, "two", new Trigger("ada", TriggerSource.Console), Now);
        foreach (var step in definition.Steps)
        {
            execution.AddPendingStep(step.Key, input.StepInputJson[step.Key]);
        }

        execution.Start(Now);
        return execution;
    }

    private static void Succeed(WorkflowExecution execution, string stepKey)
    {
        var step = execution.Steps.Single(s => s.StepKey == stepKey);
        step.StartAttempt(Now);
        step.Succeed("{}", Now);
    }

    private WorkflowExecution FailedAt(string failedKey)
    {
        var execution = Started();
        foreach (var step in execution.Steps.TakeWhile(s => s.StepKey != failedKey))
        {
            Succeed(execution, step.StepKey);
        }

        var failed = execution.Steps.Single(s => s.StepKey == failedKey);
        var error = new ErrorInfo("System.TimeoutException", "no answer", null);
        failed.StartAttempt(Now);
        failed.FailAttempt(error, isFinal: true, Now);
        execution.Fail(failedKey, error, Now);
        return execution;
    }
}
