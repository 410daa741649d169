using WorkflowAdmin.Domain.Auditing;

namespace WorkflowAdmin.Features.Audit;

/// <summary>The audit trail's action names as people read them; the stored name stays visible next to the label.</summary>
public static class AuditActionLabels
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [AuditActions.SignIn] = "Signed in",
        [AuditActions.SignInFailed] = "Sign-in failed",
        [AuditActions.SignOut] = "Signed out",
        [AuditActions.ExecutionTriggered] = "Triggered execution",
        [AuditActions.ExecutionRerun] = "Re-ran execution",
        [AuditActions.ExecutionBulkRerun] = "Bulk re-run",
        [AuditActions.ExecutionCancelled] = "Cancelled execution",
        [AuditActions.ExecutionUsedExistingCustomer] = "Provisioned onto another's customer",
        [AuditActions.PersonalDataRevealed] = "Revealed personal data",
        [AuditActions.UserCreated] = "Created user",
        [AuditActions.UserRoleChanged] = "Changed role",
        [AuditActions.UserDisabled] = "Disabled user",
        [AuditActions.UserEnabled] = "Enabled user",
        [AuditActions.UserPasswordReset] = "Reset password",
        [AuditActions.UserWorkflowsChanged] = "Changed workflows",
        [AuditActions.ApiKeyCreated] = "Created API key",
        [AuditActions.ApiKeyRevoked] = "Revoked API key",
        [AuditActions.ListExported] = "Exported list",
        [AuditActions.FailureGroupTriaged] = "Triaged failure group",
        [AuditActions.FailureGroupAssigned] = "Assigned failure group",
        [AuditActions.FailureGroupDescribed] = "Noted failure group",
        [AuditActions.ViewShared] = "Shared view",
        [AuditActions.ViewUnshared] = "Unshared view",
        [AuditActions.ViewDefaultSet] = "Made view a role's default",
        [AuditActions.ViewDefaultCleared] = "Cleared a role's default view",
        [AuditActions.ViewRenamed] = "Renamed shared view",
        [AuditActions.ViewDeleted] = "Deleted shared view",
    };

    /// <summary>The label of <paramref name="action"/>; an action this build does not know shows as stored.</summary>
    public static string Of(string action) => Labels.GetValueOrDefault(action, action);
}
