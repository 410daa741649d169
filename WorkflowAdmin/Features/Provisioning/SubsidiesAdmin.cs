using System.Globalization;
using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Provisioning;

public sealed class SubsidiesAdmin : EntityAdmin<SubsidyRow>
{
    public SubsidiesAdmin()
        : base("Subsidies", "subsidies")
    {
        NavGroup = NavGroups.ProvisionedRecords;
        Icon = Icons.Material.Filled.Savings;
        Noun = "subsidies";

        Column("Title", r => r.Title);
        Column("Customer", r => r.Customer);
        Column("Starting balance", r => r.StartingBalance).WithClass("nowrap");
        Column("Starts", r => r.StartDate).WithClass("nowrap");
        Column("Expires", r => r.ExpirationDate).WithClass("nowrap");
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        FilterByText("Currency", r => r.Currency, "currency");
        FilterByDate("Expires", r => r.ExpirationDate, "expires-from", "expires-to");
        SearchOn("title", r => r.Title);
        SearchOn("customer", r => r.Customer);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<SubsidyRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return from s in db.Subsidies
               join c in db.Customers on s.CustomerId equals c.Id
               select new SubsidyRow
               {
                   Id = s.Id,
                   Title = s.Title,
                   Customer = c.Name,
                   StartingBalanceCents = s.StartingBalanceCents,
                   Currency = s.Currency,
                   StartDate = s.StartDate,
                   ExpirationDate = s.ExpirationDate,
                   CreatedAt = s.CreatedAt,
               };
    }
}

public sealed record SubsidyRow
{
    public required Guid Id { get; init; }

    public required string Title { get; init; }

    public required string Customer { get; init; }

    public required long StartingBalanceCents { get; init; }

    public required string Currency { get; init; }

    public required DateTime StartDate { get; init; }

    public required DateTime ExpirationDate { get; init; }

    public required DateTime CreatedAt { get; init; }

    // Money stays in cents in the database (SQLite has no decimal type to sort or sum by); only the cell divides.
    public string StartingBalance => string.Create(CultureInfo.InvariantCulture, $"{StartingBalanceCents / 100m:N2} {Currency}");
}
