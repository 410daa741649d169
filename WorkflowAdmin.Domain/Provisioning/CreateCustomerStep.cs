using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed partial class CreateCustomerStep : WorkflowStep<CreateCustomerInput, CreateCustomerOutput>
{
    public override string Key => ProvisioningSteps.CreateCustomer;

    public override string DisplayName => "Create customer";

    public override int MaxAttempts => 2;

    public override void Validate(CreateCustomerInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required("name", input.Name);
        errors.MaxLength("name", input.Name, Customer.MaxNameLength);
        errors.Required("slug", input.Slug);
        errors.MaxLength("slug", input.Slug, Customer.MaxSlugLength);
        if (!string.IsNullOrWhiteSpace(input.Slug) && !Slug().IsMatch(input.Slug))
        {
            errors.Add("slug", "must be lowercase letters, digits and hyphens");
        }

        errors.Required("country", input.Country);
        if (!string.IsNullOrWhiteSpace(input.Country) && !Countries.IsValid(input.Country))
        {
            errors.Add("country", "must be an ISO 3166-1 alpha-2 country code, e.g. US");
        }
    }

    public override async Task<CreateCustomerOutput> ExecuteAsync(
        CreateCustomerInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var directory = context.Services.GetRequiredService<ICustomerDirectory>();
        var requester = context.Requester;

        // The slug is the customer's identity. An existing customer is taken as the directory has it, name and
        // country included, so the output always shows what later steps and people will actually see. Whether
        // the requester may use it is decided here, at run time, whatever the API checked when it accepted the
        // request: a customer can appear in between (another key or the console taking the same new slug). One
        // statement inserts the customer unless the slug exists, and writes nothing if it does; only then is the
        // existing customer read and decided on (decision 0036).
        var obtained = await directory.GetOrCreateCustomerAsync(input.Name, input.Slug, input.Country, requester, cancellationToken);
        var customer = obtained.Value;
        if (!obtained.Created)
        {
            if (!CustomerAccess.MayUse(requester, customer.Owner))
            {
                // Fails before anything is written, and the error names nothing but the slug the caller sent.
                throw new CustomerNotAvailableException(input.Slug);
            }

            if (!CustomerAccess.IsOwner(requester, customer.Owner))
            {
                await CustomerAccess.RecordUseOfOthersAsync(context, customer, cancellationToken);
            }
        }

        return new CreateCustomerOutput
        {
            CustomerId = customer.Id,
            Name = customer.Name,
            Slug = customer.Slug,
            Country = customer.Country,
            Created = obtained.Created,
        };
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();
}

public sealed record CreateCustomerInput
{
    public string Name { get; init; } = "";

    public string Slug { get; init; } = "";

    public string Country { get; init; } = "";
}

public sealed record CreateCustomerOutput
{
    public Guid CustomerId { get; init; }

    public string Name { get; init; } = "";

    public string Slug { get; init; } = "";

    public string Country { get; init; } = "";

    public bool Created { get; init; }
}
