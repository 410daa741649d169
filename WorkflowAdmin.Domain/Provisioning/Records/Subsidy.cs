namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class Subsidy
{
    public const int MaxTitleLength = 255;
    public const int CurrencyLength = 3;

    private Subsidy()
    {
    }

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    public string Title { get; private set; } = "";

    public long StartingBalanceCents { get; private set; }

    public string Currency { get; private set; } = "";

    public DateTime StartDate { get; private set; }

    public DateTime ExpirationDate { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static Subsidy Create(
        Guid customerId, string title, long startingBalanceCents, string currency, DateTime startDate, DateTime expirationDate, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        Title = RecordFields.Required(title, MaxTitleLength),
        StartingBalanceCents = startingBalanceCents,
        Currency = RecordFields.Required(currency, CurrencyLength),
        StartDate = startDate,
        ExpirationDate = expirationDate,
        CreatedAt = now,
    };
}
