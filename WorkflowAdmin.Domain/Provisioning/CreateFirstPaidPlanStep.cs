using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class CreateFirstPaidPlanStep : WorkflowStep<CreateFirstPaidPlanInput, CreateFirstPaidPlanOutput>
{
    public override string Key => ProvisioningSteps.CreateFirstPaidPlan;

    public override string DisplayName => "Create first paid plan";

    public override int MaxAttempts => 2;

    public override void Validate(CreateFirstPaidPlanInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        PlanSteps.ValidateNames(input.Title, input.SalesforceLineItem, lineItemRequired: false, errors);

        // Without a start date the start is the trial's expiration, known only once the trial step has run; the
        // license manager then rejects an expiration that is not after it.
        if (input.StartDate is { } start && input.ExpirationDate is { } expiration && expiration.AsUtc() <= start.AsUtc())
        {
            errors.Add("expirationDate", "must be after startDate");
        }

        PlanSteps.ValidateProductAndCatalog(input.ProductId, input.CatalogId, errors);
    }

    public override async Task<CreateFirstPaidPlanOutput> ExecuteAsync(
        CreateFirstPaidPlanInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);

        var target = await PlanSteps.TargetAsync(context, input.ProductId, o => o.PaidProductId, input.CatalogId, cancellationToken);
        var trial = context.GetOutput<CreateTrialPlanOutput>();
        var start = input.StartDate?.AsUtc() ?? trial.ExpirationDate.AsUtc();
        var expiration = input.ExpirationDate?.AsUtc() ?? start.AddYears(1);
        var lineItem = string.IsNullOrWhiteSpace(input.SalesforceLineItem) ? null : input.SalesforceLineItem;

        // The natural key is the Salesforce line item when there is one. Without it, a plan is the same plan when
        // agreement, product, start date and title all agree: a missing line item must never match another missing
        // one, or every paid plan entered without a line item would be taken for this one.
        // One statement inserts the plan unless its key exists; only then is it read (decision 0036).
        var obtained = await target.Licenses.GetOrCreatePlanAsync(
            new NewPlan(
                target.AgreementId,
                input.Title,
                lineItem,
                start,
                expiration,
                trial.Licenses,
                target.ProductId,
                target.CatalogId,
                IsTrial: false),
            cancellationToken);
        return PlanStepOutput.From<CreateFirstPaidPlanOutput>(obtained.Value, obtained.Created) with { SalesforceLineItem = obtained.Value.SalesforceLineItem };
    }
}

public sealed record CreateFirstPaidPlanInput
{
    public string Title { get; init; } = "";

    public int? ProductId { get; init; }

    public DateTime? StartDate { get; init; }

    public DateTime? ExpirationDate { get; init; }

    public string? SalesforceLineItem { get; init; }

    public Guid? CatalogId { get; init; }
}

public sealed record CreateFirstPaidPlanOutput : PlanStepOutput
{
    public string? SalesforceLineItem { get; init; }
}
