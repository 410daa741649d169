namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class CustomerAgreement
{
    private CustomerAgreement()
    {
    }

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    // No foreign key: the default catalog may live in a catalog service this database knows nothing about.
    public Guid? DefaultCatalogId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static CustomerAgreement Create(Guid customerId, Guid? defaultCatalogId, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        DefaultCatalogId = defaultCatalogId,
        CreatedAt = now,
    };
}
