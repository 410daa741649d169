using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Provisioning.Adapters;

internal sealed class DatabaseLicenseManager(AppDbContext db, TimeProvider time) : ILicenseManager
{
    private const string SystemName = "license-manager";

    public async Task<AgreementInfo?> FindAgreementAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var agreement = await db.CustomerAgreements.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerId == customerId, cancellationToken);
        return agreement is null ? null : ToInfo(agreement);
    }

    public async Task<AgreementInfo> CreateAgreementAsync(Guid customerId, Guid? defaultCatalogId, CancellationToken cancellationToken)
    {
        var agreement = CustomerAgreement.Create(customerId, defaultCatalogId, Now());
        db.CustomerAgreements.Add(agreement);
        await db.SaveChangesAsync(cancellationToken);
        return ToInfo(agreement);
    }

    public async Task<Obtained<AgreementInfo>> GetOrCreateAgreementAsync(Guid customerId, Guid? defaultCatalogId, CancellationToken cancellationToken)
    {
        var agreement = CustomerAgreement.Create(customerId, defaultCatalogId, Now());
        if (await db.InsertIfAbsentAsync(agreement, [nameof(CustomerAgreement.CustomerId)], cancellationToken))
        {
            return new Obtained<AgreementInfo>(ToInfo(agreement), Created: true);
        }

        var existing = await FindAgreementAsync(customerId, cancellationToken)
                       ?? throw new InvalidOperationException($"The agreement of customer {customerId} existed and is gone again.");
        return new Obtained<AgreementInfo>(existing, Created: false);
    }

    public Task<PlanInfo?> FindPlanByLineItemAsync(Guid agreementId, string salesforceLineItem, CancellationToken cancellationToken)
    {
        // A blank line item would otherwise match every plan created without one.
        ArgumentException.ThrowIfNullOrWhiteSpace(salesforceLineItem);
        return FirstPlanAsync(db.SubscriptionPlans.Where(p => p.AgreementId == agreementId && p.SalesforceLineItem == salesforceLineItem), cancellationToken);
    }

    public Task<PlanInfo?> FindPlanAsync(Guid agreementId, int productId, DateTime startDate, string title, CancellationToken cancellationToken) =>
        FirstPlanAsync(
            db.SubscriptionPlans.Where(p =>
                p.AgreementId == agreementId && p.ProductId == productId && p.StartDate == startDate && p.Title == title),
            cancellationToken);

    public async Task<PlanInfo> CreatePlanAsync(NewPlan plan, CancellationToken cancellationToken)
    {
        var created = NewRecord(plan);
        db.SubscriptionPlans.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        return ToInfo(created);
    }

    public async Task<Obtained<PlanInfo>> GetOrCreatePlanAsync(NewPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var lineItem = string.IsNullOrWhiteSpace(plan.SalesforceLineItem) ? null : plan.SalesforceLineItem;

        // A plan the license manager would refuse may still exist (a re-run whose dates now disagree): as with the
        // look-up that used to come first, an existing plan is returned and only a new one is refused.
        if (plan.StartDate >= plan.ExpirationDate)
        {
            return await FindPlanAsync(plan, lineItem, cancellationToken) is { } found
                ? new Obtained<PlanInfo>(found, Created: false)
                : throw Refused();
        }

        var created = NewRecord(plan with { SalesforceLineItem = lineItem });
        string[] naturalKey = lineItem is null
            ? [nameof(SubscriptionPlan.AgreementId), nameof(SubscriptionPlan.ProductId), nameof(SubscriptionPlan.StartDate), nameof(SubscriptionPlan.Title)]
            : [nameof(SubscriptionPlan.AgreementId), nameof(SubscriptionPlan.SalesforceLineItem)];
        if (await db.InsertIfAbsentAsync(created, naturalKey, cancellationToken))
        {
            return new Obtained<PlanInfo>(ToInfo(created), Created: true);
        }

        var existing = await FindPlanAsync(plan, lineItem, cancellationToken)
                       ?? throw new InvalidOperationException($"A plan of agreement {plan.AgreementId} with the same key existed and is gone again.");
        return new Obtained<PlanInfo>(existing, Created: false);
    }

    private Task<PlanInfo?> FindPlanAsync(NewPlan plan, string? lineItem, CancellationToken cancellationToken) =>
        lineItem is null
            ? FindPlanAsync(plan.AgreementId, plan.ProductId, plan.StartDate, plan.Title, cancellationToken)
            : FindPlanByLineItemAsync(plan.AgreementId, lineItem, cancellationToken);

    private static ExternalSystemException Refused() =>
        new(SystemName, "License manager rejected the plan: start date after expiration");

    private SubscriptionPlan NewRecord(NewPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.StartDate >= plan.ExpirationDate)
        {
            throw Refused();
        }

        return SubscriptionPlan.Create(
            plan.AgreementId,
            plan.Title,
            plan.SalesforceLineItem,
            plan.StartDate,
            plan.ExpirationDate,
            plan.Licenses,
            plan.ProductId,
            plan.CatalogId,
            plan.IsTrial,
            Now());
    }

    public async Task<RenewalInfo?> FindRenewalAsync(Guid priorPlanId, Guid renewedPlanId, CancellationToken cancellationToken)
    {
        var renewal = await db.PlanRenewals.AsNoTracking()
            .SingleOrDefaultAsync(r => r.PriorPlanId == priorPlanId && r.RenewedPlanId == renewedPlanId, cancellationToken);
        return renewal is null ? null : ToInfo(renewal);
    }

    public async Task<RenewalInfo> CreateRenewalAsync(
        Guid priorPlanId, Guid renewedPlanId, int licenses, DateTime effectiveDate, DateTime renewedExpirationDate, CancellationToken cancellationToken)
    {
        var renewal = PlanRenewal.Create(priorPlanId, renewedPlanId, licenses, effectiveDate, renewedExpirationDate, Now());
        db.PlanRenewals.Add(renewal);
        await db.SaveChangesAsync(cancellationToken);
        return ToInfo(renewal);
    }

    public async Task<Obtained<RenewalInfo>> GetOrCreateRenewalAsync(
        Guid priorPlanId, Guid renewedPlanId, int licenses, DateTime effectiveDate, DateTime renewedExpirationDate, CancellationToken cancellationToken)
    {
        var renewal = PlanRenewal.Create(priorPlanId, renewedPlanId, licenses, effectiveDate, renewedExpirationDate, Now());
        if (await db.InsertIfAbsentAsync(renewal, [nameof(PlanRenewal.PriorPlanId), nameof(PlanRenewal.RenewedPlanId)], cancellationToken))
        {
            return new Obtained<RenewalInfo>(ToInfo(renewal), Created: true);
        }

        var existing = await FindRenewalAsync(priorPlanId, renewedPlanId, cancellationToken)
                       ?? throw new InvalidOperationException($"The renewal of plan {priorPlanId} by plan {renewedPlanId} existed and is gone again.");
        return new Obtained<RenewalInfo>(existing, Created: false);
    }

    private static async Task<PlanInfo?> FirstPlanAsync(IQueryable<SubscriptionPlan> plans, CancellationToken cancellationToken)
    {
        var plan = await plans.AsNoTracking().OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        return plan is null ? null : ToInfo(plan);
    }

    private static AgreementInfo ToInfo(CustomerAgreement agreement) => new(agreement.Id, agreement.CustomerId, agreement.DefaultCatalogId);

    private static PlanInfo ToInfo(SubscriptionPlan plan) => new(
        plan.Id,
        plan.AgreementId,
        plan.Title,
        plan.SalesforceLineItem,
        plan.StartDate,
        plan.ExpirationDate,
        plan.Licenses,
        plan.ProductId,
        plan.CatalogId,
        plan.IsTrial);

    private static RenewalInfo ToInfo(PlanRenewal renewal) => new(
        renewal.Id, renewal.PriorPlanId, renewal.RenewedPlanId, renewal.Licenses, renewal.EffectiveDate, renewal.RenewedExpirationDate);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
