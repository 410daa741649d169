using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Tests.Domain.Workflows;

public sealed class StatusTransitionsTests
{
    private static readonly HashSet<(ExecutionStatus From, ExecutionStatus To)> Legal =
    [
        (ExecutionStatus.Pending, ExecutionStatus.Running),
        (ExecutionStatus.Pending, ExecutionStatus.Cancelled),
        (ExecutionStatus.Running, ExecutionStatus.Succeeded),
        (ExecutionStatus.Running, ExecutionStatus.Failed),
        (ExecutionStatus.Running, ExecutionStatus.Cancelled),
        (ExecutionStatus.Running, ExecutionStatus.Pending),
    ];

    public static TheoryData<ExecutionStatus, ExecutionStatus> AllPairs()
    {
        var data = new TheoryData<ExecutionStatus, ExecutionStatus>();
        foreach (var from in Enum.GetValues<ExecutionStatus>())
        {
            foreach (var to in Enum.GetValues<ExecutionStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_pair_of_statuses_is_allowed_exactly_when_the_table_says_so(ExecutionStatus from, ExecutionStatus to)
    {
        var expected = Legal.Contains((from, to));

        Assert.Equal(expected, StatusTransitions.IsAllowed(from, to));
        if (expected)
        {
            StatusTransitions.Ensure("x", from, to);
        }
        else
        {
            var ex = Assert.Throws<InvalidStatusTransitionException>(() => StatusTransitions.Ensure("Execution 1", from, to));
            Assert.Equal($"Execution 1 cannot move from {from} to {to}.", ex.Message);
        }
    }

    [Theory]
    [InlineData(ExecutionStatus.Succeeded, true)]
    [InlineData(ExecutionStatus.Failed, true)]
    [InlineData(ExecutionStatus.Cancelled, true)]
    [InlineData(ExecutionStatus.Pending, false)]
    [InlineData(ExecutionStatus.Running, false)]
    public void Only_succeeded_failed_and_cancelled_are_final(ExecutionStatus status, bool isFinal) =>
        Assert.Equal(isFinal, StatusTransitions.IsFinal(status));
}
