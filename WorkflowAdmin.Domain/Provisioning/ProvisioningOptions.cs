namespace WorkflowAdmin.Domain.Provisioning;

public sealed class ProvisioningOptions
{
    public const string SectionName = "Provisioning";

    // The catalog query "All open courses", the one the trial catalogs are built on.
    public int DefaultCatalogQueryId { get; set; } = 2;

    public int TrialProductId { get; set; } = 2;

    public int PaidProductId { get; set; } = 1;
}
