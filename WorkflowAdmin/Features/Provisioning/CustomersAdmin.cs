using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Features.Provisioning;

public sealed class CustomersAdmin : EntityAdmin<CustomerRow>
{
    public CustomersAdmin()
        : base("Customers", "customers")
    {
        NavGroup = NavGroups.ProvisionedRecords;
        Icon = Icons.Material.Filled.Business;
        Noun = "customers";

        Column("Name", r => r.Name);
        Column("Slug", r => r.Slug).WithClass("mono nowrap");
        Column("Country", r => r.Country);
        Column("Enabled features", r => r.EnabledFeatures).WithClass("truncate-cell").SortableWhen(false);
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        // Who created the customer, and so which API key may provision onto it (decision 0011); blank for
        // customers created before owners were recorded. Not sortable: no index, and no list needs the order.
        Column("Owner", r => r.OwnerName).SortableWhen(false);
        Column("Owner kind", r => r.OwnerKind).SortableWhen(false);

        FilterByText("Country", r => r.Country, "country");
        FilterByDate("Created", r => r.CreatedAt, "from", "to");
        SearchOn("name", r => r.Name);
        SearchOn("slug", r => r.Slug, TextMatch.StartsWith);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<CustomerRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Customers.Select(c => new CustomerRow
        {
            Id = c.Id,
            Name = c.Name,
            Slug = c.Slug,
            Country = c.Country,
            EnabledFeatures = c.EnabledFeatures,
            CreatedAt = c.CreatedAt,
            OwnerKind = c.OwnerKind,
            OwnerName = c.OwnerName,
        });
    }
}

public sealed record CustomerRow
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required string Slug { get; init; }

    public required string Country { get; init; }

    public required string EnabledFeatures { get; init; }

    public required DateTime CreatedAt { get; init; }

    public ActorKind? OwnerKind { get; init; }

    public string? OwnerName { get; init; }
}
