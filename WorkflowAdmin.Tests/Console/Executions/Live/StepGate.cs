using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.Live;

/// <summary>Holds a run inside one step until the test releases it, so a test can look at a run in progress.</summary>
public sealed class StepGate
{
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StepGate()
    {
    }

    /// <summary>Completes once the run is inside the step (its attempt is saved, the step has not returned).</summary>
    public Task Entered => entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public static StepGate At(IServiceProvider services, string stepKey)
    {
        var gate = new StepGate();
        ((StepProbe)services.GetService(typeof(StepProbe))!).OnEnter(stepKey, async _ =>
        {
            gate.entered.TrySetResult();
            await gate.released.Task.WaitAsync(TimeSpan.FromSeconds(60));
        });
        return gate;
    }

    public static StepGate At(TestServices services, string stepKey) => At(services.Provider, stepKey);

    public void Release() => released.TrySetResult();
}
