using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Onboarding;

public sealed partial class EnableFeaturesStep : WorkflowStep<EnableFeaturesInput, EnableFeaturesOutput>
{
    public override string Key => "enable-features";

    public override string DisplayName => "Enable features";

    public override int MaxAttempts => 2;

    public override void Validate(EnableFeaturesInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required("customerSlug", input.CustomerSlug);
        errors.MaxLength("customerSlug", input.CustomerSlug, Customer.MaxSlugLength);
        if (input.Features is null || input.Features.Count == 0)
        {
            errors.Add("features", "must list at least one feature");
            return;
        }

        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < input.Features.Count; i++)
        {
            var feature = input.Features[i];
            if (feature is null || !FeatureName().IsMatch(feature))
            {
                errors.For($"features[{i}]").Add("", "must be a kebab-case name, e.g. learner-portal");
            }
            else if (!firstIndex.TryAdd(feature, i))
            {
                errors.For($"features[{i}]").Add("", $"duplicates features[{firstIndex[feature]}]");
            }
        }

        // The directory stores the features as one comma-separated value of bounded length.
        if (input.Features.Sum(f => (f?.Length ?? 0) + 1) - 1 > Customer.MaxEnabledFeaturesLength)
        {
            errors.Add("features", $"must take at most {Customer.MaxEnabledFeaturesLength} characters once joined with commas");
        }
    }

    public override async Task<EnableFeaturesOutput> ExecuteAsync(
        EnableFeaturesInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var directory = context.Services.GetRequiredService<ICustomerDirectory>();

        // Onboarding builds on a provisioned customer; creating one here would bypass provisioning's rules.
        var customer = await directory.FindCustomerBySlugAsync(input.CustomerSlug, cancellationToken)
                       ?? throw new InvalidOperationException($"Customer '{input.CustomerSlug}' does not exist; provision it first");
        if (!CustomerAccess.MayUse(context.Requester, customer.Owner))
        {
            throw new CustomerNotAvailableException(input.CustomerSlug);
        }

        // Setting the whole list is naturally idempotent: a second run leaves the same features enabled.
        await directory.SetEnabledFeaturesAsync(customer.Id, input.Features, cancellationToken);
        return new EnableFeaturesOutput { CustomerId = customer.Id, Features = input.Features };
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex FeatureName();
}

public sealed record EnableFeaturesInput
{
    public string CustomerSlug { get; init; } = "";

    public IReadOnlyList<string> Features { get; init; } = [];
}

public sealed record EnableFeaturesOutput
{
    public Guid CustomerId { get; init; }

    public IReadOnlyList<string> Features { get; init; } = [];
}
