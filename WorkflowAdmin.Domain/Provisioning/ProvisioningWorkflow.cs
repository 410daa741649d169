using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class ProvisioningWorkflow : WorkflowDefinition
{
    public override string Key => "provision-customer";

    public override int Version => 1;

    public override string DisplayName => "Provision enterprise customer";

    public override string Description =>
        "Creates an enterprise customer with its admins, catalog, agreement, trial and first paid plans, renewal, " +
        "optional subsidy and welcome email. Every step reuses what already exists, so a run can safely be repeated.";

    public override string? GetBusinessKey(StepValues input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Find<CreateCustomerInput>()?.Slug;
    }

    public override string? GetSubjectName(StepValues input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Find<CreateCustomerInput>()?.Name;
    }

    protected override IEnumerable<IWorkflowStep> CreateSteps() =>
    [
        new CreateCustomerStep(),
        new CreateAdminsStep(),
        new CreateCatalogStep(),
        new CreateCustomerAgreementStep(),
        new CreateTrialPlanStep(),
        new CreateFirstPaidPlanStep(),
        new CreateRenewalStep(),
        new CreateSubsidyStep(),
        new SendNotificationStep(),
    ];
}
