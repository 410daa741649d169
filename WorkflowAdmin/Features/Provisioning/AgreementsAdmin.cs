using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Provisioning;

public sealed class AgreementsAdmin : EntityAdmin<AgreementRow>
{
    public AgreementsAdmin()
        : base("Agreements", "agreements")
    {
        NavGroup = NavGroups.ProvisionedRecords;
        Icon = Icons.Material.Filled.Handshake;
        Noun = "agreements";

        Column("Customer", r => r.Customer);
        Column("Customer slug", r => r.CustomerSlug).WithClass("mono nowrap");
        Column("Default catalog", r => r.DefaultCatalog);
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        FilterByBool("Default catalog", r => r.HasDefaultCatalog, "default-catalog", yes: "Set", no: "Not set");
        FilterByDate("Created", r => r.CreatedAt, "from", "to");
        SearchOn("customer", r => r.Customer);
        SearchOn("slug", r => r.CustomerSlug, TextMatch.StartsWith);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<AgreementRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);

        // The default catalog has no foreign key (it may live in another catalog service), hence the outer join.
        return from a in db.CustomerAgreements
               join c in db.Customers on a.CustomerId equals c.Id
               from k in db.Catalogs.Where(k => k.Id == a.DefaultCatalogId).DefaultIfEmpty()
               select new AgreementRow
               {
                   Id = a.Id,
                   Customer = c.Name,
                   CustomerSlug = c.Slug,
                   HasDefaultCatalog = a.DefaultCatalogId != null,
                   DefaultCatalog = k != null ? k.Title : null,
                   CreatedAt = a.CreatedAt,
               };
    }
}

public sealed record AgreementRow
{
    public required Guid Id { get; init; }

    public required string Customer { get; init; }

    public required string CustomerSlug { get; init; }

    public required bool HasDefaultCatalog { get; init; }

    public string? DefaultCatalog { get; init; }

    public required DateTime CreatedAt { get; init; }
}
