namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class SubscriptionPlan
{
    public const int MaxTitleLength = 255;
    public const int MaxSalesforceLineItemLength = 50;

    private SubscriptionPlan()
    {
    }

    public Guid Id { get; private set; }

    public Guid AgreementId { get; private set; }

    public string Title { get; private set; } = "";

    public string? SalesforceLineItem { get; private set; }

    public DateTime StartDate { get; private set; }

    public DateTime ExpirationDate { get; private set; }

    public int Licenses { get; private set; }

    public int ProductId { get; private set; }

    public Guid? CatalogId { get; private set; }

    public bool IsTrial { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static SubscriptionPlan Create(
        Guid agreementId,
        string title,
        string? salesforceLineItem,
        DateTime startDate,
        DateTime expirationDate,
        int licenses,
        int productId,
        Guid? catalogId,
        bool isTrial,
        DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        AgreementId = agreementId,
        Title = RecordFields.Required(title, MaxTitleLength),
        SalesforceLineItem = RecordFields.Optional(salesforceLineItem, MaxSalesforceLineItemLength),
        StartDate = startDate,
        ExpirationDate = expirationDate,
        Licenses = licenses,
        ProductId = productId,
        CatalogId = catalogId,
        IsTrial = isTrial,
        CreatedAt = now,
    };
}
