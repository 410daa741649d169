namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class CustomerAdmin
{
    public const int MaxEmailLength = EmailAddresses.MaxLength;

    private CustomerAdmin()
    {
    }

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    public string Email { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public static CustomerAdmin Create(Guid customerId, string email, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        Email = EmailAddresses.Normalize(RecordFields.Required(email, MaxEmailLength)),
        CreatedAt = now,
    };
}
