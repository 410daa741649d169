namespace WorkflowAdmin.Domain.Workflows;

/// <summary>Who started an execution and through which door (a user name, or an API client's name).</summary>
public sealed record Trigger(string Actor, TriggerSource Source)
{
    public static Trigger System { get; } = new("system", TriggerSource.System);

    /// <summary>The API key's or the user's id: names are for people, the id is what ownership is checked against.</summary>
    public string? ActorId { get; init; }
}
