using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Provisioning;

/// <summary>A provisioning starts only for a customer slug the caller may reach (decision 0011).</summary>
internal sealed class CustomerAdmission(ICustomerDirectory customers) : IStartAdmission
{
    public string WorkflowKey => ProvisioningWorkflow.WorkflowKey;

    public async Task<StartRefusal?> CheckAsync(ValidatedInput input, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var slug = input.Values.Find<CreateCustomerInput>()!.Slug;

        // The same answer whether a customer has the slug, belongs to another key or predates owners: the caller
        // learns only that it cannot have the slug, which any unique name reveals, and nothing recorded about it.
        return await CustomerAccess.IsAvailableAsync(customers, slug, Requester.Of(actor), cancellationToken)
            ? null
            : new StartRefusal("Customer not available", CustomerAccess.NotAvailable(slug));
    }
}
