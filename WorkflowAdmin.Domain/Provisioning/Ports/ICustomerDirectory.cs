using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Provisioning.Ports;

// The identity system that owns customers, their users and who administers them (the LMS in the reference system).
public interface ICustomerDirectory
{
    Task<CustomerInfo?> FindCustomerBySlugAsync(string slug, CancellationToken cancellationToken);

    Task<CustomerInfo?> FindCustomerAsync(Guid customerId, CancellationToken cancellationToken);

    /// <summary>Creates the customer, owned by <paramref name="owner"/>; null if another caller created the slug first.</summary>
    Task<CustomerInfo?> CreateCustomerAsync(string name, string slug, string country, Requester owner, CancellationToken cancellationToken);

    /// <summary>
    /// The customer with the slug, created owned by <paramref name="owner"/> if there is none yet; an existing one is
    /// returned as the directory has it (its name, country and owner, whatever was asked for).
    /// </summary>
    Task<Obtained<CustomerInfo>> GetOrCreateCustomerAsync(string name, string slug, string country, Requester owner, CancellationToken cancellationToken);

    Task<bool> UserExistsAsync(string email, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListAdminEmailsAsync(Guid customerId, CancellationToken cancellationToken);

    /// <summary>The customer's admins and the addresses invited to be one, in one look-up.</summary>
    Task<IReadOnlyList<string>> ListAdminsAndAdminInvitesAsync(Guid customerId, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="emails"/> (normalised) are users of the directory, in one look-up.</summary>
    Task<IReadOnlySet<string>> ExistingUsersAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the users <paramref name="grants"/> admins of the customer and invites <paramref name="invites"/> as
    /// admins, all or none (one write).
    /// </summary>
    Task AddAdminsAsync(Guid customerId, IReadOnlyList<string> grants, IReadOnlyList<string> invites, CancellationToken cancellationToken);

    Task GrantAdminAsync(Guid customerId, string email, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListPendingInviteEmailsAsync(Guid customerId, string role, CancellationToken cancellationToken);

    Task CreatePendingInviteAsync(Guid customerId, string email, string role, CancellationToken cancellationToken);

    Task SetEnabledFeaturesAsync(Guid customerId, IReadOnlyList<string> features, CancellationToken cancellationToken);
}

/// <param name="Owner">Who created the customer; null if that was not recorded (decision 0011).</param>
public sealed record CustomerInfo(Guid Id, string Name, string Slug, string Country, IReadOnlyList<string> EnabledFeatures, Requester? Owner = null);
