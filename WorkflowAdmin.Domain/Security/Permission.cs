namespace WorkflowAdmin.Domain.Security;

/// <summary>What an actor may do. Roles and API-key scopes both map onto this one list (see <see cref="Permissions"/>).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1711", Justification = "The suffix rule is about System.Security permission types; this is the product's own word.")]
public enum Permission
{
    ViewExecutions,
    TriggerExecution,
    RerunExecution,
    CancelExecution,
    ManageUsers,
    ReadAudit,
    ManageApiKeys,
    TriageFailures,
    ShareViews,

    /// <summary>Reveal one execution's personal values in the console, with a reason, audited (decision 0040).</summary>
    RevealPersonalData,

    /// <summary>Read personal values unmasked without a reveal: the API's <c>pii</c> scope, for machines (decision 0040).</summary>
    ReadPersonalData,
}
