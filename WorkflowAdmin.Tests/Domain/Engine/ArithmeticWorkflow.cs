using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>
/// A small test-only workflow (the reference system's two-step sum-then-square test workflow, plus a third step)
/// so engine behaviour is tested apart from provisioning. Steps consult <see cref="StepProbe"/>, which counts
/// calls and can make a step fail or run a callback in the middle of a step.
/// </summary>
public sealed class ArithmeticWorkflow : WorkflowDefinition
{
    public const string WorkflowKey = "test-arithmetic";

    public override string Key => WorkflowKey;

    public override int Version => 1;

    public override string DisplayName => "Arithmetic (test)";

    public override string? GetBusinessKey(StepValues input) => input.Find<AddInput>()?.Label;

    protected override IEnumerable<IWorkflowStep> CreateSteps() => [new AddStep(), new SquareStep(), new DescribeStep()];
}

public sealed record AddInput
{
    public int A { get; init; }

    public int B { get; init; }

    public string Label { get; init; } = "";
}

public sealed record AddOutput(int Sum);

public sealed record SquareInput;

public sealed record SquareOutput(int Square);

public sealed record DescribeInput
{
    public string Prefix { get; init; } = "result";
}

public sealed record DescribeOutput(string Text);

public sealed class AddStep : WorkflowStep<AddInput, AddOutput>
{
    public override string Key => "add";

    public override string DisplayName => "Add";

    public override int MaxAttempts => 2;

    public override void Validate(AddInput input, InputErrors errors)
    {
        errors.Required("label", input.Label);
        if (input.A < 0)
        {
            errors.Add("a", "must not be negative");
        }
    }

    public override async Task<AddOutput> ExecuteAsync(AddInput input, StepContext context, CancellationToken cancellationToken)
    {
        await context.Services.GetRequiredService<StepProbe>().EnterAsync(context);
        return new AddOutput(input.A + input.B);
    }
}

public sealed class SquareStep : WorkflowStep<SquareInput, SquareOutput>
{
    public override string Key => "square";

    public override string DisplayName => "Square";

    public override StepInputPresence InputPresence => StepInputPresence.DefaultsToEmpty;

    public override async Task<SquareOutput> ExecuteAsync(SquareInput input, StepContext context, CancellationToken cancellationToken)
    {
        await context.Services.GetRequiredService<StepProbe>().EnterAsync(context);
        var sum = context.GetOutput<AddOutput>().Sum;
        return new SquareOutput(sum * sum);
    }
}

public sealed class DescribeStep : WorkflowStep<DescribeInput, DescribeOutput>
{
    public override string Key => "describe";

    public override string DisplayName => "Describe";

    public override StepInputPresence InputPresence => StepInputPresence.Optional;

    public override void Validate(DescribeInput input, InputErrors errors) => errors.MaxLength("prefix", input.Prefix, 10);

    public override async Task<DescribeOutput> ExecuteAsync(DescribeInput input, StepContext context, CancellationToken cancellationToken)
    {
        await context.Services.GetRequiredService<StepProbe>().EnterAsync(context);
        return new DescribeOutput($"{input.Prefix}={context.GetOutput<SquareOutput>().Square}");
    }

    protected override Task<DescribeOutput> ExecuteWithoutInputAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new DescribeOutput("skipped"));
}

/// <summary>Counts step calls and injects faults or callbacks, standing in for the outside world.</summary>
public sealed class StepProbe
{
    private readonly Dictionary<string, int> calls = [];
    private readonly Dictionary<string, int> failuresLeft = [];
    private readonly Dictionary<string, Func<StepContext, Task>> callbacks = [];

    public int Calls(string stepKey)
    {
        lock (calls)
        {
            return calls.GetValueOrDefault(stepKey);
        }
    }

    public void FailNext(string stepKey, int times = 1)
    {
        lock (calls)
        {
            failuresLeft[stepKey] = times;
        }
    }

    public void OnEnter(string stepKey, Func<StepContext, Task> callback)
    {
        lock (calls)
        {
            callbacks[stepKey] = callback;
        }
    }

    public async Task EnterAsync(StepContext context)
    {
        Func<StepContext, Task>? callback;
        bool fail;
        lock (calls)
        {
            calls[context.StepKey] = calls.GetValueOrDefault(context.StepKey) + 1;
            fail = failuresLeft.GetValueOrDefault(context.StepKey) > 0;
            if (fail)
            {
                failuresLeft[context.StepKey]--;
            }

            callback = callbacks.GetValueOrDefault(context.StepKey);
        }

        if (callback is not null)
        {
            await callback(context);
        }

        if (fail)
        {
            throw new TimeoutException($"The arithmetic service did not answer for step '{context.StepKey}'.");
        }
    }
}
