using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Features.Users;

/// <summary>What each role may do, in the words an administrator choosing a role needs.</summary>
internal static class RoleDescriptions
{
    public static string For(string? role) => role switch
    {
        Roles.Support => "Reads executions and provisioned records; cannot act.",
        Roles.Admin => "Everything: trigger, re-run, cancel, manage users.",
        Roles.Auditor => "Reads everything, including the audit log; cannot act.",
        _ => "",
    };
}
