namespace WorkflowAdmin.Features.Api;

// The request as the OpenAPI document describes it. The endpoint reads the body itself (ProvisioningRequest maps it
// field by field so that every error is reported), so these records are the contract's description; a test checks
// that they name exactly the fields ProvisioningRequest accepts.

/// <summary>
/// Provision an enterprise customer: the reference system's request shape, plus an optional learner-credit subsidy.
/// </summary>
public sealed record ProvisioningRequestBody
{
    public required EnterpriseCustomerRequest EnterpriseCustomer { get; init; }

    /// <summary>At least one; each is invited, or made an admin if they already have an account.</summary>
    public required IReadOnlyList<PendingAdminRequest> PendingAdmins { get; init; }

    /// <summary>Optional: by default the catalog is titled after the customer, on the default catalog query.</summary>
    public EnterpriseCatalogRequest? EnterpriseCatalog { get; init; }

    /// <summary>Optional: by default the agreement's default catalog is the catalog created above.</summary>
    public CustomerAgreementRequest? CustomerAgreement { get; init; }

    public required TrialSubscriptionPlanRequest TrialSubscriptionPlan { get; init; }

    public required FirstPaidSubscriptionPlanRequest FirstPaidSubscriptionPlan { get; init; }

    /// <summary>Optional learner credit.</summary>
    public SubsidyRequest? Subsidy { get; init; }
}

public sealed record EnterpriseCustomerRequest
{
    public required string Name { get; init; }

    /// <summary>Lowercase letters, digits and hyphens; the customer's identity (provisioning the same slug again reuses it).</summary>
    public required string Slug { get; init; }

    /// <summary>ISO 3166-1 alpha-2, e.g. US.</summary>
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

    /// <summary>The plan's identity: provisioning with the same line item again reuses the plan.</summary>
    public required string SalesforceOpportunityLineItem { get; init; }

    public required DateTime StartDate { get; init; }

    /// <summary>After the start date.</summary>
    public required DateTime ExpirationDate { get; init; }

    /// <summary>1 to 1,000,000; the first paid plan gets the same number.</summary>
    public required int DesiredNumLicenses { get; init; }

    /// <summary>Defaults to the configured trial product.</summary>
    public int? ProductId { get; init; }

    /// <summary>Defaults to the catalog created for the customer.</summary>
    public Guid? EnterpriseCatalogUuid { get; init; }
}

public sealed record FirstPaidSubscriptionPlanRequest
{
    public required string Title { get; init; }

    public string? SalesforceOpportunityLineItem { get; init; }

    /// <summary>Defaults to the trial's expiration date.</summary>
    public DateTime? StartDate { get; init; }

    /// <summary>Defaults to one year after the start date.</summary>
    public DateTime? ExpirationDate { get; init; }

    /// <summary>Defaults to the configured paid product.</summary>
    public int? ProductId { get; init; }

    public Guid? EnterpriseCatalogUuid { get; init; }
}

public sealed record SubsidyRequest
{
    public required string Title { get; init; }

    public required long StartingBalanceCents { get; init; }

    /// <summary>ISO 4217 in capitals; USD when left out.</summary>
    public string? Currency { get; init; }

    public required DateTime StartDate { get; init; }

    public required DateTime ExpirationDate { get; init; }
}
