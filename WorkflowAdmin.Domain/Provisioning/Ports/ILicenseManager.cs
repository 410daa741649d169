namespace WorkflowAdmin.Domain.Provisioning.Ports;

// Agreements, subscription plans and renewals. The real system validates plans itself: adapters throw
// ExternalSystemException when it refuses one.
public interface ILicenseManager
{
    Task<AgreementInfo?> FindAgreementAsync(Guid customerId, CancellationToken cancellationToken);

    Task<AgreementInfo> CreateAgreementAsync(Guid customerId, Guid? defaultCatalogId, CancellationToken cancellationToken);

    /// <summary>The customer's agreement, created if there is none yet (an existing one keeps its default catalog).</summary>
    Task<Obtained<AgreementInfo>> GetOrCreateAgreementAsync(Guid customerId, Guid? defaultCatalogId, CancellationToken cancellationToken);

    Task<PlanInfo?> FindPlanByLineItemAsync(Guid agreementId, string salesforceLineItem, CancellationToken cancellationToken);

    Task<PlanInfo?> FindPlanAsync(Guid agreementId, int productId, DateTime startDate, string title, CancellationToken cancellationToken);

    Task<PlanInfo> CreatePlanAsync(NewPlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// The plan with the new plan's natural key (the agreement and Salesforce line item, or without a line item the
    /// agreement, product, start date and title), created if there is none yet; an existing one is returned as it is.
    /// </summary>
    Task<Obtained<PlanInfo>> GetOrCreatePlanAsync(NewPlan plan, CancellationToken cancellationToken);

    Task<RenewalInfo?> FindRenewalAsync(Guid priorPlanId, Guid renewedPlanId, CancellationToken cancellationToken);

    Task<RenewalInfo> CreateRenewalAsync(
        Guid priorPlanId, Guid renewedPlanId, int licenses, DateTime effectiveDate, DateTime renewedExpirationDate, CancellationToken cancellationToken);

    /// <summary>The renewal of the pair of plans, created if there is none yet (an existing one is returned as it is).</summary>
    Task<Obtained<RenewalInfo>> GetOrCreateRenewalAsync(
        Guid priorPlanId, Guid renewedPlanId, int licenses, DateTime effectiveDate, DateTime renewedExpirationDate, CancellationToken cancellationToken);
}

public sealed record AgreementInfo(Guid Id, Guid CustomerId, Guid? DefaultCatalogId);

public sealed record NewPlan(
    Guid AgreementId,
    string Title,
    string? SalesforceLineItem,
    DateTime StartDate,
    DateTime ExpirationDate,
    int Licenses,
    int ProductId,
    Guid? CatalogId,
    bool IsTrial);

public sealed record PlanInfo(
    Guid Id,
    Guid AgreementId,
    string Title,
    string? SalesforceLineItem,
    DateTime StartDate,
    DateTime ExpirationDate,
    int Licenses,
    int ProductId,
    Guid? CatalogId,
    bool IsTrial);

public sealed record RenewalInfo(
    Guid Id, Guid PriorPlanId, Guid RenewedPlanId, int Licenses, DateTime EffectiveDate, DateTime RenewedExpirationDate);
