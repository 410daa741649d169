namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class DirectoryUser
{
    public const int MaxEmailLength = EmailAddresses.MaxLength;
    public const int MaxDisplayNameLength = 255;

    private DirectoryUser()
    {
    }

    public Guid Id { get; private set; }

    public string Email { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public static DirectoryUser Create(string email, string displayName, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        Email = EmailAddresses.Normalize(RecordFields.Required(email, MaxEmailLength)),
        DisplayName = RecordFields.Required(displayName, MaxDisplayNameLength),
        CreatedAt = now,
    };
}
