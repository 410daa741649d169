using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed partial class CreateSubsidyStep : WorkflowStep<CreateSubsidyInput, CreateSubsidyOutput>
{
    public override string Key => ProvisioningSteps.CreateSubsidy;

    public override string DisplayName => "Create subsidy";

    public override StepInputPresence InputPresence => StepInputPresence.Optional;

    public override int MaxAttempts => 2;

    public override void Validate(CreateSubsidyInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required("title", input.Title);
        errors.MaxLength("title", input.Title, Subsidy.MaxTitleLength);
        switch (input.StartingBalanceCents)
        {
            case null:
                errors.Add("startingBalanceCents", "is required");
                break;
            case <= 0:
                errors.Add("startingBalanceCents", "must be greater than 0");
                break;
        }

        if (input.Currency is null || !CurrencyCode().IsMatch(input.Currency))
        {
            errors.Add("currency", "must be a three-letter ISO 4217 code in capitals, e.g. USD");
        }

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
    }

    public override async Task<CreateSubsidyOutput> ExecuteAsync(
        CreateSubsidyInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var customerId = (await CustomerAccess.CustomerAsync(context, cancellationToken)).CustomerId;
        var subsidies = context.Services.GetRequiredService<ISubsidyService>();

        var (subsidy, created) = await subsidies.GetOrCreateSubsidyAsync(
            customerId,
            input.Title,
            input.StartingBalanceCents.Require("startingBalanceCents"),
            input.Currency,
            input.StartDate.Require("startDate").AsUtc(),
            input.ExpirationDate.Require("expirationDate").AsUtc(),
            cancellationToken);
        return new CreateSubsidyOutput
        {
            SubsidyId = subsidy.Id,
            Title = subsidy.Title,
            StartingBalanceCents = subsidy.StartingBalanceCents,
            Currency = subsidy.Currency,
            StartDate = subsidy.StartDate,
            ExpirationDate = subsidy.ExpirationDate,
            Created = created,
        };
    }

    protected override Task<CreateSubsidyOutput> ExecuteWithoutInputAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new CreateSubsidyOutput { Skipped = true });

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}

public sealed record CreateSubsidyInput
{
    public string Title { get; init; } = "";

    public long? StartingBalanceCents { get; init; }

    public string Currency { get; init; } = "USD";

    public DateTime? StartDate { get; init; }

    public DateTime? ExpirationDate { get; init; }
}

public sealed record CreateSubsidyOutput
{
    public Guid? SubsidyId { get; init; }

    public string? Title { get; init; }

    public long? StartingBalanceCents { get; init; }

    public string? Currency { get; init; }

    public DateTime? StartDate { get; init; }

    public DateTime? ExpirationDate { get; init; }

    public bool Skipped { get; init; }

    public bool Created { get; init; }
}
