namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// A step with a typed input and output. Implementations must be idempotent get-or-create operations on a natural
/// key: the runner may call them again after a crash, a retry or a re-run, and a second call must not duplicate
/// anything in the systems they reach.
/// </summary>
public abstract class WorkflowStep<TInput, TOutput> : IWorkflowStep
    where TInput : class
    where TOutput : class
{
    public abstract string Key { get; }

    public abstract string DisplayName { get; }

    public Type InputType => typeof(TInput);

    public Type OutputType => typeof(TOutput);

    public virtual StepInputPresence InputPresence => StepInputPresence.Required;

    public virtual int MaxAttempts => 1;

    /// <summary>Adds a message for every rule the input breaks; paths are relative to the step's input object.</summary>
    public virtual void Validate(TInput input, InputErrors errors)
    {
    }

    public abstract Task<TOutput> ExecuteAsync(TInput input, StepContext context, CancellationToken cancellationToken);

    /// <summary>Runs an <see cref="StepInputPresence.Optional"/> step whose input was left out.</summary>
    protected virtual Task<TOutput> ExecuteWithoutInputAsync(StepContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Step '{Key}' needs an input.");

    void IWorkflowStep.Validate(object input, InputErrors errors) => Validate((TInput)input, errors);

    async Task<object> IWorkflowStep.ExecuteAsync(object? input, StepContext context, CancellationToken cancellationToken) =>
        input is null
            ? await ExecuteWithoutInputAsync(context, cancellationToken)
            : await ExecuteAsync((TInput)input, context, cancellationToken);
}
