using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Provisioning.Adapters;

internal sealed class DatabaseCustomerDirectory(AppDbContext db, TimeProvider time) : ICustomerDirectory
{
    private const string SystemName = "customer-directory";

    public async Task<CustomerInfo?> FindCustomerBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Slug == slug, cancellationToken);
        return customer is null ? null : ToInfo(customer);
    }

    public async Task<CustomerInfo?> FindCustomerAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        return customer is null ? null : ToInfo(customer);
    }

    public async Task<CustomerInfo?> CreateCustomerAsync(
        string name, string slug, string country, Requester owner, CancellationToken cancellationToken)
    {
        var customer = Customer.Create(name, slug, country, Now(), owner);
        db.Customers.Add(customer);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another execution created the slug between our look-up and our insert, and the unique index refused
            // ours: the caller decides, by that customer's owner, whether it may use it. Any other failure stands.
            db.ChangeTracker.Clear();
            if (await db.Customers.AnyAsync(c => c.Slug == slug, cancellationToken))
            {
                return null;
            }

            throw;
        }

        return ToInfo(customer);
    }

    public async Task<Obtained<CustomerInfo>> GetOrCreateCustomerAsync(
        string name, string slug, string country, Requester owner, CancellationToken cancellationToken)
    {
        var customer = Customer.Create(name, slug, country, Now(), owner);
        if (await db.InsertIfAbsentAsync(customer, [nameof(Customer.Slug)], cancellationToken))
        {
            return new Obtained<CustomerInfo>(ToInfo(customer), Created: true);
        }

        var existing = await FindCustomerBySlugAsync(slug, cancellationToken)
                       ?? throw new InvalidOperationException($"Customer '{slug}' existed and is gone again.");
        return new Obtained<CustomerInfo>(existing, Created: false);
    }

    public Task<bool> UserExistsAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = EmailAddresses.Normalize(email);
        return db.DirectoryUsers.AnyAsync(u => u.Email == normalized, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListAdminEmailsAsync(Guid customerId, CancellationToken cancellationToken) =>
        await db.CustomerAdmins
            .Where(a => a.CustomerId == customerId)
            .OrderBy(a => a.Email)
            .Select(a => a.Email)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> ListAdminsAndAdminInvitesAsync(Guid customerId, CancellationToken cancellationToken) =>
        await db.CustomerAdmins.Where(a => a.CustomerId == customerId).Select(a => a.Email)
            .Concat(db.PendingInvites.Where(i => i.CustomerId == customerId && i.Role == InviteRoles.Admin).Select(i => i.Email))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlySet<string>> ExistingUsersAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emails);
        var normalized = emails.Select(EmailAddresses.Normalize).Distinct().ToList();
        var found = await db.DirectoryUsers.Where(u => normalized.Contains(u.Email)).Select(u => u.Email).ToListAsync(cancellationToken);
        return found.ToHashSet(StringComparer.Ordinal);
    }

    public async Task AddAdminsAsync(Guid customerId, IReadOnlyList<string> grants, IReadOnlyList<string> invites, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(invites);
        var now = Now();
        db.CustomerAdmins.AddRange(grants.Select(email => CustomerAdmin.Create(customerId, email, now)));
        db.PendingInvites.AddRange(invites.Select(email => PendingInvite.Create(customerId, email, InviteRoles.Admin, now)));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task GrantAdminAsync(Guid customerId, string email, CancellationToken cancellationToken)
    {
        if (!await UserExistsAsync(email, cancellationToken))
        {
            throw new ExternalSystemException(SystemName, $"Customer directory has no user '{email}' to make an admin");
        }

        db.CustomerAdmins.Add(CustomerAdmin.Create(customerId, email, Now()));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListPendingInviteEmailsAsync(Guid customerId, string role, CancellationToken cancellationToken) =>
        await db.PendingInvites
            .Where(i => i.CustomerId == customerId && i.Role == role)
            .OrderBy(i => i.Email)
            .Select(i => i.Email)
            .ToListAsync(cancellationToken);

    public async Task CreatePendingInviteAsync(Guid customerId, string email, string role, CancellationToken cancellationToken)
    {
        db.PendingInvites.Add(PendingInvite.Create(customerId, email, role, Now()));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SetEnabledFeaturesAsync(Guid customerId, IReadOnlyList<string> features, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
                       ?? throw new ExternalSystemException(SystemName, $"Customer directory has no customer {customerId}");
        customer.SetEnabledFeatures(features);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static CustomerInfo ToInfo(Customer customer) =>
        new(customer.Id, customer.Name, customer.Slug, customer.Country, customer.EnabledFeatureList, customer.Owner);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
