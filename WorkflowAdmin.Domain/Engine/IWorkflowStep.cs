namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// The engine's untyped view of a step. Workflows implement <see cref="WorkflowStep{TInput,TOutput}"/>; this
/// interface only lets the engine hold steps with different input and output types in one list.
/// </summary>
public interface IWorkflowStep
{
    /// <summary>Stable kebab-case key, persisted on every step row and used as the payload property name. Never change it.</summary>
    string Key { get; }

    string DisplayName { get; }

    Type InputType { get; }

    Type OutputType { get; }

    StepInputPresence InputPresence { get; }

    /// <summary>How many attempts the runner makes before the step (and the execution) fails.</summary>
    int MaxAttempts { get; }

    void Validate(object input, InputErrors errors);

    Task<object> ExecuteAsync(object? input, StepContext context, CancellationToken cancellationToken);
}
