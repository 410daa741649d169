using System.ComponentModel;
namespace WorkflowAdmin.Features.Provisioning.Api;

// The request as the OpenAPI document describes it. The endpoint reads the body itself (ProvisioningRequest maps it
// field by field so that every error is reported), so these records are the contract's description; a test checks
// that they name exactly the fields ProvisioningRequest accepts.

/// <summary>
/// Provision an enterprise customer: the reference system's request shape, plus an optional learner-credit subsidy.
/// </summary>
public sealed record ProvisioningRequestBody
{
    public required EnterpriseCustomerRequest EnterpriseCustomer { get; init; }

    [Description("At least one; each is invited, or made an admin if they already have an account.")]
    public required IReadOnlyList<PendingAdminRequest> PendingAdmins { get; init; }

    [Description("Optional: by default the catalog is titled after the customer, on the default catalog query.")]
    public EnterpriseCatalogRequest? EnterpriseCatalog { get; init; }

    [Description("Optional: by default the agreement's default catalog is the catalog created above.")]
    public CustomerAgreementRequest? CustomerAgreement { get; init; }

    public required TrialSubscriptionPlanRequest TrialSubscriptionPlan { get; init; }

    public required FirstPaidSubscriptionPlanRequest FirstPaidSubscriptionPlan { get; init; }

    [Description("Optional learner credit.")]
    public SubsidyRequest? Subsidy { get; init; }
}

public sealed record EnterpriseCustomerRequest
{
    public required string Name { get; init; }

    [Description("Lowercase letters, digits and hyphens; the customer's identity (provisioning the same slug again reuses it).")]
    public required string Slug { get; init; }

    [Description("ISO 3166-1 alpha-2, e.g. US.")]
    public required string Country { get; init; }
}

public sealed record PendingAdminRequest
{
    public required string UserEmail { get; init; }
}

public sealed record EnterpriseCatalogRequest
{
    public string? Title { get; init; }

    public int? CatalogQueryId { get; init; }
}

public sealed record CustomerAgreementRequest
{
    public Guid? DefaultCatalogUuid { get; init; }
}

public sealed record TrialSubscriptionPlanRequest
{
    public required string Title { get; init; }

    [Description("The plan's identity: provisioning with the same line item again reuses the plan.")]
    public required string SalesforceOpportunityLineItem { get; init; }

    public required DateTime StartDate { get; init; }

    [Description("After the start date.")]
    public required DateTime ExpirationDate { get; init; }

    [Description("1 to 1,000,000; the first paid plan gets the same number.")]
    public required int DesiredNumLicenses { get; init; }

    [Description("Defaults to the configured trial product.")]
    public int? ProductId { get; init; }

    [Description("Defaults to the catalog created for the customer.")]
    public Guid? EnterpriseCatalogUuid { get; init; }
}

public sealed record FirstPaidSubscriptionPlanRequest
{
    public required string Title { get; init; }

    public string? SalesforceOpportunityLineItem { get; init; }

    [Description("Defaults to the trial's expiration date.")]
    public DateTime? StartDate { get; init; }

    [Description("Defaults to one year after the start date.")]
    public DateTime? ExpirationDate { get; init; }

    [Description("Defaults to the configured paid product.")]
    public int? ProductId { get; init; }

    public Guid? EnterpriseCatalogUuid { get; init; }
}

public sealed record SubsidyRequest
{
    public required string Title { get; init; }

    public required long StartingBalanceCents { get; init; }

    [Description("ISO 4217 in capitals; USD when left out.")]
    public string? Currency { get; init; }

    public required DateTime StartDate { get; init; }

    public required DateTime ExpirationDate { get; init; }
}
