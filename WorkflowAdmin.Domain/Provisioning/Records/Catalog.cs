namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class Catalog
{
    public const int MaxTitleLength = 255;

    private Catalog()
    {
    }

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    public string Title { get; private set; } = "";

    public int CatalogQueryId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static Catalog Create(Guid customerId, string title, int catalogQueryId, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        Title = RecordFields.Required(title, MaxTitleLength),
        CatalogQueryId = catalogQueryId,
        CreatedAt = now,
    };
}
