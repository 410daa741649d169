using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Provisioning;

/// <summary>
/// What the trial and the first paid plan steps check and start from alike, so a rule about a plan's title, product,
/// catalog or customer is written once. Each step keeps what differs: which fields it requires, how it reads the
/// dates, and the plan's natural key (decision 0036).
/// </summary>
internal static class PlanSteps
{
    /// <summary>The title both plans require, and the line item's length (the trial also requires the line item).</summary>
    public static void ValidateNames(string title, string? salesforceLineItem, bool lineItemRequired, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required("title", title);
        errors.MaxLength("title", title, SubscriptionPlan.MaxTitleLength);
        if (lineItemRequired)
        {
            errors.Required("salesforceLineItem", salesforceLineItem);
        }

        errors.MaxLength("salesforceLineItem", salesforceLineItem, SubscriptionPlan.MaxSalesforceLineItemLength);
    }

    /// <summary>A product and a catalog named in the input; either may be left out for the configured or created one.</summary>
    public static void ValidateProductAndCatalog(int? productId, Guid? catalogId, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (productId <= 0)
        {
            errors.Add("productId", "must be greater than 0");
        }

        if (catalogId == Guid.Empty)
        {
            errors.Add("catalogId", "must not be the empty UUID");
        }
    }

    /// <summary>
    /// The start of both steps' run: the customer check, then the agreement the plan belongs to, the product (the
    /// input's, else the configured default <paramref name="defaultProductId"/> picks) and the catalog (the input's,
    /// else the one the catalog step made).
    /// </summary>
    public static async Task<PlanTarget> TargetAsync(
        StepContext context, int? productId, Func<ProvisioningOptions, int> defaultProductId, Guid? catalogId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(defaultProductId);

        // Keyed on the agreement, which is the customer's: the same run-time check as every customer step.
        await CustomerAccess.CustomerAsync(context, cancellationToken);
        return new PlanTarget(
            context.Services.GetRequiredService<ILicenseManager>(),
            context.GetOutput<CreateCustomerAgreementOutput>().AgreementId,
            productId ?? defaultProductId(context.Services.GetRequiredService<IOptions<ProvisioningOptions>>().Value),
            catalogId ?? context.GetOutput<CreateCatalogOutput>().CatalogId);
    }
}

/// <summary>Where a plan step's plan goes: the license manager, the customer's agreement, the product and the catalog.</summary>
internal sealed record PlanTarget(ILicenseManager Licenses, Guid AgreementId, int ProductId, Guid CatalogId);
