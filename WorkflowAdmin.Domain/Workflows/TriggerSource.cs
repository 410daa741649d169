namespace WorkflowAdmin.Domain.Workflows;

/// <summary>Where an execution came from. Stored as a string.</summary>
public enum TriggerSource
{
    Console,
    Api,
    Rerun,
    System,
}
