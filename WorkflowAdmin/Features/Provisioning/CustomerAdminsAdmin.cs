using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Provisioning;

public sealed class CustomerAdminsAdmin : EntityAdmin<CustomerAdminRow>
{
    public CustomerAdminsAdmin()
        : base("Customer admins", "customer-admins")
    {
        NavGroup = NavGroups.ProvisionedRecords;
        Icon = Icons.Material.Filled.AdminPanelSettings;
        Noun = "customer admins";

        // A person's address: masked for every reader, on screen and in the export, and still found by the search
        // (decision 0042). Who it is shows in the provisioning execution, revealed there with a reason.
        Column("Email", r => r.Email).Personal();
        Column("Customer", r => r.Customer);
        Column("Customer slug", r => r.CustomerSlug).WithClass("mono nowrap");
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        FilterByText("Customer slug", r => r.CustomerSlug, "customer");
        FilterByDate("Created", r => r.CreatedAt, "from", "to");
        SearchOn("email", r => r.Email);
        SearchOn("customer", r => r.Customer);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<CustomerAdminRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return from a in db.CustomerAdmins
               join c in db.Customers on a.CustomerId equals c.Id
               select new CustomerAdminRow
               {
                   Id = a.Id,
                   Email = a.Email,
                   Customer = c.Name,
                   CustomerSlug = c.Slug,
                   CreatedAt = a.CreatedAt,
               };
    }
}

public sealed record CustomerAdminRow
{
    public required Guid Id { get; init; }

    public required string Email { get; init; }

    public required string Customer { get; init; }

    public required string CustomerSlug { get; init; }

    public required DateTime CreatedAt { get; init; }
}
