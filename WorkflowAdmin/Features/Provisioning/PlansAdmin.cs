using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Provisioning;

public sealed class PlansAdmin : EntityAdmin<PlanRow>
{
    public PlansAdmin()
        : base("Subscription plans", "plans")
    {
        NavGroup = NavGroups.ProvisionedRecords;
        Icon = Icons.Material.Filled.CardMembership;
        Noun = "plans";

        Column("Title", r => r.Title);
        Column("Customer", r => r.Customer);
        Column("Line item", r => r.SalesforceLineItem).WithClass("mono nowrap");
        Column("Trial", r => r.IsTrial);
        Column("Starts", r => r.StartDate).WithClass("nowrap");
        Column("Expires", r => r.ExpirationDate).WithClass("nowrap");
        Column("Licenses", r => r.Licenses);
        Column("Product", r => r.ProductId);
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        FilterByBool("Trial", r => r.IsTrial, "trial", yes: "Trials", no: "Paid plans");
        FilterByDate("Expires", r => r.ExpirationDate, "expires-from", "expires-to");
        SearchOn("title", r => r.Title);
        SearchOn("customer", r => r.Customer);
        SearchOn("line item", r => r.SalesforceLineItem, TextMatch.StartsWith);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<PlanRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return from p in db.SubscriptionPlans
               join a in db.CustomerAgreements on p.AgreementId equals a.Id
               join c in db.Customers on a.CustomerId equals c.Id
               select new PlanRow
               {
                   Id = p.Id,
                   Title = p.Title,
                   Customer = c.Name,
                   SalesforceLineItem = p.SalesforceLineItem,
                   IsTrial = p.IsTrial,
                   StartDate = p.StartDate,
                   ExpirationDate = p.ExpirationDate,
                   Licenses = p.Licenses,
                   ProductId = p.ProductId,
                   CreatedAt = p.CreatedAt,
               };
    }
}

public sealed record PlanRow
{
    public required Guid Id { get; init; }

    public required string Title { get; init; }

    public required string Customer { get; init; }

    public string? SalesforceLineItem { get; init; }

    public required bool IsTrial { get; init; }

    public required DateTime StartDate { get; init; }

    public required DateTime ExpirationDate { get; init; }

    public required int Licenses { get; init; }

    public required int ProductId { get; init; }

    public required DateTime CreatedAt { get; init; }
}
