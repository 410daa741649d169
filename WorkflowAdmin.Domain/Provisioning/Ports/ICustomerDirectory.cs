namespace WorkflowAdmin.Domain.Provisioning.Ports;

// The identity system that owns customers, their users and who administers them (the LMS in the reference system).
public interface ICustomerDirectory
{
    Task<CustomerInfo?> FindCustomerBySlugAsync(string slug, CancellationToken cancellationToken);

    Task<CustomerInfo> CreateCustomerAsync(string name, string slug, string country, CancellationToken cancellationToken);

    Task<bool> UserExistsAsync(string email, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListAdminEmailsAsync(Guid customerId, CancellationToken cancellationToken);

    Task GrantAdminAsync(Guid customerId, string email, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListPendingInviteEmailsAsync(Guid customerId, string role, CancellationToken cancellationToken);

    Task CreatePendingInviteAsync(Guid customerId, string email, string role, CancellationToken cancellationToken);

    Task SetEnabledFeaturesAsync(Guid customerId, IReadOnlyList<string> features, CancellationToken cancellationToken);
}

public sealed record CustomerInfo(Guid Id, string Name, string Slug, string Country, IReadOnlyList<string> EnabledFeatures);
