using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class ProvisioningWorkflow : WorkflowDefinition
{
    public const string WorkflowKey = "provision-customer";

    public override string Key => WorkflowKey;

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

/// <summary>The provisioning steps' keys, for code that addresses a step of this workflow (the API mapping, the seed).</summary>
public static class ProvisioningSteps
{
    public const string CreateCustomer = "create-customer";
    public const string CreateAdmins = "create-admins";
    public const string CreateCatalog = "create-catalog";
    public const string CreateCustomerAgreement = "create-customer-agreement";
    public const string CreateTrialPlan = "create-trial-plan";
    public const string CreateFirstPaidPlan = "create-first-paid-plan";
    public const string CreateRenewal = "create-renewal";
    public const string CreateSubsidy = "create-subsidy";
    public const string SendNotification = "send-notification";
}
