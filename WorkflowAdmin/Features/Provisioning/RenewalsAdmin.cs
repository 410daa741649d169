using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Provisioning;

public sealed class RenewalsAdmin : EntityAdmin<RenewalRow>
{
    public RenewalsAdmin()
        : base("Renewals", "renewals")
    {
        NavGroup = NavGroups.ProvisionedRecords;
        Icon = Icons.Material.Filled.Autorenew;
        Noun = "renewals";

        Column("Prior plan", r => r.PriorPlan);
        Column("Renewed plan", r => r.RenewedPlan);
        Column("Licenses", r => r.Licenses);
        Column("Effective", r => r.EffectiveDate).WithClass("nowrap");
        Column("Renewed until", r => r.RenewedExpirationDate).WithClass("nowrap");
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        FilterByDate("Effective", r => r.EffectiveDate, "effective-from", "effective-to");
        FilterByDate("Created", r => r.CreatedAt, "from", "to");
        SearchOn("prior plan", r => r.PriorPlan);
        SearchOn("renewed plan", r => r.RenewedPlan);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<RenewalRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return from r in db.PlanRenewals
               join prior in db.SubscriptionPlans on r.PriorPlanId equals prior.Id
               join renewed in db.SubscriptionPlans on r.RenewedPlanId equals renewed.Id
               select new RenewalRow
               {
                   Id = r.Id,
                   PriorPlan = prior.Title,
                   RenewedPlan = renewed.Title,
                   Licenses = r.Licenses,
                   EffectiveDate = r.EffectiveDate,
                   RenewedExpirationDate = r.RenewedExpirationDate,
                   CreatedAt = r.CreatedAt,
               };
    }
}

public sealed record RenewalRow
{
    public required Guid Id { get; init; }

    public required string PriorPlan { get; init; }

    public required string RenewedPlan { get; init; }

    public required int Licenses { get; init; }

    public required DateTime EffectiveDate { get; init; }

    public required DateTime RenewedExpirationDate { get; init; }

    public required DateTime CreatedAt { get; init; }
}
