using System.Globalization;
using WorkflowAdmin.Domain.Auditing;

namespace WorkflowAdmin.Features.Audit;

/// <summary>Where the audit screens link to: an entry, and the page of an entry's target when it has one.</summary>
public static class AuditLinks
{
    public static string Entry(long id) => "/audit/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The page of an execution or user target; null for other targets and for ids that cannot be one.</summary>
    public static string? Target(string? type, string? id) => (type, id) switch
    {
        (AuditTargets.Execution, { } execution) when Guid.TryParse(execution, out var executionId) => $"/executions/{executionId}",
        (AuditTargets.User, { Length: > 0 } user) => "/users/" + Uri.EscapeDataString(user),
        (AuditTargets.FailureGroup, { Length: > 0 } group) => "/failures/" + Uri.EscapeDataString(group),
        _ => null,
    };
}
