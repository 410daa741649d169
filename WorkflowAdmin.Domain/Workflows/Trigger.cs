namespace WorkflowAdmin.Domain.Workflows;

/// <summary>Who started an execution and through which door (a user name, or an API client's name).</summary>
public sealed record Trigger(string Actor, TriggerSource Source)
{
    public static Trigger System { get; } = new("system", TriggerSource.System);
}
