using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>What a running step may use besides its own input: earlier outputs, services and identifiers.</summary>
public sealed class StepContext(
    Guid executionId, string stepKey, int attempt, StepValues previousOutputs, IServiceProvider services, Requester requester)
{
    public Guid ExecutionId { get; } = executionId;

    public string StepKey { get; } = stepKey;

    public int Attempt { get; } = attempt;

    /// <summary>On whose authority the execution runs, for steps that reach records other principals own.</summary>
    public Requester Requester { get; } = requester;

    /// <summary>Services from a scope created for this attempt alone (its own DbContext, for instance).</summary>
    public IServiceProvider Services { get; } = services;

    /// <summary>The output of an earlier step, found by its output type; throws if that step has not run.</summary>
    public TOutput GetOutput<TOutput>()
        where TOutput : class =>
        previousOutputs.Find<TOutput>()
        ?? throw new InvalidOperationException($"Step '{StepKey}' needs the output {typeof(TOutput).Name} of an earlier step, which is missing.");
}
