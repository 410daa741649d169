namespace WorkflowAdmin.Domain.Engine;

/// <summary>What the engine does when a workflow input has no entry for a step.</summary>
public enum StepInputPresence
{
    /// <summary>The entry must be present; its absence is a validation error.</summary>
    Required,

    /// <summary>The step takes no settings worth asking for; an absent entry means an empty object.</summary>
    DefaultsToEmpty,

    /// <summary>The whole step is optional; with no entry it succeeds without doing anything.</summary>
    Optional,
}
