using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class CreateCustomerAgreementStep : WorkflowStep<CreateCustomerAgreementInput, CreateCustomerAgreementOutput>
{
    public override string Key => ProvisioningSteps.CreateCustomerAgreement;

    public override string DisplayName => "Create customer agreement";

    // Every field has a default, so the whole section may be left out (as in the reference system).
    public override StepInputPresence InputPresence => StepInputPresence.DefaultsToEmpty;

    public override int MaxAttempts => 2;

    public override void Validate(CreateCustomerAgreementInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        if (input.DefaultCatalogId == Guid.Empty)
        {
            errors.Add("defaultCatalogId", "must not be the empty UUID");
        }
    }

    public override async Task<CreateCustomerAgreementOutput> ExecuteAsync(
        CreateCustomerAgreementInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var customerId = (await CustomerAccess.CustomerAsync(context, cancellationToken)).CustomerId;
        var licenses = context.Services.GetRequiredService<ILicenseManager>();

        // An existing agreement keeps its default catalog; the one given here is used only for a new one.
        var (agreement, created) = await licenses.GetOrCreateAgreementAsync(
            customerId,
            input.DefaultCatalogId ?? context.GetOutput<CreateCatalogOutput>().CatalogId,
            cancellationToken);
        return new CreateCustomerAgreementOutput
        {
            AgreementId = agreement.Id,
            CustomerId = agreement.CustomerId,
            DefaultCatalogId = agreement.DefaultCatalogId,
            Created = created,
        };
    }
}

public sealed record CreateCustomerAgreementInput
{
    public Guid? DefaultCatalogId { get; init; }
}

public sealed record CreateCustomerAgreementOutput
{
    public Guid AgreementId { get; init; }

    public Guid CustomerId { get; init; }

    public Guid? DefaultCatalogId { get; init; }

    public bool Created { get; init; }
}
