namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class PendingInvite
{
    public const int MaxEmailLength = EmailAddresses.MaxLength;
    public const int MaxRoleLength = 20;

    private PendingInvite()
    {
    }

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    public string Email { get; private set; } = "";

    public string Role { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public static PendingInvite Create(Guid customerId, string email, string role, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        Email = EmailAddresses.Normalize(RecordFields.Required(email, MaxEmailLength)),
        Role = RecordFields.Required(role, MaxRoleLength),
        CreatedAt = now,
    };
}
