using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Provisioning;

public sealed class CatalogsAdmin : EntityAdmin<CatalogRow>
{
    public CatalogsAdmin()
        : base("Catalogs", "catalogs")
    {
        NavGroup = NavGroups.ProvisionedRecords;
        Icon = Icons.Material.Filled.MenuBook;
        Noun = "catalogs";

        Column("Title", r => r.Title);
        Column("Customer", r => r.Customer);
        Column("Catalog query", r => r.CatalogQueryId);
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        FilterByText("Customer slug", r => r.CustomerSlug, "customer");
        FilterByDate("Created", r => r.CreatedAt, "from", "to");
        SearchOn("title", r => r.Title);
        SearchOn("customer", r => r.Customer);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<CatalogRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return from k in db.Catalogs
               join c in db.Customers on k.CustomerId equals c.Id
               select new CatalogRow
               {
                   Id = k.Id,
                   Title = k.Title,
                   Customer = c.Name,
                   CustomerSlug = c.Slug,
                   CatalogQueryId = k.CatalogQueryId,
                   CreatedAt = k.CreatedAt,
               };
    }
}

public sealed record CatalogRow
{
    public required Guid Id { get; init; }

    public required string Title { get; init; }

    public required string Customer { get; init; }

    public required string CustomerSlug { get; init; }

    public required int CatalogQueryId { get; init; }

    public required DateTime CreatedAt { get; init; }
}
