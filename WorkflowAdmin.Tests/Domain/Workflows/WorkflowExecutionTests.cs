using WorkflowAdmin.Tests.Infrastructure;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Tests.Domain.Workflows;

public sealed class WorkflowExecutionTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Start_moves_pending_execution_to_running_and_rotates_the_concurrency_stamp()
    {
        var execution = NewExecution();
        var stamp = execution.ConcurrencyStamp;

        execution.Start(Now);

        Assert.Equal(ExecutionStatus.Running, execution.Status);
        Assert.Equal(Now, execution.StartedAt);
        Assert.NotEqual(stamp, execution.ConcurrencyStamp);
    }

    [Fact]
    public void A_succeeded_execution_cannot_be_started_or_failed_again()
    {
        var execution = NewExecution();
        execution.Start(Now);
        execution.Succeed("{}", Now.AddSeconds(1));

        Assert.Throws<InvalidStatusTransitionException>(() => execution.Start(Now));
        Assert.Throws<InvalidStatusTransitionException>(() => execution.Fail("a", new ErrorInfo("T", "m", null), Now));
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Null(execution.ErrorMessage);
    }

    [Fact]
    public void Cancelling_a_pending_execution_cancels_its_steps()
    {
        var execution = NewExecution();
        execution.AddPendingStep("a", "{}");
        execution.AddPendingStep("b", "{}");

        execution.Cancel(Now);

        Assert.Equal(ExecutionStatus.Cancelled, execution.Status);
        Assert.All(execution.Steps, s => Assert.Equal(ExecutionStatus.Cancelled, s.Status));
    }

    [Fact]
    public void Requesting_cancellation_keeps_the_status_and_the_concurrency_stamp()
    {
        var execution = NewExecution();
        execution.Start(Now);
        var stamp = execution.ConcurrencyStamp;

        execution.RequestCancellation("ada", "wrong customer", Now);

        Assert.Equal(ExecutionStatus.Running, execution.Status);
        Assert.Equal(stamp, execution.ConcurrencyStamp);
        Assert.Equal("ada", execution.CancelRequestedBy);
    }

    [Fact]
    public void Steps_cannot_be_added_once_the_execution_has_started_nor_twice()
    {
        var execution = NewExecution();
        execution.AddPendingStep("a", "{}");

        Assert.Throws<InvalidOperationException>(() => execution.AddPendingStep("a", "{}"));
        execution.Start(Now);
        Assert.Throws<InvalidOperationException>(() => execution.AddPendingStep("b", "{}"));
    }

    [Fact]
    public void Step_attempts_are_appended_and_the_step_fails_only_on_the_final_attempt()
    {
        var step = NewExecution().AddPendingStep("a", "{}");

        step.StartAttempt(Now);
        step.FailAttempt(new ErrorInfo("System.TimeoutException", "slow", "at X"), isFinal: false, Now.AddSeconds(1));
        Assert.Equal(ExecutionStatus.Running, step.Status);

        step.StartAttempt(Now.AddSeconds(2));
        step.FailAttempt(new ErrorInfo("System.TimeoutException", "slower", "at Y"), isFinal: true, Now.AddSeconds(3));

        Assert.Equal(ExecutionStatus.Failed, step.Status);
        Assert.Equal(2, step.AttemptCount);
        Assert.Equal(["slow", "slower"], step.Attempts.Select(a => a.ErrorMessage));
        Assert.All(step.Attempts, a => Assert.Equal(ExecutionStatus.Failed, a.Status));
        Assert.Throws<InvalidStatusTransitionException>(() => step.StartAttempt(Now.AddSeconds(4)));
    }

    [Fact]
    public void A_step_cannot_start_a_second_attempt_while_one_is_in_progress()
    {
        var step = NewExecution().AddPendingStep("a", "{}");
        step.StartAttempt(Now);

        Assert.Throws<InvalidOperationException>(() => step.StartAttempt(Now));
    }

    [Fact]
    public void Error_info_records_type_message_and_a_trimmed_stack()
    {
        Exception captured;
        try
        {
            throw new InvalidOperationException(new string('x', 5000));
        }
        catch (InvalidOperationException ex)
        {
            captured = ex;
        }

        var error = ErrorInfo.From(captured);

        Assert.Equal("System.InvalidOperationException", error.Type);
        Assert.Equal(ErrorInfo.MaxMessageLength, error.Message.Length);
        Assert.NotNull(error.StackTrace);
        Assert.True(error.StackTrace!.Length <= ErrorInfo.MaxStackTraceLength);
    }

    [Fact]
    public void Only_a_succeeded_rerun_of_the_same_lineage_resolves_a_failure_and_the_first_resolution_stays()
    {
        var failed = NewExecution();
        failed.Start(Now);
        failed.Fail("a", new ErrorInfo("T", "m", null), Now);
        var stamp = failed.ConcurrencyStamp;
        var rerun = RerunOf(failed);
        var stranger = RerunOf(Failed(NewExecution()));
        stranger.Start(Now);
        stranger.Succeed("{}", Now);

        Assert.Throws<InvalidOperationException>(() => failed.ResolveByRerun(rerun, Now));
        Assert.Throws<InvalidOperationException>(() => failed.ResolveByRerun(stranger, Now));
        Assert.Throws<InvalidOperationException>(() => rerun.ResolveByRerun(stranger, Now));

        rerun.Start(Now);
        rerun.Succeed("{}", Now.AddMinutes(1));
        failed.ResolveByRerun(rerun, Now.AddMinutes(1));
        var later = RerunOf(failed);
        later.Start(Now);
        later.Succeed("{}", Now.AddMinutes(2));
        failed.ResolveByRerun(later, Now.AddMinutes(2));

        Assert.Equal(Now.AddMinutes(1), failed.ResolvedAt);
        Assert.Equal(rerun.Id, failed.ResolvedByExecutionId);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(stamp, failed.ConcurrencyStamp);
        Assert.False(failed.IsUnresolvedFailure);
    }

    private static WorkflowExecution Failed(WorkflowExecution execution)
    {
        execution.Start(Now);
        execution.Fail("a", new ErrorInfo("T", "m", null), Now);
        return execution;
    }

    private static WorkflowExecution RerunOf(WorkflowExecution original)
    {
        var rerun = NewExecution();
        rerun.MarkAsRerunOf(original, RerunMode.FromStart, "ticket");
        return rerun;
    }

    private static WorkflowExecution NewExecution() =>
        WorkflowExecution.Create("test", 1, "{}", "key", TestActors.Admin.ToTrigger(), Now);
}
