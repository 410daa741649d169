using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Domain.Security;

/// <summary>
/// The one table of who may do what. Support reads; Admin reads and acts; Auditor reads and reads the audit log.
/// API keys get only what their scopes name. Personal values are masked for everyone in the console until an Admin or
/// Auditor reveals one execution's, with a reason (decision 0040); Support cannot reveal.
/// </summary>
public static class Permissions
{
    private static readonly Dictionary<string, Permission[]> ByRole = new(StringComparer.Ordinal)
    {
        [Roles.Support] = [Permission.ViewExecutions],
        [Roles.Auditor] = [Permission.ViewExecutions, Permission.ReadAudit, Permission.RevealPersonalData],
        [Roles.Admin] =
        [
            Permission.ViewExecutions, Permission.TriggerExecution, Permission.RerunExecution, Permission.CancelExecution,
            Permission.ManageUsers, Permission.ReadAudit, Permission.ManageApiKeys, Permission.TriageFailures, Permission.ShareViews,
            Permission.RevealPersonalData,
        ],
    };

    public static IReadOnlySet<Permission> ForRoles(IEnumerable<string> roles) =>
        roles.SelectMany(r => ByRole.TryGetValue(r, out var granted) ? granted : []).ToHashSet();

    public static IReadOnlySet<Permission> ForScopes(IEnumerable<ApiScope> scopes) =>
        scopes.SelectMany(s => s switch
        {
            ApiScope.Read => [Permission.ViewExecutions],
            ApiScope.Trigger => new[] { Permission.TriggerExecution },
            ApiScope.Pii => [Permission.ReadPersonalData],
            _ => [],
        }).ToHashSet();
}
