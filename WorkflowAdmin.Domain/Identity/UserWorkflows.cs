namespace WorkflowAdmin.Domain.Identity;

/// <summary>
/// Which workflows a console user may start, re-run and cancel: one Identity user claim per allowed workflow key, in
/// the AspNetUserClaims table Identity already has (no schema change). No claim means every workflow. The actor is
/// built with them at every action (see <c>CurrentActor</c>), so a change applies at once.
/// </summary>
public static class UserWorkflows
{
    public const string ClaimType = "workflowadmin:workflow";
}
