using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class CreateRenewalStep : WorkflowStep<CreateRenewalInput, CreateRenewalOutput>
{
    public override string Key => ProvisioningSteps.CreateRenewal;

    public override string DisplayName => "Create renewal";

    public override StepInputPresence InputPresence => StepInputPresence.DefaultsToEmpty;

    public override int MaxAttempts => 2;

    public override async Task<CreateRenewalOutput> ExecuteAsync(
        CreateRenewalInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Keyed on the agreement, which is the customer's: the same run-time check as every customer step.
        await CustomerAccess.CustomerAsync(context, cancellationToken);
        var trial = context.GetOutput<CreateTrialPlanOutput>();
        var paid = context.GetOutput<CreateFirstPaidPlanOutput>();
        var licenses = context.Services.GetRequiredService<ILicenseManager>();

        // The reference system posted a new renewal on every run; the pair of plans is the renewal's identity.
        var (renewal, created) = await licenses.GetOrCreateRenewalAsync(
            trial.PlanId, paid.PlanId, paid.Licenses, trial.ExpirationDate.AsUtc(), paid.ExpirationDate.AsUtc(), cancellationToken);
        return new CreateRenewalOutput
        {
            RenewalId = renewal.Id,
            PriorPlanId = renewal.PriorPlanId,
            RenewedPlanId = renewal.RenewedPlanId,
            Licenses = renewal.Licenses,
            EffectiveDate = renewal.EffectiveDate,
            RenewedExpirationDate = renewal.RenewedExpirationDate,
            Created = created,
        };
    }
}

public sealed record CreateRenewalInput;

public sealed record CreateRenewalOutput
{
    public Guid RenewalId { get; init; }

    public Guid PriorPlanId { get; init; }

    public Guid RenewedPlanId { get; init; }

    public int Licenses { get; init; }

    public DateTime EffectiveDate { get; init; }

    public DateTime RenewedExpirationDate { get; init; }

    public bool Created { get; init; }
}
