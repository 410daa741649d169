using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class CreateTrialPlanStep : WorkflowStep<CreateTrialPlanInput, CreateTrialPlanOutput>
{
    public const int MaxLicenses = 1_000_000;

    public override string Key => ProvisioningSteps.CreateTrialPlan;

    public override string DisplayName => "Create trial plan";

    public override int MaxAttempts => 2;

    public override void Validate(CreateTrialPlanInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        PlanSteps.ValidateNames(input.Title, input.SalesforceLineItem, lineItemRequired: true, errors);
        if (input.StartDate is null)
        {
            errors.Add("startDate", "is required");
        }

        if (input.ExpirationDate is null)
        {
            errors.Add("expirationDate", "is required");
        }
        else if (input.StartDate is { } start && input.ExpirationDate.Value.AsUtc() <= start.AsUtc())
        {
            errors.Add("expirationDate", "must be after startDate");
        }

        switch (input.DesiredNumLicenses)
        {
            case null:
                errors.Add("desiredNumLicenses", "is required");
                break;
            case <= 0:
                errors.Add("desiredNumLicenses", "must be greater than 0");
                break;
            case > MaxLicenses:
                errors.Add("desiredNumLicenses", "must be at most 1,000,000");
                break;
        }

        PlanSteps.ValidateProductAndCatalog(input.ProductId, input.CatalogId, errors);
    }

    public override async Task<CreateTrialPlanOutput> ExecuteAsync(
        CreateTrialPlanInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);

        var target = await PlanSteps.TargetAsync(context, input.ProductId, o => o.TrialProductId, input.CatalogId, cancellationToken);

        // The line item is required here, so the plan's key never has to decide whether two missing ones match
        // (the reference system let None match None and reused an unrelated plan). One statement inserts the plan
        // unless its key exists; only then is it read (decision 0036).
        var obtained = await target.Licenses.GetOrCreatePlanAsync(
            new NewPlan(
                target.AgreementId,
                input.Title,
                input.SalesforceLineItem,
                input.StartDate.Require("startDate").AsUtc(),
                input.ExpirationDate.Require("expirationDate").AsUtc(),
                input.DesiredNumLicenses.Require("desiredNumLicenses"),
                target.ProductId,
                target.CatalogId,
                IsTrial: true),
            cancellationToken);
        return PlanStepOutput.From<CreateTrialPlanOutput>(obtained.Value, obtained.Created) with { SalesforceLineItem = input.SalesforceLineItem };
    }
}

public sealed record CreateTrialPlanInput
{
    public string Title { get; init; } = "";

    public string SalesforceLineItem { get; init; } = "";

    public DateTime? StartDate { get; init; }

    public DateTime? ExpirationDate { get; init; }

    public int? DesiredNumLicenses { get; init; }

    public int? ProductId { get; init; }

    public Guid? CatalogId { get; init; }
}

public sealed record CreateTrialPlanOutput : PlanStepOutput
{
    public string SalesforceLineItem { get; init; } = "";
}
