using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class CreateCatalogStep : WorkflowStep<CreateCatalogInput, CreateCatalogOutput>
{
    private const string TitleSuffix = " Subscription Catalog";

    public override string Key => ProvisioningSteps.CreateCatalog;

    public override string DisplayName => "Create catalog";

    // Every field has a default, so the whole section may be left out (as in the reference system).
    public override StepInputPresence InputPresence => StepInputPresence.DefaultsToEmpty;

    public override int MaxAttempts => 2;

    public override void Validate(CreateCatalogInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        errors.MaxLength("title", input.Title, Catalog.MaxTitleLength);
        if (input.CatalogQueryId <= 0)
        {
            errors.Add("catalogQueryId", "must be greater than 0");
        }
    }

    public override async Task<CreateCatalogOutput> ExecuteAsync(
        CreateCatalogInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var customer = await CustomerAccess.CustomerAsync(context, cancellationToken);
        var options = context.Services.GetRequiredService<IOptions<ProvisioningOptions>>().Value;
        var catalogs = context.Services.GetRequiredService<ICatalogService>();
        var queryId = input.CatalogQueryId ?? options.DefaultCatalogQueryId;

        // One statement when the catalog is new; an existing one is read only then (decision 0032, 2026-12-02).
        var (catalog, created) = await catalogs.GetOrCreateCatalogAsync(customer.CustomerId, Title(input, customer), queryId, cancellationToken);
        return new CreateCatalogOutput
        {
            CatalogId = catalog.Id,
            CustomerId = catalog.CustomerId,
            Title = catalog.Title,
            CatalogQueryId = catalog.CatalogQueryId,
            Created = created,
        };
    }

    // A form may send an empty title for "use the default". The default is shortened, if need be, so that a
    // customer name of the maximum length still gives a title the catalog service accepts.
    private static string Title(CreateCatalogInput input, CreateCustomerOutput customer)
    {
        if (!string.IsNullOrWhiteSpace(input.Title))
        {
            return input.Title;
        }

        var name = customer.Name.Length + TitleSuffix.Length <= Catalog.MaxTitleLength
            ? customer.Name
            : customer.Name[..(Catalog.MaxTitleLength - TitleSuffix.Length)].TrimEnd();
        return name + TitleSuffix;
    }
}

public sealed record CreateCatalogInput
{
    public string? Title { get; init; }

    public int? CatalogQueryId { get; init; }
}

public sealed record CreateCatalogOutput
{
    public Guid CatalogId { get; init; }

    public Guid CustomerId { get; init; }

    public string Title { get; init; } = "";

    public int CatalogQueryId { get; init; }

    public bool Created { get; init; }
}
