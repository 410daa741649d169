namespace WorkflowAdmin.Domain.Security;

/// <summary>Who is behind an action: a signed-in console user, a back-office system with an API key, the application itself, or nobody yet.</summary>
public enum ActorKind
{
    Anonymous,
    User,
    ApiKey,
    System,
}
