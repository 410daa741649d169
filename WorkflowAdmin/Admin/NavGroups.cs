namespace WorkflowAdmin.Admin;

/// <summary>The navigation drawer's groups, in the order they appear after the top-level lists.</summary>
public static class NavGroups
{
    public const string ProvisionedRecords = "Provisioned records";

    public const string Administration = "Administration";
}
