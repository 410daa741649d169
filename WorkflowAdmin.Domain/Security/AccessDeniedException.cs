namespace WorkflowAdmin.Domain.Security;

/// <summary>An actor asked for something its roles or scopes do not allow. Nothing was written.</summary>
public sealed class AccessDeniedException : Exception
{
    public AccessDeniedException(Actor actor, Permission permission)
        : base(actor?.IsAuthenticated == true
            ? $"{actor.Name} is not allowed to {Describe(permission)}."
            : $"Sign in to {Describe(permission)}.")
    {
        Actor = actor;
        Permission = permission;
    }

    public AccessDeniedException(Actor actor, Permission permission, string workflowKey)
        : base($"{actor?.Name} is not allowed to {Describe(permission)} of workflow '{workflowKey}'.")
    {
        Actor = actor;
        Permission = permission;
        WorkflowKey = workflowKey;
    }

    public AccessDeniedException()
    {
    }

    public AccessDeniedException(string message)
        : base(message)
    {
    }

    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Actor? Actor { get; }

    public Permission? Permission { get; }

    /// <summary>Set when the permission is held but not for this workflow.</summary>
    public string? WorkflowKey { get; }

    public static string Describe(Permission permission) => permission switch
    {
        Security.Permission.ViewExecutions => "view executions",
        Security.Permission.TriggerExecution => "start executions",
        Security.Permission.RerunExecution => "re-run executions",
        Security.Permission.CancelExecution => "cancel executions",
        Security.Permission.ManageUsers => "manage users",
        Security.Permission.ReadAudit => "read the audit log",
        Security.Permission.ManageApiKeys => "manage API keys",
        Security.Permission.ShareViews => "share saved views or set a role's default view",
        Security.Permission.TriageFailures => "triage failures",
        Security.Permission.RevealPersonalData => "reveal personal data",
        Security.Permission.ReadPersonalData => "read personal data",
        _ => permission.ToString(),
    };
}
