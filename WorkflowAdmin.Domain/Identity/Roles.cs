namespace WorkflowAdmin.Domain.Identity;

/// <summary>The console's three roles. Role names are stored; never rename one.</summary>
public static class Roles
{
    /// <summary>Reads executions and provisioned records; cannot act.</summary>
    public const string Support = "Support";

    /// <summary>Everything: trigger, re-run, cancel, manage users.</summary>
    public const string Admin = "Admin";

    /// <summary>Reads everything, including the audit log; cannot act.</summary>
    public const string Auditor = "Auditor";

    public static IReadOnlyList<string> All { get; } = [Support, Admin, Auditor];

    /// <summary>Roles that may read executions and provisioned records.</summary>
    public const string Readers = Support + "," + Admin + "," + Auditor;
}
